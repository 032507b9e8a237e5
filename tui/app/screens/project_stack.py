"""The responsibility stack of every service a project uses, side by side.

Wider projects scroll sideways (the table keeps the layer column in view).

Opened from the Checklist screen (`m`): one column per service, the 15 layers
top to bottom, each cell the owner's glyph and word, and a marker under each
service's responsibility line, so a review sees at a glance where each
service hands over to AWS.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from tui.app.owners import owner_badge, owner_word
from tui.kb.knowledge import KnowledgeBase
from tui.kb.model import LAYER_IDS
from tui.kb.text import inert


class ProjectStack(ModalScreen[None]):
    DEFAULT_CSS = """
    ProjectStack { align: center middle; }
    ProjectStack > Vertical { width: auto; max-width: 95%; height: auto; max-height: 95%;
        border: round $accent; background: $surface; padding: 0 1; }
    ProjectStack DataTable { height: auto; max-height: 20; width: auto; }
    ProjectStack Label { color: $text-muted; }
    """
    BINDINGS = [Binding("escape,m,q", "dismiss(None)", "Close", id="stack.close", tooltip="Back to the checklist")]

    def __init__(self, kb: KnowledgeBase, services: tuple[str, ...]) -> None:
        super().__init__()
        self.kb = kb
        self.services = [kb.services[s] for s in services if s in kb.services]

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Who owns each layer, for this project's services"
            box.border_subtitle = "esc close"
            yield DataTable(id="project-stack", cursor_type="row", zebra_stripes=True)
            yield Label("▔ marks the lowest layer you own or share: below it, AWS owns everything.")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("layer", key="layer")
        table.fixed_columns = 1
        for s in self.services:
            table.add_column(Text(inert(s.short), style="bold"), key=s.id)
        lines = {s.id: s.responsibility_line() for s in self.services}
        cell_of = owner_badge if len(self.services) <= 3 else owner_word  # the word alone fits more columns
        for index in reversed(range(len(LAYER_IDS))):
            layer = LAYER_IDS[index]
            cells: list[Text] = [Text(layer)]
            for s in self.services:
                cell = cell_of(self.app, s.owner(layer))
                if lines[s.id] == index:
                    cell.append(" ▔", style="bold")
                cells.append(cell)
            table.add_row(*cells, key=layer)
        table.focus()
