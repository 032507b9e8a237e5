"""The loaded knowledge base: records by id plus the indexes every face needs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.kb.errors import UsageError, did_you_mean
from tui.kb.model import LAYER_IDS, Control, Framework, Layer, Requirement, Service, Tool

KINDS = ("service", "control", "layer", "tool", "framework")


@dataclass
class KnowledgeBase:
    layers: dict[str, Layer]
    services: dict[str, Service]
    controls: dict[str, Control]
    tools: dict[str, Tool]
    frameworks: dict[str, Framework]
    meta: Mapping[str, Any] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    _aliases: dict[str, str] = field(default_factory=dict, repr=False)
    _tool_aliases: dict[str, str] = field(default_factory=dict, repr=False)
    _by_service: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _by_layer: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _by_tool: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _requirements: dict[tuple[str, str], Requirement] = field(default_factory=dict, repr=False)
    _cited: dict[tuple[str, str], list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.reindex()

    def __getattr__(self, name: str) -> Any:
        """Reached only for an attribute that is not set. A knowledge base read from the cache
        (tui.kb.cache) starts with its services and layers only, which is what the app's first frame
        draws, and sets the rest (controls, tools, frameworks, their indexes) here, on first use."""
        pending = self.__dict__.get("_pending")
        if pending is None or name.startswith("__"):
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        self.__dict__.update(pending())
        self.__dict__.pop("_pending", None)  # another thread may have loaded it meanwhile: same values
        return getattr(self, name)

    def count(self, kind: str) -> int:
        """How many records of a kind ("controls"), without loading a cached knowledge base's rest."""
        records = self.__dict__.get(kind)
        return len(records) if records is not None else int(self.__dict__["_counts"][kind])

    def reindex(self) -> None:
        self._aliases = {}
        for s in self.services.values():
            for a in (s.id, *s.aliases):
                self._aliases.setdefault(a.lower(), s.id)
        self._tool_aliases = {}
        for t in self.tools.values():
            for a in (t.id, *t.aliases):
                self._tool_aliases.setdefault(a.lower(), t.id)
        by_service: dict[str, list[str]] = defaultdict(list)
        by_layer: dict[str, list[str]] = defaultdict(list)
        by_tool: dict[str, list[str]] = defaultdict(list)
        cited: dict[tuple[str, str], list[str]] = defaultdict(list)
        for c in self.controls.values():
            for s in c.services:
                by_service[s].append(c.id)
            by_layer[c.layer].append(c.id)
            for t in c.tools:
                by_tool[t].append(c.id)
            for fw, ids in c.frameworks.items():
                for rid in ids:
                    cited[(fw, rid)].append(c.id)
            for check in c.prowler:  # Prowler checks verify controls; count them like citations
                cited[("prowler", check)].append(c.id)
        self._by_service, self._by_layer, self._by_tool = dict(by_service), dict(by_layer), dict(by_tool)
        self._cited = dict(cited)
        self._requirements = {
            (fw.id, r.id): r for fw in self.frameworks.values() for r in fw.requirements
        }

    # -- look-ups -------------------------------------------------------------
    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unknown"))

    def ordered_layers(self) -> list[Layer]:
        return [self.layers[i] for i in LAYER_IDS if i in self.layers]

    def service_id(self, name: str) -> str | None:
        """The service id for an id or alias (case-insensitive), or None."""
        return self._aliases.get(name.strip().lower())

    def service(self, name: str) -> Service:
        """A service by id or alias; a UsageError with a suggestion otherwise."""
        sid = self.service_id(name)
        if sid is None:
            raise UsageError(f"unknown service '{name}'{did_you_mean(name.lower(), self._aliases)}")
        return self.services[sid]

    def tool_id(self, name: str) -> str | None:
        return self._tool_aliases.get(name.strip().lower())

    def resolve(self, name: str, kind: str | None = None) -> tuple[str, Any]:
        """Find any record by id or alias: service, control, layer, tool or framework."""
        key = name.strip()
        low = key.lower()
        finders: list[tuple[str, Any]] = [
            ("service", lambda: self.services.get(self.service_id(low) or "")),
            ("control", lambda: self.controls.get(low)),
            ("layer", lambda: self.layers.get(low)),
            ("tool", lambda: self.tools.get(self.tool_id(low) or "")),
            ("framework", lambda: self.frameworks.get(low)),
        ]
        for k, find in finders:
            if kind in (None, k):
                found = find()
                if found is not None:
                    return k, found
        pool: list[str] = []
        if kind in (None, "service"):
            pool += list(self._aliases)
        if kind in (None, "control"):
            pool += list(self.controls)
        if kind in (None, "layer"):
            pool += list(self.layers)
        if kind in (None, "tool"):
            pool += list(self._tool_aliases)
        what = kind or "service, control, layer or tool"
        raise UsageError(f"no {what} named '{name}'{did_you_mean(low, pool)}")

    def controls_for_service(self, sid: str) -> list[Control]:
        return [self.controls[c] for c in self._by_service.get(sid, ())]

    def controls_on_layer(self, layer: str, services: Iterable[str] | None = None) -> list[Control]:
        wanted = set(services) if services is not None else None
        out = []
        for cid in self._by_layer.get(layer, ()):
            c = self.controls[cid]
            if wanted is None or c.applies_to(wanted):
                out.append(c)
        return out

    def controls_for_tool(self, tid: str) -> list[Control]:
        return [self.controls[c] for c in self._by_tool.get(tid, ())]

    def requirement(self, framework: str, rid: str) -> Requirement | None:
        return self._requirements.get((framework, rid))

    def citing(self, framework: str, rid: str) -> list[str]:
        """Ids of the controls that cite one framework requirement."""
        return self._cited.get((framework, rid), [])

    def coverage(self, framework: str) -> tuple[int, int, int]:
        """(mapped, excused, total) for one framework catalog."""
        fw = self.frameworks.get(framework)
        if fw is None:
            return 0, 0, 0
        mapped = sum(1 for r in fw.requirements if (framework, r.id) in self._cited)
        excused = sum(1 for r in fw.requirements if (framework, r.id) not in self._cited and r.unmapped)
        return mapped, excused, len(fw.requirements)
