"""Checklist: the project's controls and their status. Issue 5 builds it; this
placeholder keeps the tab (key 6), receives `app.project` from `run_app`, and
tells a person what will be here."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from tui.app.screens.base import OwnitScreen


class ChecklistScreen(OwnitScreen):
    MODE = "checklist"

    def compose_body(self) -> ComposeResult:
        project = self.ownit.project
        text = Text()
        text.append("Checklist\n\n", "bold")
        if project is None:
            text.append("No project open. Start one with `ownit init payments.yaml --services ec2,rds,s3`, then run "
                        "`ownit payments.yaml` to see every control that is yours for those services.")
        else:
            text.append("Project: ")
            text.append(str(project), "bold")
            text.append("\n\nThe interactive checklist is on its way; meanwhile `ownit checklist PROJECT` prints it.")
        yield Static(text, id="checklist-placeholder")
