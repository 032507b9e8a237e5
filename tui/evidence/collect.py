"""Read findings files whole, then fold them into per-item evidence and a report of the rest.

Nothing is decided until every file was read: a malformed file raises a
located `DataError` and the project is left alone. Duplicate results for
the same check, resource, account and Region (Security Hub's
standard-specific findings repeat a control once per standard; two exports
may overlap) count once: an active result beats an archived or suppressed
one, then a failure beats a pass.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.checklist.builder import Checklist
from tui.evidence import asff, config, ocsf, prowler_csv
from tui.evidence.detect import FORMATS, detect
from tui.evidence.mapper import Mapper
from tui.evidence.model import MAX_FAILING, Finding, ItemEvidence, Resource, iso
from tui.evidence.stream import open_text, records
from tui.kb.errors import DataError, Problem

WORSE = {"fail": 3, "manual": 2, "pass": 1, "na": 0}
MAX_STORED_RESOURCES = 4000  # failing resources kept in a project file across all items (keeps it small)


@dataclass
class FileReport:
    path: str
    format: str
    records: int = 0
    findings: int = 0  # control findings read
    skipped: Counter = field(default_factory=Counter)  # reason -> count (not control checks...)
    at: str = ""
    scanners: set = field(default_factory=set)

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.path, "format": self.format, "format_name": FORMATS[self.format], "records": self.records,
                "findings": self.findings, "skipped": dict(self.skipped.most_common()), "at": self.at,
                "scanners": sorted(self.scanners)}


@dataclass
class _Acc:
    counts: Counter = field(default_factory=Counter)
    at: str = ""
    files: set = field(default_factory=set)
    checks: set = field(default_factory=set)
    failing: list = field(default_factory=list)
    more: int = 0


@dataclass
class Collected:
    files: list[FileReport]
    evidence: dict[str, dict[str, ItemEvidence]]  # scanner -> item id -> evidence
    scans: dict[str, dict[str, Any]]  # scanner -> {file, at, findings, mapped, unmapped}
    unmapped: dict[tuple[str, str, str], Counter]  # (scanner, kind, check) -> result counts
    not_in_plan: dict[str, dict[str, Any]]  # service id -> {findings, fail, checks}
    off_checklist: dict[str, int]  # check -> findings (controls the checklist leaves out)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": [f.as_dict() for f in self.files],
            "scans": self.scans,
            "items": {s: {i: e.as_dict() for i, e in sorted(ev.items())} for s, ev in sorted(self.evidence.items())},
            "unmapped": [{"scanner": s, "kind": k, "check": c, **dict(n)} for (s, k, c), n in sorted(self.unmapped.items())],
            "not_in_plan": {s: {**v, "checks": sorted(v["checks"]), "scanners": sorted(v["scanners"])}
                            for s, v in sorted(self.not_in_plan.items())},
            "off_checklist": dict(sorted(self.off_checklist.items())),
        }


def _key(f: Finding) -> tuple[str, ...]:
    return (f.scanner, f.kind, f.check, f.resource, f.account, f.region)


def _better(new: Finding, old: Finding) -> bool:
    if (new.state == "") != (old.state == ""):
        return new.state == ""
    if WORSE[new.result] != WORSE[old.result]:
        return WORSE[new.result] > WORSE[old.result]
    return new.at > old.at


def _findings(path: Path, fmt: str, key: config.RuleKey, report: FileReport) -> Iterator[Finding]:
    name = str(path)
    with open_text(path) as fh:
        try:
            if fmt == "prowler-csv":
                source: Iterable[tuple[Any, int]] = prowler_csv.rows(fh, name)
                for got, _line in source:
                    report.records += 1
                    if isinstance(got, str):
                        report.skipped[got] += 1
                    else:
                        yield got
                return
            arrays = ("Findings", "ComplianceByConfigRules", "EvaluationResults", "ConfigRules")
            file_time = iso(dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc))
            for rec, line in records(fh, name, arrays):
                report.records += 1
                if fmt == "asff":
                    got = asff.finding(rec)
                elif fmt == "ocsf":
                    got = ocsf.finding(rec)
                elif fmt == "config-summary":
                    got = config.summary(rec, key, file_time)
                elif fmt == "config-details":
                    got = config.detail(rec, key)
                else:
                    why = key.add(rec)
                    if why:
                        report.skipped[why] += 1
                    continue
                if isinstance(got, str):
                    if report.records == 1 and fmt in ("asff", "ocsf") and "not an object" in got:
                        raise DataError([Problem(name, line, 1, f"expected a finding (an object) here: {got}")])
                    report.skipped[got] += 1
                else:
                    yield got
        except UnicodeDecodeError as exc:
            raise DataError([Problem(name, 1, 1, f"not valid UTF-8 (byte offset {exc.start} of a read block)")]) from None


def collect(paths: list[Path], cl: Checklist) -> Collected:
    """Read every file (all or nothing), then map each result to the checklist's items."""
    formats = [(p, detect(p)) for p in paths]
    key = config.RuleKey()
    reports: list[FileReport] = []
    # the rule key first: it renames the rules of the other Config files
    ordered = sorted(formats, key=lambda pf: pf[1] != "config-rules")
    best: dict[tuple[str, ...], tuple[Finding, str]] = {}
    for path, fmt in ordered:
        report = FileReport(path.name, fmt)
        reports.append(report)
        for f in _findings(path, fmt, key, report):
            report.findings += 1
            report.scanners.add(f.scanner)
            if f.at > report.at:
                report.at = f.at
            k = _key(f)
            old = best.get(k)
            if old is None or _better(f, old[0]):
                best[k] = (f, report.path)
        if not report.at:
            report.at = iso(dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc))
    return _fold(best, reports, Mapper(cl.kb, cl))


