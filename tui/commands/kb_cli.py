"""`ownit validate | stats | show | search | matrix | compare`."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from rich.table import Table
from rich.text import Text

from tui.commands.render import OWNER_WORD, console, owner_text, print_json, text
from tui.kb import load_kb
from tui.kb.compare import compare
from tui.kb.crossref import coverage_problems
from tui.kb.errors import DataError
from tui.kb.knowledge import KnowledgeBase
from tui.kb.model import LAYER_IDS
from tui.kb.serialize import record_dict
from tui.kb.stats import kb_stats
from tui.kb.text import inert


def kb_from(args: argparse.Namespace, extra: list[Path] | None = None, cache: bool = True) -> KnowledgeBase:
    return load_kb([*args.data, *(extra or [])], include_user=not args.no_user_data, use_cache=cache)


# -- validate -------------------------------------------------------------------
def cmd_validate(args: argparse.Namespace) -> int:
    from tui.checklist.project import is_project_file, validate_project_file

    projects = [p for p in args.paths if p.is_file() and is_project_file(p)]
    overlays = [p for p in args.paths if p not in projects]
    for p in overlays:
        if not p.exists():
            raise DataError([_missing(p)])
    kb = kb_from(args, overlays, cache=False)
    problems = [] if overlays or args.data else coverage_problems(kb)
    for p in projects:
        problems += validate_project_file(p, kb)
    if problems:
        raise DataError(problems)
    out = console()
    if args.stale is not None:
        return _stale_report(kb, args.stale, overlays)
    what = f"{len(kb.files)} knowledge-base file(s)" + (f", {len(projects)} project file(s)" if projects else "")
    out.print(text(f"ok: {what}; {len(kb.services)} services, {len(kb.controls)} controls, {len(kb.tools)} tools"))
    return 0


def _today() -> dt.date:
    return dt.date.today()


def stale_records(kb: KnowledgeBase, days: int, under: list[Path] | None = None) -> list[tuple[object, int]]:
    """Records (services, controls, tools, layers, frameworks) whose `checked` date is more
    than DAYS days old, oldest first, each with its age in days. With UNDER, only records
    defined in those files or directories."""
    today = _today()
    roots = [p.resolve() for p in under or ()]

    def inside(record: object) -> bool:
        origin = getattr(record, "origin", None)
        if not roots:
            return True
        if origin is None:
            return False
        path = Path(origin.path).resolve()
        return any(path == r or r in path.parents for r in roots)

    found = []
    for records in (kb.layers, kb.services, kb.controls, kb.tools, kb.frameworks):
        for r in records.values():
            age = (today - r.checked).days
            if age > days and inside(r):
                found.append((r, age))
    found.sort(key=lambda x: (x[0].checked, str(x[0].origin or ""), x[0].id))
    return found


def _stale_report(kb: KnowledgeBase, days: int, under: list[Path]) -> int:
    found = stale_records(kb, days, under)
    out = console()
    for r, age in found:
        where = str(r.origin) if r.origin else "?"
        out.print(text(f"{where}: {r.id} checked {r.checked.isoformat()} ({age} day{'s' if age != 1 else ''} ago)"), soft_wrap=True)
    out.print(text(f"{len(found)} record(s) not checked within {days} day(s)"), style="dim")
    return 0


def _missing(p: Path):  # type: ignore[no-untyped-def]
    from tui.kb.errors import Problem

    return Problem(str(p), 0, 0, "no such file or directory")


# -- stats ----------------------------------------------------------------------
def cmd_stats(args: argparse.Namespace) -> int:
    data = kb_stats(kb_from(args))
    if args.json:
        print_json(data)
        return 0
    out = console()
    c = data["counts"]
    out.print(text(f"knowledge base {data['version']}: " + ", ".join(f"{v} {k}" for k, v in c.items()), "bold"))
    t = Table("owner", "controls", title="Controls by owner", title_justify="left")
    for owner, n in sorted(data["controls_by_owner"].items()):
        t.add_row(owner_text(owner), str(n))
    out.print(t)
    t = Table("layer", "controls", "aws", "shared", "customer", title="Layers (owner counts across services)", title_justify="left")
    for layer in reversed(LAYER_IDS):
        o = data["layer_owners_across_services"][layer]
        t.add_row(layer, str(data["controls_by_layer"][layer]), *(str(o.get(k, 0)) for k in ("aws", "shared", "customer")))
    out.print(t)
    t = Table("framework", "mapped", "excused", "total", "coverage", title="Framework coverage", title_justify="left")
    for fid, cov in data["framework_coverage"].items():
        t.add_row(text(f"{fid}  {cov['name']} {cov['version']}"), str(cov["mapped"]), str(cov["excused"]), str(cov["total"]), f"{cov['percent']}%")
    out.print(t)
    return 0


# -- show -----------------------------------------------------------------------
def cmd_show(args: argparse.Namespace) -> int:
    kb = kb_from(args)
    kind, record = kb.resolve(args.id, args.kind)
    if args.json:
        data = record_dict(kind, record)
        if kind == "service":
            data["controls"] = [c.id for c in kb.controls_for_service(record.id)]
        if kind == "tool":
            data["controls"] = [c.id for c in kb.controls_for_tool(record.id)]
        if kind == "layer":
            data["controls"] = [c.id for c in kb.controls_on_layer(record.id)]
        print_json(data)
        return 0
    from rich.markdown import Markdown

    from tui.kb.markdown import record_markdown

    console().print(Markdown(record_markdown(kb, kind, record)))
    return 0


# -- search ---------------------------------------------------------------------
def cmd_search(args: argparse.Namespace) -> int:
    from tui.kb.search import SearchIndex

    kb = kb_from(args)
    words = list(args.query)
    for key in ("owner", "service", "layer", "domain", "phase", "severity", "kind"):
        words += [f"{key}:{v}" for v in getattr(args, key)]
    hits = SearchIndex(kb).search(" ".join(words), limit=args.limit or None)
    if args.json:
        print_json([
            {**record_dict(h.kind, h.record), "score": round(h.score, 3), "spans": {"title": [list(s) for s in h.spans]}}
            for h in hits
        ])
        return 0
    out = console()
    t = Table("id", "owner", "layer", "title", title=f"{len(hits)} result(s)", title_justify="left")
    for h in hits:
        title, pos = Text(), 0  # spans index the raw title: make each piece inert on its own
        for a, b in h.spans:
            title.append(inert(h.title[pos:a])).append(inert(h.title[a:b]), "bold underline")
            pos = b
        title.append(inert(h.title[pos:]))
        owner = getattr(h.record, "owner", None)
        t.add_row(text(h.id), owner_text(owner) if isinstance(owner, str) else Text(h.kind), text(getattr(h.record, "layer", "")), title)
    out.print(t)
    return 0


# -- matrix ---------------------------------------------------------------------
def cmd_matrix(args: argparse.Namespace) -> int:
    kb = kb_from(args)
    services = [kb.service(s) for s in args.services]
    if args.json:
        print_json([{"layer": layer, **{s.id: s.owner(layer) for s in services}} for layer in reversed(LAYER_IDS)])
        return 0
    t = Table("layer", title="Who owns each layer (top of the stack first)", title_justify="left")
    for s in services:
        t.add_column(text(s.short))
    for layer in reversed(LAYER_IDS):
        t.add_row(layer, *(owner_text(s.owner(layer)) for s in services))
    out = console()
    out.print(t)
    out.print(text("AWS = AWS owns it · CUSTOMER = you own it · SHARED = both, each their own half (see `ownit show SERVICE`)", "dim"))
    return 0


# -- compare --------------------------------------------------------------------
def cmd_compare(args: argparse.Namespace) -> int:
    kb = kb_from(args)
    cmp = compare(kb, args.a, args.b)
    if args.json:
        print_json({
            "a": cmp.a.id,
            "b": cmp.b.id,
            "layers": [{"layer": layer, "a": x, "b": y, "changed": x != y} for layer, x, y in reversed(cmp.rows)],
            "aws_takes_over": list(cmp.aws_takes_over),
            "customer_takes_over": list(cmp.customer_takes_over),
            "controls_only_a": [c.id for c in cmp.only_a],
            "controls_only_b": [c.id for c in cmp.only_b],
            "summary": cmp.sentence(),
        })
        return 0
    out = console()
    t = Table("layer", title=text(f"{cmp.a.name} -> {cmp.b.name}"), title_justify="left")
    for header in (text(cmp.a.short), text(cmp.b.short), text("")):
        t.add_column(header)
    for layer, x, y in reversed(cmp.rows):
        mark = Text("changed", style="bold yellow") if x != y else Text("")
        t.add_row(layer, owner_text(x), owner_text(y), mark)
    out.print(t)
    out.print(text(cmp.sentence()))
    for label, controls in ((f"Only for {cmp.a.short}", cmp.only_a), (f"Only for {cmp.b.short}", cmp.only_b)):
        if controls:
            out.print(text(f"{label} ({len(controls)} controls):", "bold"))
            for c in controls:
                out.print(text(f"  {c.id}  {OWNER_WORD[c.owner]}  {c.title}"))
    return 0
