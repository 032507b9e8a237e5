"""Controls: search as you type (`owner:customer service:s3 encrypt`), a table
of results with the matched letters highlighted, and the highlighted control
rendered as Markdown beside it (or on enter, when the screen is narrow).

Every keystroke re-runs the search (the index is built once) but only the
first PAGE rows are put in the table; more are appended as the cursor (or the
mouse wheel) nears the end, so a broad query never rebuilds hundreds of rows
per key. The highlighted control's Markdown is rendered only once typing
pauses for DETAIL_DELAY (and only when the highlighted control changed), after
the table's frame: a key never waits for Markdown.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Input

from tui.app.owners import owner_word
from tui.app.screens.base import OwnitScreen, cursor_key
from tui.app.widgets.detail_pane import DetailPane
from tui.app.widgets.search_box import SearchBox
from tui.app.widgets.status_line import StatusLine
from tui.kb.errors import UsageError
from tui.kb.markdown import record_markdown
from tui.kb.search import FILTER_KEYS, Hit

PAGE = 60  # a screenful or two; the next page arrives as the cursor or the wheel nears the end
DETAIL_DELAY = 0.08  # seconds of quiet typing before the detail pane renders the highlighted control
LAYER_W = 18  # narrow screens: long layer names are cut
LAYER_W_WIDE = 26  # room for the longest layer name, network-traffic-protection
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
        self.shown = 0
        self.query_text = ""
        self._detail_for: str | None = ""  # the control the detail pane was last asked to show
        self._with_id = False  # set with the columns, from the table's width

    def compose_body(self) -> ComposeResult:
        with Vertical(id="controls-top"):
            yield SearchBox(placeholder=PLACEHOLDER, id="search", select_on_focus=False)
            yield StatusLine(id="search-message")
        with Horizontal(id="controls-body"):
            yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
            yield DetailPane("Control", id="control-detail")

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#results", DataTable)

    def search_input(self) -> Widget | None:
        return self.query_one("#search", Input)

    def on_mount(self) -> None:
        self._columns_for = -1
        self.run_search("")
        self.query_one("#search", Input).focus()
        self.call_after_refresh(self._refit)
        self.watch(self.table, "scroll_y", self._scrolled, init=False)

    def _set_columns(self) -> None:
        """Fixed widths, the title taking what is left, so the table never grows sideways per query."""
        width = self.table.size.width
        if width == self._columns_for:
            return
        self._columns_for = width
        avail = max(40, width - 4)
        layer_w = LAYER_W_WIDE if avail >= 90 else LAYER_W
        rest = avail - (8 + 2) - (layer_w + 2)
        # the id column only where the title keeps room to be read; the detail pane's title names the id anyway
        self._with_id = rest - (ID_W + 2) >= 40
        title_w = max(24, rest - (ID_W + 2 if self._with_id else 0))
        table = self.table
        table.clear(columns=True)
        table.add_column("Owner", key="owner", width=8)
        table.add_column("Title", key="title", width=title_w)
        table.add_column("Layer", key="layer", width=layer_w)
        if self._with_id:
            table.add_column("ID", key="id", width=ID_W)

    def on_resize(self) -> None:
        if self.is_mounted and self._columns_for != -1:
            self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        if self.table.size.width != self._columns_for:
            self._fill()

    # -- searching -----------------------------------------------------------
    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    def run_search(self, query: str) -> None:
        """Search and refill the table; a bad filter shows a message and keeps the last results."""
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
        self._fill()
        self._update_status()

    def _fill(self) -> None:
        table = self.table
        current = self.current_id
        self._set_columns()
        table.clear()
        self.shown = 0
        self._append(PAGE)
        if current is not None and current in table.rows:
            table.move_cursor(row=table.get_row_index(current), animate=False)
        self._show_detail()

    def _append(self, count: int) -> None:
        batch = self.hits[self.shown : self.shown + count]
        for hit in batch:
            c = hit.record
            cells = [owner_word(self.app, c.owner), title_text(hit), Text(c.layer)]
            if self._with_id:
                cells.append(Text(c.id))
            self.table.add_row(*cells, key=hit.id)
        self.shown += len(batch)

    def _update_status(self) -> None:
        n = len(self.hits)
        text = f"{n} control{'s' if n != 1 else ''}"
        if self.shown < n:
            text += f" · showing {self.shown} (more load as you scroll)"
        if not n:
            text += " · try fewer words, or remove a filter"
        self.query_one("#search-message", StatusLine).set(Text(text, style="dim"))

    # -- the highlighted control --------------------------------------------------
    @property
    def current_id(self) -> str | None:
        return cursor_key(self.table)

    @on(DataTable.RowHighlighted, "#results")
    def _row_moved(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.shown - 5:
            self._more()
        self._show_detail()

    def _scrolled(self, scroll_y: float) -> None:
        """Scrolling (mouse wheel, scrollbar) near the end loads the next page too."""
        if scroll_y >= self.table.max_scroll_y - 5:
            self._more()

    def _more(self) -> None:
        if self.shown < len(self.hits):
            self._append(PAGE)
            self._update_status()

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

    @on(DataTable.RowSelected, "#results")
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
        with search.prevent(Input.Changed):
            search.value = record_id
        self.run_search(record_id)
        if record_id in self.table.rows:
            self.table.move_cursor(row=self.table.get_row_index(record_id), animate=False)
        self.table.focus()
