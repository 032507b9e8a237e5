"""`ownit review PROJECT`: walk the open items one by one, for a planning meeting.

On a terminal it shows each open or in-progress item (what you do, what AWS
does, the note so far) and asks for a status and a note; each answer is saved
at once (atomically, merged with any change made on disk meanwhile). Without a
terminal (a pipe, CI) it prints the open items and exits: nothing to ask.
"""

from __future__ import annotations

from collections.abc import Callable

from tui.checklist.builder import Item, build_checklist
from tui.checklist.states import NEEDS_NOTE, STATUS_WORD, current_user, today
from tui.checklist.store import ConflictError, ProjectFile
from tui.commands.render import OWNER_WORD, console, text
from tui.kb.errors import UsageError

KEYS = {"d": "done", "i": "in-progress", "n": "not-applicable", "a": "accepted-risk", "o": "open"}
PROMPT = "status? [d]one [i]n-progress [n]ot-applicable [a]ccepted-risk [o]pen, [s]kip, [q]uit: "


def review(pf: ProjectFile, interactive: bool, ask: Callable[[str], str], by: str | None = None) -> int:
    assert pf.kb is not None
    items = [i for i in build_checklist(pf.project, pf.kb).items if i.status in ("open", "in-progress")]
    out = console()
    if not items:
        out.print(text(f"{pf.path}: nothing open. Every item is resolved."))
        return 0
    if not interactive:
        out.print(text(f"{len(items)} item(s) to review in {pf.path} (run on a terminal to record decisions):"))
        for it in items:
            out.print(text(f"  {it.id:<36} {OWNER_WORD.get(it.owner, '?'):<9} {STATUS_WORD[it.status]:<12} {it.title}"))
        return 0
    who = by or current_user()
    for n, it in enumerate(items, 1):
        _show(it, n, len(items))
        try:
            if not _decide(pf, it, ask, who):
                break
        except (EOFError, KeyboardInterrupt):
            out.print(text("\nstopped; every answer so far is saved."))
            return 0
    done = build_checklist(pf.project, pf.kb).progress()
    out.print(text(f"\n{pf.path}: {done.summary()}"))
    return 0


def _show(it: Item, n: int, total: int) -> None:
    out = console()
    c = it.control
    out.print(text(f"\n[{n}/{total}] {it.title}", "bold"))
    if c is None:
        return
    out.print(text(f"{c.id} · {OWNER_WORD[c.owner]} · layer {c.layer} · {c.phase} · severity {c.severity}", "dim"))
    out.print(text(f"You: {c.customer}"))
    if c.aws:
        out.print(text(f"AWS: {c.aws}"))
    if it.state.note:
        out.print(text(f"Note so far: {it.state.note}", "italic"))


def _decide(pf: ProjectFile, it: Item, ask: Callable[[str], str], who: str) -> bool:
    """Ask for one item; False when the user quits."""
    out = console()
    while True:
        answer = ask(PROMPT).strip().lower()[:1]
        if answer == "q":
            return False
        if answer in ("s", ""):
            return True
        if answer in KEYS:
            break
        out.print(text("  please answer d, i, n, a, o, s or q"))
    status = KEYS[answer]
    note = ask(f"note{' (required: why?)' if status in NEEDS_NOTE else ' (enter to keep)'}: ").strip()
    while status in NEEDS_NOTE and not (note or pf.project.state(it.id).note):
        note = ask("  a note is required for this status: ").strip()
    changes = {"status": status, "by": who, "at": today()}
    if note:
        changes["note"] = note
    try:
        pf.set_item(it.id, **changes)
    except ConflictError as exc:
        out.print(text(f"  not saved: {exc}"))
        pf.reload()
    except UsageError as exc:
        out.print(text(f"  not saved: {exc}"))
    else:
        out.print(text(f"  saved: {STATUS_WORD[status]}" + (" (merged with changes made on disk)" if pf.merged else "")))
    return True

