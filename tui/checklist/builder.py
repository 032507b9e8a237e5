"""Turn a project (its services and recorded states) into the checklist a design review runs from.

The checklist is every customer and shared control that applies to the
project (see `scope`: variants, implied services, baseline services, any/all
applicability, legacy), plus the account-wide ones; aws-owned controls are not
items to tick but are listed as inherited from AWS, with the AWS Artifact
reports that evidence them. Items are split into the **workload** (the
project's own design) and the **baseline** (the account or landing zone,
possibly inherited from a platform team), and ranked within each (see
`rank`): clusters of near-duplicates sit under one parent item, items on by
default come last as "confirm it was not turned off".

A sub-check the file does not record takes its parent's decision: marking
"Keep S3 data private" done marks its open sub-checks done with it, unless a
sub-check was decided on its own. Items the file records that are not in
scope (a control renamed or removed in a newer knowledge base, or one for a
service the project no longer lists) are kept and shown apart, flagged,
never dropped. Every face (CLI, exports, app) reads the same `Checklist`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from tui.checklist.rank import Score, order_key, score
from tui.checklist.scope import Usage, applies, usage
from tui.checklist.states import RESOLVED, STATUSES, ItemState, Project
from tui.kb.knowledge import KnowledgeBase
from tui.kb.loader import paused_gc
from tui.kb.model import DOMAINS, LAYER_IDS, PHASE_RANK, SEVERITY_RANK, Control, Service

GROUPINGS = ("rank", "layer", "domain")
SCOPES = ("workload", "baseline")
LAYERS_TOP_DOWN = tuple(reversed(LAYER_IDS))
FLAG_TEXT = {
    "unknown-control": "not in this knowledge base (renamed or removed?); kept as written",
    "out-of-scope": "does not apply to this project's services; kept as written",
}
GROUP_TITLES = {
    "workload": "Workload: the project's own design",
    "workload-confirm": "Workload, on by default: confirm it was not turned off",
    "baseline": "Account baseline",
    "baseline-confirm": "Account baseline, on by default: confirm it was not turned off",
}


def _from_control(name: str) -> Any:
    """A read-only attribute taken from the item's control ('' for an unknown id)."""
    return property(lambda self: getattr(self.control, name) if self.control else "")


@dataclass(frozen=True)
class Item:
    """One line of the checklist: a control (or an unknown id), its recorded state and its place."""

    id: str
    state: ItemState
    control: Control | None = None
    flag: str = ""  # "", "unknown-control" or "out-of-scope"
    rank: int = 0  # 1 = first within its scope; a sub-check shares its parent's rank
    parent: str = ""  # the parent item's id when this is a sub-check on this checklist
    confirm: bool = False  # on by default: the team confirms it was not turned off
    confirm_group: bool = False  # its cluster is all on by default: it stands with the items to confirm
    reasons: tuple[str, ...] = ()  # why it ranks where it does
    used_by: tuple[str, ...] = ()  # the project's services it concerns ('all' = account-wide)
    status_from: str = ""  # the parent whose decision this sub-check takes (not recorded on its own)
    derived: str = ""  # that decision's status
    evidence: tuple[Any, ...] = ()  # scanner evidence (tui.evidence.model.ItemEvidence), one per scanner
    evidence_state: str = ""  # contradicted, looks-done, failing, passing, no-result or '' (none)
    evidence_stale: bool = False  # every record is older than the project's stale_after_days

    @property
    def status(self) -> str:
        return self.derived or self.state.status

    @property
    def title(self) -> str:
        return self.control.title if self.control else f"Unknown control {self.id}"

    @property
    def scope(self) -> str:
        return self.control.review_scope if self.control else ""

    @property
    def level(self) -> str:
        """The design-review priority (the severity unless the knowledge base overrides it)."""
        return self.control.level if self.control else ""

    owner = _from_control("owner")
    layer = _from_control("layer")
    domain = _from_control("domain")
    phase = _from_control("phase")
    severity = _from_control("severity")

    @property
    def pending(self) -> bool:
        """Still to be decided: open or in progress."""
        return self.status not in RESOLVED

    def sort_key(self) -> tuple[int, int, str]:
        return (PHASE_RANK.get(self.phase, 9), SEVERITY_RANK.get(self.severity, 9), self.id)


