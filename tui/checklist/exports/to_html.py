"""HTML export: one self-contained, printable review report.

No external assets (styles inline, no scripts, no fonts, no images): the file
can be mailed, attached to a ticket or printed to PDF. Sections: the top items
to raise first and a summary by priority, owner and status; the stack picture
of each service; the checklist in rank order (workload, then the account
baseline; sub-checks under their parent; items on by default to confirm), each
item with what you do, AWS's half, how to verify it, its sources and the
project's own fields (team, due, ticket, note); accepted risks with their
reasons; items kept out of scope; controls inherited from AWS; a sign-off block. Every piece of text goes through
`html.escape` (after control characters are made visible).
"""

from __future__ import annotations

import datetime as dt
import html

from tui.checklist.builder import GROUP_TITLES, LAYERS_TOP_DOWN, Checklist, Item
from tui.checklist.exports.common import (
    evidence_text,
    flag_text,
    framework_labels,
    scanner_text,
    scope_progress,
    service_names,
    status_word,
    verify_text,
)
from tui.checklist.states import STATUS_MARK, STATUSES
from tui.kb.markdown import OWNER_WORD
from tui.kb.model import LAYER_IDS, SEVERITIES
from tui.kb.text import inert

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1b1f24;margin:2em auto;max-width:1100px;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #d0d7de;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #d0d7de;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f6f8fa}.meta{color:#57606a}.stacks{display:flex;flex-wrap:wrap;gap:1em}
.stack td{width:11em;font-size:12px}.stack td.name{width:14em}
.aws{background:#fde8c8}.shared{background:#eadcf8}.customer{background:#d2e6fb}
.line td{border-top:3px dashed #1b1f24;font-size:11px;text-align:center;padding:0}
.status{font-family:ui-monospace,monospace;white-space:nowrap}.note{white-space:pre-wrap}
.signoff td{height:2.4em;width:14em}.sub td:first-child{padding-left:1.6em}
.guide{font-size:13px;color:#32383f}.guide dt{font-weight:600;margin-top:.3em}.guide dd{margin:0 0 0 1em}
.guide code{white-space:pre-wrap;word-break:break-all}.rank{font-weight:700;text-align:right}
.critical{color:#a40e26;font-weight:700}.high{color:#bc4c00;font-weight:600}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}}
"""


def e(value: object) -> str:
    """Escape for HTML text and attribute values (control characters made visible first)."""
    return html.escape(inert(str(value)), quote=True)


def render(cl: Checklist, now: dt.datetime) -> str:
    title = f"Security checklist: {cl.project.name}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f'<p class="meta">Services: {e(service_names(cl))} · knowledge base {e(cl.kb.version)} · generated {e(now.isoformat())}</p>',
        *_usage(cl),
        *_top(cl),
        *_summary(cl),
        *_stacks(cl),
        *_checklist(cl),
        *_risks(cl),
        *_extra(cl),
        *_inherited(cl),
        *_signoff(),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


TOP = 10


def _usage(cl: Checklist) -> list[str]:
    out = []
    if cl.use and cl.use.why:
        out.append('<p class="meta">Also in use: ' + e(", ".join(f"{k} ({v})" for k, v in cl.use.why.items())) + "</p>")
    out += [f'<p class="meta">Note: {e(n)}</p>' for n in (cl.use.notes if cl.use else ())]
    if cl.baseline_inherited:
        b = cl.project.baseline
        out.append(f'<p class="meta">Account baseline inherited from <strong>{e(b.inherited_from)}</strong>'
                   + (f" ({e(b.ref)})" if b.ref else "") + "</p>")
    return out


def _top(cl: Checklist) -> list[str]:
    heads = [i for i in cl.top_level(cl.gated()) if i.pending and not i.confirm_group][:TOP]
    out = [f"<h2>Raise first: the top {len(heads)} open items</h2>"]
    if not heads:
        return out + ["<p>Nothing open.</p>"]
    out.append("<table><tr><th>#</th><th>scope</th><th>item</th><th>priority</th><th>why first</th><th>owner</th></tr>")
    for it in heads:
        out.append(f'<tr><td class="rank">{it.rank}</td><td>{e(it.scope)}</td><td><strong>{e(it.title)}</strong>'
                   f'<br><code>{e(it.id)}</code></td><td class="{e(it.level)}">{e(it.level)}</td>'
                   f"<td>{e('; '.join(it.reasons[1:]))}</td><td>{OWNER_WORD.get(it.owner, '')}</td></tr>")
    return out + ["</table>"]


def _summary(cl: Checklist) -> list[str]:
    heads = cl.top_level()  # the items the headings count; each stands for its sub-checks
    rows = ["<h2>Summary</h2>", *(f"<p><strong>Progress, {e(line)}</strong></p>" for line in scope_progress(cl)),
            "<p>Counted by item; an item's sub-checks are listed under it.</p>",
            '<table class="summary"><tr><th>priority</th>' + "".join(f"<th>{e(status_word(s))}</th>" for s in STATUSES)
            + "<th>to confirm</th><th>total</th></tr>"]
    for level in SEVERITIES:
        counts = cl.progress(i for i in heads if i.level == level)
        if counts.total:
            rows.append(f'<tr><td class="{level}">{level}</td>' + "".join(f"<td>{counts.counts[s]}</td>" for s in STATUSES)
                        + f"<td>{counts.to_confirm}</td><td>{counts.total}</td></tr>")
    rows.append("</table>")
    rows.append('<table class="summary"><tr><th>owner</th>' + "".join(f"<th>{e(status_word(s))}</th>" for s in STATUSES)
                + "<th>to confirm</th><th>total</th></tr>")
    for owner in ("customer", "shared"):
        counts = cl.progress(i for i in heads if i.owner == owner)
        rows.append(f'<tr><td class="{owner}">{OWNER_WORD[owner]}</td>'
                    + "".join(f"<td>{counts.counts[s]}</td>" for s in STATUSES)
                    + f"<td>{counts.to_confirm}</td><td>{counts.total}</td></tr>")
    rows.append(f'<tr><td class="aws">AWS (inherited)</td><td colspan="{len(STATUSES) + 1}">not tracked here: evidenced in AWS Artifact</td>'
                f"<td>{len(cl.inherited)}</td></tr></table>")
    return rows


def _stacks(cl: Checklist) -> list[str]:
    out = ["<h2>Who owns what: the stack of each service</h2>", '<div class="stacks">']
    for s in cl.services:
        line = s.responsibility_line()
        out.append(f'<table class="stack"><tr><th colspan="2">{e(s.name)}</th></tr>')
        for layer in LAYERS_TOP_DOWN:
            owner = s.owner(layer)
            out.append(f'<tr><td class="name">{e(layer)}</td><td class="{owner}">{OWNER_WORD[owner]}</td></tr>')
            if line < len(LAYER_IDS) and layer == LAYER_IDS[line]:  # the line sits below this layer
                out.append('<tr class="line"><td colspan="2">responsibility line</td></tr>')
        out.append("</table>")
    out.append("</div>")
    return out


def _row(it: Item, sub: bool = False) -> str:
    st = it.state
    who = " ".join(x for x in (st.by, st.at) if x)
    extra = "; ".join(x for x in (f"team {st.team}" if st.team else "", f"due {st.due}" if st.due else "",
                                  f"ticket {st.ticket}" if st.ticket else "", f"decided with {it.status_from}"
                                  if it.status_from else "", flag_text(it), scanner_text(it)) if x)
    owner = f'<td class="{e(it.owner)}">{OWNER_WORD.get(it.owner, "")}</td>' if it.owner else "<td></td>"
    rank = "" if sub or not it.rank else str(it.rank)
    return (f'<tr class="{"sub" if sub else "item"}"><td class="rank">{rank}</td>'
            f'<td class="status">{e(STATUS_MARK[it.status])} {e(status_word(it.status))}</td>'
            f"<td><strong>{e(it.title)}</strong><br><code>{e(it.id)}</code>{_guide(it)}</td>{owner}"
            f'<td>{e(it.phase)}</td><td class="{e(it.level)}">{e(it.level)}</td><td class="note">{e(st.note)}</td>'
            f"<td>{e(who)}</td><td>{e(extra)}</td><td>{e(framework_labels(it.control))}</td></tr>")


def _guide(it: Item) -> str:
    """What you do, AWS's half, why this priority, how to verify, sources: the guidance the app shows."""
    c = it.control
    if c is None:
        return ""
    parts = [("You", e(c.customer))]
    if c.aws:
        parts.append(("AWS", e(c.aws)))
    if c.priority:
        parts.append((f"Why {c.priority.level} (severity {c.severity})", e(c.priority.why)))
    for label, values in verify_text(c):
        parts.append((f"Verify: {label}", ", ".join(f"<code>{e(v)}</code>" for v in values)))
    parts.append(("Sources", " ".join(f'<a href="{e(u)}">{e(u)}</a>' for u in c.sources)))
    return '<dl class="guide">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in parts) + "</dl>"


_HEAD = ("<tr><th>#</th><th>status</th><th>control</th><th>owner</th><th>phase</th><th>priority</th><th>note</th>"
         "<th>by / at</th><th>team, due, ticket</th><th>frameworks</th></tr>")


def _checklist(cl: Checklist) -> list[str]:
    out = ["<h2>Checklist</h2>"]
    for key, items in cl.groups("rank"):
        ids = {i.id for i in items}
        rows = [_row(i, sub=bool(i.parent) and i.parent in ids) for i in items]
        out += [f"<h3>{e(GROUP_TITLES[key])}</h3>", f"<table>{_HEAD}", *rows, "</table>"]
    return out


def _risks(cl: Checklist) -> list[str]:
    risks = [i for i in (*cl.items, *cl.extra) if i.status == "accepted-risk"]
    out = ["<h2>Accepted risks</h2>"]
    if not risks:
        return out + ["<p>None.</p>"]
    out.append("<table><tr><th>control</th><th>reason</th><th>accepted by</th><th>on</th></tr>")
    out += [f"<tr><td><strong>{e(i.title)}</strong><br><code>{e(i.id)}</code></td><td class=\"note\">{e(i.state.note)}</td>"
            f"<td>{e(i.state.by)}</td><td>{e(i.state.at)}</td></tr>" for i in risks]
    return out + ["</table>"]


def _extra(cl: Checklist) -> list[str]:
    if not cl.extra:
        return []
    return ["<h2>Kept items not in scope</h2>", f"<table>{_HEAD}", *(_row(i) for i in cl.extra), "</table>"]


def _inherited(cl: Checklist) -> list[str]:
    out = ["<h2>Inherited from AWS</h2>"]
    if not cl.inherited:
        return out + ["<p>None.</p>"]
    out.append("<table><tr><th>control</th><th>layer</th><th>what AWS does</th><th>evidence</th></tr>")
    out += [f"<tr><td><strong>{e(c.title)}</strong><br><code>{e(c.id)}</code></td><td>{e(c.layer)}</td>"
            f"<td>{e(c.aws)}</td><td>{e(evidence_text(c))}</td></tr>" for c in cl.inherited]
    return out + ["</table>"]


def _signoff() -> list[str]:
    rows = "".join(f"<tr><td>{role}</td><td></td><td></td><td></td></tr>" for role in
                   ("Engineering lead", "Security reviewer", "Product owner"))
    return ["<h2>Sign-off</h2>", '<table class="signoff"><tr><th>role</th><th>name</th><th>signature</th><th>date</th></tr>',
            rows, "</table>"]
