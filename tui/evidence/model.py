"""Evidence as a project file stores it, and what it says about an item (a leaf module).

In the project file, beside `items` (the team's decisions), `ownit evidence`
writes one compact record per item and scanner:

    evidence:
      stale_after_days: 30                     # optional (default 30)
      scans:
        securityhub: {file: findings.json, at: "2026-11-28T09:12:00Z", findings: 812, unmapped: 40}
      items:
        data.s3-bucket-block-public-access:
          securityhub:
            counts: {pass: 12, fail: 2}
            at: "2026-11-28T09:12:00Z"
            file: findings.json
            checks: [S3.8]
            failing:
            - {id: "arn:aws:s3:::media-uploads", account: "123456789012", region: us-east-1}

The status stays the team's; evidence only says what the account showed.
An item marked done whose evidence fails is *contradicted*; an open item
whose evidence passes everywhere *looks done*; evidence older than the
project's `stale_after_days` is *stale*.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

SCANNERS = ("securityhub", "prowler", "config")
SCANNER_NAMES = {"securityhub": "Security Hub CSPM", "prowler": "Prowler", "config": "AWS Config"}
COUNT_KEYS = ("pass", "fail", "na", "manual", "suppressed", "archived")
RESULTS = ("pass", "fail", "na", "manual")
MAX_FAILING = 20  # failing resources kept per item and scanner
DEFAULT_STALE_DAYS = 30
# what the evidence says about an item (`--evidence` filters on these)
STATES = ("failing", "passing", "none", "contradicted", "looks-done", "stale", "no-result")
STATE_WORD = {
    "contradicted": "CONTRADICTED",
    "looks-done": "looks done",
    "failing": "failing",
    "passing": "passing",
    "no-result": "no result",
    "": "",
}


class Finding(NamedTuple):
    """One scanner result, normalised: what was checked, on what, and the outcome."""

    scanner: str  # securityhub | prowler | config
    kind: str  # the check id's namespace: fsbp | prowler | config | other
    check: str  # S3.8 | s3_bucket_level_public_access_block | S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED
    result: str  # pass | fail | na | manual
    resource: str = ""  # an ARN where the scanner gives one, else "TYPE ID"
    account: str = ""
    region: str = ""
    at: str = ""  # ISO 8601 time of the evaluation
    state: str = ""  # "" (active) | suppressed | archived
    count: int = 1  # a rule-level summary counts several resources at once
    title: str = ""


@dataclass(frozen=True)
class Resource:
    id: str
    account: str = ""
    region: str = ""

    def as_dict(self) -> dict[str, str]:
        out = {"id": self.id}
        if self.account:
            out["account"] = self.account
        if self.region:
            out["region"] = self.region
        return out

    def __str__(self) -> str:
        where = " ".join(x for x in (self.account, self.region) if x and x not in self.id)
        return f"{self.id} ({where})" if where else self.id


@dataclass(frozen=True)
class ItemEvidence:
    """What one scanner showed for one item: counts, a few failing resources, when and from which file."""

    scanner: str
    counts: Mapping[str, int]
    at: str = ""  # ISO 8601 time of the latest evaluation
    file: str = ""
    checks: tuple[str, ...] = ()
    failing: tuple[Resource, ...] = ()
    more: int = 0  # failing resources not listed

    @property
    def passed(self) -> int:
        return self.counts.get("pass", 0)

    @property
    def failed(self) -> int:
        return self.counts.get("fail", 0)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"counts": {k: self.counts[k] for k in COUNT_KEYS if self.counts.get(k)}}
        if self.at:
            out["at"] = self.at
        if self.file:
            out["file"] = self.file
        if self.checks:
            out["checks"] = list(self.checks)
        if self.failing:
            out["failing"] = [r.as_dict() for r in self.failing]
        if self.more:
            out["more"] = self.more
        return out

    def summary(self) -> str:
        parts = [f"{self.counts[k]} {k}" for k in COUNT_KEYS if self.counts.get(k)]
        return f"{SCANNER_NAMES.get(self.scanner, self.scanner)}: " + (", ".join(parts) or "no result")


@dataclass(frozen=True)
class EvidenceSettings:
    stale_after_days: int = DEFAULT_STALE_DAYS


def parse_time(value: str) -> dt.datetime | None:
    """An ISO 8601 time (a trailing Z, a space for T, fractions all accepted) as aware UTC, else None."""
    text = value.strip()
    if not text:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            when = dt.datetime.combine(dt.date.fromisoformat(text[:10]), dt.time())
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc)


def iso(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def is_stale(records: Iterable[ItemEvidence], max_age_days: int, now: dt.datetime | None = None) -> bool:
    """True when every record is older than `max_age_days` (or has no time at all)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    limit = now - dt.timedelta(days=max_age_days)
    times = [parse_time(r.at) for r in records]
    return bool(times) and all(t is None or t < limit for t in times)


