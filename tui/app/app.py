"""The ownit Textual app: one knowledge base, six tabs (screens as modes), a
palette that jumps to any record, and a remembered theme.

`run_app` is what `ownit [PROJECT]` calls; `OwnitApp(kb=...)` is what tests
and the screenshot script build, with the small fixture knowledge base.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.app.owners import OWNER_COLOURS, OWNER_COLOURS_LIGHT
from tui.app.settings import Settings, load_settings, save_settings
from tui.app.widgets.navbar import TABS
from tui.kb.knowledge import KnowledgeBase

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.theme import Theme

    from tui.kb.search import SearchIndex


def _lazy(module: str, name: str) -> Callable[[], Screen[None]]:
    """A MODES factory that imports its screen only when the tab is first opened."""

    def make() -> Screen[None]:
        import importlib

        return getattr(importlib.import_module(f"tui.app.screens.{module}"), name)()  # type: ignore[no-any-return]

    return make


def _knowledge_provider() -> type[Provider]:
    from tui.app.commands import KnowledgeProvider

    return KnowledgeProvider


class OwnitApp(App[int]):
    """Who owns this, AWS or us?"""

    TITLE = "ownit"
    SUB_TITLE = "who owns this, AWS or us?"
    CSS_PATH = "app.tcss"
    MODES = {
        "layers": _lazy("layers", "LayersScreen"),
        "compare": _lazy("compare", "CompareScreen"),
        "services": _lazy("services", "ServicesScreen"),
        "controls": _lazy("controls", "ControlsScreen"),
        "tools": _lazy("tools", "ToolsScreen"),
        "checklist": _lazy("checklist", "ChecklistScreen"),  # issue 5 fills this screen in
    }
    DEFAULT_MODE = "layers"  # the first screen; `ownit PROJECT` starts in "checklist" (set in __init__)
    COMMANDS = App.COMMANDS | {_knowledge_provider}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave ownit"),
        Binding("f1,question_mark", "help", "Help", key_display="?", id="app.help",
                tooltip="Every key, the search syntax and the model in a nutshell"),
        Binding("slash", "search", "Search", key_display="/", id="app.search",
                tooltip="Focus this screen's search box (or search the controls)"),
        *(
            Binding(str(n), f"tab('{mode}')", label, show=False, id=f"app.tab-{mode}", tooltip=f"Open the {label} tab")
            for n, (mode, label) in enumerate(TABS, start=1)
        ),
    ]

    def __init__(self, kb: KnowledgeBase, project: Path | None = None, settings_path: Path | None = None,
                 read_only: bool = False, freeze_heap: bool = False) -> None:
        from tui.checklist.atomic import read_only_from_env

        self.kb = kb
        self.project = project
        self.settings_path = settings_path
        self.settings: Settings = load_settings(settings_path)
        self.read_only = read_only or read_only_from_env()  # `--read-only`: nothing is saved, not even the theme
        self.freeze_heap = freeze_heap  # the process is the app's own (run_app): see _load_rest
        if project is not None:
            self.DEFAULT_MODE = "checklist"  # `ownit PROJECT` opens it (read by App.__init__)
        super().__init__()
        # The first mode's screen comes from get_default_screen, as a plain app's first screen does, so
        # its first render is the frame written. Through MODES it would not be: Textual composes a mode's
        # screen inside the app's start-up batch (its first render is dropped and redone) and parses the
        # CSS again; switching to it from the "_default" mode adds switch_mode's delay_update and two more
        # parses. get_default_screen puts the mode back, so the tabs switch to and from it as to any other.
        self._first_screen_factory = self._modes.pop(self.DEFAULT_MODE)
        if self.read_only:
            self.sub_title = f"read-only · {self.SUB_TITLE}"

    # -- shared state --------------------------------------------------------
    @cached_property
    def search_index(self) -> SearchIndex:
        """Built on first use (the Controls tab or the palette), then kept."""
        from tui.kb.search import SearchIndex

        return SearchIndex(self.kb)

    @property
    def kb_info(self) -> str:
        return f"kb {self.kb.version} · {self.kb.count('services')} services · {self.kb.count('controls')} controls"

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The owner colours, darker on light themes (a theme may still set its own `owner-*` variables)."""
        return dict(OWNER_COLOURS if self.current_theme.dark else OWNER_COLOURS_LIGHT)

    # -- life cycle ----------------------------------------------------------
    def get_default_screen(self) -> Screen[None]:
        factory = self._first_screen_factory
        self.add_mode(self.DEFAULT_MODE, factory)
        # Textual loads no CSS/CSS_PATH of a default screen: ours have DEFAULT_CSS only, which mounting loads
        return factory()  # type: ignore[operator,return-value]

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.call_after_refresh(self._load_rest)

    def _load_rest(self) -> None:
        """After the first frame: the controls, tools and frameworks of a knowledge base read from the
        cache, which holds them back so that the first frame waits for services and layers only."""
        self.kb.controls  # noqa: B018  (reading it loads them)
        if self.freeze_heap:
            import gc

            # The whole knowledge base lives as long as the app: out of the cyclic collector's sight, it is
            # not walked again by each full collection (a keystroke's p90 at 10x the data)
            gc.freeze()

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name != self.settings.theme:
            self.settings.theme = theme.name
            if self.read_only:
                return  # this session only
            save_settings(self.settings, self.settings_path)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if not (self.read_only and command.title == "Screenshot" and not self.is_web):  # it writes a file
                yield command
        for n, (mode, label) in enumerate(TABS, start=1):
            yield SystemCommand(f"Go to {label}", f"Open the {label} tab (key {n})", lambda m=mode: self.action_tab(m))
        yield SystemCommand("Help", "Keys, search syntax and the shared responsibility model", self.action_help)

    # -- actions -------------------------------------------------------------
    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG of the screen where the user will find it, and say where (or why not).

        In a browser the file is offered as a download (Textual's own delivery); in a terminal it goes to
        the user's Downloads folder when there is one, else the current directory."""
        if self.is_web:
            super().action_screenshot(filename, path)
            return
        target = Path(path) if path else screenshot_dir()
        try:
            saved = self.save_screenshot(filename, str(target))
        except OSError as exc:
            self.notify(f"Screenshot not saved: cannot write in {target}: {exc.strerror or exc}",
                        title="Screenshot", severity="error", markup=False)
            return
        self.notify(f"Screenshot saved to {saved}", title="Screenshot", markup=False)

    def action_tab(self, mode: str) -> None:
        self.switch_mode(mode)

    def action_help(self) -> None:
        from tui.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_search(self) -> None:
        target = getattr(self.screen, "search_input", lambda: None)()
        if target is not None:
            target.focus()
            return
        self.switch_mode("controls")
        self.call_after_refresh(self.action_search)

    def jump(self, kind: str, record_id: str) -> None:
        """Show a record where it lives: services and layers on Layers, controls on Controls, tools on Tools."""
        mode = {"service": "layers", "layer": "layers", "control": "controls", "tool": "tools"}.get(kind, "layers")
        self.switch_mode(mode)
        self.call_after_refresh(lambda: self.screen.show_record(kind, record_id))  # type: ignore[attr-defined]

    def refuse_read_only(self) -> bool:
        """True (and says so) when this app runs read-only: every action that would write asks this first."""
        if self.read_only:
            self.notify("Read-only: this session changes nothing (started with --read-only)", severity="warning",
                        markup=False)
        return self.read_only

    def deliver_export(self, name: str, data: bytes) -> str | None:
        """In a browser (`ownit serve`): offer the file as a download, write nothing on the server.
        Returns the delivery key, or None when not in a browser (the caller writes the file)."""
        if not self.is_web:
            return None
        import io
        import mimetypes

        mime = mimetypes.guess_type(name)[0] or ("text/markdown" if name.endswith(".md") else "text/plain")
        return self.deliver_binary(io.BytesIO(data), save_filename=name, mime_type=mime)

    def open_compare(self, service_ids: Sequence[str]) -> None:
        self.switch_mode("compare")
        self.call_after_refresh(lambda: self.screen.set_services(list(service_ids)))  # type: ignore[attr-defined]


def run_app(project: Path | None, data: list[Path], include_user: bool, read_only: bool = False) -> int:
    """Load the knowledge base (problems raise DataError for the CLI to report), then run."""
    from tui.kb import load_kb

    if read_only:  # the whole process: the store and every file write refuse, whatever asks
        import os

        from tui.checklist.atomic import READ_ONLY_ENV

        os.environ[READ_ONLY_ENV] = "1"
    import gc

    from tui.kb.loader import paused_gc

    with paused_gc():
        kb = load_kb(data, include_user=include_user)
        # The knowledge base and the modules imported so far live as long as the app: out of the cyclic
        # collector's sight, they are not walked again by each full collection (tens of ms at 10x the data).
        gc.freeze()
    app = OwnitApp(kb, project=project, read_only=read_only, freeze_heap=True)
    result = app.run()
    return int(result or 0) if app.return_code in (None, 0) else int(app.return_code or 1)


def screenshot_dir() -> Path:
    """The user's Downloads folder when it exists (platformdirs knows it per platform), else the current one."""
    from platformdirs import user_downloads_dir

    downloads = Path(user_downloads_dir())
    return downloads if downloads.is_dir() else Path.cwd()
