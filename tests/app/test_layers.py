"""The Layers (home) screen: services move the responsibility line, layers show their detail."""

from __future__ import annotations

import pytest

from tui.app.app import OwnitApp
from tui.app.screens.detail import DetailScreen
from tui.app.screens.layers import LayersScreen
from tui.app.screens.service_chooser import ServiceChooser
from tui.app.widgets.service_list import ServiceList
from tui.app.widgets.service_picker import ServicePicker
from tui.app.widgets.stack import ResponsibilityStack, stack_rows
from tui.kb.model import LAYER_IDS

SIZES = [(120, 40), (80, 24)]


def layers(app: OwnitApp) -> LayersScreen:
    assert isinstance(app.screen, LayersScreen)
    return app.screen


async def test_opens_on_ec2_with_its_line(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = layers(app)
        assert screen.service_id == "ec2"
        stack = screen.query_one(ResponsibilityStack)
        assert stack.service is not None and stack.service.id == "ec2"
        assert stack.line == app.kb.services["ec2"].responsibility_line()
        assert isinstance(app.focused, ServiceList)


async def test_picking_rds_moves_the_line(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = layers(app)
        stack = screen.query_one(ResponsibilityStack)
        ec2_line = stack.line
        order = [o.id for o in screen.query_one(ServiceList).options if o.id]
        steps = order.index("rds") - order.index("ec2")
        await pilot.press(*(["down"] * steps) if steps > 0 else ["up"] * -steps)
        await pilot.pause()
        assert screen.service_id == "rds"
        assert stack.line == app.kb.services["rds"].responsibility_line() != ec2_line
        # the drawn line row sits right below the lowest layer the customer owns or shares
        rows = stack_rows(stack.line)
        line_row = [r.layer for r in rows].index(None)
        assert rows[line_row - 1].layer == stack.line


async def test_clicking_a_service_in_the_list(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = layers(app)
        service_list = screen.query_one(ServiceList)
        service_list.highlighted = service_list.get_option_index("s3")
        await pilot.pause()
        assert screen.service_id == "s3"
        assert screen.query_one(ServicePicker).service_id == "s3"


async def test_stack_keys_walk_layers_and_show_detail(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = layers(app)
        stack = screen.query_one(ResponsibilityStack)
        await pilot.press("right")
        assert app.focused is stack
        assert stack.layer_id == "customer-data"
        await pilot.press("down", "down")
        assert stack.layer_id == LAYER_IDS[-3]
        await pilot.press("end")
        assert stack.layer_id == "physical"
        await pilot.press("up")
        assert stack.layer_id == "hardware"
        await pilot.press("home")
        assert stack.layer_id == "customer-data"
        await pilot.pause()
        assert screen.query_one("#layer-detail").border_title == "customer-data for EC2"
        await pilot.press("enter")  # wide: the detail pane takes focus
        assert app.focused is screen.query_one("#layer-detail")
        await pilot.press("left")
        assert isinstance(app.focused, ServiceList)


async def test_layer_detail_says_who_and_why(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = layers(app)
        screen.service_id = "rds"
        screen.query_one(ResponsibilityStack).select_layer("platform")
        await pilot.pause()
        md = screen.query_one("#layer-detail").markdown  # type: ignore[attr-defined]
        assert "SHARED" in md and "AWS ships engine patches" in md and "You pick the window" in md


async def test_click_a_band_selects_it(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        stack = layers(app).query_one(ResponsibilityStack)
        rows = stack_rows(stack.line)
        target = next(i for i, r in enumerate(rows) if r.layer == LAYER_IDS.index("iam"))
        await pilot.click(ResponsibilityStack, offset=(5, target))
        assert stack.layer_id == "iam"
        line_row = [r.layer for r in rows].index(None)
        await pilot.click(ResponsibilityStack, offset=(5, line_row))  # the line itself selects nothing
        assert stack.layer_id == "iam"


async def test_narrow_uses_the_picker_and_opens_detail_on_enter(app: OwnitApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = layers(app)
        assert screen.narrow
        picker = screen.query_one(ServicePicker)
        assert not screen.query_one(ServiceList).display or not screen.query_one(ServiceList).region.width
        picker.focus()
        await pilot.press("down")
        await pilot.pause()
        assert screen.service_id == picker.service_id != "ec2"
        await pilot.press("tab")
        assert isinstance(app.focused, ResponsibilityStack)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("escape")
        assert app.screen is screen


async def test_chooser_picks_by_alias(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ServiceChooser)
        await pilot.press(*"aurora", "enter")
        await pilot.pause()
        assert layers(app).service_id == "rds"


async def test_chooser_escape_keeps_the_service(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert layers(app).service_id == "ec2"


async def test_c_opens_compare_with_this_service(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        layers(app).service_id = "s3"
        await pilot.press("c")
        await pilot.pause()
        assert app.current_mode == "compare"
        assert app.screen.pickers[0].service_id == "s3"  # type: ignore[attr-defined]


@pytest.mark.parametrize("first,second", [SIZES, SIZES[::-1]])
async def test_resize_keeps_service_and_layer(app: OwnitApp, first: tuple[int, int], second: tuple[int, int]) -> None:
    async with app.run_test(size=first) as pilot:
        await pilot.pause()
        screen = layers(app)
        screen.service_id = "lambda"
        screen.query_one(ResponsibilityStack).select_layer("platform")
        await pilot.pause()
        for size in (second, (200, 60), (60, 20), first):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert screen.service_id == "lambda"
            assert screen.query_one(ResponsibilityStack).layer_id == "platform"
            assert screen.query_one(ServicePicker).service_id == "lambda"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_the_same_keys_mean_the_same_at_every_width(app: OwnitApp, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = layers(app)
        first = screen.service_id
        await pilot.press("down")  # the next service, from the list (wide) or the picker (narrow)
        await pilot.pause()
        second = screen.service_id
        assert second != first
        await pilot.press("right")  # into the stack, never another service
        await pilot.pause()
        assert app.focused is screen.query_one(ResponsibilityStack) and screen.service_id == second
        await pilot.press("left")
        await pilot.pause()
        assert app.focused is not screen.query_one(ResponsibilityStack) and screen.service_id == second
