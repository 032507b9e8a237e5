"""The detail pane beside a list: a scrollable Markdown view of one record.

It remembers the Markdown it shows, so a narrow screen can open the same text
in a modal instead (the pane is hidden there). The text is drawn by one
MarkdownView widget (see there for why not Textual's Markdown).

Rendering still costs a few milliseconds, so it never delays a frame the user
is waiting for: markdown-it is imported and the first text rendered only after
the screen's first frame, every update runs after the refresh that shows the
list's new state, and a caller can ask for a debounce (`delay`) so that a burst
of keystrokes renders only the text of the last one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll

from tui.app.widgets.markdown_view import MarkdownView

if TYPE_CHECKING:
    from textual.timer import Timer


FIRST_DELAY = 0.05  # seconds after a screen's first frame before its pane imports and mounts Markdown


class DetailPane(VerticalScroll):
    """`show(markdown, title)`; the Markdown is already escaped by the domain."""

    DEFAULT_CSS = """
    DetailPane { height: 1fr; }
    """

    def __init__(self, title: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = title
        self.heading = title  # the title of `markdown`; the border shows it once the text is rendered
        self.markdown = ""
        self._shown: str | None = None  # the text the view holds (None: nothing rendered yet)
        self._pending = False
        self._timer: Timer | None = None

    def show(self, markdown: str, title: str | None = None, delay: float = 0.0) -> None:
        """Show new text; bursts (a held arrow key, typing) coalesce into one Markdown update.

        With `delay`, the update waits until no other `show` came for that long."""
        if title is not None:
            self.heading = title  # not the border yet: a border change repaints the whole pane, every key
        self.markdown = markdown
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if markdown == self._shown:
            self.border_title = self.heading
            return
        if delay > 0 and self.is_mounted:
            self._timer = self.set_timer(delay, self._schedule)
        else:
            self._schedule()

    def _schedule(self) -> None:
        self._timer = None
        if not self._pending:
            self._pending = True
            self.call_after_refresh(self._render_markdown if self._shown is not None else self._first_render)

    def _first_render(self) -> None:
        # the screen's first frame is out: give the loop a moment (input, the writer) before markdown-it
        self.set_timer(FIRST_DELAY, self._render_markdown)

    def compose(self) -> ComposeResult:
        yield MarkdownView()

    def _render_markdown(self) -> None:
        self._pending = False
        shown = self.markdown
        if shown == self._shown:
            return
        self._shown = shown
        self.border_title = self.heading
        self.query_one(MarkdownView).update(shown)
        self.scroll_home(animate=False)
