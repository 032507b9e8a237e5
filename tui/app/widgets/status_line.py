"""One line of status text that repaints without a layout pass.

`Static.update` asks for a new layout of the whole screen every time (its
size might change); on the Controls screen that happened on every keystroke
and cost more than the search itself. This line has a fixed height of one,
so new text only needs a repaint of the line.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class StatusLine(Widget):
    DEFAULT_CSS = "StatusLine { height: 1; width: 1fr; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = Text()

    def set(self, text: Text) -> None:
        if text != self._text:
            self._text = text
            self.refresh()

    @property
    def text(self) -> Text:
        return self._text

    def render(self) -> Text:
        return self._text
