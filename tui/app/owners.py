"""How an owner looks: one word, one glyph and one theme colour, used by every widget.

The word and the glyph carry the meaning on their own (monochrome terminals,
colour-blind readers, screenshots pasted into reports); the colour repeats it.
Colours are theme variables (`$owner-aws`, ...) so a theme can restyle them.
"""

from __future__ import annotations

from functools import lru_cache

from rich.style import Style
from rich.text import Text
from textual.app import App

from tui.kb.markdown import OWNER_WORD

OWNER_GLYPH = {"aws": "░", "shared": "▒", "customer": "█"}
OWNER_SIDE = {"aws": "security OF the cloud", "shared": "both halves", "customer": "security IN the cloud"}
OWNER_COLOURS = {"owner-aws": "#f29111", "owner-shared": "#b07ce8", "owner-customer": "#3d9be9"}
# on light themes the same hues, darker: AWS orange on a pale background is otherwise hard to read
OWNER_COLOURS_LIGHT = {"owner-aws": "#a14a00", "owner-shared": "#6f35b5", "owner-customer": "#0a5bb5"}
OWNERS_TOP_DOWN = ("customer", "shared", "aws")


def owner_colour(app: App[object], owner: str) -> str:
    return app.theme_variables.get(f"owner-{owner}", OWNER_COLOURS.get(f"owner-{owner}", "white"))


def owner_style(app: App[object], owner: str, bold: bool = True) -> Style:
    return _style(owner_colour(app, owner), bold)


@lru_cache(maxsize=64)
def _style(colour: str, bold: bool) -> Style:
    """One Style per colour: a results list asks for one per row on every keystroke."""
    return Style(color=colour, bold=bold)


def owner_word(app: App[object], owner: str) -> Text:
    """The owner as a coloured word: `AWS`, `CUSTOMER`, `SHARED`."""
    return Text(OWNER_WORD.get(owner, owner.upper()), style=owner_style(app, owner))


def owner_badge(app: App[object], owner: str) -> Text:
    """Glyph and word, e.g. `▒ SHARED`."""
    return Text.assemble((OWNER_GLYPH.get(owner, "?"), owner_style(app, owner, bold=False)), " ", owner_word(app, owner))
