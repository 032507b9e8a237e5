"""Markdown export: a GitHub task list in rank order (the workload, then the account
baseline; sub-checks nested under their parent; items on by default last, to
confirm), each item with what you do, AWS's half, how to verify it and its
sources, and the project's own fields (team, due, ticket, note); with the
responsibility matrix of the project's services, progress and the
AWS-inherited controls.

Every piece of text from a file goes through `esc` (the knowledge base's
Markdown escaper): it is one line, its Markdown punctuation is escaped and its
control characters are visible, so a note can never close a list item, add a
heading, open HTML or inject a link that its author did not see.
"""

from __future__ import annotations

import datetime as dt
import re

from tui.checklist.builder import GROUP_TITLES, Checklist, Item
from tui.checklist.exports.common import (
    evidence_text,
    flag_text,
    scanner_text,
    scope_progress,
    service_names,
    status_word,
    verify_text,
)
from tui.checklist.states import RESOLVED
from tui.kb.markdown import OWNER_WORD, esc
from tui.kb.text import one_line

_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def code(value: str) -> str:
    """An id as inline code when it is a plain id, else as escaped text."""
    return f"`{value}`" if _SAFE_ID.match(value) else esc(value)


def render(cl: Checklist, now: dt.datetime) -> str:
    out = [
        f"# Security checklist: {esc(cl.project.name)}",
        "",
        f"Services: {esc(service_names(cl))} · knowledge base {esc(cl.kb.version)} · generated {now.date().isoformat()}",
        "",
        *(f"**Progress, {esc(line)}**  " for line in scope_progress(cl)),
        "",
        "## Who owns what",
        "",
        *_matrix(cl),
        "",
        *_usage(cl),
    ]
    for key, items in cl.groups("rank"):
        out += ["", f"## {GROUP_TITLES[key]}", ""]
        if key.startswith("baseline") and cl.baseline_inherited:
            b = cl.project.baseline
            out += [f"Inherited from **{esc(b.inherited_from)}**" + (f" ({esc(b.ref)})" if b.ref else "")
                    + (f", recorded by {esc(b.by)}" if b.by else "") + (f" on {esc(b.at)}" if b.at else "")
                    + ": the platform answers for these items.", ""]
        ids = {i.id for i in items}
        out += [line for it in items for line in _item(it, nested=bool(it.parent) and it.parent in ids)]
    if cl.extra:
        out += ["", "## Kept items not in scope", ""]
        out += [line for it in cl.extra for line in _item(it)]
    if cl.inherited:
        out += ["", "## Inherited from AWS", ""]
        for c in cl.inherited:
            out.append(f"- **{esc(c.title)}** ({code(c.id)}) · {esc(c.layer)} · evidence: {esc(evidence_text(c))}")
    return "\n".join(out) + "\n"


def _matrix(cl: Checklist) -> list[str]:
    if not cl.services:
        return ["No known services."]
    rows = ["| layer | " + " | ".join(esc(s.short) for s in cl.services) + " |",
            "|---|" + "---|" * len(cl.services)]
    for layer, owners in cl.matrix():
        rows.append(f"| {layer} | " + " | ".join(OWNER_WORD[owners[s.id]] for s in cl.services) + " |")
    return rows


def _usage(cl: Checklist) -> list[str]:
    lines = []
    if cl.use and cl.use.why:
        lines += ["", "Also in use: " + ", ".join(f"{code(k)} ({esc(v)})" for k, v in cl.use.why.items())]
    for note in cl.use.notes if cl.use else ():
        lines += ["", f"Note: {esc(note)}"]
    return lines


def _item(it: Item, nested: bool = False) -> list[str]:
    pad = "  " if nested else ""
    mark = "x" if it.status in RESOLVED else " "
    rank = "" if nested or not it.rank else f"{it.rank}. "
    head = f"{pad}- [{mark}] {rank}**{esc(it.title)}** ({code(it.id)})"
    c = it.control
    if c:
        head += f" · {OWNER_WORD.get(it.owner, esc(it.owner))} · {esc(it.phase)} · priority {esc(c.level)}"
        if c.priority:
            head += f" (severity {esc(c.severity)})"
    head += f" · *{esc(status_word(it.status))}*"
    who = " ".join(x for x in (f"by {esc(it.state.by)}" if it.state.by else "", f"on {esc(it.state.at)}" if it.state.at else "") if x)
    if who:
        head += f" ({who})"
    lines = [head]
    fields = [("Team", it.state.team), ("Note", it.state.note), ("Due", it.state.due), ("Ticket", it.state.ticket),
              ("Decided with", it.status_from), ("Flag", flag_text(it)), ("Scanner evidence", scanner_text(it))]
    if c:
        fields += [("Why this priority", c.priority.why if c.priority else ""), ("You", c.customer), ("AWS", c.aws)]
    lines += [f"{pad}  - {label}: {esc(value)}" for label, value in fields if value]
    for label, values in verify_text(c):
        shown = ", ".join(f"`{one_line(v)}`" if "`" not in v else esc(v) for v in values)
        lines.append(f"{pad}  - Verify ({label}): {shown}")
    if c:
        lines.append(f"{pad}  - Sources: " + " ".join(f"<{u}>" for u in c.sources))
    return lines
