"""The detail pane beside a list: a scrollable Markdown view of one record.

It remembers the Markdown it shows, so a narrow screen can open the same text
in a modal instead (the pane is hidden there). Updates are serialized and
coalesced: overlapping Markdown updates can leave the widget blank.

Rendering Markdown is the slowest thing a screen does (markdown-it, then a
widget per block), so it never delays a frame the user is waiting for: the
Markdown widget (and markdown-it) is imported and mounted only after the
screen's first refresh, every update runs after the refresh that shows the
list's new state, and a caller can ask for a debounce (`delay`) so that a
burst of keystrokes renders only the text of the last one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import VerticalScroll

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
        self._shown: str | None = None  # the text the Markdown widget holds (None: not mounted yet)
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

    async def _render_markdown(self) -> None:
        # runs on this widget's message queue, so one update finishes before the next starts
        self._pending = False
        shown = self.markdown
        if shown == self._shown:
            return
        from textual.widgets import Markdown  # markdown-it and the block widgets: after the first frame

        first = self._shown is None
        self._shown = shown
        self.border_title = self.heading
        if first:
            await self.mount(Markdown(shown))
        else:
            await self.query_one(Markdown).update(shown)
        self.scroll_home(animate=False)
