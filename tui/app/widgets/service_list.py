"""The service list beside the stack: services grouped (Compute, Database, ...),
each row `EC2   line ▸ host-os`; up/down moves through services.

A long list (a knowledge base ten times the shipped one has over a thousand
services) is built in chunks: the first FIRST options before the first frame,
the rest CHUNK at a time after each refresh, appended so no index moves.
Selecting a service not added yet adds the rest at once.
"""

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

    FIRST = 300
    CHUNK = 400

    def __init__(self, kb: KnowledgeBase, service_id: str | None = None, **kwargs: object) -> None:
        options: list[Option] = []
        for group, services in grouped_services(kb):
            options.append(Option(Text(group, style="bold dim"), disabled=True))
            for s in services:
                options.append(Option(Text("  " + s.short, no_wrap=True, overflow="ellipsis"), id=s.id))
        first = len(options) if len(options) <= self.FIRST + self.CHUNK else self.FIRST
        self._later = options[first:]  # added after the first frame
        self._later_ids = {o.id for o in self._later}
        self._opening = service_id
        super().__init__(*options[:first], **kwargs)  # type: ignore[arg-type]
        self._opening = None
        self.border_title = "Services"

    def action_first(self) -> None:
        """OptionList highlights its first option when built: open on the screen's service instead,
        without announcing a highlight of the first service (the screen would show it for a frame)."""
        if self._opening is not None and self._opening in self._id_to_option:
            self.set_reactive(OptionList.highlighted, self.get_option_index(self._opening))
            return
        super().action_first()

    def on_mount(self) -> None:
        if self._later:
            self.call_after_refresh(self._add_chunk)

    def _add_chunk(self, everything: bool = False) -> None:
        if not self._later:
            return
        n = len(self._later) if everything else self.CHUNK
        chunk, self._later = self._later[:n], self._later[n:]
        self._later_ids.difference_update(o.id for o in chunk)
        self.add_options(chunk)
        if self._later:
            self.call_after_refresh(self._add_chunk)

    def select_service(self, sid: str) -> None:
        """Highlight a service by id, scrolling it into view."""
        if sid in self._later_ids:
            self._add_chunk(everything=True)
        try:
            self.highlighted = self.get_option_index(sid)
        except Exception:  # OptionDoesNotExist: an unknown id keeps the current one
            return

    @property
    def service_id(self) -> str | None:
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id
