"""Controls: search as you type (`owner:customer service:s3 encrypt`), a list
of results with the matched letters highlighted, and the highlighted control
rendered as Markdown beside it (or on enter, when the screen is narrow).

A keystroke costs one frame: the search runs from the search box's value
watcher, so the box's echo and the new results are painted in the same tick,
and the results list (a Line-API widget) only swaps its rows and paints the
lines on screen. The highlighted control's Markdown is rendered only once
typing pauses for DETAIL_DELAY (and only when the highlighted control
changed), after the list's frame: a key never waits for Markdown.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input

from tui.app.owners import owner_word
from tui.app.screens.base import OwnitScreen
from tui.app.widgets.detail_pane import DetailPane
from tui.app.widgets.results_list import Column, ResultsList
from tui.app.widgets.search_box import SearchBox
from tui.app.widgets.status_line import StatusLine
from tui.kb.errors import UsageError
from tui.kb.markdown import record_markdown
from tui.kb.search import FILTER_KEYS, Hit

DETAIL_DELAY = 0.08  # seconds of quiet typing before the detail pane renders the highlighted control
LAYER_W = 22  # every layer name but network-traffic-protection (26) whole
LAYER_W_WIDE = 26  # room for the longest layer name
ID_W = 36
PLACEHOLDER = "search: words, or filters like owner:customer service:s3 layer:iam  (? for the syntax)"


def without_open_filters(query: str) -> str:
    """Drop filters still being typed (`owner:` with no value yet) so they do not search for the word."""
    return " ".join(t for t in query.split() if not (t.endswith(":") and t[:-1].lower() in FILTER_KEYS))


def title_text(hit: Hit) -> Text:
    """The title as plain Text with the matched spans highlighted (never markup)."""
    text = Text(hit.title, no_wrap=True, overflow="ellipsis")
    for start, end in hit.spans:
        text.stylize("bold reverse", start, end)
    return text


def fit_columns(width: int) -> list[Column]:
    """Fixed widths, the title taking what is left; the id column only where the title keeps room
    to be read (the detail pane's title names the id anyway)."""
    avail = max(40, width)
    layer_w = LAYER_W_WIDE if avail >= 100 else LAYER_W if avail >= 66 else 16
    rest = avail - (8 + 2) - (layer_w + 2) - 2
    with_id = rest - (ID_W + 2) >= 40
    title_w = max(20, rest - (ID_W + 2 if with_id else 0))
    columns = [Column("owner", "Owner", 8), Column("title", "Title", title_w), Column("layer", "Layer", layer_w)]
    if with_id:
        columns.append(Column("id", "ID", ID_W))
    return columns


class ControlsScreen(OwnitScreen):
    MODE = "controls"
    BINDINGS = [
        Binding("escape", "clear_or_leave", "Back", show=False, id="controls.back",
                tooltip="From the detail pane to the results, from the results to the search box"),
        Binding("down", "to_table", "Results", show=False, id="controls.to-table",
                tooltip="Move from the search box into the results"),
        Binding("o", "open_source", "Open source", id="controls.open-source",
                tooltip="Open the control's first AWS source in a browser"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[Hit] = []
        self.query_text = ""
        self._detail_for: str | None = ""  # the control the detail pane was last asked to show

    def compose_body(self) -> ComposeResult:
        with Vertical(id="controls-top"):
            yield SearchBox(placeholder=PLACEHOLDER, id="search", select_on_focus=False)
            yield StatusLine(id="search-message")
        with Horizontal(id="controls-body"):
            yield ResultsList(self._cells, lambda hit: hit.id, fit_columns, id="results")
            yield DetailPane("Control", id="control-detail")

    @property
    def table(self) -> ResultsList:
        return self.query_one("#results", ResultsList)

    def search_input(self) -> Widget | None:
        return self.query_one("#search", Input)

    def on_mount(self) -> None:
        search = self.query_one("#search", Input)
        # the watcher runs inside the key's handler: the echo and the results share one frame
        self.watch(search, "value", self.run_search, init=False)
        self.run_search("")
        search.focus()

    def _cells(self, hit: Hit) -> list[Text]:
        c = hit.record
        return [owner_word(self.app, c.owner), title_text(hit), Text(c.layer), Text(c.id)]

    # -- searching -----------------------------------------------------------
    def run_search(self, query: str) -> None:
        """Search and show the results; a bad filter shows a message and keeps the last results."""
        message = self.query_one("#search-message", StatusLine)
        try:
            hits = self.ownit.search_index.search(without_open_filters(query))
        except UsageError as exc:
            message.set(Text(str(exc), style="bold"))
            message.add_class("-error")
            return
        if message.has_class("-error"):  # a class change restyles the line: only when it really changes
            message.remove_class("-error")
        self.query_text = query
        self.hits = hits
        self.table.set_rows(hits)  # a new query highlights its best hit
        n = len(hits)
        text = f"{n} control{'s' if n != 1 else ''}"
        if not n:
            text += " · try fewer words, or remove a filter"
        message.set(Text(text, style="dim"))
        self._show_detail()

    # -- the highlighted control --------------------------------------------------
    @property
    def current_id(self) -> str | None:
        return self.table.current_key

    @on(ResultsList.Highlighted, "#results")
    def _row_moved(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """Ask the pane for the highlighted control's text, debounced; nothing to do when it did not change."""
        cid = self.current_id
        if cid is not None and cid not in self.kb.controls:
            cid = None
        if cid == self._detail_for:
            return
        self._detail_for = cid
        detail = self.query_one(DetailPane)
        if cid is None:
            detail.show("Nothing matches. Type fewer words, or press **?** for the search syntax.", "Control",
                        delay=DETAIL_DELAY)
            return
        detail.show(record_markdown(self.kb, "control", self.kb.controls[cid]), cid, delay=DETAIL_DELAY)

    @on(ResultsList.Selected, "#results")
    def _row_chosen(self) -> None:
        if self.current_id is not None:
            self.open_detail(self.query_one(DetailPane))

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        self.table.focus()

    def action_to_table(self) -> None:
        self.table.focus()

    # -- actions -------------------------------------------------------------
    def leave_search(self) -> None:
        """Esc in the box: to the results in one key (the query stays; digits switch tabs from there)."""
        self.table.focus()

    def action_clear_or_leave(self) -> None:
        """Esc outside the box: from the detail pane back to the results, from the results to the box."""
        if self.focused is self.table:
            self.query_one("#search", Input).focus()
        else:
            self.table.focus()

    def action_open_source(self) -> None:
        cid = self.current_id
        if cid and self.kb.controls[cid].sources:
            self.app.open_url(self.kb.controls[cid].sources[0])

    def show_record(self, kind: str, record_id: str) -> None:
        if kind != "control":
            return
        search = self.query_one("#search", Input)
        search.value = record_id  # the watcher searches
        if (index := self.table.index_of(record_id)) is not None:
            self.table.move_cursor(index)
        self.table.focus()
