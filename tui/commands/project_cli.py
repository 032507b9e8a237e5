"""`ownit init | checklist | export | review`: project files from the command line.

Exit codes: 0 ok; 1 bad data (a project file with errors); 2 bad usage;
3 `checklist --fail-on STATUS` while items of that status remain (a pipeline
can gate a release on the review).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text

from tui.checklist.builder import GROUPINGS, Checklist, Item, build_checklist, filter_items
from tui.checklist.states import STATUS_MARK, STATUSES
from tui.checklist.store import ProjectFile
from tui.commands.render import OWNER_STYLE, OWNER_WORD, console, owner_text, text
from tui.kb.errors import UsageError, did_you_mean
from tui.kb.knowledge import KnowledgeBase

EXIT_ITEMS_REMAIN = 3
FORMAT_NAMES = ("md", "csv", "json", "html", "oscal")


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("init", help="create a project file")
    p.add_argument("project", type=Path, metavar="PROJECT")
    p.add_argument("--services", required=True, metavar="A,B", help="service ids or aliases, comma-separated")
    p.add_argument("--name", help="the project's name (default: the file's stem)")
    common(p)

    p = sub.add_parser("checklist", help="the project's checklist and progress")
    p.add_argument("project", type=Path, metavar="PROJECT")
    p.add_argument("--json", action="store_true", help="the JSON export's shape (data/schema/export.schema.json)")
    p.add_argument("--group", choices=GROUPINGS, default="layer")
    p.add_argument("--open", action="store_true", help="only items not resolved yet")
    p.add_argument("--fail-on", choices=STATUSES, action="append", default=[], metavar="STATUS",
                   help=f"exit {EXIT_ITEMS_REMAIN} while items of this status remain (repeatable)")
    common(p)

    p = sub.add_parser("export", help="the checklist as md, csv, json, html or oscal")
    p.add_argument("project", type=Path, metavar="PROJECT")
    p.add_argument("--format", "-f", required=True, choices=FORMAT_NAMES)
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here (atomically) instead of stdout")
    common(p)

    p = sub.add_parser("review", help="walk the open items one by one (a planning meeting)")
    p.add_argument("project", type=Path, metavar="PROJECT")
    p.add_argument("--by", help="who is recording the decisions (default: your login name)")
    common(p)


def _kb(args: argparse.Namespace) -> KnowledgeBase:
    from tui.commands.kb_cli import kb_from

    return kb_from(args)


def open_project(args: argparse.Namespace) -> tuple[KnowledgeBase, ProjectFile, Checklist]:
    """Load the KB and the project; flags (unknown controls...) are warnings on stderr."""
    kb = _kb(args)
    if not args.project.exists():
        raise UsageError(f"{args.project}: no such project file (create one with: ownit init {args.project} --services ...)")
    pf = ProjectFile.open(args.project, kb)
    err = console(stderr=True)
    for flag in pf.loaded.flags:
        err.print(text(f"ownit: warning: {flag}"))
    return kb, pf, build_checklist(pf.project, kb)


# -- init -------------------------------------------------------------------------
def resolve_services(kb: KnowledgeBase, names: list[str]) -> list[str]:
    """Service ids for ids or aliases; every unknown name reported at once, with a suggestion."""
    out: list[str] = []
    bad: list[str] = []
    for name in (n.strip() for n in names):
        if not name:
            continue
        sid = kb.service_id(name)
        if sid is None:
            bad.append(f"unknown service '{name}'{did_you_mean(name.lower(), kb.services)}")
        elif sid not in out:
            out.append(sid)
    if bad:
        raise UsageError("; ".join(bad) + " (see: ownit search kind:service QUERY)")
    if not out:
        raise UsageError("--services needs at least one service id, e.g. --services ec2,rds,s3")
    return out


def cmd_init(args: argparse.Namespace) -> int:
    if args.project.suffix not in (".yaml", ".yml"):
        raise UsageError(f"a project file ends in .yaml or .yml, not '{args.project.name}'")
    kb = _kb(args)
    services = resolve_services(kb, args.services.split(","))
    name = args.name or args.project.stem
    pf = ProjectFile.create(args.project, name, services, kb)
    cl = build_checklist(pf.project, kb)
    console().print(text(
        f"created {args.project}: {len(services)} service(s), {len(cl.items)} checklist item(s), "
        f"{len(cl.inherited)} inherited from AWS. Next: ownit checklist {args.project}"
    ))
    return 0


# -- checklist --------------------------------------------------------------------
def cmd_checklist(args: argparse.Namespace) -> int:
    _, pf, cl = open_project(args)
    if args.json:
        from tui.checklist.exports import export

        sys.stdout.write(export(cl, "json"))
    else:
        print_checklist(cl, args.group, args.open)
    remaining = [i for i in (*cl.items, *cl.extra) if i.status in args.fail_on]
    if remaining:
        what = ", ".join(f"{sum(1 for i in remaining if i.status == s)} {s}" for s in args.fail_on)
        console(stderr=True).print(text(f"ownit: {what} item(s) remain in {args.project}"))
        return EXIT_ITEMS_REMAIN
    return 0


def progress_bar(cl: Checklist, width: int = 30) -> Text:
    p = cl.progress()
    done, risk, rest = p.segments(width)
    bar = Text().append("█" * done, "green").append("▒" * risk, "yellow").append("░" * rest, "dim")
    return bar.append(" " + p.summary())


def item_line(it: Item, width: int = 36) -> Text:
    line = Text("  ")
    line.append(STATUS_MARK[it.status] + " ", "bold" if it.status == "done" else "")
    line.append_text(text(f"{it.id:<{width}} "))
    line.append(f"{OWNER_WORD.get(it.owner, '?'):<9}", OWNER_STYLE.get(it.owner, ""))
    line.append(f"{it.phase:<8} {it.severity:<9} ")
    line.append_text(text(it.title))
    return line


def print_checklist(cl: Checklist, group: str = "layer", open_only: bool = False) -> None:
    out = console()
    names = ", ".join(s.short for s in cl.services) or "no known services"
    out.print(text(f"{cl.project.name} · {names} · knowledge base {cl.kb.version}", "bold"))
    out.print(progress_bar(cl))
    items = filter_items(cl.items, open_only=open_only)
    width = max((len(i.id) for i in (*cl.items, *cl.extra)), default=10)
    for key, members in cl.groups(group, items):
        out.print(Text(f"\n{key}", "bold underline"))
        for it in members:
            out.print(item_line(it, width))
            details = [x for x in (it.state.note, it.state.by, it.state.at, f"due {it.state.due}" if it.state.due else "",
                                   it.state.ticket) if x]
            if details:
                out.print(text("      " + " · ".join(" ".join(d.split()) for d in details), "dim"))
    if cl.extra:
        out.print(Text(f"\nKept items not in scope ({len(cl.extra)})", "bold underline"))
        for it in cl.extra:
            out.print(item_line(it, width))
            out.print(text(f"      {it.flag}", "yellow"))
    if cl.inherited:
        out.print(Text(f"\nInherited from AWS ({len(cl.inherited)})", "bold underline"))
        for c in cl.inherited:
            line = Text("  ").append_text(owner_text("aws")).append(" ")
            line.append_text(text(f"{c.id}  {c.title}"))
            out.print(line)


# -- export -----------------------------------------------------------------------
def cmd_export(args: argparse.Namespace) -> int:
    from tui.checklist.atomic import atomic_write
    from tui.checklist.exports import export

    _, _, cl = open_project(args)
    body = export(cl, args.format)
    if args.output is None:
        sys.stdout.write(body)
        return 0
    if args.output.resolve() == args.project.resolve():
        raise UsageError("refusing to export over the project file itself")
    try:
        atomic_write(args.output, body.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    console(stderr=True).print(text(f"wrote {args.output} ({args.format}, {len(cl.items)} items)"))
    return 0


# -- review -----------------------------------------------------------------------
def cmd_review(args: argparse.Namespace) -> int:
    from tui.commands.review import review

    _, pf, _ = open_project(args)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    return review(pf, interactive=interactive, ask=input, by=args.by)
