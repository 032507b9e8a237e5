"""Compare: two to four services side by side, layers aligned, differing rows
marked, and what changes for you moving from the first service to each other
one ("moving from EC2 to ECS on Fargate, AWS takes over: guest-os ...")."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from tui.app.screens.base import OwnitScreen
from tui.app.widgets.compare_grid import CompareGrid
from tui.app.widgets.legend import Legend
from tui.app.widgets.markdown_view import MarkdownView
from tui.app.widgets.service_picker import ServicePicker
from tui.kb.browse import compare_markdown
from tui.kb.compare import compare
from tui.kb.model import Service

SLOTS = ("A", "B", "C", "D")


class CompareScreen(OwnitScreen):
    MODE = "compare"
    BINDINGS = [
        Binding("x", "swap", "Swap A/B", id="compare.swap", tooltip="Swap the first two services"),
        Binding("delete,backspace", "clear_slot", "Clear slot", show=False, id="compare.clear",
                tooltip="Empty the focused slot C or D"),
    ]

    def compose_body(self) -> ComposeResult:
        defaults = self._defaults()
        with Horizontal(id="compare-pickers"):
            for i, slot in enumerate(SLOTS):
                yield ServicePicker(self.kb, defaults[i], label=slot, allow_none=i >= 2, id=f"slot-{slot.lower()}")
        yield CompareGrid(id="grid")
        yield Legend(compact=True, id="compare-legend")
        with VerticalScroll(id="compare-text-box"):
            yield Static(id="compare-caption")
            yield MarkdownView(id="compare-text")

    def _defaults(self) -> list[str | None]:
        ids = [s for s in ("ec2", "ecs.fargate", "lambda") if s in self.kb.services] or list(self.kb.services)[:2]
        picks: list[str | None] = list(ids[:2])
        while len(picks) < 2:
            picks.append(next(iter(self.kb.services), None))
        return picks + [None, None]

    @property
    def pickers(self) -> list[ServicePicker]:
        return list(self.query(ServicePicker))

    @property
    def services(self) -> list[Service]:
        return [self.kb.services[p.service_id] for p in self.pickers if p.service_id in self.kb.services]

    def on_mount(self) -> None:
        self.query_one("#compare-text-box").border_title = "What changes for you"
        self.refresh_comparison()
        self.pickers[0].focus()

    @on(ServicePicker.Changed)
    def _picked(self) -> None:
        """Several pickers may change at once (set_services, swap): redraw once, after them."""
        if self.is_mounted and not self._refresh_pending:
            self._refresh_pending = True
            self.call_after_refresh(self.refresh_comparison)

    _refresh_pending = False

    def refresh_comparison(self) -> None:
        self._refresh_pending = False
        services = self.services
        grid = self.query_one(CompareGrid)
        grid.services = tuple(services)
        if len(services) < 2:
            self.query_one("#compare-text", MarkdownView).update("Pick at least two services.")
            return
        first = services[0]
        parts = [compare_markdown(compare(self.kb, first.id, other.id)) for other in services[1:]]
        differing = grid.differing
        caption = f"{len(differing)} of 15 layers differ (≠)" + (f": {', '.join(differing)}" if differing else "")
        caption += ". Underlined: each service's lowest layer above its responsibility line."
        self.query_one("#compare-caption", Static).update(caption)
        self.query_one("#compare-text", MarkdownView).update("\n\n---\n\n".join(parts))

    def set_services(self, service_ids: list[str]) -> None:
        """Put these services in the first slots (the rest keep theirs)."""
        for picker, sid in zip(self.pickers, service_ids, strict=False):
            if sid in self.kb.services:
                picker.service_id = sid

    def action_swap(self) -> None:
        a, b = self.pickers[0], self.pickers[1]
        a_id, b_id = a.service_id, b.service_id
        a.service_id, b.service_id = b_id, a_id

    def action_clear_slot(self) -> None:
        focused = self.focused
        if isinstance(focused, ServicePicker) and focused.allow_none:
            focused.service_id = None
