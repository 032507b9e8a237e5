"""SVG snapshots of the main screens at 80x24 and 120x40 on the fixture knowledge base.

textual is pinned exactly (pyproject) because these compare its rendering.
Regenerate after a deliberate change with `pytest tests/app/test_snapshots.py --snapshot-update`
and look at the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tui.app.app import OwnitApp

SIZES = [(80, 24), (120, 40)]


async def settle(pilot: Pilot[object]) -> None:
    """No blinking cursors, no running timers: the same picture every time."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause(0.7)  # the line's highlight after a move fades after 0.6s


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_layers(snap_compare: Callable[..., bool], make_app: Callable[..., OwnitApp], size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await pilot.pause()
        pilot.app.screen.service_id = "rds"  # type: ignore[attr-defined]
        await pilot.press("tab" if size[0] < 100 else "right", "down", "down")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_compare(snap_compare: Callable[..., bool], make_app: Callable[..., OwnitApp], size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await pilot.press("2")
        await pilot.pause()
        pilot.app.screen.set_services(["ec2", "ecs.fargate", "lambda"])  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_controls(snap_compare: Callable[..., bool], make_app: Callable[..., OwnitApp], size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await pilot.press("4")
        await pilot.pause()
        await pilot.press(*"owner:customer mfa")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_help(snap_compare: Callable[..., bool], make_app: Callable[..., OwnitApp], size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_checklist(snap_compare: Callable[..., bool], make_app: Callable[..., OwnitApp], size: tuple[int, int],
                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The review screen: ranks, priorities, a decision, a note and the scope filter."""
    monkeypatch.chdir(tmp_path)  # the title shows the project's path: keep it the same on every machine
    Path("demo.yaml").write_text("name: demo\nservices: [ec2, rds, s3]\nitems:\n"
                                 "  iam.root-mfa: {status: done, note: hardware keys, by: dana, at: 2026-11-28}\n")

    async def run_before(pilot: Pilot[object]) -> None:
        await pilot.press("6")
        await pilot.pause()
        pilot.app.screen.query_one("#filter-scope").value = "workload"  # type: ignore[attr-defined]
        await pilot.pause()
        await settle(pilot)

    assert snap_compare(make_app(project=Path("demo.yaml")), terminal_size=size, run_before=run_before)
