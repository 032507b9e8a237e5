"""What changes in ownership when a project moves from one service to another."""

from __future__ import annotations

from dataclasses import dataclass

from tui.kb.knowledge import KnowledgeBase
from tui.kb.model import LAYER_IDS, Control, Service

# how much of a layer the customer carries, to tell the direction of a change
_WEIGHT = {"aws": 0, "shared": 1, "customer": 2}


@dataclass(frozen=True)
class Comparison:
    a: Service
    b: Service
    rows: tuple[tuple[str, str, str], ...]  # (layer, owner in a, owner in b), bottom first
    aws_takes_over: tuple[str, ...]  # layers the customer carries less of in b
    customer_takes_over: tuple[str, ...]  # layers the customer carries more of in b
    only_a: tuple[Control, ...]  # customer/shared controls that no longer apply in b
    only_b: tuple[Control, ...]  # customer/shared controls that newly apply in b

    @property
    def differing(self) -> tuple[str, ...]:
        return tuple(layer for layer, x, y in self.rows if x != y)

    def sentence(self) -> str:
        parts = [f"Moving from {self.a.short} to {self.b.short}"]
        if self.aws_takes_over:
            parts.append(f"AWS takes over: {', '.join(self.aws_takes_over)}")
        if self.customer_takes_over:
            parts.append(f"you take over: {', '.join(self.customer_takes_over)}")
        if len(parts) == 1:
            parts.append("nothing changes hands")
        keep = [layer for layer, x, y in self.rows if x == y and x != "aws"]
        if keep:
            parts.append(f"you keep: {', '.join(keep)}")
        return "; ".join(parts) + "."


def compare(kb: KnowledgeBase, a: str, b: str) -> Comparison:
    sa, sb = kb.service(a), kb.service(b)
    rows = tuple((layer, sa.owner(layer), sb.owner(layer)) for layer in LAYER_IDS)
    less = tuple(layer for layer, x, y in rows if _WEIGHT[y] < _WEIGHT[x])
    more = tuple(layer for layer, x, y in rows if _WEIGHT[y] > _WEIGHT[x])
    ca = {c.id: c for c in kb.controls_for_service(sa.id) if c.owner != "aws"}
    cb = {c.id: c for c in kb.controls_for_service(sb.id) if c.owner != "aws"}
    only_a = tuple(c for cid, c in ca.items() if cid not in cb)
    only_b = tuple(c for cid, c in cb.items() if cid not in ca)
    return Comparison(sa, sb, rows, less, more, only_a, only_b)
