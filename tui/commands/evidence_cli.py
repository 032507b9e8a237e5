"""`ownit evidence PROJECT FILE...`: read scanner findings into the project, beside each item's status.

    $ ownit evidence payments.yaml findings.json prowler-output.ocsf.json
    read findings.json: Security Hub / Prowler JSON-ASFF, 812 records, 790 control findings (22 skipped: not a control check (GuardDuty))
    Security Hub CSPM: 48 items with evidence (scan 2026-11-28T09:12:00Z)
    CONTRADICTED  data.s3-bucket-block-public-access  marked done; 2 fail, 12 pass: arn:aws:s3:::media-uploads ...
    looks done    compute.ec2-imdsv2                    open; 14 pass
    in the account, not in the plan: dynamodb (3 findings, 1 failing: DynamoDB.2)
    unmapped (no control names these checks; an overlay can): Zzz.1 (1 fail) ...

Every file is read in full before anything is written; `--dry-run` writes
nothing at all; `--stale-after DAYS` records the project's `stale_after_days`. Exit 0, 1 for a malformed file (located), 2 for bad usage.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.kb.errors import UsageError

MAX_LISTED = 25


def add_parser(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("evidence", help="read Security Hub / Prowler / AWS Config findings into the project")
    p.add_argument("project", type=Path, metavar="PROJECT")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE",
                   help="findings files: Security Hub ASFF (get-findings), Prowler JSON-OCSF, JSON-ASFF or CSV, "
                        "AWS Config describe-compliance-by-config-rule / get-compliance-details-by-config-rule "
                        "(with describe-config-rules output as the rule key)")
    p.add_argument("--stale-after", type=int, metavar="DAYS",
                   help="record that this project's evidence is stale after DAYS days "
                        "(evidence.stale_after_days; default 30)")
    p.add_argument("--dry-run", action="store_true", help="report what the files show; write nothing")
    p.add_argument("--json", action="store_true", help="the report as JSON")
    common(p)


def cmd_evidence(args: argparse.Namespace) -> int:
    from tui.checklist.builder import build_checklist
    from tui.commands.project_cli import open_project
    from tui.evidence.collect import collect

    if args.stale_after is not None and not 1 <= args.stale_after <= 36500:
        raise UsageError(f"--stale-after {args.stale_after}: give a number of days from 1 to 36500")
    for f in args.files:
        if not f.is_file():
            raise UsageError(f"{f}: no such findings file")
        if f.resolve() == args.project.resolve():
            raise UsageError(f"{f} is the project file itself, not a findings file")
    kb, pf, cl = open_project(args)
    got = collect(list(args.files), cl)  # every file read in full (or a located DataError) before any write
    scans = {s: {**meta, "read": _today()} for s, meta in got.scans.items()}
    for s, meta in scans.items():
        missing = sorted(svc for svc, v in got.not_in_plan.items() if s in v["scanners"])
        if missing:
            meta["not_in_plan"] = ", ".join(missing)
    if not args.dry_run and got.scans:
        pf.set_evidence(got.evidence, scans, args.stale_after)
        cl = build_checklist(pf.project, kb)
    if args.json:
        from tui.commands.render import print_json

        report = got.as_dict()
        report["written"] = bool(not args.dry_run and got.scans)
        report["states"] = {i.id: {"status": i.status, "evidence": i.evidence_state, "stale": i.evidence_stale}
                            for i in cl.items if i.evidence}
        print_json(report)
        return 0
    _print(args, got, cl)
    return 0


def _today() -> str:
    from tui.checklist.states import today

    return today()


def _print(args: argparse.Namespace, got: Any, cl: Any) -> None:
    from rich.text import Text

    from tui.commands.render import console, text
    from tui.evidence.detect import FORMATS
    from tui.evidence.model import SCANNER_NAMES

    out = console()
    for f in got.files:
        skipped = sum(f.skipped.values())
        line = f"read {f.path}: {FORMATS[f.format]}, {f.records:,} records, {f.findings:,} results"
        if skipped:
            reasons = "; ".join(f"{n} {why}" for why, n in f.skipped.most_common(3))
            line += f" ({skipped:,} skipped: {reasons})"
        out.print(text(line))
    if not got.scans:
        out.print(text("no control results in these files: nothing recorded"))
        return
    for scanner, meta in sorted(got.scans.items()):
        n = len(got.evidence.get(scanner, {}))
        out.print(text(f"{SCANNER_NAMES.get(scanner, scanner)}: {meta['findings']:,} results, {meta['mapped']:,} on "
                       f"{n} checklist item(s), {meta['unmapped']:,} unmapped; latest {meta['at'] or 'time unknown'}"))
    out.print(text("nothing written (--dry-run)" if args.dry_run else f"recorded in {args.project} (statuses untouched)",
                   "dim"))
    shown = [i for i in cl.items if i.evidence_state in ("contradicted", "looks-done", "failing")]
    order = {"contradicted": 0, "failing": 1, "looks-done": 2}
    shown.sort(key=lambda i: (order[i.evidence_state], i.id))
    if args.dry_run:
        shown = []
    for it in shown[:MAX_LISTED]:
        word = {"contradicted": "CONTRADICTED", "failing": "failing", "looks-done": "looks done"}[it.evidence_state]
        counts = _counts(it.evidence)
        line = Text(f"{word:<13}", "bold red" if word == "CONTRADICTED" else ("yellow" if word == "failing" else "green"))
        line.append_text(text(f"{it.id}  {it.status}; {counts}"))
        first = next((r.failing[0] for r in it.evidence if r.failing), None)
        if first is not None:
            line.append_text(text(f": {first}", "dim"))
        out.print(line)
    if len(shown) > MAX_LISTED:
        out.print(text(f"... and {len(shown) - MAX_LISTED} more (ownit checklist {args.project} --evidence failing)", "dim"))
    if got.not_in_plan:
        parts = []
        for svc, v in sorted(got.not_in_plan.items()):
            checks = ", ".join(sorted(v["checks"])[:3])
            parts.append(f"{svc} ({v['findings']} result(s), {v['fail']} failing: {checks})")
        out.print(text("in the account, not in the plan: " + "; ".join(parts), "yellow"))
    if got.off_checklist:
        out.print(text("for controls this checklist leaves out: " + ", ".join(sorted(got.off_checklist)[:10])
                       + (" ..." if len(got.off_checklist) > 10 else ""), "dim"))
    if got.unmapped:
        items = sorted(got.unmapped.items(), key=lambda kv: (-kv[1].get("fail", 0), kv[0][2]))
        parts = [f"{c} ({', '.join(f'{n} {k}' for k, n in sorted(cnt.items()))})" for (_s, _k, c), cnt in items[:MAX_LISTED]]
        more = f" ... and {len(items) - MAX_LISTED} more (--json lists them all)" if len(items) > MAX_LISTED else ""
        out.print(text(f"unmapped ({len(items)} check(s) no control names; an overlay can add them): "
                       + "; ".join(parts) + more, "dim"))


def _counts(records: Any) -> str:
    total: dict[str, int] = {}
    for r in records:
        for k, v in r.counts.items():
            total[k] = total.get(k, 0) + v
    return ", ".join(f"{v} {k}" for k, v in total.items() if v) or "no result"


def evidence_cell(it: Any) -> str:
    """The evidence column of `checklist` and the exports: 'CONTRADICTED 2 fail, 12 pass (stale)'."""
    from tui.evidence.model import describe

    return describe(it.evidence_state, it.evidence_stale, it.evidence)
