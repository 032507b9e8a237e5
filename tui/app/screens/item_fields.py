"""Two small forms for the Checklist screen: an item's team, due date and ticket, and who owns
the account baseline. Each returns its values, or None when cancelled; nothing is saved here."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from tui.checklist.states import Baseline, ItemState, current_user, iso_date, today
from tui.kb.text import inert

_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 64; max-width: 95%; height: auto; max-height: 100%; border: round $accent;
    background: $surface; padding: 0 1; }}
{name} Label {{ width: 100%; }}
{name} #form-error {{ color: $error; display: none; }}
{name} #form-error.-shown {{ display: block; }}
{name} Horizontal {{ height: auto; align-horizontal: right; }}
{name} Button {{ margin: 0 0 0 1; }}
"""


class _Form(ModalScreen[object]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="form.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Save"),
    ]
    FIELDS: tuple[tuple[str, str, str], ...] = ()  # (id, label, placeholder)
    TITLE = ""

    def __init__(self, heading: str, values: dict[str, str]) -> None:
        super().__init__()
        self.heading, self.values = heading, values

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.TITLE
            box.border_subtitle = "enter or ctrl+s save · esc cancel"
            yield Label(Text(inert(self.heading), style="bold"))
            for fid, label, placeholder in self.FIELDS:
                yield Label(label)
                yield Input(self.values.get(fid, ""), placeholder=placeholder, id=f"form-{fid}")
            yield Label("", id="form-error")
            with Horizontal():
                yield Button("Cancel", id="form-cancel")
                yield Button("Save", id="form-save", variant="primary")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def read(self) -> dict[str, str]:
        return {fid: self.query_one(f"#form-{fid}", Input).value.strip() for fid, _, _ in self.FIELDS}

    def problem(self, values: dict[str, str]) -> str:
        return ""

    def result(self, values: dict[str, str]) -> object:
        return values

    def action_save(self) -> None:
        values = self.read()
        why = self.problem(values)
        if why:
            error = self.query_one("#form-error", Label)
            error.update(why)
            error.add_class("-shown")  # fits 80x24 until there is something to say
            return
        self.dismiss(self.result(values))

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.dismiss(None)


class ItemFields(_Form):
    """An item's team, due date and ticket; returns {team, due, ticket} ('' clears)."""

    DEFAULT_CSS = _CSS.format(name="ItemFields")
    TITLE = "Team, due date, ticket"
    FIELDS = (("team", "Team that owns it", "e.g. payments-platform"), ("due", "Due (YYYY-MM-DD)", today()),
              ("ticket", "Ticket (a URL or a key)", "e.g. SEC-142"))

    def __init__(self, title: str, state: ItemState) -> None:
        super().__init__(title, {"team": state.team, "due": state.due, "ticket": state.ticket})

    def problem(self, values: dict[str, str]) -> str:
        if values["due"] and iso_date(values["due"]) is None:
            return f"'{values['due']}' is not a date: write YYYY-MM-DD"
        return ""


class BaselineEditor(_Form):
    """Who owns the account baseline; returns a Baseline (an empty platform means the project owns it)."""

    DEFAULT_CSS = _CSS.format(name="BaselineEditor")
    TITLE = "Account baseline"
    FIELDS = (("inherited_from", "Inherited from platform (empty: this project owns it)", "e.g. acme-landing-zone"),
              ("ref", "Where the platform documents it (a URL or a key)", ""))

    def __init__(self, baseline: Baseline) -> None:
        super().__init__("Root user, CloudTrail, GuardDuty, Config, Security Hub, alarms, incident programme: "
                         "who answers for them?", {"inherited_from": baseline.inherited_from, "ref": baseline.ref})

    def result(self, values: dict[str, str]) -> object:
        if not values["inherited_from"]:
            return Baseline()
        return Baseline(values["inherited_from"], current_user(), today(), values["ref"])
