"""Services: a sortable table (name, category, the layer above the line, how
many controls are yours or shared), a filter, and the service's owner map,
notes and controls beside it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import DataTable, Input
from textual.widgets.data_table import ColumnKey

from tui.app.screens.base import OwnitScreen, cursor_key
from tui.app.widgets.detail_pane import DetailPane
from tui.app.widgets.search_box import SearchBox
from tui.kb.browse import line_layer
from tui.kb.markdown import record_markdown
from tui.kb.model import Service

# (key, label, sort key)
# the counts say what they count (controls of the service's own, not layers): "0" never reads as "you own nothing"
COLUMNS = (
    ("name", "Service", lambda s, c: s.short.lower()),
    ("line", "Line below", lambda s, c: (s.responsibility_line(), s.short.lower())),
    ("customer", "Your ctrls", lambda s, c: (-c[0], s.short.lower())),
    ("shared", "Shared ctrls", lambda s, c: (-c[1], s.short.lower())),
    ("group", "Group", lambda s, c: (s.group, s.short.lower())),
    ("category", "Category", lambda s, c: (s.category, s.short.lower())),
)


class ServicesScreen(OwnitScreen):
    MODE = "services"
    BINDINGS = [
        Binding("s", "sort", "Sort", id="services.sort", tooltip="Sort by the next column (click a header too)"),
        Binding("l", "show_layers", "Layers", id="services.layers", tooltip="Open this service's stack on Layers"),
        Binding("c", "compare", "Compare", id="services.compare", tooltip="Compare this service with others"),
        Binding("down", "to_table", "Results", show=False, id="services.to-table",
                tooltip="Move from the filter into the table"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_index = 0
        self.reverse = False
        self.counts: dict[str, tuple[int, int]] = {}

    def compose_body(self) -> ComposeResult:
        yield SearchBox(placeholder="filter services: name, id, alias, group or category", id="service-filter")
        with Horizontal(id="services-body"):
            yield DataTable(id="service-table", cursor_type="row", zebra_stripes=True)
            yield DetailPane("Service", id="service-detail")

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#service-table", DataTable)

    def search_input(self) -> Widget | None:
        return self.query_one("#service-filter", Input)

    def on_mount(self) -> None:
        for s in self.kb.services.values():
            controls = self.kb.controls_for_service(s.id)
            self.counts[s.id] = (sum(c.owner == "customer" for c in controls), sum(c.owner == "shared" for c in controls))
        for key, label, _ in COLUMNS:
            self.table.add_column(label + "  ", key=key)  # room for the sort mark
        self._fill("")
        self.table.focus()

    def _fill(self, needle: str) -> None:
        current = self.current_id
        needle = needle.strip().lower()
        _, _, key = COLUMNS[self.sort_index]
        rows = [s for s in self.kb.services.values() if needle in self._haystack(s)]
        rows.sort(key=lambda s: key(s, self.counts[s.id]), reverse=self.reverse)
        table = self.table
        table.clear()
        for i, (ckey, label, _) in enumerate(COLUMNS):
            mark = (" ▼" if self.reverse else " ▲") if i == self.sort_index else ""
            table.columns[ColumnKey(ckey)].label = Text(label + mark)
        for s in rows:
            yours, shared = self.counts[s.id]
            table.add_row(Text(s.short, style="bold"), Text(line_layer(s) or "none"), Text(str(yours), justify="right"),
                          Text(str(shared), justify="right"), Text(s.group), Text(s.category), key=s.id)
        if current in table.rows:
            table.move_cursor(row=table.get_row_index(current), animate=False)
        self._show_detail()

    @staticmethod
    def _haystack(s: Service) -> str:
        return " ".join((s.id, s.short, s.name, s.group, s.category, *s.aliases)).lower()

    @property
    def current_id(self) -> str | None:
        return cursor_key(self.table)

    def _show_detail(self) -> None:
        sid = self.current_id
        pane = self.query_one(DetailPane)
        if sid is None:
            pane.show("No service matches the filter.", "Service")
            return
        pane.show(record_markdown(self.kb, "service", self.kb.services[sid]), self.kb.services[sid].name)

    @on(Input.Changed, "#service-filter")
    def _filtered(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#service-filter")
    def action_to_table(self) -> None:
        self.table.focus()

    @on(DataTable.RowHighlighted, "#service-table")
    def _moved(self) -> None:
        self._show_detail()

    @on(DataTable.HeaderSelected, "#service-table")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        index = [k for k, _, _ in COLUMNS].index(str(event.column_key.value))
        self.reverse = not self.reverse if index == self.sort_index else False
        self.sort_index = index
        self._fill(self.query_one("#service-filter", Input).value)

    @on(DataTable.RowSelected, "#service-table")
    def _chosen(self) -> None:
        if self.current_id is not None:
            self.open_detail(self.query_one(DetailPane))

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(COLUMNS)
        self.reverse = False
        self._fill(self.query_one("#service-filter", Input).value)
        self.notify(f"sorted by {COLUMNS[self.sort_index][1]}", timeout=1.5, markup=False)

    def action_show_layers(self) -> None:
        if self.current_id:
            self.ownit.jump("service", self.current_id)

    def action_compare(self) -> None:
        if self.current_id:
            self.ownit.open_compare([self.current_id])

    def show_record(self, kind: str, record_id: str) -> None:
        if kind == "service" and record_id in self.table.rows:
            self.table.move_cursor(row=self.table.get_row_index(record_id), animate=False)
