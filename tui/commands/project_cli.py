"""`ownit init | checklist | export | review | set`: project files from the command line.

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

from tui.checklist.builder import GROUPINGS, Checklist, Item, build_checklist
from tui.checklist.filters import Filters, parse_values
from tui.checklist.states import STATUSES, Baseline, current_user, today
from tui.checklist.store import ProjectFile
from tui.commands.checklist_text import print_checklist
from tui.commands.render import console, text
from tui.kb.errors import UsageError, did_you_mean
from tui.kb.knowledge import KnowledgeBase

EXIT_ITEMS_REMAIN = 3
FORMAT_NAMES = ("md", "csv", "json", "html", "oscal", "oscal-ar")
FAIL_ON = (*STATUSES, "unconfirmed", "failing", "contradicted")  # the last two read scanner evidence
FILTER_NAMES = ("scope", "severity", "phase", "service", "layer", "status")


def add_filters(p: argparse.ArgumentParser) -> None:
    """The filters `checklist`, `review` and `export` share (comma-separated values, repeatable)."""
    g = p.add_argument_group("filters (comma-separated values; repeatable)")
    g.add_argument("--scope", action="append", default=[], metavar="S", help="workload, baseline")
    g.add_argument("--severity", action="append", default=[], metavar="P",
                   help="critical, high, medium, low, informational (the design-review priority)")
    g.add_argument("--phase", action="append", default=[], metavar="P", help="plan, build, operate")
    g.add_argument("--service", action="append", default=[], metavar="ID", help="items that concern these services")
    g.add_argument("--layer", action="append", default=[], metavar="L", help="layer ids")
    g.add_argument("--status", action="append", default=[], metavar="S", help=", ".join(STATUSES))
    g.add_argument("--evidence", action="append", default=[], metavar="E",
                   help="scanner evidence (ownit evidence): failing, passing, none, contradicted (done but failing), "
                        "looks-done (open but passing), stale, no-result")
    g.add_argument("--top", type=int, default=0, metavar="N", help="the first N top-level items of each scope by rank")


def filters_from(args: argparse.Namespace, kb: KnowledgeBase, open_only: bool = False) -> Filters:
    services = frozenset(_service_ids(kb, parse_values("service", args.service, known=None)))
    if args.top < 0:
        raise UsageError("--top takes a positive number of items")
    return Filters(
        scope=parse_values("scope", args.scope), severity=parse_values("severity", args.severity),
        phase=parse_values("phase", args.phase), service=services, layer=parse_values("layer", args.layer),
        status=parse_values("status", args.status), open_only=open_only, top=args.top,
        evidence=parse_values("evidence", getattr(args, "evidence", [])),
    )


def _service_ids(kb: KnowledgeBase, names: frozenset[str]) -> list[str]:
    out = []
    for name in names:
        sid = kb.service_id(name)
        if sid is None:
            raise UsageError(f"--service: unknown service '{name}'{did_you_mean(name.lower(), kb.services)}")
        out.append(sid)
    return out


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("init", help="create a project file")
    p.add_argument("project", type=Path, metavar="PROJECT")
    p.add_argument("--services", required=True, metavar="A,B", help="service ids or aliases, comma-separated")
    p.add_argument("--name", help="the project's name (default: the file's stem)")
    p.add_argument("--baseline-from", metavar="PLATFORM", help="the account baseline is inherited from this platform")
    p.add_argument("--existing-estate", action="store_true", help="the project runs legacy features (their items apply)")
    common(p)

    p = sub.add_parser("checklist", help="the project's checklist and progress, in rank order")
    p.add_argument("project", type=Path, metavar="PROJECT")
    p.add_argument("--json", action="store_true", help="the JSON export's shape (data/schema/export.schema.json)")
    p.add_argument("--group", choices=GROUPINGS, default="rank", help="rank (default), layer or domain")
    p.add_argument("--open", action="store_true", help="only items not resolved yet")
    p.add_argument("--fail-on", choices=FAIL_ON, action="append", default=[], metavar="STATUS",
                   help=f"exit {EXIT_ITEMS_REMAIN} while items of this status remain among the filtered ones "
                        "(repeatable; 'unconfirmed': items on by default not yet confirmed; 'failing': scanner "
                        "evidence shows a failing resource; 'contradicted': marked done but failing)")
    add_filters(p)
    common(p)

    p = sub.add_parser("export", help="the checklist as md, csv, json, html, oscal or oscal-ar (assessment results)")
    p.add_argument("project", type=Path, metavar="PROJECT")
    p.add_argument("--format", "-f", required=True, choices=FORMAT_NAMES)
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here (atomically) instead of stdout")
    add_filters(p)
    common(p)

    p = sub.add_parser("review", help="walk the open items in rank order (a planning meeting)")
    p.add_argument("project", type=Path, metavar="PROJECT")
    p.add_argument("--by", help="who is recording the decisions (default: your login name)")
    add_filters(p)
    common(p)

    p = sub.add_parser("set", help="set items' status, note, team, due date or ticket; or the project's baseline")
    p.add_argument("project", type=Path, metavar="PROJECT")
    p.add_argument("ids", nargs="*", metavar="ID", help="control ids (comma-separated or several)")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--note")
    p.add_argument("--team", help="the team that owns the item")
    p.add_argument("--due", metavar="YYYY-MM-DD")
    p.add_argument("--ticket", metavar="URL|KEY")
    p.add_argument("--by", help="who decides (default: your login name)")
    p.add_argument("--baseline-from", metavar="PLATFORM", help="the account baseline is inherited from this platform")
    p.add_argument("--ref", metavar="URL|KEY", help="with --baseline-from: where the platform documents its baseline")
    p.add_argument("--own-baseline", action="store_true", help="the project owns its account baseline (the default)")
    p.add_argument("--existing-estate", choices=("yes", "no"), help="the project runs legacy features (their items apply)")
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
    if args.baseline_from:
        pf.set_baseline(Baseline(args.baseline_from.strip(), current_user(), today()))
    if args.existing_estate:
        pf.set_existing_estate(True)
    cl = build_checklist(pf.project, kb)
    work = cl.top_level(cl.scope_items("workload"))
    base = cl.top_level(cl.scope_items("baseline"))
    console().print(text(
        f"created {args.project}: {len(services)} service(s); workload {len(work)} item(s), account baseline "
        f"{len(base)}{' (inherited)' if cl.baseline_inherited else ''}, {len(cl.inherited)} inherited from AWS. "
        f"Next: ownit checklist {args.project} --top 25"
    ))
    for note in cl.use.notes if cl.use else ():
        console(stderr=True).print(text(f"ownit: note: {note}"))
    for sid in services:
        why = kb.services[sid].own_controls_note
        if why:  # say so: few items for a service is coverage by account-wide controls, not a gap nobody saw
            console(stderr=True).print(text(f"ownit: note: {sid} has few controls of its own: {why}"))
    return 0


# -- checklist --------------------------------------------------------------------
def cmd_checklist(args: argparse.Namespace) -> int:
    kb, pf, cl = open_project(args)
    filters = filters_from(args, kb, open_only=args.open)
    if args.json:
        from tui.checklist.exports import export

        sys.stdout.write(export(cl, "json", items=selected(cl, filters)))
    else:
        print_checklist(cl, filters, args.group)
    return _gate(args, cl, filters)


def selected(cl: Checklist, filters: Filters) -> list[Item]:
    """What the filters keep: the items, and the kept-out-of-scope ones that pass too."""
    return filters.apply(cl) + [i for i in cl.extra if filters.keep(i)]


def _gate(args: argparse.Namespace, cl: Checklist, filters: Filters) -> int:
    """Exit 3 while filtered items of a --fail-on status remain (the team's own items, not an inherited baseline)."""
    if not args.fail_on:
        return 0
    chosen = cl.gated(filters.apply(cl)) + [i for i in cl.extra if filters.keep(i)]
    counts = {}
    for status in args.fail_on:
        if status == "unconfirmed":
            counts[status] = sum(1 for i in chosen if i.confirm and i.pending)
        elif status in ("failing", "contradicted"):  # scanner evidence, whatever the status
            wanted = ("failing", "contradicted") if status == "failing" else ("contradicted",)
            counts[status] = sum(1 for i in chosen if i.evidence_state in wanted)
        else:  # items on by default that are still open are "to confirm", not open work
            counts[status] = sum(1 for i in chosen if i.status == status and not (i.confirm and i.pending))
    if not any(counts.values()):
        return 0
    what = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    console(stderr=True).print(text(f"ownit: {what} item(s) remain in {args.project}"))
    return EXIT_ITEMS_REMAIN


# -- export -----------------------------------------------------------------------
def cmd_export(args: argparse.Namespace) -> int:
    from tui.checklist.atomic import atomic_write
    from tui.checklist.exports import export

    kb, _, cl = open_project(args)
    filters = filters_from(args, kb)
    items = selected(cl, filters) if filters.active else None
    body = export(cl, args.format, items=items)
    if args.output is None:
        sys.stdout.write(body)
        return 0
    if args.output.resolve() == args.project.resolve():
        raise UsageError("refusing to export over the project file itself")
    try:
        atomic_write(args.output, body.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    count = len(items if items is not None else cl.items)
    console(stderr=True).print(text(f"wrote {args.output} ({args.format}, {count} items)"))
    return 0


# -- review -----------------------------------------------------------------------
def cmd_review(args: argparse.Namespace) -> int:
    from tui.commands.review import review

    kb, pf, _ = open_project(args)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    return review(pf, interactive=interactive, ask=input, by=args.by, filters=filters_from(args, kb))


# -- set --------------------------------------------------------------------------
def cmd_set(args: argparse.Namespace) -> int:
    kb, pf, cl = open_project(args)
    ids = [x.strip() for raw in args.ids for x in raw.split(",") if x.strip()]
    changes = {k: getattr(args, k) for k in ("status", "note", "team", "due", "ticket") if getattr(args, k) is not None}
    project_level = args.baseline_from or args.own_baseline or args.existing_estate
    if not ids and not project_level:
        raise UsageError("name the item ids to change (with --status, --note, --team, --due or --ticket), "
                         "or --baseline-from PLATFORM, --own-baseline, --existing-estate yes|no")
    if ids and not changes:
        raise UsageError("nothing to set: give --status, --note, --team, --due or --ticket ('' clears a field)")
    if args.ref and not args.baseline_from:
        raise UsageError("--ref goes with --baseline-from PLATFORM")
    if args.baseline_from and args.own_baseline:
        raise UsageError("choose --baseline-from PLATFORM or --own-baseline, not both")
    known = {i.id for i in (*cl.items, *cl.extra)}
    for cid in ids:
        if cid not in known:
            raise UsageError(f"'{cid}' is not an item of {args.project}{did_you_mean(cid, known)}")
    who = args.by or current_user()
    out = console()
    if args.baseline_from:
        pf.set_baseline(Baseline(args.baseline_from.strip(), who, today(), (args.ref or "").strip()))
        out.print(text(f"{args.project}: account baseline inherited from {args.baseline_from.strip()}"))
    elif args.own_baseline:
        pf.set_baseline(Baseline())
        out.print(text(f"{args.project}: the project owns its account baseline"))
    if args.existing_estate:
        pf.set_existing_estate(args.existing_estate == "yes")
        out.print(text(f"{args.project}: existing estate {args.existing_estate} (legacy items "
                       f"{'included' if args.existing_estate == 'yes' else 'left out'})"))
    if "status" in changes:
        changes.update(by=who, at=today())
    for cid in ids:
        state = pf.set_item(cid, **changes)
        shown = ", ".join(f"{k} {v}" for k, v in state.as_dict().items() if k in changes)
        out.print(text(f"{cid}: {shown or 'cleared'}" + (" (merged with changes made on disk)" if pf.merged else "")))
    return 0
