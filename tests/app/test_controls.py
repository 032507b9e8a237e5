"""Controls: search as you type, inline errors, literal text, paging, details."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from rich.text import Text
from textual.widgets import Input

from tui.app.app import OwnitApp
from tui.app.screens.controls import ControlsScreen
from tui.app.screens.detail import DetailScreen
from tui.app.widgets.detail_pane import DetailPane
from tui.app.widgets.results_list import ResultsList
from tui.app.widgets.status_line import StatusLine
from tui.kb.knowledge import KnowledgeBase


async def open_controls(app: OwnitApp, pilot: object) -> ControlsScreen:
    await pilot.press("4")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, ControlsScreen)
    return app.screen


def rows(screen: ControlsScreen) -> list[str]:
    return screen.query_one(ResultsList).keys()


async def test_typing_owner_customer_mfa_filters(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_controls(app, pilot)
        assert len(rows(screen)) == len(app.kb.controls)
        await pilot.press(*"owner:customer mfa")
        await pilot.pause()
        found = rows(screen)
        assert found and "iam.root-mfa" in found
        for cid in found:
            c = app.kb.controls[cid]
            assert c.owner == "customer"
            assert "mfa" in f"{c.id} {c.title} {c.customer}".lower()
        # the matched letters in the title are highlighted
        title = screen.query_one(ResultsList).cells_of("iam.root-mfa")["title"]
        assert isinstance(title, Text) and any("reverse" in str(span.style) for span in title.spans)


async def test_every_keystroke_updates(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_controls(app, pilot)
        counts = []
        for ch in "rds":
            await pilot.press(ch)
            await pilot.pause()
            counts.append(len(rows(screen)))
        assert counts[0] >= counts[1] >= counts[2] > 0


async def test_bad_filter_shows_a_message_and_keeps_results(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_controls(app, pilot)
        await pilot.press(*"owner:nobody")
        await pilot.pause()
        message = screen.query_one("#search-message", StatusLine)
        assert message.has_class("-error")
        assert "unknown owner" in str(message.render())
        assert rows(screen)  # the last good results stay
        await pilot.press(*" x", "ctrl+u")  # keep typing, then clear: still alive
        await pilot.press(*"owner:customer")
        await pilot.pause()
        assert not message.has_class("-error")


async def test_markup_in_titles_stays_literal(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_controls(app, pilot)
        await pilot.press(*"ssh")
        await pilot.pause()
        assert rows(screen) == ["network.ec2-restrict-ssh"]
        title = screen.query_one(ResultsList).cells_of("network.ec2-restrict-ssh")["title"]
        assert "[bold]" in title.plain
        pane = screen.query_one(DetailPane)
        assert "\\[bold\\]" in pane.markdown  # escaped for Markdown
        screenshot = app.export_screenshot()
        assert "[bold]" in screenshot.replace("&#160;", " ")


async def test_one_escape_leaves_the_search_and_digits_switch_tabs(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_controls(app, pilot)
        search = screen.query_one(Input)
        await pilot.press(*"mfa")
        assert any(b.binding.description == "Leave search" for b in app.active_bindings.values() if b.binding.show)
        await pilot.press("escape")  # one key leaves the box; the query stays
        assert isinstance(app.focused, ResultsList) and search.value == "mfa"
        await pilot.press("escape")
        assert app.focused is search
        await pilot.press("down")
        assert isinstance(app.focused, ResultsList)
        await pilot.press("enter", "escape")  # from the detail pane back to the results, not into the box
        assert isinstance(app.focused, ResultsList)
        await pilot.press("3")
        await pilot.pause()
        assert app.current_mode == "services"


async def test_a_digit_in_an_empty_search_box_switches_tabs(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_controls(app, pilot)
        search = screen.query_one(Input)
        await pilot.press("s", "3")  # with text, a digit is typed
        assert search.value == "s3" and app.current_mode == "controls"
        search.value = ""
        await pilot.press("6")
        await pilot.pause()
        assert app.current_mode == "checklist"


async def test_enter_on_a_row_shows_the_control(app: OwnitApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_controls(app, pilot)
        await pilot.press(*"root", "enter")  # enter in the search box moves to the table
        assert isinstance(app.focused, ResultsList)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert "Turn on MFA for the root user" in app.screen.markdown
        await pilot.press("escape")
        assert app.screen is screen


async def test_wide_enter_focuses_the_detail(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_controls(app, pilot)
        await pilot.press("enter", "enter")
        assert app.focused is screen.query_one(DetailPane)


async def test_open_source_uses_the_first_url(app: OwnitApp, monkeypatch: object) -> None:
    opened: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_controls(app, pilot)
        app.open_url = lambda url, **kw: opened.append(url)  # type: ignore[method-assign]
        await pilot.press("down", "o")
        assert opened == [app.kb.controls[screen.current_id].sources[0]]  # type: ignore[index]


def many_controls(kb: KnowledgeBase, n: int) -> KnowledgeBase:
    base = kb.controls["iam.root-mfa"]
    controls = dict(kb.controls)
    for i in range(n):
        c = dataclasses.replace(base, id=f"iam.bulk-{i:04d}", title=f"Bulk control {i} about keys")
        controls[c.id] = c
    return KnowledgeBase(kb.layers, kb.services, controls, kb.tools, kb.frameworks, kb.meta)


async def test_large_results_paint_only_the_lines_on_screen(make_app: Callable[..., OwnitApp],
                                                          fixture_kb: KnowledgeBase) -> None:
    app = make_app(many_controls(fixture_kb, 700))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_controls(app, pilot)
        results = screen.query_one(ResultsList)
        built: list[str] = []
        cells = results._cells
        results._cells = lambda hit: (built.append(hit.id), cells(hit))[1]  # type: ignore[method-assign]
        await pilot.press(*"bulk")
        await pilot.pause()
        assert results.row_count == 700  # every hit is a row ...
        assert 0 < len(set(built)) <= 40  # ... but only a screenful was ever turned into cells
        assert "700 controls" in str(screen.query_one("#search-message", StatusLine).render())
        await pilot.press("down", "ctrl+end")  # to the list, then its last row
        await pilot.pause()
        assert screen.current_id == results.key_at(699)
        assert results.scroll_y == results.max_scroll_y
        await pilot.press("home")
        assert results.cursor == 0 and results.scroll_y == 0
        await pilot.press("pagedown")
        assert results.cursor > 20 and screen.current_id == results.key_at(results.cursor)
        screen.query_one(Input).focus()
        await pilot.press(*" control 69")
        await pilot.pause()
        assert set(rows(screen)) >= {"iam.bulk-0069", "iam.bulk-0690"}


async def test_resize_keeps_query_and_row(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_controls(app, pilot)
        await pilot.press(*"mfa", "enter", "down")
        chosen = screen.current_id
        assert chosen is not None
        for size in ((80, 24), (200, 60), (60, 20), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            assert screen.query_one(Input).value == "mfa"
            assert screen.current_id == chosen
            assert screen.query_one(DetailPane).border_title == chosen


async def test_a_keystroke_lays_out_nothing(make_app: Callable[..., OwnitApp], fixture_kb: KnowledgeBase,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A layout reflows every widget on the screen (the detail's Markdown blocks too): most of a key's cost.
    Typing changes the box's text and the list's rows, never a size, so no key may ask for one."""
    from textual.screen import Screen

    app = make_app(many_controls(fixture_kb, 700))  # the scrollbar stays: its coming and going is a layout
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_controls(app, pilot)
        await pilot.pause(0.3)
        layouts: list[str] = []
        original = Screen._refresh_layout
        monkeypatch.setattr(Screen, "_refresh_layout",
                            lambda self, *a, **k: (layouts.append(str(self)), original(self, *a, **k))[1])
        screen.query_one(DetailPane).show = lambda *a, **k: None  # type: ignore[method-assign]  # its own layouts
        before = len(rows(screen))
        for ch in "bulk 1":
            await pilot.press(ch)
            await pilot.pause()
        assert len(rows(screen)) < before
        assert layouts == []


async def test_a_new_query_highlights_its_best_hit(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_controls(app, pilot)
        await pilot.press("down", "down", "down")  # into the list, two rows down
        assert screen.query_one(ResultsList).cursor == 2
        screen.query_one(Input).focus()
        await pilot.press(*"mfa")
        await pilot.pause()
        assert screen.query_one(ResultsList).cursor == 0
        assert screen.current_id == rows(screen)[0]


async def test_a_theme_change_recolours_the_owner_column(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_controls(app, pilot)
        results = screen.query_one(ResultsList)
        await pilot.pause()
        before = [s.style.color for s in results.render_line(1) if s.text.strip() == "CUSTOMER"]
        app.theme = "textual-light"
        await pilot.pause()
        after = [s.style.color for s in results.render_line(1) if s.text.strip() == "CUSTOMER"]
        assert before and after and before != after  # owner colours are darker on light themes
