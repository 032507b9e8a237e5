"""The floor for start-up: a Textual app with the widgets of ownit's home screen
(Layers) and no data at all. bench/run.py times both to their first painted
layer stack, in run_test and as a real process in tmux.

    python bench/bare_app.py
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Markdown, OptionList, Static

# The same fifteen names the real stack draws: the marker both benchmarks wait for.
LAYERS = (
    "customer-data", "network-traffic-protection", "server-side-encryption", "client-side-encryption",
    "iam", "network-config", "application", "platform", "guest-os", "host-os", "virtualization",
    "network-infrastructure", "global-infrastructure", "hardware", "physical",
)


class BareApp(App[None]):
    CSS = """
    #body { height: 1fr; }
    #list { width: 30; }
    #stack-column { width: 1fr; }
    #stack { height: 16; }
    #detail { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static("ownit · Layers Compare Services Controls Tools Checklist", id="navbar")
        with Horizontal(id="body"):
            yield OptionList(id="list")
            with Vertical(id="stack-column"):
                yield Static(id="picker")
                yield Static(id="caption")
                yield Static("\n".join(f"  {name}" for name in LAYERS), id="stack")
                yield Static(id="summary")
                yield Static(id="legend")
            with VerticalScroll(id="detail-box"):
                yield Markdown(id="detail")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
