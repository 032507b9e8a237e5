"""The search box of a screen: an Input where the tab keys still switch screens.

In an empty box, `1`-`6` open the tabs as everywhere else (a search never starts
with a tab's digit; `cis:2.1.4` still searches a digit); in a box with text a digit
is typed. `alt+1`-`alt+6` switch from anywhere. Esc leaves the box (see the screens).
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import Input

from tui.app.widgets.navbar import TABS

TAB_KEYS = {str(n): mode for n, (mode, _label) in enumerate(TABS, start=1)}


class SearchBox(Input):
    BINDINGS = [
        Binding("escape", "leave", "Leave search", id="search.leave",
                tooltip="Leave the search box for the results (the query stays)"),
    ]

    def _watch_value(self, value: str) -> None:
        # Input sets its virtual width on every key through a reactive that lays out the whole screen
        # (a reflow of every widget on it, most of a keystroke's cost). The box's own size never depends
        # on its text, and its scroll limits read the virtual size directly: set it in place first.
        if not self.styles.auto_dimensions:
            self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)

    def action_leave(self) -> None:
        leave = getattr(self.screen, "leave_search", None)
        if leave is not None:
            leave()
        else:
            self.screen.focus_next()

    async def _on_key(self, event: events.Key) -> None:
        mode = TAB_KEYS.get(event.character or "")
        if mode is not None and not self.value:
            event.stop()
            event.prevent_default()
            self.app.action_tab(mode)  # type: ignore[attr-defined]
            return
        await super()._on_key(event)
