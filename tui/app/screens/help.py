"""Help (F1 or ?): the model in our own words, the search syntax (help.md
beside this file) and every key, read from the bindings themselves so the
list can never go stale."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

from textual.binding import Binding

from tui.app.screens.detail import DetailScreen

HELP_MD = Path(__file__).with_name("help.md")

# (section title, "module:Class") for every place that declares bindings
KEY_SOURCES = (
    ("Everywhere", "tui.app.app:OwnitApp"),
    ("Layers", "tui.app.screens.layers:LayersScreen"),
    ("Layers: the stack", "tui.app.widgets.stack:ResponsibilityStack"),
    ("Service pickers", "tui.app.widgets.service_picker:ServicePicker"),
    ("Compare", "tui.app.screens.compare:CompareScreen"),
    ("Services", "tui.app.screens.services:ServicesScreen"),
    ("Controls", "tui.app.screens.controls:ControlsScreen"),
    ("Tools", "tui.app.screens.tools:ToolsScreen"),
)

_KEY_NAMES = {
    "question_mark": "?", "slash": "/", "escape": "esc", "enter": "enter", "space": "space",
    "up": "↑", "down": "↓", "left": "←", "right": "→",
}


def _keys(binding: Binding) -> str:
    return " ".join(f"`{_KEY_NAMES.get(k.strip(), k.strip())}`" for k in binding.key.split(","))


def _bindings(path: str) -> Iterator[Binding]:
    module, name = path.split(":")
    cls = getattr(importlib.import_module(module), name)
    for b in cls.BINDINGS:
        if isinstance(b, Binding):
            yield b


def keys_markdown() -> str:
    lines = ["## Keys", "", "Everything is also a click away: tabs, bands, rows, pickers and links.", ""]
    for section, path in KEY_SOURCES:
        lines += [f"**{section}**", "", "| key | does |", "|---|---|"]
        for b in _bindings(path):
            lines.append(f"| {_keys(b)} | {b.tooltip or b.description} |")
        lines.append("")
    lines += ["**Palette**", "", "| key | does |", "|---|---|",
              "| `ctrl+p` | jump to any service, control, layer or tool; change the theme (remembered) |", ""]
    return "\n".join(lines)


def help_markdown() -> str:
    return HELP_MD.read_text(encoding="utf-8") + "\n\n" + keys_markdown()


class HelpScreen(DetailScreen):
    """The help text in the same scrollable modal as any record's details."""

    BINDINGS = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close", tooltip="Close the help"),
    ]

    def __init__(self) -> None:
        super().__init__(help_markdown(), "ownit help")
