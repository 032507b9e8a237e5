"""What every tab screen shares: the top bar, the body, the footer, and access
to the one knowledge base the app loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from tui.app.widgets.detail_pane import DetailPane
from tui.app.widgets.navbar import NavBar
from tui.kb.knowledge import KnowledgeBase

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from tui.app.app import OwnitApp


def cursor_key(table: DataTable[object]) -> str | None:
    """The row key under a table's cursor, or None when the table is empty."""
    if not table.row_count:
        return None
    key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
    return None if key.value is None else str(key.value)


class OwnitScreen(Screen[None]):
    """A tab: NavBar on top, `compose_body()` in the middle, the key footer below."""

    MODE: ClassVar[str] = ""
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    @property
    def ownit(self) -> OwnitApp:
        return self.app  # type: ignore[return-value]

    @property
    def kb(self) -> KnowledgeBase:
        return self.ownit.kb

    def compose(self) -> ComposeResult:
        yield NavBar(self.MODE, self.ownit.kb_info)
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    def search_input(self) -> Widget | None:
        """The widget `/` focuses on this screen, if it has one."""
        return None

    def show_record(self, kind: str, record_id: str) -> None:
        """Select a record the palette jumped to; each screen picks what it shows."""

    def open_detail(self, pane: DetailPane) -> None:
        """Enter on a list row: wide, focus the pane beside it; narrow, open its text in a modal."""
        if not self.narrow:
            pane.focus()
            return
        from tui.app.screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(pane.markdown, pane.heading))
