"""The search box of a screen: an Input where the tab keys still switch screens.

In an empty box, `1`-`6` open the tabs as everywhere else (a search never starts
with a tab's digit; `cis:2.1.4` still searches a digit); in a box with text a digit
is typed. `alt+1`-`alt+6` switch from anywhere. Esc leaves the box (see the screens).
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input

from tui.app.widgets.navbar import TABS

TAB_KEYS = {str(n): mode for n, (mode, _label) in enumerate(TABS, start=1)}


class SearchBox(Input):
    BINDINGS = [
        Binding("escape", "leave", "Leave search", id="search.leave",
                tooltip="Leave the search box for the results (the query stays)"),
    ]

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
