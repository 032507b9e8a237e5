"""`ownit import cloudformation|terraform PATH... [-o PROJECT] [--json]`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.table import Table

from tui.commands.render import console, print_json, text
from tui.iac.result import ImportResult
from tui.kb.knowledge import KnowledgeBase


def add_parser(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("import", help="fill a project's services from CloudFormation/SAM/CDK or Terraform")
    p.add_argument("format", choices=("cloudformation", "terraform"), metavar="cloudformation|terraform")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="templates, cdk.out, .tf folders, plan/state JSON")
    p.add_argument("-o", "--output", type=Path, metavar="PROJECT", help="create this project file, or add the services to it")
    p.add_argument("--name", help="project name for a new project file (default: the file's stem)")
    p.add_argument("--var-file", action="append", type=Path, default=[], metavar="FILE",
                   help="Terraform: a .tfvars file whose values resolve count, for_each and conditions (repeatable)")
    p.add_argument("--json", action="store_true")
    common(p)


def run_import(kb: KnowledgeBase, fmt: str, paths: list[Path], var_files: list[Path] | None = None) -> ImportResult:
    if fmt == "cloudformation":
        from tui.iac.cloudformation import import_cloudformation

        return import_cloudformation(kb, paths)
    from tui.iac.terraform import import_terraform

    return import_terraform(kb, paths, var_files=var_files or [])


def cmd_import(args: argparse.Namespace) -> int:
    from tui.commands.kb_cli import kb_from

    kb = kb_from(args)
    result = run_import(kb, args.format, args.paths, getattr(args, "var_file", []))
    if not result.files:
        from tui.kb.errors import DataError, Problem

        problems = [Problem(w.rsplit(":", 2)[0] if w.count(":") >= 2 else w, *_line_col(w), m) for w, m in result.warnings]
        problems += [Problem(f, 1, 1, why) for f, why in result.skipped]
        raise DataError(problems or [Problem(str(args.paths[0]), 1, 1, "nothing could be read here")])
    added: list[str] = []
    if args.output is not None:
        added = write_services(kb, args.output, result.service_ids(), args.name, result.conditional_ids())
    if args.json:
        print_json({**result.as_dict(), "project": str(args.output) if args.output else None, "added": added})
        return 0
    out = console()
    t = Table("service", "resources", title=f"{len(result.service_ids())} service(s) found in {len(result.files)} file(s)", title_justify="left")
    conditional = set(result.conditional_ids())
    for sid in result.service_ids():
        name = kb.services[sid].name if sid in kb.services else sid
        n = len(result.services.get(sid, ()))
        label = (str(n) if n else "via module") + ("  (conditional)" if sid in conditional else "")
        t.add_row(text(f"{sid}  {name}"), label)
    out.print(t)
    for label, rows in (("Not recognised (no service claims the type)", result.unknown), ("Custom resources", result.custom)):
        if rows:
            out.print(text(f"{label}: {len(rows)}", "bold"))
            for rtype, address in rows[:50]:
                out.print(text(f"  {rtype}  {address}"))
    for m in result.modules:
        implied = ", ".join(m["services"]) or "nothing obvious"
        out.print(text(f"Registry module '{m['name']}' ({m['source']}): implies {implied}"))
    if result.data_sources:
        types = sorted({t for t, _ in result.data_sources})
        out.print(text(f"Data sources (read, not created; no service counted for them): {len(result.data_sources)}: {', '.join(types[:20])}"))
    for n in result.nested:
        how = "followed" if n["followed"] else "not followed (not a local file)"
        out.print(text(f"Nested stack {n['address']} ({n['type']}): {n['template']}, {how}"))
    for f, why in result.skipped:
        out.print(text(f"Skipped {f}: {why}", "dim"))
    for where, message in result.warnings:
        out.print(text(f"Warning: {where}: {message}", "yellow"))
    if args.output is not None:
        verb = f"added {', '.join(added)}" if added else "no new services"
        out.print(text(f"{args.output}: {verb}"))
    else:
        out.print(text("Write a project with -o PROJECT.yaml, then: ownit checklist PROJECT.yaml", "dim"))
    return 0


def _line_col(where: str) -> tuple[int, int]:
    parts = where.rsplit(":", 2)
    try:
        return int(parts[1]), int(parts[2])
    except (IndexError, ValueError):
        return 1, 1


def write_services(kb: KnowledgeBase, path: Path, services: list[str], name: str | None,
                   conditional: list[str] | None = None) -> list[str]:
    """Create the project file, or add the services to an existing one without touching its items.

    Services created only under a condition the import could not resolve are marked in a
    comment on the project file's services (`conditional: ...`)."""
    from tui.checklist.store import ProjectFile

    if not path.exists():
        ProjectFile.create(path, name or path.stem, services, kb)
        added = services
    else:
        added = ProjectFile.open(path, kb).add_services(services)
    if conditional:
        _mark_conditional(path, conditional)
    return added


CONDITIONAL_NOTE = "# ownit import: conditional (created only when a condition holds that ownit could not resolve): "


def _mark_conditional(path: Path, conditional: list[str]) -> None:
    """A comment above `services:` names the conditional services (a comment, so the project
    file stays valid for every reader; a later import replaces it)."""
    from tui.checklist.atomic import atomic_write, hold_lock

    with hold_lock(path):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines = [ln for ln in lines if not ln.startswith(CONDITIONAL_NOTE)]
        for i, ln in enumerate(lines):
            if ln.startswith("services:"):
                lines.insert(i, CONDITIONAL_NOTE + ", ".join(conditional) + "\n")
                break
        atomic_write(path, "".join(lines).encode("utf-8"))
