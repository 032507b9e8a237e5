"""A list of search results drawn on Textual's Line API: a header, a row cursor,
zebra stripes, ellipsis-cut columns whose widths the screen fits to its width.

Why not DataTable: a DataTable renders every visible cell through Rich again
after each `clear()` (its cache key includes the update count), 35-60 ms a
keystroke on a two-core machine. This list keeps only the rows (any objects)
and a function that turns one row into its cells; it renders only the lines on
screen, each once, and caches the finished Strip until the rows, the width or
the styles change. Replacing the rows on a keystroke costs nothing until the
next paint, and the paint costs a screenful of lines.

Keys: up/down, page up/down, home/end (and ctrl+home/ctrl+end), enter selects.
Mouse: a click highlights a row, a click on the highlighted row selects it;
the wheel and the scrollbar scroll. `Highlighted` is posted whenever the row
under the cursor changes (a key, a click, new rows), `Selected` on enter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

HEADER = 1  # lines above the first row
PAD = 1  # cells of padding on each side of a column


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # cells of content, without the padding


class ResultsList(ScrollView, can_focus=True):
    """`set_rows(rows, keep=key)`; `cells(row)` gives a row's Texts, `key(row)` its id, `fit(width)` the columns
    for a width (asked again whenever the list's width changes, so the columns always fit)."""

    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,ctrl+home", "to(0)", "First", show=False),
        Binding("end,ctrl+end", "to(-1)", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "results-list--header", "results-list--cursor", "results-list--even-row",
    }
    DEFAULT_CSS = """
    ResultsList {
        overflow-x: hidden;
        background: $surface;
        color: $foreground;
        & > .results-list--header { text-style: bold; background: $panel; color: $foreground; }
        & > .results-list--even-row { background: $surface-lighten-1 50%; }
        &:dark > .results-list--even-row { background: $surface-darken-1 40%; }
        & > .results-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .results-list--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    class Highlighted(Message):
        """The row under the cursor changed (`key` is None when the list is empty)."""

        def __init__(self, results_list: ResultsList, index: int, key: str | None) -> None:
            super().__init__()
            self.results_list = results_list
            self.index = index
            self.key = key

        @property
        def control(self) -> ResultsList:
            return self.results_list

    class Selected(Highlighted):
        """Enter (or a click) on the highlighted row."""

    def __init__(self, cells: Callable[[Any], Sequence[Text]], key: Callable[[Any], str],
                 fit: Callable[[int], Sequence[Column]], *,
                 name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._cells = cells
        self._key = key
        self._fit = fit
        self.rows: Sequence[Any] = ()
        self.columns: list[Column] = []
        self._fitted_for = -1
        self.cursor = 0
        self._index: dict[str, int] | None = None  # key -> row, built on first lookup
        self._painted: dict[int, tuple[str, tuple[Text, ...]]] = {}  # row -> (key, cells) it is painted with
        self._lines: dict[tuple[int, bool], Strip] = {}  # (row, under the cursor) -> finished line
        self._styles: tuple[Style, ...] = ()
        self._announced: str | None = None

    # -- contents --------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any], keep: str | None = None) -> None:
        """New rows; the cursor stays on `keep` when it is among them, else goes to the first row.

        Only the lines on screen whose row (key and cells) or cursor changed are painted again: a
        keystroke that refines a query often keeps the top rows, and a half-typed filter keeps all."""
        old_top, old_cursor = self.scroll_offset.y, self.cursor
        self.rows = rows
        self._index = None
        index = self.index_of(keep) if keep is not None else None
        self.cursor = index or 0
        self._set_height()
        self.scroll_to(y=0, animate=False, immediate=True)
        self._scroll_to_cursor()
        top = self.scroll_offset.y
        painted, self._painted = self._painted, {}
        if top != old_top:
            self._lines.clear()
            self.refresh()
        else:
            for row in range(top, top + max(0, self.scrollable_content_region.height - HEADER)):
                now = self._row(row) if row < len(rows) else None
                if now is not None and painted.get(row) == now:  # the same line: its finished Strips stay
                    if (row == self.cursor) == (row == old_cursor):
                        continue
                else:
                    self._lines.pop((row, False), None)
                    self._lines.pop((row, True), None)
                self._refresh_row(row)
            self._lines = {k: v for k, v in self._lines.items() if k[0] in self._painted}
        self._announce()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def keys(self) -> list[str]:
        return [self._key(row) for row in self.rows]

    def key_at(self, index: int) -> str | None:
        return self._key(self.rows[index]) if 0 <= index < len(self.rows) else None

    def index_of(self, key: str) -> int | None:
        find = getattr(self.rows, "index_of", None)  # a lazy sequence can find a key without building rows
        if find is not None:
            return find(key)  # type: ignore[no-any-return]
        if self._index is None:
            self._index = {self._key(row): i for i, row in enumerate(self.rows)}
        return self._index.get(key)

    def cells_of(self, key: str) -> dict[str, Text]:
        """One row's cells by column key (what a test reads instead of the screen)."""
        index = self.index_of(key)
        if index is None:
            raise KeyError(key)
        self._fit_columns(self.scrollable_content_region.width)
        return {c.key: cell for c, cell in zip(self.columns, self._row(index)[1], strict=False)}

    @property
    def current_key(self) -> str | None:
        return self.key_at(self.cursor)

    def _row(self, index: int) -> tuple[str, tuple[Text, ...]]:
        """A row's key and cells, made once while the rows stay the same."""
        row = self._painted.get(index)
        if row is None:
            item = self.rows[index]
            row = self._painted[index] = (self._key(item), tuple(self._cells(item)))
        return row

    def _set_height(self) -> None:
        size = Size(0, len(self.rows) + HEADER)  # never wider than the list: the columns are fitted
        if size == self.virtual_size:
            return
        old = self.virtual_size.height
        # `virtual_size` lays out the whole screen when set; new rows change only this list's scroll
        # limits and scrollbar, which _scroll_update sets in place (it asks for a layout itself when
        # the scrollbar appears or goes)
        self.set_reactive(ResultsList.virtual_size, size)
        bar = self.vertical_scrollbar if self.show_vertical_scrollbar else None
        if bar is not None and self.scroll_y == 0 and self._same_thumb(old, size.height):
            bar.set_reactive(ScrollBar.window_virtual_size, size.height)  # the same picture: no repaint
            return
        self._scroll_update(size)

    def _same_thumb(self, old: int, new: int) -> bool:
        """Whether a scrollbar at the top draws the same thumb for both heights (ScrollBarRender's sum in
        eighths of a cell): 6,000 hits or 5,000 draw the same one-cell thumb, so the bar is not repainted."""
        window = self.scrollable_content_region.height
        if min(old, new) <= window:  # rows that fit: the bar goes (a layout)
            return False
        length = self.vertical_scrollbar.size.height

        def eighths(height: int) -> int:
            return ceil(max(1, window / (height / length)) * 8)

        return eighths(old) == eighths(new)

    def _fit_columns(self, width: int) -> None:
        if width != self._fitted_for:
            self._fitted_for = width
            self.columns = list(self._fit(width))
            self._lines.clear()

    # -- the cursor --------------------------------------------------------------
    def move_cursor(self, index: int, scroll: bool = True) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        if index != self.cursor:
            self._refresh_row(self.cursor)
            self.cursor = index
            self._refresh_row(index)
        if scroll:
            self._scroll_to_cursor()
        self._announce()

    def _refresh_row(self, index: int) -> None:
        self.refresh_line(index + HEADER)

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.scrollable_content_region.height - HEADER)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def _announce(self) -> None:
        key = self.current_key
        if key != self._announced:
            self._announced = key
            self.post_message(self.Highlighted(self, self.cursor, key))

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor + direction * max(1, self.scrollable_content_region.height - HEADER - 1))

    def action_to(self, index: int) -> None:
        self.move_cursor(index if index >= 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.cursor, self.current_key))

    async def _on_click(self, event: events.Click) -> None:
        row = event.y - HEADER + round(self.scroll_y)
        if event.y < HEADER or not 0 <= row < len(self.rows):
            return
        event.stop()
        if row == self.cursor or event.chain > 1:
            self.move_cursor(row)
            self.action_select()
        else:
            self.move_cursor(row, scroll=False)

    # -- painting ---------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        # focus, theme or CSS changed the component styles; a theme may change the cells' own colours too
        self._lines.clear()
        self._painted.clear()

    def render_lines(self, crop):  # type: ignore[no-untyped-def]
        # the component styles once per paint, not once per line
        styles = (
            self.rich_style,
            self.get_component_rich_style("results-list--header"),
            self.get_component_rich_style("results-list--even-row"),
            self.get_component_rich_style("results-list--cursor"),
        )
        if styles != self._styles:
            self._styles = styles
            self._lines.clear()
        self._fit_columns(self.scrollable_content_region.width)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self._fitted_for  # the width render_lines fitted the columns to, for this paint
        base, header, even, cursor = self._styles
        if y < HEADER:
            return self._line([Text(c.label) for c in self.columns], base + header, width)
        row = y - HEADER + round(self.scroll_y)
        if row >= len(self.rows):
            return Strip.blank(width, base)
        at_cursor = row == self.cursor
        line = self._lines.get((row, at_cursor))
        if line is None:
            style = base + (even if row % 2 else Style())
            # the cursor's colours win over a cell's own (an owner colour on the cursor's colour is unreadable)
            line = self._line(self._row(row)[1], style, width, cursor if at_cursor else None)
            self._lines[(row, at_cursor)] = line
        return line

    def _line(self, cells: Sequence[Text], style: Style, width: int, over: Style | None = None) -> Strip:
        console = self.app.console
        segments: list[Segment] = []
        pad = Segment(" " * PAD)
        for column, cell in zip(self.columns, cells, strict=False):
            segments.append(pad)
            if cell.spans:
                text = cell.copy()
                text.truncate(column.width, overflow="ellipsis", pad=True)
                segments.extend(text.render(console))
            else:  # most cells: one segment (and Text.render would drop a span-less text's own style)
                plain = cell.plain
                if cell_len(plain) > column.width:
                    plain = set_cell_size(plain, column.width - 1) + "…"
                else:
                    plain = set_cell_size(plain, column.width)
                segments.append(Segment(plain, console.get_style(cell.style) if cell.style else None))
            segments.append(pad)
        if over is not None:
            style += over
        return Strip(list(Segment.apply_style(segments, style, over))).adjust_cell_length(width, style)