@dataclass(frozen=True)
class Progress:
    """Counts by status; pending items on by default are counted apart ("to confirm"), not as open work."""

    total: int
    counts: dict[str, int]
    to_confirm: int = 0

    @property
    def resolved(self) -> int:
        return sum(self.counts[s] for s in RESOLVED)

    @property
    def open_work(self) -> int:
        return self.counts["open"] + self.counts["in-progress"]

    @property
    def percent(self) -> float:
        return round(100.0 * self.resolved / self.total, 1) if self.total else 100.0

    def segments(self, width: int) -> tuple[int, int, int]:
        """Widths of a progress bar's three parts: done (or not applicable), accepted risk, still open."""
        if not self.total:
            return 0, 0, width
        done = round(width * (self.counts["done"] + self.counts["not-applicable"]) / self.total)
        risk = min(width - done, round(width * self.counts["accepted-risk"] / self.total))
        return done, risk, width - done - risk

    def as_dict(self) -> dict[str, int | float]:
        return {"total": self.total, **self.counts, "to_confirm": self.to_confirm, "resolved": self.resolved,
                "percent": self.percent}

    def summary(self, short: bool = False) -> str:
        parts = [f"{self.counts[s]} {s}" for s in STATUSES if self.counts[s]]
        if self.to_confirm:
            parts.append(f"{self.to_confirm} to confirm" + ("" if short else " (on by default)"))
        done = f"{self.resolved}/{self.total} resolved" + ("" if short else f" ({self.percent:g}%)")
        return f"{done}: " + (", ".join(parts) or "no items")


@dataclass
class Checklist:
    project: Project
    kb: KnowledgeBase
    services: list[Service]
    items: list[Item] = field(default_factory=list)  # in scope: workload then baseline, each in rank order
    extra: list[Item] = field(default_factory=list)  # recorded but not in scope (flagged)
    inherited: list[Control] = field(default_factory=list)  # aws-owned, applying
    use: Usage | None = None

    @property
    def baseline_inherited(self) -> bool:
        return self.project.baseline.inherited

    def progress(self, items: Iterable[Item] | None = None) -> Progress:
        chosen = list(self.items if items is None else items)
        counts = {s: 0 for s in STATUSES}
        to_confirm = 0
        for it in chosen:
            if it.confirm and it.pending:
                to_confirm += 1
            else:
                counts[it.status] += 1
        return Progress(len(chosen), counts, to_confirm)

    def scope_items(self, scope: str, items: Iterable[Item] | None = None) -> list[Item]:
        return [i for i in (self.items if items is None else items) if i.scope == scope]

    def gated(self, items: Iterable[Item] | None = None) -> list[Item]:
        """The items a team answers for: the workload, and the baseline unless a platform owns it."""
        chosen = self.items if items is None else items
        return [i for i in chosen if not (i.scope == "baseline" and self.baseline_inherited)]

    def groups(self, by: str = "rank", items: Iterable[Item] | None = None) -> list[tuple[str, list[Item]]]:
        """Items in groups: by rank (workload, then baseline; work before confirmations), or by layer
        (top of the stack first) or domain, each ordered by phase then severity."""
        chosen = list(self.items if items is None else items)
        if by == "rank":
            out = []
            for scope in SCOPES:
                for confirm in (False, True):
                    members = [i for i in chosen if i.scope == scope and i.confirm_group == confirm]
                    if members:
                        out.append((scope + ("-confirm" if confirm else ""), members))
            return out
        order = LAYERS_TOP_DOWN if by == "layer" else DOMAINS
        out = []
        for key in order:
            members = sorted((i for i in chosen if getattr(i, by) == key), key=Item.sort_key)
            if members:
                out.append((key, members))
        return out

    def ordered(self, by: str = "rank") -> list[Item]:
        return [i for _, members in self.groups(by) for i in members]

    def top_level(self, items: Iterable[Item] | None = None) -> list[Item]:
        return [i for i in (self.items if items is None else items) if not i.parent]

    def children(self, parent_id: str) -> list[Item]:
        return [i for i in self.items if i.parent == parent_id]

    def item(self, control_id: str) -> Item | None:
        index = self._index()
        return index.get(control_id)

    def _index(self) -> dict[str, Item]:
        cached = self.__dict__.get("_by_id")
        if cached is None or len(cached) != len(self.items) + len(self.extra):
            cached = {i.id: i for i in (*self.extra, *self.items)}
            self.__dict__["_by_id"] = cached
        return cached

    def matrix(self) -> list[tuple[str, dict[str, str]]]:
        """(layer, {service id: owner}) rows, top of the stack first."""
        return [(layer, {s.id: s.owner(layer) for s in self.services}) for layer in LAYERS_TOP_DOWN]

    def applies_to(self, control: Control) -> list[str]:
        """The project's services a control applies to ('all' for account-wide ones)."""
        if control.account_wide:
            return ["all"]
        if self.use is not None:
            return self.use.used_by(control)
        return [s for s in self.project.services if s in control.services]


