"""The command line: `ownit [PROJECT]` opens the app; `ownit COMMAND ...` works headlessly.

Errors go to stderr as `ownit: error: ...`; bad data exits 1, bad usage 2,
and no user mistake ever shows a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tui import __version__
from tui.kb.errors import DataError, OwnitError, UsageError

COMMANDS = ("validate", "stats", "show", "search", "matrix", "compare", "init", "checklist", "export", "import", "review",
            "set", "serve", "evidence")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"DAYS must be a whole number of days, not {value!r}") from None
    if days < 0:
        raise argparse.ArgumentTypeError("DAYS must not be negative")
    return days


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", action="append", type=Path, default=[], metavar="DIR",
                   help="overlay a team's own YAML on the shipped knowledge base (repeatable; later wins)")
    p.add_argument("--no-user-data", action="store_true", help="ignore the user data directory")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ownit", description="Who owns this, AWS or us? The AWS shared responsibility model, as a tool.")
    parser.add_argument("--version", action="store_true", help="print the app and knowledge-base versions")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("validate", help="check knowledge-base or project files",
                       description="Check the knowledge base (and any overlay or project files given): "
                                   "every problem as file:line:col, exit 1. With --stale DAYS, once the files are "
                                   "valid, list instead the records not checked against their sources within DAYS "
                                   "days, oldest first (a report: exit 0).")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    p.add_argument("--stale", type=_days, metavar="DAYS",
                   help="list records (services, controls, tools, layers, frameworks) whose 'checked' date is more "
                        "than DAYS days old, oldest first, as 'path:line:col: id checked YYYY-MM-DD (N days ago)'; "
                        "with PATHs, only the records defined there")
    _common(p)

    p = sub.add_parser("stats", help="counts by kind, owner, layer; framework coverage")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("show", help="a service, control, layer or tool")
    p.add_argument("id", metavar="ID")
    p.add_argument("--kind", choices=("service", "control", "layer", "tool", "framework"))
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("search", help="search controls (or services, tools, layers with kind:)")
    p.add_argument("query", nargs="+", metavar="QUERY")
    for name in ("owner", "service", "layer", "domain", "phase", "severity", "kind"):
        p.add_argument(f"--{name}", action="append", default=[])
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("matrix", help="layers x services ownership table")
    p.add_argument("services", nargs="+", metavar="SERVICE")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("compare", help="what changes in ownership from A to B")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("--json", action="store_true")
    _common(p)

    from tui.commands import evidence_cli, import_cli, project_cli, serve_cli

    project_cli.add_parsers(sub, _common)
    evidence_cli.add_parser(sub, _common)
    import_cli.add_parser(sub, _common)
    serve_cli.add_parser(sub, _common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(args_list)
    except DataError as exc:
        for p in exc.problems:
            _err(str(p))
        _err(f"{len(exc.problems)} problem(s) found", prefix=True)
        return 1
    except OwnitError as exc:
        _err(str(exc), prefix=True)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not a user mistake: one line, the traceback only on request
        if os.environ.get("OWNIT_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (set OWNIT_DEBUG=1 for details)", prefix=True)
        return 70


def _err(message: str, prefix: bool = False) -> None:
    from tui.kb.text import inert

    sys.stderr.write(("ownit: error: " if prefix else "") + inert(message) + "\n")


def _run(argv: list[str]) -> int:
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")) or argv[0] in ("--data", "--no-user-data",
                                                                                           "--read-only"):
        return _run_app(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        return _version()
    if args.command is None:
        parser.print_help()
        return 0
    from tui.commands import evidence_cli, import_cli, kb_cli, project_cli, serve_cli

    name = f"cmd_{args.command}"
    handler = (getattr(kb_cli, name, None) or getattr(import_cli, name, None) or getattr(serve_cli, name, None)
               or getattr(evidence_cli, name, None) or getattr(project_cli, name))
    return int(handler(args) or 0)


def _version() -> int:
    from tui.kb import load_kb

    kb = load_kb()
    print(f"ownit {__version__} (knowledge base {kb.version}: {len(kb.services)} services, {len(kb.controls)} controls)")
    return 0


def _unknown_command(word: str) -> str:
    """What `ownit WORD` most likely meant: a command with a typo, or a record to show."""
    from tui.kb.errors import closest

    cmd = closest(word, COMMANDS, cutoff=0.7)
    if cmd:
        return f"unknown command '{word}' (did you mean 'ownit {cmd}'?)"
    try:
        from tui.kb import load_kb

        kind, _ = load_kb().resolve(word)
        return f"unknown command '{word}' (to see that {kind}: ownit show {word})"
    except OwnitError:
        return f"unknown command '{word}'; commands are: {', '.join(COMMANDS)}"


def _run_app(argv: list[str]) -> int:
    if argv and not argv[0].startswith("-") and Path(argv[0]).suffix not in (".yaml", ".yml"):
        raise UsageError(_unknown_command(argv[0]))
    parser = _Parser(prog="ownit", usage="ownit [PROJECT] [--data DIR]... [--read-only] | ownit COMMAND ...")
    parser.add_argument("project", nargs="?", type=Path, metavar="PROJECT")
    parser.add_argument("--read-only", action="store_true", help="change nothing: no status, note or file is saved")
    _common(parser)
    args = parser.parse_args(argv)
    if args.project is not None and args.project.suffix not in (".yaml", ".yml"):
        raise UsageError(_unknown_command(str(args.project)))
    if args.project is not None and not args.project.is_file():
        raise UsageError(f"{args.project}: no such project file (create one with: ownit init {args.project} --services ...)")
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not os.environ.get("TEXTUAL_DRIVER"):
        # the web driver of `ownit serve` (and Textual's own test drivers) set TEXTUAL_DRIVER
        raise UsageError("the app needs a terminal; for scripts use a command (ownit checklist, show, search...)")
    from tui.app.app import run_app

    return run_app(project=args.project, data=args.data, include_user=not args.no_user_data, read_only=args.read_only)
