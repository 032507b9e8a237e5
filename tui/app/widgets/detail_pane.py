"""The detail pane beside a list: a scrollable Markdown view of one record.

It remembers the Markdown it shows, so a narrow screen can open the same text
in a modal instead (the pane is hidden there). Updates are serialized and
coalesced: overlapping Markdown updates can leave the widget blank."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown


class DetailPane(VerticalScroll):
    """`show(markdown, title)`; the Markdown is already escaped by the domain."""

    DEFAULT_CSS = """
    DetailPane { height: 1fr; }
    """

    def __init__(self, title: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = title
        self.markdown = ""

    def compose(self) -> ComposeResult:
        yield Markdown()

    def show(self, markdown: str, title: str | None = None) -> None:
        """Show new text; bursts (a held arrow key) coalesce into one Markdown update."""
        if title is not None:
            self.border_title = title
        if markdown != self.markdown:
            self.markdown = markdown
            if not self._pending:
                self._pending = True
                self.call_after_refresh(self._render_markdown)

    _pending = False

    async def _render_markdown(self) -> None:
        # runs on this widget's message queue, so one update finishes before the next starts
        self._pending = False
        shown = self.markdown
        await self.query_one(Markdown).update(shown)
        self.scroll_home(animate=False)
