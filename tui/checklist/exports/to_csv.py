"""CSV export: one row per item, for a spreadsheet.

Rows: the checklist items in rank order (the workload, then the account
baseline; a sub-check names its parent), then the items kept but out of scope,
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
from tui.checklist.exports.common import evidence_text, flag_text, framework_labels, item_record, scanner_text
from tui.kb.text import inert

COLUMNS = ("scope", "rank", "parent", "id", "title", "owner", "layer", "domain", "phase", "severity", "priority",
           "priority_why", "default", "services", "status", "status_from", "team", "note", "by", "at", "due", "ticket",
           "customer", "aws", "verify_cli", "config_rules", "security_hub", "prowler", "frameworks", "sources", "flag",
           "scanner_evidence")
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
        check = rec.pop("verify")
        rec.update(verify_cli=check["cli"], config_rules=" ".join(check["config_rules"]),
                   security_hub=" ".join(check["security_hub"]), prowler=" ".join(check["prowler"]))
        rec["services"] = " ".join(rec["services"])
        rec["sources"] = " ".join(rec["sources"])
        rec["default"] = "yes" if rec["default"] else "no"
        rec["frameworks"] = framework_labels(it.control)
        rec["flag"] = flag_text(it)
        rec["scanner_evidence"] = scanner_text(it)
        w.writerow([cell(rec[k]) for k in COLUMNS])
    for c in cl.inherited:
        row = {
            "id": c.id, "title": c.title, "owner": c.owner, "layer": c.layer, "domain": c.domain, "phase": c.phase,
            "severity": c.severity, "services": " ".join(cl.applies_to(c)), "status": "inherited",
            "note": evidence_text(c), "frameworks": framework_labels(c), "aws": c.aws, "sources": " ".join(c.sources),
        }
        w.writerow([cell(row.get(k, "")) for k in COLUMNS])
    return buf.getvalue()
