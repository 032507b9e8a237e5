"""Detect a project's services from its infrastructure code, then accept them.

A modal over the Checklist screen: type the path of a CloudFormation/SAM
template, a `cdk.out` folder, a Terraform folder or a plan/state JSON; the
scan runs in a worker thread (a large folder never freezes the screen); the
detected services come back ticked, with how many resources stand behind
each, and what was not recognised. Nothing is written until Add.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList
from textual.widgets.selection_list import Selection
from textual.worker import get_current_worker

from tui.iac.result import ImportResult
from tui.kb.errors import OwnitError
from tui.kb.knowledge import KnowledgeBase
from tui.kb.text import inert


class ImportServices(ModalScreen[list[str] | None]):
    """Returns the ticked service ids to add to the project, or None."""

    DEFAULT_CSS = """
    ImportServices { align: center middle; }
    ImportServices > Vertical { width: 84; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1; }
    ImportServices SelectionList { height: auto; max-height: 14; }
    ImportServices #import-summary { color: $text-muted; height: auto; width: 1fr; }
    ImportServices Horizontal { height: auto; align-horizontal: right; }
    ImportServices Button { margin: 0 0 0 1; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="import.cancel", tooltip="Close without changing the project"),
        Binding("ctrl+s", "accept", "Add", id="import.add", tooltip="Add the ticked services to the project"),
    ]

    def __init__(self, kb: KnowledgeBase, start: Path, already: tuple[str, ...]) -> None:
        super().__init__()
        self.kb, self.start, self.already = kb, start, already
        self.result: ImportResult | None = None
        self.scanned = start

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Services from infrastructure code"
            box.border_subtitle = "enter scan · space tick · ctrl+s add · esc cancel"
            yield Label("Template, cdk.out, Terraform folder, or `terraform show -json` output:")
            yield Input(str(self.start), id="import-path")
            yield Label("", id="import-summary")
            yield SelectionList[str](id="import-services")
            with Horizontal():
                yield Button("Cancel", id="import-cancel")
                yield Button("Add", id="import-add", variant="primary", disabled=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        self.scanned = path
        self.query_one("#import-summary", Label).update(Text(f"Scanning {inert(str(path))} ..."))
        self.scan(path)

    @work(thread=True, exclusive=True)
    def scan(self, path: Path) -> None:
        from tui.iac.detect import import_any

        try:
            result = import_any(self.kb, path)
        except OwnitError as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self.show_error, message)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_result, result)

    def show_error(self, message: str) -> None:
        self.query_one("#import-summary", Label).update(Text(inert(message), style="bold red"))
        self.query_one(SelectionList).clear_options()
        self.query_one("#import-add", Button).disabled = True

    def show_result(self, result: ImportResult) -> None:
        self.result = result
        found = result.service_ids()
        conditional = set(result.conditional_ids())
        listing = self.query_one(SelectionList)
        listing.clear_options()
        for sid in found:
            service = self.kb.services.get(sid)
            n = len(result.services.get(sid, ()))
            label = Text(f"{service.short if service else sid:<18} ") + Text(
                f"{n} resource(s)" if n else "via a module", style="dim")
            if sid in conditional:
                label.append("  only when a condition holds", style="italic")
            if sid in self.already:
                label.append("  already in the project", style="italic dim")
            listing.add_option(Selection(label, sid))
        listing.deselect_all()  # tick only what is new to the project
        for sid in found:
            if sid not in self.already:
                listing.select(sid)
        parts = [f"{len(found)} service(s) in {len(result.files)} file(s)"]
        if result.unknown:
            parts.append(f"{len(result.unknown)} resource(s) of types no service claims")
        if result.custom:
            parts.append(f"{len(result.custom)} custom resource(s)")
        if result.skipped:
            parts.append(f"{len(result.skipped)} file(s) skipped")
        if result.data_sources:
            parts.append(f"{len(result.data_sources)} data source(s) read, not created")
        summary = Text(inert("; ".join(parts)))
        if result.warnings:  # read around, not fatal: say how many and where the first is
            where, message = result.warnings[0]
            folder = str(self.scanned if self.scanned.is_dir() else self.scanned.parent)
            where = where.removeprefix(folder.rstrip("/") + "/")  # the file within what was scanned
            summary.append(f"\n{len(result.warnings)} warning(s); first: {inert(where)}: {inert(message)}",
                           style="yellow")
        self.query_one("#import-summary", Label).update(summary)
        self.query_one("#import-add", Button).disabled = not found
        if found:
            listing.focus()

    def action_accept(self) -> None:
        if self.result is not None:
            self.dismiss(list(self.query_one(SelectionList).selected))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "import-add":
            self.action_accept()
        else:
            self.dismiss(None)
