"""Save the README's SVG screenshots from the app itself (run from the repo root):

    python scripts/screenshots.py [--out docs] [--size 120x40]

docs/layers.svg   the Layers home: RDS's stack, its responsibility line, a layer's detail
docs/compare.svg  EC2, ECS on Fargate and Lambda side by side, what changes for you
docs/controls.svg the controls search: `owner:customer mfa`
docs/checklist.svg a three-tier web app's review: items in rank order, the workload filter, two decisions

Uses the shipped knowledge base (not the user's overlays) and the default theme.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input  # noqa: E402

from tui.app.app import OwnitApp  # noqa: E402
from tui.kb import load_kb  # noqa: E402

Scene = Callable[[Pilot[object]], Awaitable[None]]


async def layers(pilot: Pilot[object]) -> None:
    pilot.app.screen.service_id = "rds"  # type: ignore[attr-defined]
    await pilot.pause()
    await pilot.press("right", *["down"] * 7)  # walk down to platform: SHARED for RDS


async def compare(pilot: Pilot[object]) -> None:
    await pilot.press("2")
    await pilot.pause()
    pilot.app.screen.set_services(["ec2", "ecs.fargate", "lambda"])  # type: ignore[attr-defined]


async def controls(pilot: Pilot[object]) -> None:
    await pilot.press("4")
    await pilot.pause()
    await pilot.press(*"owner:customer mfa")


async def checklist(pilot: Pilot[object]) -> None:
    await pilot.press("6")
    await pilot.pause()
    await pilot.press("d")  # the first item by rank: decided in the meeting
    await pilot.pause()
    pilot.app.screen.query_one("#filter-scope").value = "workload"  # type: ignore[attr-defined]
    await pilot.pause()
    await pilot.press("down")


SCENES: dict[str, Scene] = {"layers": layers, "compare": compare, "controls": controls, "checklist": checklist}


def design_file(directory: Path) -> Path:
    """A three-tier web app's project file (the README's review), its baseline inherited from a platform."""
    from tui.checklist.designs import DESIGNS

    os.chdir(directory)  # the title shows the project's path: a short relative one
    path = Path("web-shop.yaml")
    path.write_text(f"name: web-shop\nservices: [{', '.join(DESIGNS['three-tier-web'])}]\n"
                    "baseline: {inherited_from: acme-landing-zone, ref: PLAT-12}\nitems: {}\n")
    return path


async def shoot(name: str, scene: Scene, out: Path, size: tuple[int, int]) -> Path:
    project = design_file(Path(os.environ["XDG_DATA_HOME"])) if name == "checklist" else None
    app = OwnitApp(load_kb(include_user=False, use_cache=False), project=project)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await scene(pilot)
        for box in app.screen.query(Input):
            box.cursor_blink = False
        await pilot.pause(2.0)  # Markdown panes mount their blocks in the background
        path = out / f"{name}.svg"
        app.save_screenshot(filename=path.name, path=str(out))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs")
    parser.add_argument("--size", default="120x40", help="terminal size, WIDTHxHEIGHT")
    parser.add_argument("scenes", nargs="*", metavar="SCENE", help=f"any of {', '.join(SCENES)} (default: all)")
    args = parser.parse_args()
    unknown = [s for s in args.scenes if s not in SCENES]
    if unknown:
        parser.error(f"unknown scene {', '.join(unknown)}; scenes are {', '.join(SCENES)}")
    args.scenes = args.scenes or list(SCENES)
    width, height = (int(x) for x in args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:  # never read or write the user's own config
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
            os.environ[var] = home
        for name in args.scenes:
            print(asyncio.run(shoot(name, SCENES[name], args.out, (width, height))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
