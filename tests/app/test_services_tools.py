"""Services (sortable, filterable table with details) and Tools (catalog with controls)."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from tui.app.app import OwnitApp
from tui.app.screens.detail import DetailScreen
from tui.app.screens.layers import LayersScreen
from tui.app.screens.services import COLUMNS, ServicesScreen
from tui.app.screens.tools import ToolsScreen
from tui.app.widgets.detail_pane import DetailPane


def keys(table: DataTable[object]) -> list[str]:
    return [str(k.value) for k in table.rows]


async def test_services_filter_sort_and_detail(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ServicesScreen)
        table = screen.query_one(DataTable)
        assert set(keys(table)) == set(app.kb.services)
        shorts = [app.kb.services[k].short.lower() for k in keys(table)]
        assert shorts == sorted(shorts)
        await pilot.press("s")  # next column: where the responsibility line sits
        await pilot.pause()
        assert screen.sort_index == 1 and "▲" in table.columns[table.ordered_columns[1].key].label.plain
        lines = [app.kb.services[k].responsibility_line() for k in keys(table)]
        assert lines == sorted(lines)
        assert [c.label.plain.split()[0:2] for c in table.ordered_columns[2:4]] == [["Your", "ctrls"], ["Shared", "ctrls"]]
        await pilot.click("#service-table", offset=(3, 1))  # header click: sort by name, then reverse
        await pilot.pause()
        await pilot.click("#service-table", offset=(3, 1))
        await pilot.pause()
        assert screen.sort_index == 0 and screen.reverse
        await pilot.press("slash", *"fargate")
        await pilot.pause()
        assert keys(table) == ["ecs.fargate"]
        assert app.kb.services["ecs.fargate"].name in screen.query_one(DetailPane).markdown
        await pilot.press("enter")  # from the filter into the table
        assert app.focused is table
        await pilot.press("l")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, LayersScreen) and app.screen.service_id == "ecs.fargate"
        assert len(COLUMNS) == len(table.columns)


async def test_services_compare_and_narrow_detail(app: OwnitApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("escape", "c")
        await pilot.pause()
        assert app.current_mode == "compare"


async def test_tools_list_and_their_controls(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ToolsScreen)
        tools = screen.query_one(OptionList)
        assert tools.option_count == len(app.kb.tools)
        tools.highlighted = tools.get_option_index("security-hub")
        await pilot.pause()
        pane = screen.query_one(DetailPane)
        assert "Controls it helps with" in pane.markdown and "iam.root-mfa" in pane.markdown
        await pilot.press("enter")
        assert app.focused is pane


async def test_tools_narrow_enter_opens_detail(app: OwnitApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        first = sorted(app.kb.tools.values(), key=lambda t: t.name.lower())[0]
        assert first.name in app.screen.markdown


async def test_the_counts_are_on_screen_at_120x40(app: OwnitApp) -> None:
    from tui.kb.loader import load_sources, shipped_data_dir

    shipped = OwnitApp(load_sources([shipped_data_dir()]), settings_path=app.settings_path)
    async with shipped.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        table = shipped.screen.query_one(DataTable)
        shown = table.scrollable_content_region.width
        upto_shared = sum(c.get_render_width(table) for c in list(table.columns.values())[:4])
        assert upto_shared <= shown  # name, line, your and shared counts without scrolling sideways