def build_checklist(project: Project, kb: KnowledgeBase) -> Checklist:
    with paused_gc():  # acyclic records only; a collection would walk the whole knowledge base
        return _build(project, kb)


def _build(project: Project, kb: KnowledgeBase) -> Checklist:
    use = usage(project, kb)
    services = [kb.services[s] for s in project.services if s in kb.services]
    cl = Checklist(project=project, kb=kb, services=services, use=use)
    # the controls that apply: the knowledge base's index by service, not a scan of every control
    applying: dict[str, Control] = {}
    for sid in (*sorted(use.with_baseline), "all"):
        for c in kb.controls_for_service(sid):
            if c.id not in applying and applies(c, use, project):
                applying[c.id] = c
    mine = [c for c in applying.values() if c.owner != "aws"]
    cl.items = _ranked(mine, project, use, kb)
    rank = {layer: i for i, layer in enumerate(LAYER_IDS)}
    cl.inherited = sorted((c for c in applying.values() if c.owner == "aws"), key=lambda c: (rank.get(c.layer, 99), c.id))
    for cid, st in project.items.items():
        if cid in applying and applying[cid].owner != "aws":
            continue
        control = kb.controls.get(cid)
        flag = "unknown-control" if control is None else "out-of-scope"
        cl.extra.append(Item(cid, st, control, flag))
    if project.evidence:
        cl.items = [_with_evidence(i, project) for i in cl.items]
        cl.extra = [_with_evidence(i, project) for i in cl.extra]
    return cl


def _with_evidence(it: Item, project: Project) -> Item:
    """The item with its scanner evidence, read against its status (contradicted, looks done, stale)."""
    records = project.evidence.get(it.id)
    if not records:
        return it
    from tui.evidence.model import is_stale, item_state

    return replace(it, evidence=records, evidence_state=item_state(it.status, records),
                   evidence_stale=is_stale(records, project.stale_after_days))


def _ranked(controls: list[Control], project: Project, use: Usage, kb: KnowledgeBase) -> list[Item]:
    """Items in clusters (a parent and its sub-checks), each scope's clusters in rank order."""
    present = {c.id: c for c in controls}
    scores: dict[str, Score] = {c.id: score(c, use.used_by(c), kb) for c in controls}
    clusters: dict[str, list[Control]] = {}
    for c in controls:
        head = c.parent if c.parent in present and present[c.parent].review_scope == c.review_scope else c.id
        clusters.setdefault(head, []).append(c)
    keyed = []
    for head, members in clusters.items():
        parent = present[head]
        kids = sorted((m for m in members if m.id != head), key=lambda m: order_key(m, scores[m.id], bool(m.default)))
        confirm = all(bool(m.default) for m in (parent, *kids))
        best = max((parent, *kids), key=lambda m: (scores[m.id].points, -SEVERITY_RANK.get(m.severity, 9)))
        keyed.append((order_key(parent, Score(scores[best.id].points, ()), confirm), parent, kids, confirm))
    out: list[Item] = []
    for scope in ("workload", "baseline"):
        n = 0
        for _key, parent, kids, confirm in sorted((k for k in keyed if k[1].review_scope == scope), key=lambda k: k[0]):
            n += 1
            head_item = _item(parent, project, n, scores[parent.id], use, confirm)
            out.append(head_item)
            for kid in kids:
                out.append(_item(kid, project, n, scores[kid.id], use, confirm, head_item))
    return out


def _item(c: Control, project: Project, rank: int, s: Score, use: Usage, group: bool,
          parent: Item | None = None) -> Item:
    it = Item(c.id, project.state(c.id), c, rank=rank, confirm=bool(c.default), confirm_group=group,
              reasons=s.reasons, used_by=tuple(use.used_by(c)))
    if parent is None:
        return it
    it = replace(it, parent=parent.id)
    if c.id not in project.items and parent.status != "open":
        it = replace(it, status_from=parent.id, derived=parent.status)
    return it
