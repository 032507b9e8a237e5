"""The top bar: the name, one clickable tab per screen (with its number key)
and, when there is room, what knowledge base is loaded."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

TABS: tuple[tuple[str, str], ...] = (
    ("layers", "Layers"),
    ("compare", "Compare"),
    ("services", "Services"),
    ("controls", "Controls"),
    ("tools", "Tools"),
    ("checklist", "Checklist"),
)


class NavTab(Static):
    """One tab; a click switches the app to its screen."""

    DEFAULT_CSS = """
    NavTab { width: auto; padding: 0 1; color: $text-muted; }
    NavTab:hover { background: $boost; color: $text; }
    NavTab.-active { background: $primary; color: $text; text-style: bold; }
    """

    def __init__(self, mode: str, label: str, number: int, active: bool) -> None:
        super().__init__(Text.assemble((f"{number} ", "dim"), label), id=f"tab-{mode}", classes="-active" if active else "")
        self.mode = mode
        self.tooltip = f"{label} (key {number})"

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.app.switch_mode(self.mode)


class NavBar(Horizontal):
    """` ownit  1 Layers 2 Compare ...            knowledge base 2026.11 · 6 services`."""

    DEFAULT_CSS = """
    NavBar { height: 1; width: 1fr; background: $panel; }
    NavBar > #brand { width: auto; padding: 0 1; background: $warning; color: $background; text-style: bold; }
    NavBar > #kbinfo { width: 1fr; text-align: right; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, active: str, info: str = "") -> None:
        super().__init__()
        self.active = active
        self.info = info

    def compose(self) -> ComposeResult:
        yield Static("ownit", id="brand")
        for number, (mode, label) in enumerate(TABS, start=1):
            yield NavTab(mode, label, number, mode == self.active)
        yield Static(Text(self.info, no_wrap=True, overflow="ellipsis"), id="kbinfo")