def verdict(records: Iterable[ItemEvidence]) -> str:
    """failing (any scanner shows a failing resource), passing (some pass, none fail), no-result, or ''."""
    recs = list(records)
    if not recs:
        return ""
    if any(r.failed for r in recs):
        return "failing"
    if any(r.passed for r in recs):
        return "passing"
    return "no-result"


def item_state(status: str, records: Iterable[ItemEvidence]) -> str:
    """The evidence read against the team's status: contradicted, looks-done, failing, passing, no-result, ''."""
    v = verdict(records)
    if v == "failing" and status == "done":
        return "contradicted"
    if v == "passing" and status in ("open", "in-progress"):
        return "looks-done"
    return v


def matches(state: str, stale: bool, wanted: Iterable[str]) -> bool:
    """Does an item's evidence state pass an `--evidence` filter value?"""
    for w in wanted:
        if w == "none" and not state:
            return True
        if w == "stale" and stale:
            return True
        if w == state:
            return True
        if w == "failing" and state == "contradicted":
            return True
        if w == "passing" and state == "looks-done":
            return True
    return False


# -- reading the stored block (lenient: a bad entry is a message, never a crash) ----------------
def parse_record(scanner: str, raw: Any) -> ItemEvidence | str:
    """One stored record, or why it cannot be read."""
    if not isinstance(raw, Mapping):
        return "must be a mapping with 'counts'"
    counts_raw = raw.get("counts")
    if not isinstance(counts_raw, Mapping):
        return "needs 'counts', e.g. {pass: 3, fail: 1}"
    counts: dict[str, int] = {}
    for k, v in counts_raw.items():
        if k not in COUNT_KEYS:
            return f"unknown count '{k}' (counts are: {', '.join(COUNT_KEYS)})"
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            return f"count '{k}' must be a whole number"
        counts[str(k)] = v
    at = raw.get("at", "")
    at_text = iso(at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)) if isinstance(at, dt.datetime) else str(at or "")
    failing: list[Resource] = []
    for r in raw.get("failing") or ():
        if isinstance(r, Mapping) and r.get("id"):
            failing.append(Resource(str(r["id"]), str(r.get("account", "") or ""), str(r.get("region", "") or "")))
        elif isinstance(r, str):
            failing.append(Resource(r))
    checks = raw.get("checks") or ()
    if isinstance(checks, str):
        checks = (checks,)
    more = raw.get("more", 0)
    return ItemEvidence(scanner=scanner, counts=counts, at=at_text, file=str(raw.get("file", "") or ""),
                        checks=tuple(str(c) for c in checks), failing=tuple(failing),
                        more=more if isinstance(more, int) and not isinstance(more, bool) else 0)


def totals(records: Iterable[ItemEvidence]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in records:
        for k in COUNT_KEYS:
            if r.counts.get(k):
                out[k] = out.get(k, 0) + r.counts[k]
    return out


def describe(state: str, stale: bool, records: Iterable[ItemEvidence]) -> str:
    """One line for a column or a cell: 'CONTRADICTED: 3 fail, 2 pass (stale)'; '' without evidence."""
    recs = list(records)
    if not recs:
        return ""
    counts = ", ".join(f"{n} {k}" for k, n in totals(recs).items()) or "no result"
    return f"{STATE_WORD.get(state, state)}: {counts}" + (" (stale)" if stale else "")


def export_record(state: str, stale: bool, records: Iterable[ItemEvidence]) -> dict[str, Any]:
    """What exports carry for an item's evidence (JSON, OSCAL): its state and each scanner's record."""
    return {"state": state, "stale": stale,
            "records": [{"scanner": r.scanner, **r.as_dict()} for r in records]}
