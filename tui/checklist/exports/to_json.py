"""JSON export: a stable, documented shape (data/schema/export.schema.json).

Version 1. Keys are the YAML field names; lists keep the checklist's order
(layers top of the stack first, then phase, then severity). Text is kept
exactly as written (JSON escaping makes control characters inert), so the
export parses back to the same items; `<`, `>` and `&` are escaped too.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from tui.checklist.builder import Checklist
from tui.checklist.exports.common import inherited_record, item_record

FORMAT = "ownit-checklist"
FORMAT_VERSION = 1


def data(cl: Checklist, now: dt.datetime) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated": now.isoformat(),
        "knowledge_base": cl.kb.version,
        "project": {
            "name": cl.project.name,
            "services": [
                {"id": sid, "name": cl.kb.services[sid].name if sid in cl.kb.services else "", "known": sid in cl.kb.services}
                for sid in cl.project.services
            ],
        },
        "progress": cl.progress().as_dict(),
        "items": [item_record(cl, it) for it in cl.items],
        "extra": [item_record(cl, it) for it in cl.extra],
        "inherited": [inherited_record(cl, c) for c in cl.inherited],
        "matrix": [{"layer": layer, "owners": owners} for layer, owners in cl.matrix()],
    }


_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def dumps(value: Any) -> str:
    """JSON with every non-ASCII and control character escaped, and `<`, `>`, `&` too, so the
    text is inert even pasted into HTML or printed to a terminal; it parses back unchanged."""
    return json.dumps(value, indent=2, ensure_ascii=True).translate(_HTML_SAFE) + "\n"


def render(cl: Checklist, now: dt.datetime) -> str:
    return dumps(data(cl, now))
