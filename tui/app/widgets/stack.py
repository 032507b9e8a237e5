"""The responsibility stack: 15 layers top to bottom, each band coloured and
labelled by its owner, with the responsibility line drawn between the AWS
layers below and the layers the customer owns or shares above.

Keyboard: up/down walk the layers, enter asks for the layer's details.
Mouse: click a band to select it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tui.app.owners import OWNER_GLYPH, owner_style
from tui.kb.markdown import OWNER_WORD
from tui.kb.model import LAYER_IDS, Service

NAME_WIDTH = max(len(x) for x in LAYER_IDS)


@dataclass(frozen=True)
class Row:
    """One drawn row: a layer (by index, 0 = physical) or the line (layer None)."""

    layer: int | None


def stack_rows(line: int) -> list[Row]:
    """Rows top to bottom: layers above the line, the line, layers below it."""
    rows = [Row(i) for i in range(len(LAYER_IDS) - 1, line - 1, -1)]
    rows.append(Row(None))
    rows += [Row(i) for i in range(line - 1, -1, -1)]
    return rows


class ResponsibilityStack(Widget, can_focus=True):
    """Draws one service's 15 layers and its responsibility line."""

    DEFAULT_CSS = """
    ResponsibilityStack {
        height: 16;
        width: 1fr;
        min-width: 40;
        padding: 0 1;
    }
    ResponsibilityStack > .stack--aws { background: $owner-aws 12%; }
    ResponsibilityStack > .stack--shared { background: $owner-shared 16%; }
    ResponsibilityStack > .stack--customer { background: $owner-customer 16%; }
    ResponsibilityStack > .stack--selected { background: $foreground 22%; text-style: bold; }
    ResponsibilityStack:focus > .stack--selected { background: $accent 45%; color: $text; }
    ResponsibilityStack > .stack--line { color: $warning; text-style: bold; }
    ResponsibilityStack > .stack--line-moved { color: $text; background: $warning 50%; text-style: bold; }
    """
    COMPONENT_CLASSES = {
        "stack--aws", "stack--shared", "stack--customer", "stack--selected", "stack--line", "stack--line-moved",
    }
    BINDINGS = [
        Binding("up", "move(1)", "Layer up", show=False, id="stack.up", tooltip="Select the layer above"),
        Binding("down", "move(-1)", "Layer down", show=False, id="stack.down", tooltip="Select the layer below"),
        Binding("home", "jump(14)", "Top", show=False, id="stack.top", tooltip="Select customer-data (the top)"),
        Binding("end", "jump(0)", "Bottom", show=False, id="stack.bottom", tooltip="Select physical (the bottom)"),
        Binding("enter", "choose", "Details", id="stack.details", tooltip="Open what this layer means for this service"),
    ]

    service: reactive[Service | None] = reactive(None)
    selected: reactive[int] = reactive(len(LAYER_IDS) - 1)
    _moved: reactive[bool] = reactive(False)

    class LayerSelected(Message):
        """The highlighted layer changed."""

        def __init__(self, stack: ResponsibilityStack, layer: str) -> None:
            super().__init__()
            self.stack = stack
            self.layer = layer

    class LayerChosen(LayerSelected):
        """Enter (or a double click) on a layer: show its details."""

    @property
    def layer_id(self) -> str:
        return LAYER_IDS[self.selected]

    @property
    def line(self) -> int:
        return self.service.responsibility_line() if self.service else len(LAYER_IDS)

    def watch_service(self, old: Service | None, new: Service | None) -> None:
        if old is not None and new is not None and old.responsibility_line() != new.responsibility_line():
            self._moved = True
            self.set_timer(0.6, self._settle)

    def _settle(self) -> None:
        self._moved = False

    def validate_selected(self, value: int) -> int:
        return max(0, min(len(LAYER_IDS) - 1, value))

    def watch_selected(self, value: int) -> None:
        self.post_message(self.LayerSelected(self, LAYER_IDS[value]))

    def select_layer(self, layer_id: str) -> None:
        self.selected = LAYER_IDS.index(layer_id)

    def action_move(self, delta: int) -> None:
        self.selected += delta

    def action_jump(self, index: int) -> None:
        self.selected = index

    def action_choose(self) -> None:
        self.post_message(self.LayerChosen(self, self.layer_id))

    def on_click(self, event: events.Click) -> None:
        rows = stack_rows(self.line)
        if 0 <= event.y < len(rows) and rows[event.y].layer is not None:
            self.selected = rows[event.y].layer  # type: ignore[assignment]
            if event.chain >= 2:
                self.action_choose()

    # -- drawing ---------------------------------------------------------------
    def render(self) -> Text:
        width = max(self.content_size.width, 20)
        lines = [self._render_row(row, width) for row in stack_rows(self.line)]
        return Text("\n", no_wrap=True).join(lines)

    def _render_row(self, row: Row, width: int) -> Text:
        if row.layer is None:
            return self._render_line(width)
        svc = self.service
        owner = svc.owner(LAYER_IDS[row.layer]) if svc else "aws"
        selected = row.layer == self.selected
        base = self.get_component_rich_style("stack--selected" if selected else f"stack--{owner}")
        word = OWNER_WORD[owner]
        name_w = min(NAME_WIDTH, max(8, width - 16))
        band_w = max(1, width - 2 - name_w - 1 - 9)
        name = LAYER_IDS[row.layer]
        if len(name) > name_w:
            name = name[: name_w - 1] + "…"
        text = Text(style=base, no_wrap=True, end="")
        text.append("▶ " if selected else "  ")
        text.append(name.ljust(name_w + 1))
        text.append(OWNER_GLYPH[owner] * band_w, owner_style(self.app, owner, bold=False))
        text.append(" ")
        text.append(word.ljust(8), owner_style(self.app, owner))
        text.pad_right(max(0, width - text.cell_len))
        return text

    def _render_line(self, width: int) -> Text:
        style = self.get_component_rich_style("stack--line-moved" if self._moved else "stack--line")
        labels = (
            " ▲ you: security IN the cloud ─ responsibility line ─ AWS: security OF the cloud ▼ ",
            " ▲ yours ─ responsibility line ─ AWS's ▼ ",
            " responsibility line ",
        )
        label = next((x for x in labels if len(x) + 4 <= width), labels[-1])[:width]
        left = (width - len(label)) // 2
        return Text("╌" * left + label + "╌" * (width - left - len(label)), style=style + Style(), no_wrap=True, end="")
