"""App-wide keys and behaviour: tabs, help, search, quit, palette, themes, markup."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from tui.app.app import OwnitApp
from tui.app.screens.controls import ControlsScreen
from tui.app.screens.help import HelpScreen, help_markdown
from tui.app.screens.layers import LayersScreen
from tui.app.settings import config_path, load_settings
from tui.app.widgets.navbar import TABS, NavTab
from tui.app.widgets.stack import ResponsibilityStack


@pytest.mark.parametrize("number,mode", [(n, mode) for n, (mode, _) in enumerate(TABS, start=1)])
async def test_number_keys_open_tabs(app: OwnitApp, number: int, mode: str) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(str(number))
        await pilot.pause()
        assert app.current_mode == mode
        assert app.screen.query_one(f"#tab-{mode}", NavTab).has_class("-active")


async def test_clicking_a_tab_opens_it(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#tab-tools")
        await pilot.pause()
        assert app.current_mode == "tools"
        await pilot.click("#tab-layers")
        await pilot.pause()
        assert app.current_mode == "layers"


async def test_tabs_keep_their_state(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.service_id = "s3"  # type: ignore[attr-defined]
        await pilot.press("3", "1")
        await pilot.pause()
        assert isinstance(app.screen, LayersScreen) and app.screen.service_id == "s3"


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_opens_and_closes(app: OwnitApp, key: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, LayersScreen)


def test_help_says_the_idea_the_syntax_and_every_key() -> None:
    text = " ".join(help_markdown().split())
    for phrase in ("security **of** the cloud", "security **in** the cloud", "homeowner", "builder",
                   "if you can edit it, you own it", "responsibility line"):
        assert phrase.lower() in text.lower()
    for key in ("owner:", "service:", "layer:", "domain:", "phase:", "severity:", "kind:", "tool:",
                "fsbp:", "cis:", "nist:", "ccm:", "wa:"):
        assert f"`{key}" in text
    for key in ("`q`", "`?`", "`/`", "`ctrl+p`", "`c`", "`s`", "`x`", "`o`", "`enter`", "`1`", "`6`"):
        assert key in text


async def test_slash_focuses_search(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")  # Layers has no search box: the controls search opens
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ControlsScreen)
        assert isinstance(app.focused, Input) and app.focused.id == "search"
        await pilot.press("escape", "3", "slash")  # Services: its own filter
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.id == "service-filter"


async def test_q_quits(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_q_in_a_search_box_is_typed(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("q")
        assert app.is_running
        assert app.screen.query_one("#search", Input).value == "q"


async def palette_pick(app: OwnitApp, pilot: object, text: str) -> None:
    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*text)  # type: ignore[attr-defined]
    await pilot.pause(0.5)  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_palette_jumps_to_a_control(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await palette_pick(app, pilot, "iam.root-mfa")
        assert isinstance(app.screen, ControlsScreen)
        assert app.screen.current_id == "iam.root-mfa"


@pytest.mark.parametrize("text,service", [("aurora", "rds"), ("fargate", "ecs.fargate"), ("ecs", "ecs")])
async def test_palette_jumps_to_a_service_by_alias(app: OwnitApp, text: str, service: str) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await palette_pick(app, pilot, text)
        assert isinstance(app.screen, LayersScreen)
        assert app.screen.service_id == service


async def test_palette_jumps_to_a_layer_and_a_tool(app: OwnitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await palette_pick(app, pilot, "guest-os")
        assert isinstance(app.screen, LayersScreen)
        assert app.screen.query_one(ResponsibilityStack).layer_id == "guest-os"
        await palette_pick(app, pilot, "guardduty")
        assert app.current_mode == "tools"
        assert app.screen.tool_id == "guardduty"  # type: ignore[attr-defined]


async def test_theme_is_remembered(make_app: Callable[..., OwnitApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert json.loads(config_path().read_text())["theme"] == "nord"
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"theme": 42}', '{"theme": "no-such-theme"}', ""])
async def test_a_bad_config_falls_back_silently(make_app: Callable[..., OwnitApp], content: str) -> None:
    path: Path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
    assert load_settings(path).theme in ("textual-dark", "no-such-theme")


async def test_a_screenshot_goes_where_the_user_finds_it_and_says_where(
        app: OwnitApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # no Downloads folder here: the current directory instead
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(tmp_path / "Downloads"))
    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_screenshot()
        await pilot.pause()
        saved = list(tmp_path.glob("*.svg"))
        assert len(saved) == 1
        assert any(f"Screenshot saved to {saved[0]}" in n.message for n in app._notifications)
        app.action_screenshot(path=str(tmp_path / "missing" / "dir"))
        await pilot.pause()
        assert any(n.message.startswith("Screenshot not saved: cannot write in") for n in app._notifications)


@pytest.mark.parametrize("theme", ["solarized-light", "textual-light", "textual-dark"])
async def test_owner_colours_are_readable_on_every_theme(app: OwnitApp, theme: str) -> None:
    from textual.color import Color

    from tui.app.owners import owner_colour

    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await pilot.pause()
        background = Color.parse(app.theme_variables["background"])

        def luminance(c: Color) -> float:
            def channel(v: int) -> float:
                v = v / 255
                return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
            return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)

        for owner in ("aws", "shared", "customer"):
            fg = Color.parse(owner_colour(app, owner))
            hi, lo = sorted((luminance(fg), luminance(background)), reverse=True)
            assert (hi + 0.05) / (lo + 0.05) >= 3.0, (theme, owner)  # WCAG's minimum for large and bold text
