"""Markdown export: a GitHub task list grouped by layer, with the responsibility
matrix of the project's services, progress, notes and the AWS-inherited controls.

Every piece of text from a file goes through `esc` (the knowledge base's
Markdown escaper): it is one line, its Markdown punctuation is escaped and its
control characters are visible, so a note can never close a list item, add a
heading, open HTML or inject a link that its author did not see.
"""

from __future__ import annotations

import datetime as dt
import re

from tui.checklist.builder import Checklist, Item
from tui.checklist.exports.common import evidence_text, flag_text, service_names, status_word
from tui.checklist.states import RESOLVED
from tui.kb.markdown import OWNER_WORD, esc

_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def code(value: str) -> str:
    """An id as inline code when it is a plain id, else as escaped text."""
    return f"`{value}`" if _SAFE_ID.match(value) else esc(value)


def render(cl: Checklist, now: dt.datetime) -> str:
    p = cl.progress()
    out = [
        f"# Security checklist: {esc(cl.project.name)}",
        "",
        f"Services: {esc(service_names(cl))} · knowledge base {esc(cl.kb.version)} · generated {now.date().isoformat()}",
        "",
        f"**Progress:** {p.summary()}",
        "",
        "## Who owns what",
        "",
        *_matrix(cl),
        "",
        "## Checklist",
    ]
    for layer, items in cl.groups("layer"):
        out += ["", f"### {layer}", ""]
        out += [line for it in items for line in _item(it)]
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


def _item(it: Item) -> list[str]:
    mark = "x" if it.status in RESOLVED else " "
    head = f"- [{mark}] **{esc(it.title)}** ({code(it.id)})"
    if it.control:
        head += f" · {OWNER_WORD.get(it.owner, esc(it.owner))} · {esc(it.phase)} · {esc(it.severity)}"
    head += f" · *{esc(status_word(it.status))}*"
    who = " ".join(x for x in (f"by {esc(it.state.by)}" if it.state.by else "", f"on {esc(it.state.at)}" if it.state.at else "") if x)
    if who:
        head += f" ({who})"
    lines = [head]
    for label, value in (("Note", it.state.note), ("Due", it.state.due), ("Ticket", it.state.ticket), ("Flag", flag_text(it))):
        if value:
            lines.append(f"  - {label}: {esc(value)}")
    return lines
