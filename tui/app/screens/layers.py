"""Layers, the home screen: pick a service, see its responsibility stack and
line, select a layer to read who owns it for this service, why, and its controls.

Wide (>= 100 columns): service list | stack | detail.
Narrow: a one-line service picker above the stack, a one-line summary of the
selected layer below it, and the full detail on enter.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import OptionList, Static

from tui.app.owners import owner_word
from tui.app.screens.base import OwnitScreen
from tui.app.widgets.detail_pane import DetailPane
from tui.app.widgets.legend import Legend
from tui.app.widgets.service_list import ServiceList
from tui.app.widgets.service_picker import ServicePicker, StackServicePicker
from tui.app.widgets.stack import ResponsibilityStack
from tui.kb.browse import layer_for_service_markdown, line_layer, owner_counts
from tui.kb.model import LAYER_IDS, Service
from tui.kb.text import one_line

DETAIL_CONTROLS = 60  # a layer's controls listed in the pane (the shipped KB has at most 41): Markdown costs per item

INTRO = Text.assemble(
    ("If you can edit it, you own it. ", "bold"),
    "AWS secures the cloud itself: buildings, hardware, network, hypervisor (security OF the cloud). "
    "You secure what you put in it: data, identities, settings (security IN the cloud). "
    "Like a homebuilder and a homeowner: one builds solid walls, the other locks the doors. ",
    ("Pick a service and watch the line move; ? for more.", "dim"),
)


def stack_caption(svc: Service) -> Text:
    """`line below guest-os · yours 8 · shared 1 · AWS 6`, owners as coloured words elsewhere."""
    counts = owner_counts(svc)
    above = line_layer(svc)
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"line below {above}" if above else "AWS owns every layer", "bold")
    text.append(f" · yours {counts['customer']} · shared {counts['shared']} · AWS {counts['aws']}", "dim")
    return text


class LayersScreen(OwnitScreen):
    MODE = "layers"
    BINDINGS = [
        Binding("right", "focus_stack", "Layers", show=False, id="layers.focus-stack",
                tooltip="Move into the stack to walk its layers"),
        Binding("left", "focus_services", "Services", show=False, id="layers.focus-services",
                tooltip="Back to the service list"),
        Binding("s", "choose_service", "Service…", id="layers.choose-service", tooltip="Pick a service from a list"),
        Binding("c", "compare", "Compare", id="layers.compare", tooltip="Compare this service with others"),
    ]

    service_id: reactive[str] = reactive("", init=False)

    def __init__(self) -> None:
        super().__init__()
        self.set_reactive(LayersScreen.service_id, self._first_service())
        self._drawn = False  # the detail pane (it lists controls) is filled after the first frame

    def _first_service(self) -> str:
        for preferred in ("ec2", *self.kb.services):
            if preferred in self.kb.services:
                return preferred
        return ""

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="layers-body"):
            yield ServiceList(self.kb, self.service_id, id="service-list")
            with Vertical(id="stack-column"):
                with Vertical(id="stack-panel"):
                    yield StackServicePicker(self.kb, self.service_id, label="Service", id="service-picker")
                    yield Static(id="stack-caption")
                    yield ResponsibilityStack(id="stack")
                    yield Static(id="layer-summary")
                    yield Legend(compact=True, id="legend-line")
                    yield Legend(id="legend")
                yield Static(INTRO, id="intro")
            yield DetailPane("Layer", id="layer-detail")

    # -- state ---------------------------------------------------------------
    @property
    def stack(self) -> ResponsibilityStack:
        return self.query_one(ResponsibilityStack)

    @property
    def layer_id(self) -> str:
        return self.stack.layer_id

    def on_mount(self) -> None:
        self._show_service()
        self.query_one(ServiceList).select_service(self.service_id)
        self.query_one(ServiceList).focus()
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        # A knowledge base read from the cache loads its controls after the first frame (tui.kb.cache);
        # the pane renders its text after that frame anyway (DetailPane), so the frame looks the same.
        self._drawn = True
        self._show_layer()

    def on_screen_resume(self) -> None:
        self._focus_default()

    def _focus_default(self) -> None:
        focused = self.focused
        if focused is None or not focused.display:
            (self.query_one(ServicePicker) if self.narrow else self.query_one(ServiceList)).focus()

    def watch_service_id(self, sid: str) -> None:
        # Moving the list and the picker here must not echo back as a user's move: their
        # messages, queued behind each other, would swap two services forever (a busy loop).
        with self.prevent(OptionList.OptionHighlighted, ServicePicker.Changed):
            self.query_one(ServiceList).select_service(sid)
            self.query_one(ServicePicker).service_id = sid
        self._show_service()

    def _show_service(self) -> None:
        if self.service_id not in self.kb.services:
            return
        svc = self.kb.services[self.service_id]
        self.stack.service = svc
        panel = self.query_one("#stack-panel")
        panel.border_title = f"{svc.name} · {svc.category} service"
        self.query_one("#stack-caption", Static).update(stack_caption(svc))
        self._show_layer()

    def _show_layer(self) -> None:
        svc = self.kb.services.get(self.service_id)
        if svc is None:
            return
        layer = self.layer_id
        own = svc.layers[layer]
        why = own.note or own.customer or own.aws or self.kb.layers[layer].summary
        summary = Text.assemble(("⏎ ", "dim"), (layer, "bold"), " ", owner_word(self.app, own.owner), " · ", one_line(why),
                                no_wrap=True, overflow="ellipsis")
        self.query_one("#layer-summary", Static).update(summary)
        if not self._drawn:
            return
        md = layer_for_service_markdown(self.kb, svc, layer, limit=DETAIL_CONTROLS)
        self.query_one(DetailPane).show(md, f"{layer} for {svc.short}")

    # -- events --------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#service-list")
    def _list_moved(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.service_id = event.option.id

    @on(ServicePicker.Changed, "#service-picker")
    def _picker_moved(self, event: ServicePicker.Changed) -> None:
        if event.service_id:
            self.service_id = event.service_id

    @on(ResponsibilityStack.LayerSelected)
    def _layer_moved(self, event: ResponsibilityStack.LayerSelected) -> None:
        if isinstance(event, ResponsibilityStack.LayerChosen):
            self._open_detail()
        else:
            self._show_layer()

    def on_resize(self) -> None:
        self.call_after_refresh(self._focus_default)

    # -- actions -------------------------------------------------------------
    def _open_detail(self) -> None:
        self.open_detail(self.query_one(DetailPane))

    def action_focus_stack(self) -> None:
        self.stack.focus()

    def action_focus_services(self) -> None:
        target: Widget = self.query_one(ServicePicker) if self.narrow else self.query_one(ServiceList)
        target.focus()

    def action_choose_service(self) -> None:
        self.query_one(ServicePicker).action_choose()

    def action_compare(self) -> None:
        self.ownit.open_compare([self.service_id])

    def show_record(self, kind: str, record_id: str) -> None:
        if kind == "service":
            self.service_id = record_id
        elif kind == "layer" and record_id in LAYER_IDS:
            self.stack.select_layer(record_id)
            self.stack.focus()
