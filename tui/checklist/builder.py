"""Turn a project (its services and recorded states) into its security checklist.

The checklist is every customer and shared control that applies to the
project's services, plus the account-wide ones; aws-owned controls are not
items to tick but are listed as inherited from AWS, with the AWS Artifact
reports that evidence them. Items the file records that are not in scope
(a control renamed or removed in a newer knowledge base, or one for a service
the project no longer lists) are kept and shown apart, flagged, never dropped.
Every face (CLI, exports, app) reads the same `Checklist`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tui.checklist.states import RESOLVED, STATUSES, ItemState, Project
from tui.kb.knowledge import KnowledgeBase
from tui.kb.loader import paused_gc
from tui.kb.model import DOMAINS, LAYER_IDS, PHASE_RANK, SEVERITY_RANK, Control, Service

GROUPINGS = ("layer", "domain")
LAYERS_TOP_DOWN = tuple(reversed(LAYER_IDS))
FLAG_TEXT = {
    "unknown-control": "not in this knowledge base (renamed or removed?); kept as written",
    "out-of-scope": "does not apply to this project's services; kept as written",
}


def _from_control(name: str) -> Any:
    """A read-only attribute taken from the item's control ('' for an unknown id)."""
    return property(lambda self: getattr(self.control, name) if self.control else "")


@dataclass(frozen=True)
class Item:
    """One line of the checklist: a control (or an unknown id) and its recorded state."""

    id: str
    state: ItemState
    control: Control | None = None
    flag: str = ""  # "", "unknown-control" or "out-of-scope"

    @property
    def status(self) -> str:
        return self.state.status

    @property
    def title(self) -> str:
        return self.control.title if self.control else f"Unknown control {self.id}"

    owner = _from_control("owner")
    layer = _from_control("layer")
    domain = _from_control("domain")
    phase = _from_control("phase")
    severity = _from_control("severity")

    def sort_key(self) -> tuple[int, int, str]:
        return (PHASE_RANK.get(self.phase, 9), SEVERITY_RANK.get(self.severity, 9), self.id)


@dataclass(frozen=True)
class Progress:
    total: int
    counts: dict[str, int]

    @property
    def resolved(self) -> int:
        return sum(self.counts[s] for s in RESOLVED)

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
        return {"total": self.total, **self.counts, "resolved": self.resolved, "percent": self.percent}

    def summary(self) -> str:
        parts = [f"{self.counts[s]} {s}" for s in STATUSES if self.counts[s]]
        return f"{self.resolved}/{self.total} resolved ({self.percent:g}%): " + (", ".join(parts) or "no items")


@dataclass
class Checklist:
    project: Project
    kb: KnowledgeBase
    services: list[Service]
    items: list[Item] = field(default_factory=list)  # in scope, ordered
    extra: list[Item] = field(default_factory=list)  # recorded but not in scope (flagged)
    inherited: list[Control] = field(default_factory=list)  # aws-owned, applying

    def progress(self, items: Iterable[Item] | None = None) -> Progress:
        chosen = list(self.items if items is None else items)
        counts = {s: 0 for s in STATUSES}
        for it in chosen:
            counts[it.status] += 1
        return Progress(len(chosen), counts)

    def groups(self, by: str = "layer", items: Iterable[Item] | None = None) -> list[tuple[str, list[Item]]]:
        """Items in groups (layers top of the stack first, or domains), each ordered by phase then severity."""
        order = LAYERS_TOP_DOWN if by == "layer" else DOMAINS
        chosen = list(self.items if items is None else items)
        out = []
        for key in order:
            members = sorted((i for i in chosen if getattr(i, by) == key), key=Item.sort_key)
            if members:
                out.append((key, members))
        return out

    def ordered(self, by: str = "layer") -> list[Item]:
        return [i for _, members in self.groups(by) for i in members]

    def item(self, control_id: str) -> Item | None:
        for it in (*self.items, *self.extra):
            if it.id == control_id:
                return it
        return None

    def matrix(self) -> list[tuple[str, dict[str, str]]]:
        """(layer, {service id: owner}) rows, top of the stack first."""
        return [(layer, {s.id: s.owner(layer) for s in self.services}) for layer in LAYERS_TOP_DOWN]

    def applies_to(self, control: Control) -> list[str]:
        """The project's services a control applies to ('all' for account-wide ones)."""
        if control.account_wide:
            return ["all"]
        return [s for s in self.project.services if s in control.services]


def build_checklist(project: Project, kb: KnowledgeBase) -> Checklist:
    with paused_gc():  # acyclic records only; a collection would walk the whole knowledge base
        return _build(project, kb)


def _build(project: Project, kb: KnowledgeBase) -> Checklist:
    services = [kb.services[s] for s in project.services if s in kb.services]
    cl = Checklist(project=project, kb=kb, services=services)
    # the controls that apply: the knowledge base's index by service, not a scan of every control
    applying: dict[str, Control] = {}
    for sid in (*project.services, "all"):
        for c in kb.controls_for_service(sid):
            applying[c.id] = c
    state, items, inherited = project.state, cl.items, cl.inherited
    for c in applying.values():
        if c.owner == "aws":
            inherited.append(c)
        else:
            items.append(Item(c.id, state(c.id), c))
    cl.items = _order(items)
    rank = {layer: i for i, layer in enumerate(LAYER_IDS)}
    inherited.sort(key=lambda c: (rank.get(c.layer, 99), c.id))
    for cid, st in project.items.items():
        if cid in applying and applying[cid].owner != "aws":
            continue
        control = kb.controls.get(cid)
        flag = "unknown-control" if control is None else "out-of-scope"
        cl.extra.append(Item(cid, st, control, flag))
    return cl


_RANK = {layer: i for i, layer in enumerate(LAYERS_TOP_DOWN)}


def _order(items: list[Item]) -> list[Item]:
    """Layers top of the stack first, then phase, then severity, then id (Item.sort_key)."""
    def key(i: Item) -> tuple[int, int, int, str]:
        c = i.control
        if c is None:
            return (99, 9, 9, i.id)
        return (_RANK.get(c.layer, 99), PHASE_RANK.get(c.phase, 9), SEVERITY_RANK.get(c.severity, 9), i.id)

    return sorted(items, key=key)


def filter_items(
    items: Iterable[Item],
    open_only: bool = False,
    layer: str | None = None,
    owner: str | None = None,
    phase: str | None = None,
    status: str | None = None,
) -> list[Item]:
    """The items that pass every given filter (the app's and the CLI's filters)."""
    out = []
    for it in items:
        if open_only and it.status in RESOLVED:
            continue
        if (layer and it.layer != layer) or (owner and it.owner != owner) or (phase and it.phase != phase):
            continue
        if status and it.status != status:
            continue
        out.append(it)
    return out
