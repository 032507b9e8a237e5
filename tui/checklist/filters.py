"""Checklist filters shared by `checklist`, `review`, `export` and the app's Checklist screen.

Each filter takes a set of accepted values (empty = any); a value list on the
command line is comma-separated (`--severity critical,high`). `severity`
matches the design-review priority (the severity unless the knowledge base
overrides it, with why). `top` keeps the first N top-level items of each scope
in rank order, with their sub-checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tui.checklist.builder import SCOPES, Checklist, Item
from tui.checklist.states import RESOLVED, STATUSES
from tui.kb.errors import UsageError, did_you_mean
from tui.kb.model import LAYER_IDS, OWNERS, PHASES, SEVERITIES

CHOICES: dict[str, tuple[str, ...]] = {
    "scope": SCOPES,
    "severity": SEVERITIES,
    "phase": PHASES,
    "layer": LAYER_IDS,
    "status": STATUSES,
    "owner": OWNERS,
    "evidence": ("failing", "passing", "none", "contradicted", "looks-done", "stale", "no-result"),
}


@dataclass(frozen=True)
class Filters:
    scope: frozenset[str] = frozenset()
    severity: frozenset[str] = frozenset()
    phase: frozenset[str] = frozenset()
    service: frozenset[str] = frozenset()
    layer: frozenset[str] = frozenset()
    status: frozenset[str] = frozenset()
    owner: frozenset[str] = frozenset()
    evidence: frozenset[str] = frozenset()  # failing, passing, none, contradicted, looks-done, stale, no-result
    open_only: bool = False
    top: int = 0

    @property
    def active(self) -> bool:
        return self != Filters()

    def keep(self, it: Item) -> bool:
        if self.open_only and it.status in RESOLVED:
            return False
        checks = (
            (self.scope, it.scope), (self.severity, it.level), (self.phase, it.phase), (self.layer, it.layer),
            (self.status, it.status), (self.owner, it.owner),
        )
        if any(wanted and value not in wanted for wanted, value in checks):
            return False
        if self.evidence:
            from tui.evidence.model import matches

            if not matches(it.evidence_state, it.evidence_stale, self.evidence):
                return False
        return not self.service or any(s in self.service for s in it.used_by)

    def apply(self, cl: Checklist, items: Iterable[Item] | None = None) -> list[Item]:
        """The items that pass every filter, in the checklist's order, cut to the top N per scope."""
        kept = [i for i in (cl.items if items is None else items) if self.keep(i)]
        if not self.top:
            return kept
        heads: dict[str, int] = {}
        kept_ids = {i.id for i in kept}
        out = []
        for it in kept:
            if not it.parent or it.parent not in kept_ids:
                heads[it.scope] = heads.get(it.scope, 0) + 1
            if heads.get(it.scope, 0) <= self.top:
                out.append(it)
        return out


def parse_values(name: str, values: Iterable[str], known: Iterable[str] | None = None) -> frozenset[str]:
    """Comma-separated values for one filter, each checked (a UsageError suggests the right one)."""
    allowed = tuple(known) if known is not None else CHOICES.get(name)
    out = set()
    for raw in values:
        for v in (x.strip() for x in raw.split(",")):
            if not v:
                continue
            if allowed is not None and v not in allowed:
                raise UsageError(f"--{name} '{v}' is not one of: {', '.join(allowed)}{did_you_mean(v, allowed)}")
            out.add(v)
    return frozenset(out)
