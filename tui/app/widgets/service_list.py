"""The service list beside the stack: services grouped (Compute, Database, ...),
each row `EC2   line ▸ host-os`; up/down moves through services."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.kb.browse import grouped_services
from tui.kb.knowledge import KnowledgeBase


class ServiceList(OptionList):
    """Services grouped by kind; option ids are service ids, group headings are disabled."""

    DEFAULT_CSS = """
    ServiceList { width: 27; height: 1fr; border: round $primary 50%; }
    ServiceList:focus { border: round $primary; }
    """

    def __init__(self, kb: KnowledgeBase, **kwargs: object) -> None:
        options: list[Option] = []
        for group, services in grouped_services(kb):
            options.append(Option(Text(group, style="bold dim"), disabled=True))
            for s in services:
                options.append(Option(Text("  " + s.short, no_wrap=True, overflow="ellipsis"), id=s.id))
        super().__init__(*options, **kwargs)  # type: ignore[arg-type]
        self.border_title = "Services"

    def select_service(self, sid: str) -> None:
        """Highlight a service by id, scrolling it into view."""
        try:
            self.highlighted = self.get_option_index(sid)
        except Exception:  # OptionDoesNotExist: an unknown id keeps the current one
            return

    @property
    def service_id(self) -> str | None:
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id
