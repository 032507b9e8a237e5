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
    p.add_argument("--json", action="store_true")
    common(p)


def run_import(kb: KnowledgeBase, fmt: str, paths: list[Path]) -> ImportResult:
    if fmt == "cloudformation":
        from tui.iac.cloudformation import import_cloudformation

        return import_cloudformation(kb, paths)
    from tui.iac.terraform import import_terraform

    return import_terraform(kb, paths)


def cmd_import(args: argparse.Namespace) -> int:
    from tui.commands.kb_cli import kb_from

    kb = kb_from(args)
    result = run_import(kb, args.format, args.paths)
    added: list[str] = []
    if args.output is not None:
        added = write_services(kb, args.output, result.service_ids(), args.name)
    if args.json:
        print_json({**result.as_dict(), "project": str(args.output) if args.output else None, "added": added})
        return 0
    out = console()
    t = Table("service", "resources", title=f"{len(result.service_ids())} service(s) found in {len(result.files)} file(s)", title_justify="left")
    for sid in result.service_ids():
        name = kb.services[sid].name if sid in kb.services else sid
        n = len(result.services.get(sid, ()))
        t.add_row(text(f"{sid}  {name}"), str(n) if n else "via module")
    out.print(t)
    for label, rows in (("Not recognised (no service claims the type)", result.unknown), ("Custom resources", result.custom)):
        if rows:
            out.print(text(f"{label}: {len(rows)}", "bold"))
            for rtype, address in rows[:50]:
                out.print(text(f"  {rtype}  {address}"))
    for m in result.modules:
        implied = ", ".join(m["services"]) or "nothing obvious"
        out.print(text(f"Registry module '{m['name']}' ({m['source']}): implies {implied}"))
    for f, why in result.skipped:
        out.print(text(f"Skipped {f}: {why}", "dim"))
    if args.output is not None:
        verb = f"added {', '.join(added)}" if added else "no new services"
        out.print(text(f"{args.output}: {verb}"))
    else:
        out.print(text("Write a project with -o PROJECT.yaml, then: ownit checklist PROJECT.yaml", "dim"))
    return 0


def write_services(kb: KnowledgeBase, path: Path, services: list[str], name: str | None) -> list[str]:
    """Create the project file, or add the services to an existing one without touching its items."""
    from tui.checklist.store import ProjectFile

    if not path.exists():
        ProjectFile.create(path, name or path.stem, services, kb)
        return services
    project = ProjectFile.open(path, kb)
    return project.add_services(services)
