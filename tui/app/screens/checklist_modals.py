"""Small modals for the Checklist screen: the note editor, the services
picklist and the export-format picker."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, SelectionList, TextArea
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from tui.checklist.exports import FORMATS
from tui.kb.browse import grouped_services
from tui.kb.knowledge import KnowledgeBase
from tui.kb.text import inert

_BOX = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 72; max-width: 95%; height: auto; max-height: 90%;
    border: round $accent; background: $surface; padding: 0 1; }}
{name} Horizontal {{ height: auto; align-horizontal: right; }}
{name} Button {{ margin: 0 0 0 1; }}
"""


class NoteEditor(ModalScreen[str | None]):
    """Edit an item's note; returns the new text, or None when cancelled."""

    DEFAULT_CSS = _BOX.format(name="NoteEditor") + "NoteEditor TextArea { height: 10; }"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="note.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="note.save", tooltip="Save the note"),
    ]

    def __init__(self, title: str, note: str, why: str = "") -> None:
        super().__init__()
        self.heading, self.note, self.why = title, note, why

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Note"
            box.border_subtitle = "ctrl+s save · esc cancel"
            yield Label(Text(inert(self.heading), style="bold"))
            if self.why:
                yield Label(Text(self.why, style="italic"), id="note-why")
            yield TextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False)
            with Horizontal():
                yield Button("Cancel", id="note-cancel")
                yield Button("Save", id="note-save", variant="primary")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "note-save":
            self.action_save()
        else:
            self.dismiss(None)


class ServicesPicker(ModalScreen[list[str] | None]):
    """Tick the services the project uses; returns the ids in list order, or None."""

    DEFAULT_CSS = _BOX.format(name="ServicesPicker") + "ServicesPicker SelectionList { height: 20; }"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="services.cancel", tooltip="Close without changing"),
        Binding("ctrl+s", "apply", "Apply", id="services.apply", tooltip="Use the ticked services"),
    ]

    def __init__(self, kb: KnowledgeBase, chosen: tuple[str, ...]) -> None:
        super().__init__()
        self.kb, self.chosen = kb, chosen

    def compose(self) -> ComposeResult:
        selections = [Selection(Text(f"{s.short:<18} {s.name}  ") + Text(group, style="dim"), s.id, s.id in self.chosen)
                      for group, services in grouped_services(self.kb) for s in services]
        with Vertical() as box:
            box.border_title = "Services this project uses"
            box.border_subtitle = "space tick · ctrl+s apply · esc cancel"
            yield SelectionList[str](*selections, id="services-list")
            with Horizontal():
                yield Button("Cancel", id="services-cancel")
                yield Button("Apply", id="services-apply", variant="primary")

    def action_apply(self) -> None:
        picked = set(self.query_one(SelectionList).selected)
        kept = [s for s in self.chosen if s in picked]
        self.dismiss(kept + [s for s in self.kb.services if s in picked and s not in kept])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "services-apply":
            self.action_apply()
        else:
            self.dismiss(None)


class FormatPicker(ModalScreen[str | None]):
    """Pick an export format; returns its name (md, csv, json, html, oscal, oscal-ar), or None."""

    DEFAULT_CSS = _BOX.format(name="FormatPicker") + "FormatPicker OptionList { height: auto; border: none; }"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="export.cancel", tooltip="Close without exporting")]
    LABELS = {"md": "Markdown task list (GitHub, wiki)", "csv": "CSV (spreadsheet)", "json": "JSON (tools, CI)",
              "html": "HTML report (print, PDF, sign-off)", "oscal": "OSCAL component definition (GRC tools)",
              "oscal-ar": "OSCAL assessment results (scanner evidence)"}

    def __init__(self, where: str = "written next to the project file") -> None:
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Export the checklist"
            box.border_subtitle = self.where
            yield OptionList(*(Option(f"{fmt:<8} {self.LABELS[fmt]}", id=fmt) for fmt in FORMATS), id="formats")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
