"""Start-up (issue 12): the first screen's first render is the frame written, and it waits for the
knowledge base's services and layers only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.app import App

import tui.kb.loader as loader
from tui.app.app import OwnitApp
from tui.app.screens.checklist import ChecklistScreen
from tui.app.screens.layers import LayersScreen
from tui.app.widgets.detail_pane import DetailPane
from tui.checklist.store import ProjectFile
from tui.kb import load_kb
from tui.kb.knowledge import KnowledgeBase


@pytest.fixture
def start_log(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    """What happens at start-up, in order: ("frame", (batch depth, screen)) for each update the screen
    hands to the app to write (inside a batch it is dropped), and the calls that hold back or redo one."""
    log: list[tuple[str, object]] = []
    for name in ("switch_mode", "delay_update", "refresh_css"):
        original = getattr(App, name)

        def spy(self: App[object], *args: object, _original=original, _name=name, **kwargs: object) -> object:  # type: ignore[no-untyped-def]
            log.append((_name, args))
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(App, name, spy)
    display = App._display

    def spy_display(self: App[object], screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if renderable is not None:
            log.append(("frame", (self._batch_count, screen)))
        display(self, screen, renderable)

    monkeypatch.setattr(App, "_display", spy_display)
    return log


@pytest.mark.parametrize("with_project,mode,screen_type", [(False, "layers", LayersScreen),
                                                           (True, "checklist", ChecklistScreen)])
async def test_the_first_render_is_the_frame_written(make_app: Callable[..., OwnitApp], fixture_kb: KnowledgeBase,
                                                     tmp_path: Path, start_log: list[tuple[str, object]],
                                                     with_project: bool, mode: str, screen_type: type) -> None:
    project = None
    if with_project:  # `ownit PROJECT` opens on its checklist
        project = tmp_path / "demo.yaml"
        ProjectFile.create(project, "demo", ["ec2", "s3"], fixture_kb)
    app = make_app(project=project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first = next(i for i, (what, _) in enumerate(start_log) if what == "frame")
        assert start_log[:first] == []  # no mode switch, delay or CSS reparse before it
        depth, screen = start_log[first][1]  # type: ignore[misc]
        assert depth == 0  # drawn outside any batch: written, not thrown away
        assert isinstance(screen, screen_type) and screen is app.screen
        assert app.current_mode == mode and app.screen_stack == [screen]  # no blank screen under it
        await pilot.press("5")
        await pilot.pause()
        assert app.current_mode == "tools"
        await pilot.press("6" if with_project else "1")
        await pilot.pause()
        assert app.current_mode == mode and app.screen is screen  # the tab comes back to that screen


async def test_the_first_frame_waits_for_services_and_layers_only(fixture_kb_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "shipped_data_dir", lambda: fixture_kb_path)
    load_kb(include_user=False)  # builds and writes the cache
    kb = load_kb(include_user=False)  # reads it: the controls wait until first used
    loaded: list[bool] = []
    display = App._display

    def spy_display(self: App[object], screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if renderable is not None and not self._batch_count and not loaded:
            loaded.append("controls" in vars(kb))
        display(self, screen, renderable)

    monkeypatch.setattr(App, "_display", spy_display)
    app = OwnitApp(kb)
    assert f"{len(load_kb(include_user=False, use_cache=False).controls)} controls" in app.kb_info
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert loaded == [False]  # the first frame was written before the controls were unpickled
        await pilot.pause()
        assert "controls" in vars(kb)  # and they are loaded right after it
        assert "Controls on this layer" in app.screen.query_one(DetailPane).markdown


def test_tab_screens_keep_their_styles_in_default_css() -> None:
    """The first tab's screen is Textual's default screen, whose CSS and CSS_PATH Textual never loads."""
    import importlib

    from tui.app.screens.base import OwnitScreen

    for module in ("layers", "compare", "services", "controls", "tools", "checklist"):
        importlib.import_module(f"tui.app.screens.{module}")
    screens = OwnitScreen.__subclasses__()
    assert len(screens) >= 6 and all(not s.CSS and not s.CSS_PATH for s in screens)


def test_an_empty_detail_pane_parses_no_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every pane is empty in its screen's first frame: drawing it must not import or run markdown-it."""
    from tui.app.widgets import markdown_view

    def parse(*args: object) -> object:
        raise AssertionError("markdown parsed for an empty pane")

    monkeypatch.setattr(markdown_view, "markdown_renderable", parse)
    assert markdown_view.MarkdownView().render() == ""
