"""Two to four stacks side by side, one row per layer (top of the stack first);
a row whose owner differs between the services is marked `≠` and tinted, so
the difference shows without colour too. Each service's responsibility line
is drawn as a rule under its lowest customer or shared layer."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tui.app.owners import OWNER_GLYPH, owner_style
from tui.kb.markdown import OWNER_WORD
from tui.kb.model import LAYER_IDS, Service

NAME_WIDTH = max(len(x) for x in LAYER_IDS)


def differing_layers(services: Sequence[Service]) -> list[str]:
    """Layers whose owner is not the same for every service, bottom first."""
    return [layer for layer in LAYER_IDS if len({s.owner(layer) for s in services}) > 1]


class CompareGrid(Widget):
    """The aligned stacks; click a row to select its layer."""

    DEFAULT_CSS = """
    CompareGrid { height: 16; width: 1fr; padding: 0 1; }
    CompareGrid > .grid--header { text-style: bold; color: $text; }
    CompareGrid > .grid--differs { background: $warning 14%; text-style: bold; }
    CompareGrid > .grid--same { color: $text-muted; }
    CompareGrid > .grid--selected { background: $accent 35%; }
    """
    COMPONENT_CLASSES = {"grid--header", "grid--differs", "grid--same", "grid--selected"}

    services: reactive[tuple[Service, ...]] = reactive(tuple)
    selected: reactive[int] = reactive(-1)

    class LayerClicked(Message):
        def __init__(self, layer: str) -> None:
            super().__init__()
            self.layer = layer

    @property
    def differing(self) -> list[str]:
        return differing_layers(self.services)

    def on_click(self, event: events.Click) -> None:
        row = event.y - 1
        if 0 <= row < len(LAYER_IDS):
            self.selected = len(LAYER_IDS) - 1 - row
            self.post_message(self.LayerClicked(LAYER_IDS[self.selected]))

    def render(self) -> Text:
        width = max(self.content_size.width, 30)
        n = max(1, len(self.services))
        name_w = min(NAME_WIDTH, max(10, width - 2 - 10 * n))
        cell_w = max(8, min(22, (width - 2 - name_w) // n))
        lines = [self._header(name_w, cell_w)]
        differing = set(self.differing)
        for index in range(len(LAYER_IDS) - 1, -1, -1):
            lines.append(self._row(index, index == self.selected, LAYER_IDS[index] in differing, name_w, cell_w))
        return Text("\n", no_wrap=True).join(lines)

    def _header(self, name_w: int, cell_w: int) -> Text:
        text = Text(style=self.get_component_rich_style("grid--header"), no_wrap=True, end="")
        text.append("  " + "layer".ljust(name_w))
        for s in self.services:
            text.append((" " + s.short)[:cell_w].ljust(cell_w))
        return text

    def _row(self, index: int, selected: bool, differs: bool, name_w: int, cell_w: int) -> Text:
        layer = LAYER_IDS[index]
        cls = "grid--selected" if selected else ("grid--differs" if differs else "grid--same")
        text = Text(style=self.get_component_rich_style(cls), no_wrap=True, end="")
        text.append("≠ " if differs else "  ")
        name = layer if len(layer) <= name_w else layer[: name_w - 1] + "…"
        text.append(name.ljust(name_w))
        for s in self.services:
            owner = s.owner(layer)
            glyphs = max(1, min(3, cell_w - 10))
            # the rule under the lowest customer/shared layer is this service's responsibility line
            under = s.responsibility_line() == index
            cell = Text(" ")
            cell.append(OWNER_GLYPH[owner] * glyphs, owner_style(self.app, owner, bold=False))
            cell.append(" ")
            cell.append(OWNER_WORD[owner], owner_style(self.app, owner))
            cell.truncate(cell_w, pad=True)
            if under:
                cell.stylize("underline")
            text.append_text(cell)
        return text
