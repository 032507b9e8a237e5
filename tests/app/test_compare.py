"""Compare: aligned stacks, differing rows, the sentence and the controls that move."""

from __future__ import annotations

from tui.app.app import OwnitApp
from tui.app.screens.compare import CompareScreen
from tui.app.screens.service_chooser import ServiceChooser
from tui.app.widgets.compare_grid import CompareGrid, differing_layers
from tui.app.widgets.service_picker import ServicePicker


async def open_compare(app: OwnitApp, pilot: object) -> CompareScreen:
    await pilot.press("2")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, CompareScreen)
    return app.screen


async def test_ec2_and_lambda_differ_at_guest_os(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_compare(app, pilot)
        screen.set_services(["ec2", "lambda"])
        await pilot.pause()
        grid = screen.query_one(CompareGrid)
        assert [s.id for s in grid.services] == ["ec2", "lambda"]
        assert "guest-os" in grid.differing
        assert "physical" not in grid.differing
        rendered = grid.render().plain.splitlines()
        guest = next(line for line in rendered if "guest-os" in line)
        assert guest.startswith("≠")  # marked without colour
        physical = next(line for line in rendered if "physical" in line)
        assert not physical.startswith("≠")
        text = screen.query_one("#compare-text").markdown  # type: ignore[attr-defined]
        assert "Moving from EC2 to Lambda" in text and "AWS takes over" in text and "guest-os" in text
        assert "compute.ec2-patch-guest-os" in text  # a control that stops being yours


async def test_four_services_side_by_side(app: OwnitApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_compare(app, pilot)
        screen.set_services(["ec2", "rds", "s3", "lambda"])
        await pilot.pause()
        grid = screen.query_one(CompareGrid)
        assert len(grid.services) == 4
        header = grid.render().plain.splitlines()[0]
        for short in ("EC2", "RDS", "S3", "Lambda"):
            assert short in header
        assert grid.differing == differing_layers(grid.services)


async def test_swap_and_clear(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_compare(app, pilot)
        screen.set_services(["ec2", "s3", "rds"])
        await pilot.press("x")
        await pilot.pause()
        assert [p.service_id for p in screen.pickers[:3]] == ["s3", "ec2", "rds"]
        screen.pickers[2].focus()
        await pilot.press("delete")
        await pilot.pause()
        assert screen.pickers[2].service_id is None
        assert len(screen.query_one(CompareGrid).services) == 2
        screen.pickers[0].focus()
        await pilot.press("delete")  # A cannot be emptied
        assert screen.pickers[0].service_id == "s3"


async def test_pickers_step_and_choose(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_compare(app, pilot)
        first = screen.pickers[0]
        assert app.focused is first
        before = first.service_id
        await pilot.press("right")
        await pilot.pause()
        assert first.service_id != before
        assert screen.query_one(CompareGrid).services[0].id == first.service_id
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ServiceChooser)
        await pilot.press(*"s3", "enter")
        await pilot.pause()
        assert first.service_id == "s3"
        await pilot.click(ServicePicker, offset=(1, 0))  # the ◀ arrow steps back
        assert first.service_id != "s3"


async def test_click_a_row_selects_its_layer(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_compare(app, pilot)
        await pilot.click(CompareGrid, offset=(4, 1))  # the first row under the header: customer-data
        assert screen.query_one(CompareGrid).selected == 14
