"""CSV export: one row per item, for a spreadsheet.

Rows: the checklist items in order, then the items kept but out of scope,
then the controls inherited from AWS (status `inherited`). A cell that a
spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, tab
or carriage return) gets a leading `'` (the OWASP CSV-injection advice), and
control characters are made visible, so that `cat` on a terminal is safe too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from tui.checklist.builder import Checklist
from tui.checklist.exports.common import evidence_text, flag_text, framework_labels, item_record
from tui.kb.text import inert

COLUMNS = ("id", "title", "owner", "layer", "domain", "phase", "severity", "services", "status", "note", "by", "at",
           "due", "ticket", "frameworks", "flag")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A spreadsheet-safe cell: never a formula, never a terminal escape."""
    text = str(value)
    if text.startswith(FORMULA_START):
        text = "'" + text
    return inert(text)


def render(cl: Checklist, now: dt.datetime) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for it in (*cl.items, *cl.extra):
        rec = item_record(cl, it)
        rec["services"] = " ".join(rec["services"])
        rec["frameworks"] = framework_labels(it.control)
        rec["flag"] = flag_text(it)
        w.writerow([cell(rec[k]) for k in COLUMNS])
    for c in cl.inherited:
        row = {
            "id": c.id, "title": c.title, "owner": c.owner, "layer": c.layer, "domain": c.domain, "phase": c.phase,
            "severity": c.severity, "services": " ".join(cl.applies_to(c)), "status": "inherited",
            "note": evidence_text(c), "frameworks": framework_labels(c),
        }
        w.writerow([cell(row.get(k, "")) for k in COLUMNS])
    return buf.getvalue()
