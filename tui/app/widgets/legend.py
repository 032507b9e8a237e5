"""The legend under a stack: glyph, word and what each owner means."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.app.owners import OWNER_SIDE, OWNERS_TOP_DOWN, owner_badge


class Legend(Static):
    """Compact: `█ CUSTOMER   ▒ SHARED   ░ AWS` on one line; otherwise one owner a line, with its meaning."""

    DEFAULT_CSS = """
    Legend { height: auto; width: 1fr; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, compact: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.compact = compact

    def on_mount(self) -> None:
        self.refresh_legend()

    def refresh_legend(self) -> None:
        parts: list[Text] = []
        for owner in OWNERS_TOP_DOWN:
            part = owner_badge(self.app, owner)
            if not self.compact:
                part.pad_right(10 - part.cell_len)
                part.append(f" {OWNER_SIDE[owner]}", "dim")
            parts.append(part)
        self.update(Text("   ").join(parts) if self.compact else Text("\n").join(parts))
