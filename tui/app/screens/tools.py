"""Tools: the AWS security tools catalog, and for each one what it is, whether
it is on by default, what it costs and the controls it helps with."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.app.screens.base import OwnitScreen
from tui.app.widgets.detail_pane import DetailPane
from tui.kb.markdown import record_markdown


class ToolsScreen(OwnitScreen):
    MODE = "tools"

    def compose_body(self) -> ComposeResult:
        tools = sorted(self.kb.tools.values(), key=lambda t: t.name.lower())
        options = []
        for t in tools:
            n = len(self.kb.controls_for_tool(t.id))
            name = t.name if len(t.name) <= 26 else t.name[:25] + "…"
            label = Text.assemble(name.ljust(27), (f"{n:>3}", "dim"), no_wrap=True)
            options.append(Option(label, id=t.id))
        with Horizontal(id="tools-body"):
            yield OptionList(*options, id="tool-list")
            yield DetailPane("Tool", id="tool-detail")

    def on_mount(self) -> None:
        tools = self.query_one("#tool-list", OptionList)
        tools.border_title = "Tools · controls"
        if tools.option_count:
            tools.highlighted = 0
        tools.focus()

    @property
    def tool_id(self) -> str | None:
        tools = self.query_one("#tool-list", OptionList)
        return None if tools.highlighted is None else tools.get_option_at_index(tools.highlighted).id

    @on(OptionList.OptionHighlighted, "#tool-list")
    def _moved(self) -> None:
        tid = self.tool_id
        if tid:
            self.query_one(DetailPane).show(record_markdown(self.kb, "tool", self.kb.tools[tid]), self.kb.tools[tid].name)

    @on(OptionList.OptionSelected, "#tool-list")
    def _chosen(self) -> None:
        if self.tool_id is not None:
            self.open_detail(self.query_one(DetailPane))

    def show_record(self, kind: str, record_id: str) -> None:
        tools = self.query_one("#tool-list", OptionList)
        if kind == "tool":
            tools.highlighted = tools.get_option_index(record_id)
            tools.focus()
