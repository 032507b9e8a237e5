"""The palette (ctrl+p) provider: jump to any service, control, layer or tool
by name, id or alias. Matched letters are highlighted on plain Text, so data
text is never read as markup."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.kb.knowledge import KnowledgeBase

EXACT_ID, EXACT_ALIAS = 2_000_000.0, 1_000_000.0
KIND_HELP = {
    "service": "open its stack on the Layers tab",
    "layer": "select this layer on the Layers tab",
    "control": "open it on the Controls tab",
    "tool": "open it on the Tools tab",
}


def candidates(kb: KnowledgeBase) -> Iterator[tuple[str, str, str, str]]:
    """(kind, id, label, extra words to match) for every record a person may jump to."""
    for s in kb.services.values():
        yield "service", s.id, f"{s.short} · {s.name}", " ".join((s.id, *s.aliases))
    for layer in kb.ordered_layers():
        yield "layer", layer.id, f"{layer.id} · {layer.name}", ""
    for c in kb.controls.values():
        yield "control", c.id, f"{c.id} · {c.title}", ""
    for t in kb.tools.values():
        yield "tool", t.id, f"{t.name} · {t.id}", " ".join(t.aliases)


def _display(kind: str, label: str, offsets: tuple[int, ...] = ()) -> Text:
    text = Text(label, no_wrap=True, overflow="ellipsis")
    for i in offsets:
        if i < len(label):
            text.stylize("bold underline", i, i + 1)
    return Text.assemble((f"{kind:<8}", "dim"), text)


class KnowledgeProvider(Provider):
    """Services, layers, controls and tools of the loaded knowledge base."""

    @property
    def kb(self) -> KnowledgeBase:
        return self.app.kb  # type: ignore[attr-defined, no-any-return]

    async def discover(self) -> Hits:
        for kind, rid, label, _ in candidates(self.kb):
            if kind in ("service", "layer"):
                yield DiscoveryHit(_display(kind, label), partial(self._jump, kind, rid), text=label, help=KIND_HELP[kind])

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        low = query.strip().lower()
        for kind, rid, label, extra in candidates(self.kb):
            score = matcher.match(label)
            offsets: tuple[int, ...] = ()
            if score:
                offsets = tuple(matcher.fuzzy_search.match(matcher.query, label)[1])
            elif extra:
                score = matcher.match(extra) * 0.9
            # Textual's fuzzy scores are unbounded (a long label scores 30): an exact id or alias goes above any
            if low == rid:
                score += EXACT_ID  # `rds` before RDS Custom
            elif low in extra.split():
                score += EXACT_ALIAS
            if score > 0:
                yield Hit(score, _display(kind, label, offsets), partial(self._jump, kind, rid), text=label,
                          help=KIND_HELP[kind])

    def _jump(self, kind: str, record_id: str) -> None:
        self.app.jump(kind, record_id)  # type: ignore[attr-defined]
