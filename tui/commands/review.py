"""`ownit review PROJECT`: walk the open items in rank order, for a planning meeting.

On a terminal it shows each open or in-progress top-level item, most
important first (why it ranks there, what you do, what AWS does, how to verify
it, its sub-checks, the note so far) and asks for a status and a note; each
answer is saved at once (atomically, merged with any change made on disk
meanwhile), and a decision on a parent covers its sub-checks that were not
decided on their own. The workload comes first, then the account baseline
(skipped when the project inherits it from a platform). Filters (`--top 25`,
`--severity critical,high`, `--scope workload`) narrow the walk. Without a
terminal (a pipe, CI) it prints the items and exits: nothing to ask.
"""

from __future__ import annotations

from collections.abc import Callable

from tui.checklist.builder import Checklist, Item, build_checklist
from tui.checklist.filters import Filters
from tui.checklist.states import NEEDS_NOTE, STATUS_WORD, current_user, today
from tui.checklist.store import ConflictError, ProjectFile
from tui.commands.checklist_text import evidence_line
from tui.commands.render import OWNER_WORD, console, text
from tui.kb.errors import UsageError

KEYS = {"d": "done", "i": "in-progress", "n": "not-applicable", "a": "accepted-risk", "o": "open"}
PROMPT = "status? [d]one [i]n-progress [n]ot-applicable [a]ccepted-risk [o]pen, [s]kip, [q]uit: "


def review(pf: ProjectFile, interactive: bool, ask: Callable[[str], str], by: str | None = None,
           filters: Filters | None = None) -> int:
    assert pf.kb is not None
    cl = build_checklist(pf.project, pf.kb)
    items = walk(cl, filters or Filters())
    out = console()
    if not items:
        out.print(text(f"{pf.path}: nothing open. Every item is resolved."))
        return 0
    if not interactive:
        out.print(text(f"{len(items)} item(s) to review in {pf.path} (run on a terminal to record decisions):"))
        for it in items:
            out.print(text(f"  {it.scope[:4]} {it.rank:>3} {it.level:<8} {it.id:<40} {OWNER_WORD.get(it.owner, '?'):<9} "
                           f"{STATUS_WORD[it.status]:<12} {it.title}"))
            if it.evidence:
                out.print(evidence_line(it, 8))
        return 0
    who = by or current_user()
    for n, it in enumerate(items, 1):
        _show(cl, it, n, len(items))
        try:
            if not _decide(pf, it, ask, who):
                break
        except (EOFError, KeyboardInterrupt):
            out.print(text("\nstopped; every answer so far is saved."))
            return 0
    done = build_checklist(pf.project, pf.kb).progress()
    out.print(text(f"\n{pf.path}: {done.summary()}"))
    return 0


def walk(cl: Checklist, filters: Filters) -> list[Item]:
    """The top-level items still to decide, workload then baseline (unless inherited), each in rank order."""
    shown = filters.apply(cl, cl.gated())
    ids = {i.id for i in shown}
    return [i for i in shown if i.pending and not (i.parent and i.parent in ids)]


def _show(cl: Checklist, it: Item, n: int, total: int) -> None:
    out = console()
    c = it.control
    out.print(text(f"\n[{n}/{total}] {it.scope} #{it.rank}: {it.title}", "bold"))
    if c is None:
        return
    out.print(text(f"{c.id} · {OWNER_WORD[c.owner]} · layer {c.layer} · {c.phase} · priority {c.level}"
                   + (f" (severity {c.severity})" if c.priority else "") + " · " + "; ".join(it.reasons[1:]), "dim"))
    if c.priority:
        out.print(text(f"Why this priority: {c.priority.why}", "dim"))
    if it.confirm:
        out.print(text("On by default: confirm it was not turned off."))
    out.print(text(f"You: {c.customer}"))
    if c.aws:
        out.print(text(f"AWS: {c.aws}"))
    if c.verify:
        out.print(text(f"Verify: {c.verify}"))
    for kid in cl.children(it.id):
        out.print(text(f"  sub-check {'[x]' if not kid.pending else '[ ]'} {kid.title} ({kid.id})"))
    if it.state.note:
        out.print(text(f"Note so far: {it.state.note}", "italic"))
    if it.evidence:
        out.print(evidence_line(it, 0))


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
    note = ask(f"note{' (required: why?)' if status in NEEDS_NOTE else ' (enter to keep)'}, q to quit: ").strip()
    while status in NEEDS_NOTE and not (note or pf.project.state(it.id).note):
        note = ask("  a note is required for this status (q to quit): ").strip()
    if note.lower() == "q":  # quitting, not a note: this item stays as it was
        return False
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

