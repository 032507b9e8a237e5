"""The checklist's two widgets: the progress line and the item list in rank order.

Items stand under their scope's heading (the workload, then the account
baseline; items on by default apart, to confirm), each with its rank, status
mark, priority and title; sub-checks are indented under their parent.

Every line is built as rich `Text` from plain strings (never markup), so a
title or an unknown id from a file shows exactly as written; control
characters are made visible by `inert`.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.owners import owner_word
from tui.checklist.builder import GROUP_TITLES, Checklist, Item
from tui.checklist.states import STATUS_MARK, STATUS_WORD
from tui.kb.text import inert

STATUS_STYLE = {"done": "bold green", "not-applicable": "dim", "accepted-risk": "bold yellow", "in-progress": "cyan",
                "open": ""}
GROUP_PREFIX = "group:"


class ProgressLine(Static):
    """`workload ████▒▒░░ 3/9 resolved (33%): 6 open ...` and a line for the baseline."""

    DEFAULT_CSS = """
    ProgressLine { height: auto; padding: 0 1; }
    """

    def show(self, cl: Checklist, shown: int | None = None) -> None:
        out = Text()
        for scope in ("workload", "baseline"):
            members = cl.scope_items(scope)
            if not members:
                continue
            if out:
                out.append("\n")
            out.append(f"{scope:<9}", "bold")
            if scope == "baseline" and cl.baseline_inherited:
                out.append(f"inherited from {inert(cl.project.baseline.inherited_from)} (b to change)", "dim")
                continue
            p = cl.progress(members)
            done, risk, rest = p.segments(20)
            out.append("█" * done, "green").append("▒" * risk, "yellow").append("░" * rest, "dim")
            out.append(" " + p.summary())
        if shown is not None and shown != len(cl.items) + len(cl.extra):
            out.append(f" · {shown} shown", "dim")
        self.update(out)


LEVEL_TAG = {"critical": "CRIT", "high": "HIGH", "medium": "MED", "low": "LOW", "informational": "INFO"}
LEVEL_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "dim", "informational": "dim"}


def item_prompt(app: object, it: Item, sub: bool = False) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append("    " if sub else f"{it.rank or '':>3} ", "dim")
    line.append(("  " if sub else "") + STATUS_MARK[it.status] + " ", STATUS_STYLE.get(it.status, ""))
    line.append(f"{LEVEL_TAG.get(it.level, ''):<5}", LEVEL_STYLE.get(it.level, ""))
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
    """Items under their group headings (headings are disabled options, skipped by the cursor)."""

    DEFAULT_CSS = """
    ItemList { height: 1fr; }
    """

    def fill(self, app: object, groups: list[tuple[str, list[Item]]], extra: list[Item], keep: str | None) -> None:
        options: list[Option] = []
        for key, members in groups:
            ids = {i.id for i in members}
            heads = sum(1 for i in members if not (i.parent and i.parent in ids))
            options.append(Option(Text(f"{GROUP_TITLES.get(key, key)} ({heads})", style="bold underline"),
                                  id=GROUP_PREFIX + key, disabled=True))
            options += [Option(item_prompt(app, it, bool(it.parent) and it.parent in ids), id=it.id) for it in members]
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
