"""The checklist's two widgets: the progress line and the item list grouped by layer.

Every line is built as rich `Text` from plain strings (never markup), so a
title or an unknown id from a file shows exactly as written; control
characters are made visible by `inert`.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.owners import owner_word
from tui.checklist.builder import Checklist, Item
from tui.checklist.states import STATUS_MARK, STATUS_WORD
from tui.kb.text import inert

STATUS_STYLE = {"done": "bold green", "not-applicable": "dim", "accepted-risk": "bold yellow", "in-progress": "cyan",
                "open": ""}
GROUP_PREFIX = "group:"


class ProgressLine(Static):
    """`████▒▒░░░░ 3/9 resolved (33%): 6 open, 2 done, 1 accepted-risk`."""

    DEFAULT_CSS = """
    ProgressLine { height: 1; padding: 0 1; }
    """

    def show(self, cl: Checklist, shown: int | None = None) -> None:
        p = cl.progress()
        done, risk, rest = p.segments(30)
        line = Text()
        line.append("█" * done, "green").append("▒" * risk, "yellow").append("░" * rest, "dim")
        line.append(" " + p.summary())
        if shown is not None and shown != p.total:
            line.append(f" · {shown} shown", "dim")
        self.update(line)


def item_prompt(app: object, it: Item) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(STATUS_MARK[it.status] + " ", STATUS_STYLE.get(it.status, ""))
    if it.owner:
        word = owner_word(app, it.owner)  # type: ignore[arg-type]
        line.append_text(word).append(" " * (9 - len(word.plain)))
    else:
        line.append("UNKNOWN  ", "bold red")
    line.append(inert(it.title))
    if it.state.note:
        line.append("  ✎", "dim")
    return line


class ItemList(OptionList):
    """Items under their layer headings (headings are disabled options, skipped by the cursor)."""

    DEFAULT_CSS = """
    ItemList { height: 1fr; }
    """

    def fill(self, app: object, groups: list[tuple[str, list[Item]]], extra: list[Item], keep: str | None) -> None:
        options: list[Option] = []
        for key, members in groups:
            options.append(Option(Text(f"{key} ({len(members)})", style="bold underline"), id=GROUP_PREFIX + key,
                                  disabled=True))
            options += [Option(item_prompt(app, it), id=it.id) for it in members]
        if extra:
            options.append(Option(Text(f"kept, not in scope ({len(extra)})", style="bold underline yellow"),
                                  id=GROUP_PREFIX + "extra", disabled=True))
            options += [Option(item_prompt(app, it), id=it.id) for it in extra]
        self.clear_options()
        self.add_options(options)
        ids = [o.id for o in options]
        if keep in ids:
            self.highlighted = ids.index(keep)
        else:
            first = next((i for i, o in enumerate(options) if not o.disabled), None)
            self.highlighted = first

    @property
    def current_id(self) -> str | None:
        if self.highlighted is None or self.option_count == 0:
            return None
        option = self.get_option_at_index(self.highlighted)
        return None if option.disabled or option.id is None else option.id

    def status_text(self, it: Item) -> str:
        return STATUS_WORD[it.status]
