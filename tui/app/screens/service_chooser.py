"""A modal list of every service with a filter line: type to narrow, enter to pick."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.kb.browse import grouped_services
from tui.kb.knowledge import KnowledgeBase


class ServiceChooser(ModalScreen[str | None]):
    """Returns the chosen service id, or None on escape."""

    DEFAULT_CSS = """
    ServiceChooser { align: center middle; }
    ServiceChooser > Vertical {
        width: 60; max-width: 95%; height: 80%; max-height: 30;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ServiceChooser Input { margin: 0 0 1 0; }
    ServiceChooser OptionList { height: 1fr; border: none; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="chooser.cancel", tooltip="Close without choosing"),
        Binding("down", "focus_list", "List", show=False, id="chooser.list", tooltip="Move into the list"),
    ]

    def __init__(self, kb: KnowledgeBase, current: str | None = None) -> None:
        super().__init__()
        self.kb = kb
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Pick a service"
            box.border_subtitle = "type to filter · enter pick · esc cancel"
            yield Input(placeholder="filter: name, id or alias", id="chooser-filter")
            yield OptionList(id="chooser-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, text: str) -> None:
        needle = text.strip().lower()
        options: list[Option] = []
        for group, services in grouped_services(self.kb):
            for s in services:
                hay = " ".join((s.id, s.short, s.name, *s.aliases)).lower()
                if needle in hay:
                    label = Text.assemble((s.short.ljust(18), "bold"), " ", (s.name, ""), (f"  {group}", "dim"),
                                          no_wrap=True, overflow="ellipsis")  # one line per service
                    options.append(Option(label, id=s.id))
        ol = self.query_one(OptionList)
        ol.clear_options()
        ol.add_options(options)
        if options:
            ids = [o.id for o in options]
            ol.highlighted = ids.index(self.current) if self.current in ids else 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is not None:
            self.dismiss(ol.get_option_at_index(ol.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()