def _fold(best: dict[tuple[str, ...], tuple[Finding, str]], reports: list[FileReport], mapper: Mapper) -> Collected:
    accs: dict[str, dict[str, _Acc]] = defaultdict(lambda: defaultdict(_Acc))
    unmapped: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    not_in_plan: dict[str, dict[str, Any]] = {}
    off: Counter = Counter()
    scans: dict[str, dict[str, Any]] = {}
    stored = 0
    for f, fname in best.values():
        scan = scans.setdefault(f.scanner, {"files": set(), "at": "", "findings": 0, "mapped": 0, "unmapped": 0})
        scan["files"].add(fname)
        scan["findings"] += f.count
        if f.at > scan["at"]:
            scan["at"] = f.at
        outcome = f.state or f.result
        m = mapper.map(f.kind, f.check)
        if m.items:
            scan["mapped"] += f.count
            for item in m.items:
                acc = accs[f.scanner][item]
                acc.counts[outcome] += f.count
                acc.checks.add(f.check)
                acc.files.add(fname)
                if f.at > acc.at:
                    acc.at = f.at
                if outcome == "fail":
                    if len(acc.failing) < MAX_FAILING and stored < MAX_STORED_RESOURCES and f.resource:
                        acc.failing.append(Resource(f.resource, f.account, f.region))
                        stored += 1
                        acc.more += f.count - 1
                    else:
                        acc.more += f.count
            continue
        missing = m.missing or ((mapper.arn_service(f.resource),) if mapper.arn_service(f.resource) else ())
        if missing:
            for s in missing:
                entry = not_in_plan.setdefault(s, {"findings": 0, "fail": 0, "checks": set(), "scanners": set()})
                entry["scanners"].add(f.scanner)
                entry["findings"] += f.count
                entry["fail"] += f.count if outcome == "fail" else 0
                entry["checks"].add(f.check)
        if m.controls:
            if not missing:
                off[f.check] += f.count
        else:
            scan["unmapped"] += f.count
            unmapped[(f.scanner, f.kind, f.check)][outcome] += f.count
    evidence: dict[str, dict[str, ItemEvidence]] = {}
    for scanner, per_item in accs.items():
        evidence[scanner] = {
            item: ItemEvidence(scanner, dict(acc.counts), acc.at, ", ".join(sorted(acc.files)),
                               tuple(sorted(acc.checks)), tuple(sorted(acc.failing, key=lambda r: r.id)), acc.more)
            for item, acc in per_item.items()
        }
    for s in scans.values():
        s["files"] = ", ".join(sorted(s["files"]))
    return Collected(reports, evidence, scans, dict(unmapped), not_in_plan, dict(off))
