"""Markdown as one widget: the detail panes' renderer.

Textual's Markdown widget mounts a widget per block (a control's text is 20-30
of them), so every frame of the screen beside it walks them all and every
update lays them out again: 3-4 ms of each keystroke in the Controls search
and 25-120 ms per update. The records ownit shows use a small part of
Markdown (headings, paragraphs, flat lists, code, bold, links, one fenced
command), so this view walks markdown-it's tokens into Rich Text once per
update and is a single widget on screen.

Text is only ever appended as plain text, never parsed as markup. Styles come
from the theme's own Markdown variables through component classes, so a theme
restyles the panes as it does Textual's Markdown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

if TYPE_CHECKING:
    from markdown_it.token import Token

STYLE_NAMES = ("h1", "h2", "h3", "code", "link", "fence", "bullet")


class MarkdownView(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {f"md--{name}" for name in STYLE_NAMES}
    DEFAULT_CSS = """
    MarkdownView {
        height: auto;
        padding: 0 1 0 0;
        & > .md--h1 { color: $text; background: $primary 25%; text-style: bold; }
        & > .md--h2 { color: $accent; text-style: bold; }
        & > .md--h3 { color: $markdown-h3-color; text-style: bold; }
        &:dark > .md--code { color: $text-warning 95%; background: $warning 10%; }
        &:light > .md--code { color: $text-error 95%; background: $error 5%; }
        & > .md--link { color: $link-color; text-style: underline; }
        & > .md--fence { background: $foreground 8%; }
        & > .md--bullet { color: $text-primary; }
    }
    """

    def __init__(self, markdown: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.markdown = markdown
        self._built: tuple[object, RenderableType] | None = None  # (markdown and styles, renderable)

    def update(self, markdown: str) -> None:
        if markdown != self.markdown:
            self.markdown = markdown
            self.refresh(layout=True)

    def action_open_link(self, href: str) -> None:
        self.app.open_url(href)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._built = None  # the theme or the CSS changed a component style

    def render(self) -> RenderableType:
        if not self.markdown:
            return ""  # an empty pane, as in the screen's first frame: markdown-it is not imported for it
        styles = {name: self.get_component_rich_style(f"md--{name}") for name in STYLE_NAMES}
        key = (self.markdown, tuple(styles.values()))
        if self._built is None or self._built[0] != key:
            self._built = (key, markdown_renderable(self.markdown, styles))
        return self._built[1]


def markdown_renderable(markdown: str, styles: dict[str, Style]) -> RenderableType:
    """The blocks of `markdown` as Rich renderables, a blank line between blocks (none inside a list, none
    under a section heading: it belongs to the block below)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    parts: list[RenderableType] = []
    tight = False
    for block, kind in _blocks(tokens, styles):
        if parts and not tight and kind != "list-more":
            parts.append(Text())
        parts.append(block)
        tight = kind == "section"
    return Group(*parts)


def _blocks(tokens: list[Token], styles: dict[str, Style]) -> Iterator[tuple[RenderableType, str]]:
    """Each block with its kind: `title` (h1), `section` (h2-h6), `list-more` (a list's line after its
    first: lists are tight), or `block`."""
    depth = 0
    first_in_item = False
    in_list = False  # a block inside a list that already has a line: no blank line before it
    heading: str | None = None
    table: Table | None = None
    row: list[Text] = []
    for token in tokens:
        kind = token.type
        if kind == "table_open":
            table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False, header_style="bold")
        elif kind == "tr_close" and table is not None:
            if table.columns and not table.row_count and table.columns[0].header == "":
                for column, cell in zip(table.columns, row, strict=False):
                    column.header = cell
            else:
                table.add_row(*row)
            row = []
        elif kind == "th_open" and table is not None:
            table.add_column("")
        elif kind == "inline" and table is not None:
            row.append(_inline(token, styles))
        elif kind == "table_close" and table is not None:
            yield table, "block"
            table = None
        elif kind in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            in_list = depth > 0
        elif kind == "list_item_open":
            first_in_item = True
        elif kind == "heading_open":
            heading = token.tag
        elif kind == "heading_close":
            heading = None
        elif kind == "inline":
            text = _inline(token, styles)
            if heading is not None:
                if heading == "h1":
                    yield Padding(text, (0, 1), style=styles["h1"], expand=True), "title"
                else:
                    text.stylize(styles["h2" if heading == "h2" else "h3"])
                    yield text, "section"
            elif depth:
                grid = Table.grid(padding=(0, 0))
                grid.add_column(width=2 * depth)
                grid.add_column(ratio=1, overflow="fold")  # a long ARN or URL wraps, never cut
                grid.add_row(Text("  " * (depth - 1) + ("• " if first_in_item else "  "), style=styles["bullet"]), text)
                yield grid, "list-more" if in_list else "block"
                first_in_item, in_list = False, True
            else:
                yield text, "block"
        elif kind in ("fence", "code_block"):
            body = Text(token.content.rstrip("\n"))
            yield Padding(body, (0, 1), style=styles["fence"], expand=True), "block"
        elif kind == "hr":
            yield Text("─" * 20, style="dim"), "block"


def _inline(token: Token, styles: dict[str, Style]) -> Text:
    text = Text()
    stack: list[Style] = []
    for child in token.children or ():
        kind = child.type
        style = Style.combine(stack) if stack else None
        if kind in ("text", "html_inline"):
            text.append(child.content, style)
        elif kind == "code_inline":
            text.append(child.content, (style or Style()) + styles["code"])
        elif kind == "softbreak":
            text.append(" ")
        elif kind == "hardbreak":
            text.append("\n")
        elif kind == "strong_open":
            stack.append(Style(bold=True))
        elif kind == "em_open":
            stack.append(Style(italic=True))
        elif kind == "link_open":
            href = str(child.attrGet("href") or "")
            if href.startswith("https://"):  # a click opens it (the action's argument is data, never parsed)
                stack.append(styles["link"] + Style(link=href) + Style.from_meta({"@click": ("open_link", (href,))}))
            else:
                stack.append(styles["link"])
        elif kind in ("strong_close", "em_close", "link_close") and stack:
            stack.pop()
        elif kind == "image":
            text.append(child.content, style)
    return text
