"""A one-line service picker: `◀ RDS · Database ▶`. Up/down (or left/right)
step through services in list order; enter or a click opens the full list.

Used above the stack when the screen is narrow and for each Compare slot.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tui.kb.browse import grouped_services
from tui.kb.knowledge import KnowledgeBase


class ServicePicker(Widget, can_focus=True):
    """Picks one service id (or none, when `allow_none`)."""

    DEFAULT_CSS = """
    ServicePicker { height: 1; width: 1fr; padding: 0 1; background: $boost; }
    ServicePicker:focus { background: $accent 40%; text-style: bold; }
    ServicePicker:hover { background: $accent 25%; }
    """
    BINDINGS = [
        Binding("up,left", "step(-1)", "Previous", show=False, id="picker.previous", tooltip="The previous service"),
        Binding("down,right", "step(1)", "Next", show=False, id="picker.next", tooltip="The next service"),
        Binding("enter,space", "choose", "Choose…", id="picker.choose", tooltip="Pick a service from the full list"),
    ]

    service_id: reactive[str | None] = reactive(None)

    class Changed(Message):
        def __init__(self, picker: ServicePicker, service_id: str | None) -> None:
            super().__init__()
            self.picker = picker
            self.service_id = service_id

        @property
        def control(self) -> ServicePicker:
            return self.picker

    def __init__(self, kb: KnowledgeBase, service_id: str | None, label: str = "", allow_none: bool = False,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.kb = kb
        self.label = label
        self.allow_none = allow_none
        self.order: list[str | None] = [None] if allow_none else []
        self.order += [s.id for _, group in grouped_services(kb) for s in group]
        self.set_reactive(ServicePicker.service_id, service_id)
        self.tooltip = "Enter or click to pick a service; up/down to step"

    def watch_service_id(self, value: str | None) -> None:
        self.post_message(self.Changed(self, value))

    def action_step(self, delta: int) -> None:
        i = self.order.index(self.service_id) if self.service_id in self.order else 0
        self.service_id = self.order[(i + delta) % len(self.order)]

    def action_choose(self) -> None:
        from tui.app.screens.service_chooser import ServiceChooser

        def chosen(sid: str | None) -> None:
            if sid:
                self.service_id = sid

        self.app.push_screen(ServiceChooser(self.kb, self.service_id), chosen)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        width = self.content_size.width
        if event.x <= 2:
            self.action_step(-1)
        elif event.x >= width - 1:
            self.action_step(1)
        else:
            self.action_choose()

    def render(self) -> Text:
        sid = self.service_id
        width = max(self.content_size.width, 6)
        text = Text(no_wrap=True, end="")
        if self.label:
            text.append(f"{self.label} ", "dim")
        if sid is None or sid not in self.kb.services:
            text.append("none", "italic")
        else:
            s = self.kb.services[sid]
            text.append(s.short, "bold")
            text.append(f" · {s.group} · {s.category}", "dim")
        text.truncate(width - 4, overflow="ellipsis")
        text.pad_right(width - 4 - text.cell_len)
        return Text.assemble("◀ ", text, " ▶", no_wrap=True, end="")


class StackServicePicker(ServicePicker, inherit_bindings=False):
    """The picker above a narrow Layers stack: up/down step services as the wide list does, so that
    right moves into the stack and left comes back at every width."""

    BINDINGS = [
        Binding("up", "step(-1)", "Previous", show=False, id="picker.previous", tooltip="The previous service"),
        Binding("down", "step(1)", "Next", show=False, id="picker.next", tooltip="The next service"),
        Binding("enter,space", "choose", "Choose…", id="picker.choose", tooltip="Pick a service from the full list"),
    ]
