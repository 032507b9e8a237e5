"""The Line-API results list on its own: keys, mouse, messages, columns fitted at every width."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult

from tui.app.widgets.results_list import Column, ResultsList

ROWS = [(f"row-{i:03d}", f"Title number {i} " + "word " * (i % 7)) for i in range(200)]


def fit(width: int) -> list[Column]:
    return [Column("id", "ID", 8), Column("title", "Title", max(10, width - 8 - 4))]


class ListApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str | None]] = []

    def compose(self) -> ComposeResult:
        yield ResultsList(lambda r: [Text(r[0]), Text(r[1], style="bold")], lambda r: r[0], fit, id="list")

    def on_mount(self) -> None:
        self.query_one(ResultsList).set_rows(ROWS)
        self.query_one(ResultsList).focus()

    def on_results_list_highlighted(self, event: ResultsList.Highlighted) -> None:
        if not isinstance(event, ResultsList.Selected):
            self.seen.append(("highlighted", event.key))

    def on_results_list_selected(self, event: ResultsList.Selected) -> None:
        self.seen.append(("selected", event.key))


async def test_keys_move_the_cursor_and_keep_it_on_screen() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 20)) as pilot:
        lst = app.query_one(ResultsList)
        await pilot.pause()
        assert app.seen == [("highlighted", "row-000")]
        await pilot.press("down", "down")
        assert lst.current_key == "row-002"
        await pilot.press("pagedown")
        assert lst.cursor == 2 + (lst.scrollable_content_region.height - 2)
        await pilot.press("end")
        await pilot.pause()
        assert lst.current_key == "row-199" and lst.scroll_y == lst.max_scroll_y
        assert lst.render_line(lst.scrollable_content_region.height - 1).text.strip().startswith("row-199")
        assert lst.render_line(0).text.split() == ["ID", "Title"]  # the header stays on top
        await pilot.press("home", "up")
        assert lst.cursor == 0 and lst.scroll_y == 0
        await pilot.press("enter")
        await pilot.pause()
        assert app.seen[-1] == ("selected", "row-000")
        assert ("highlighted", "row-199") in app.seen


async def test_click_highlights_and_a_second_click_selects() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 20)) as pilot:
        lst = app.query_one(ResultsList)
        await pilot.click(ResultsList, offset=(5, 4))  # the header is line 0: line 4 is row 3
        await pilot.pause()
        assert lst.current_key == "row-003"
        assert app.seen[-1] == ("highlighted", "row-003")
        await pilot.click(ResultsList, offset=(5, 4))
        await pilot.pause()
        assert app.seen[-1] == ("selected", "row-003")
        await pilot.click(ResultsList, offset=(5, 0))  # the header: nothing
        await pilot.pause()
        assert lst.current_key == "row-003"


async def test_the_wheel_scrolls_without_moving_the_cursor() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 20)) as pilot:
        lst = app.query_one(ResultsList)
        await pilot.mouse_down(ResultsList, offset=(5, 5))  # hover first
        lst.post_message(events.MouseScrollDown(lst, 5, 5, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert lst.scroll_y > 0 and lst.cursor == 0


async def test_columns_fit_every_width_and_new_rows_keep_the_cursor() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 20)) as pilot:
        lst = app.query_one(ResultsList)
        for width in (40, 80, 131, 60):
            await pilot.resize_terminal(width, 20)
            await pilot.pause()
            inner = lst.scrollable_content_region.width
            for y in range(lst.scrollable_content_region.height):
                assert lst.render_line(y).cell_length == inner
            assert sum(c.width + 2 for c in lst.columns) <= inner
        await pilot.press("down", "down", "down")
        key = lst.current_key
        lst.set_rows(ROWS[2:], keep=key)
        assert lst.current_key == key and lst.cursor == 1
        lst.set_rows(ROWS[10:], keep=key)  # gone: the first row
        assert lst.cursor == 0 and lst.current_key == "row-010"
        lst.set_rows([])
        await pilot.pause()
        assert lst.current_key is None and app.seen[-1] == ("highlighted", None)
        await pilot.press("down", "enter")  # nothing to move to or select
        assert app.seen[-1] == ("highlighted", None)


async def test_long_cells_end_in_an_ellipsis_and_markup_stays_literal() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        lst = app.query_one(ResultsList)
        lst.set_rows([("x", "[bold]not markup[/bold] " * 5)])
        await pilot.pause()
        line = lst.render_line(1).text
        assert "[bold]not markup" in line and "…" in line


async def test_the_scrollbar_follows_the_rows_and_repaints_only_when_its_thumb_changes() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 20)) as pilot:
        lst = app.query_one(ResultsList)
        await pilot.pause()
        bar = lst.vertical_scrollbar
        repaints: list[int] = []
        original = bar.refresh
        bar.refresh = lambda *a, **k: (repaints.append(1), original(*a, **k))[1]  # type: ignore[method-assign]
        lst.set_rows(ROWS[:199])  # 200 -> 199 rows: the same thumb in eighths of a cell
        assert bar.window_virtual_size == 200 and not repaints
        lst.set_rows(ROWS[:40])  # a thumb three times as long: repainted
        assert bar.window_virtual_size == 41 and repaints
        lst.set_rows(ROWS[:3])  # rows that fit: the bar goes
        await pilot.pause()
        assert not lst.show_vertical_scrollbar
