"""The checklist's two widgets: the progress line and the item list in rank order.

Items stand under their scope's heading (the workload, then the account
baseline; items on by default apart, to confirm), each with its rank, status
mark, priority and title; sub-checks are indented under their parent.

Every line is built as rich `Text` from plain strings (never markup), so a
title or an unknown id from a file shows exactly as written; control
characters are made visible by `inert`.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.owners import owner_word
from tui.checklist.builder import GROUP_TITLES, Checklist, Item
from tui.checklist.states import STATUS_MARK, STATUS_WORD
from tui.kb.markdown import LEVEL_STYLE, LEVEL_TAG
from tui.kb.text import inert

STATUS_STYLE = {"done": "bold green", "not-applicable": "dim", "accepted-risk": "bold yellow", "in-progress": "cyan",
                "open": ""}
GROUP_PREFIX = "group:"


class ProgressLine(Static):
    """`workload ████▒▒░░ 3/9 resolved (33%): 6 open ...` and a line for the baseline."""

    DEFAULT_CSS = """
    ProgressLine { height: auto; padding: 0 1; }
    """

    def on_resize(self) -> None:
        if getattr(self, "_shown", None) is not None:
            self.show(*self._shown)

    def show(self, cl: Checklist, shown: int | None = None) -> None:
        self._shown = (cl, shown)
        short = 0 < self.size.width < 100  # one line a scope at 80 columns
        out = Text(no_wrap=True, overflow="ellipsis")
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
            p = cl.progress(cl.top_level(members))  # the items the headings count; sub-checks follow them
            done, risk, rest = p.segments(10 if short else 20)
            out.append("█" * done, "green").append("▒" * risk, "yellow").append("░" * rest, "dim")
            out.append(" " + p.summary(short))
        if shown is not None and shown != len(cl.items) + len(cl.extra):
            out.append(f" · {shown} shown", "dim")
        self.update(out)


EVIDENCE_MARK = {"contradicted": ("✗ contradicted", "bold red"), "failing": ("✗ failing", "red"),
                 "looks-done": ("✓ looks done", "green")}


def item_prompt(app: object, it: Item, sub: bool = False, hidden: int = 0) -> Table:
    """rank, mark, priority, title (wrapped lines hang under the title), an owner mark for shared items."""
    head = Text(no_wrap=True)
    head.append("      " if sub else f"{it.rank or '':>3} ", "dim")
    head.append(STATUS_MARK[it.status] + " ", STATUS_STYLE.get(it.status, ""))
    head.append(f"{LEVEL_TAG.get(it.level, ''):<5}", LEVEL_STYLE.get(it.level, ""))
    title = Text(inert(it.title))
    if not it.owner:
        title = Text("UNKNOWN ", "bold red").append_text(title)
    elif it.owner == "shared":
        title.append("  ").append_text(owner_word(app, "shared"))  # type: ignore[arg-type]
    if it.state.note:
        title.append("  ✎", "dim")
    if it.evidence_state:  # scanner evidence (ownit evidence): the account disagrees, or agrees before the team
        mark = EVIDENCE_MARK.get(it.evidence_state)
        if mark:
            title.append(f"  {mark[0]}", mark[1] + (" dim" if it.evidence_stale else ""))
    if hidden:
        title.append(f"  +{hidden} sub-check{'s' if hidden > 1 else ''}", "dim italic")
    grid = Table.grid(expand=True)
    grid.add_column(no_wrap=True, width=len(head.plain))
    grid.add_column(ratio=1)
    grid.add_row(head, title)
    return grid


class ItemList(OptionList):
    """Items under their group headings (headings are disabled options, skipped by the cursor)."""

    # a stable gutter: rows are measured once at the width they are drawn at (a scrollbar that appears after
    # the measure would wrap a title onto a line the list never made room for)
    DEFAULT_CSS = """
    ItemList { height: 1fr; scrollbar-gutter: stable; }
    """

    def fill(self, app: object, groups: list[tuple[str, list[Item]]], extra: list[Item], keep: str | None,
             expanded: bool = True) -> None:
        """Options for the groups; collapsed (`expanded` False), a parent shows how many sub-checks it holds."""
        options: list[Option] = []
        for key, members in groups:
            ids = {i.id for i in members}
            kids: dict[str, int] = {}
            for i in members:
                if i.parent and i.parent in ids:
                    kids[i.parent] = kids.get(i.parent, 0) + 1
            heads = len(members) - sum(kids.values())
            options.append(Option(Text(f"{GROUP_TITLES.get(key, key)} ({heads})", style="bold underline"),
                                  id=GROUP_PREFIX + key, disabled=True))
            for it in members:
                sub = bool(it.parent) and it.parent in ids
                if sub and not expanded:
                    continue
                hidden = 0 if expanded else kids.get(it.id, 0)
                options.append(Option(item_prompt(app, it, sub, hidden), id=it.id))
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
