"""A modal that shows one record's Markdown: the narrow screens' detail pane."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from tui.app.widgets.markdown_view import MarkdownView


class DetailScreen(ModalScreen[None]):
    """Markdown text (already escaped by the domain) in a scrollable box."""

    DEFAULT_CSS = """
    DetailScreen { align: center middle; }
    DetailScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape,enter,q", "dismiss", "Close", id="detail.close", tooltip="Close the details"),
    ]

    def __init__(self, markdown: str, title: str = "") -> None:
        super().__init__()
        self.markdown = markdown
        self.title_text = title

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = self.title_text
            box.border_subtitle = "↑↓ scroll · esc close"
            yield MarkdownView(self.markdown, id="detail-text")  # the same view as the pane it stands in for

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
