"""Counts for `ownit stats`: by kind, owner, layer, and framework coverage."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tui.kb.knowledge import KnowledgeBase
from tui.kb.model import LAYER_IDS


def kb_stats(kb: KnowledgeBase) -> dict[str, Any]:
    controls = list(kb.controls.values())
    layer_owners: dict[str, Counter[str]] = {layer: Counter() for layer in LAYER_IDS}
    for s in kb.services.values():
        for layer in LAYER_IDS:
            layer_owners[layer][s.owner(layer)] += 1
    coverage = {}
    for fw in kb.frameworks.values():
        mapped, excused, total = kb.coverage(fw.id)
        coverage[fw.id] = {
            "name": fw.name,
            "version": fw.version,
            "total": total,
            "mapped": mapped,
            "excused": excused,
            "percent": round(100.0 * (mapped + excused) / total, 1) if total else 0.0,
        }
    return {
        "version": kb.version,
        "counts": {
            "layers": len(kb.layers),
            "services": len(kb.services),
            "controls": len(controls),
            "tools": len(kb.tools),
            "frameworks": len(kb.frameworks),
        },
        "controls_by_owner": dict(Counter(c.owner for c in controls)),
        "controls_by_layer": {layer: sum(1 for c in controls if c.layer == layer) for layer in LAYER_IDS},
        "controls_by_domain": dict(Counter(c.domain for c in controls)),
        "controls_by_severity": dict(Counter(c.severity for c in controls)),
        "services_by_category": dict(Counter(s.category for s in kb.services.values())),
        "layer_owners_across_services": {k: dict(v) for k, v in layer_owners.items()},
        "framework_coverage": coverage,
    }
