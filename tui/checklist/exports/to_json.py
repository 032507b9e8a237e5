"""JSON export: a stable, documented shape (data/schema/export.schema.json).

Version 2. Keys are the YAML field names; lists keep the checklist's order
(rank order: the workload, then the account baseline; sub-checks right after
their parent; items on by default after those that need work). Text is kept
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
FORMAT_VERSION = 2


def data(cl: Checklist, now: dt.datetime) -> dict[str, Any]:
    b = cl.project.baseline
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
            "baseline": {"inherited_from": b.inherited_from, "by": b.by, "at": b.at, "ref": b.ref},
            "existing_estate": cl.project.existing_estate,
            "also_in_use": dict(cl.use.why) if cl.use else {},
            "notes": list(cl.use.notes) if cl.use else [],
        },
        "progress": cl.progress().as_dict(),
        "items": [item_record(cl, it) for it in cl.items],
        "extra": [item_record(cl, it) for it in cl.extra],
        "inherited": [inherited_record(cl, c) for c in cl.inherited],
        "matrix": [{"layer": layer, "owners": owners} for layer, owners in cl.matrix()],
    }


_encode_str = json.encoder.encode_basestring_ascii  # json's C escaper when available
_KEYS: dict[str, str] = {}  # encoded keys: an export repeats a few dozen of them thousands of times


def _key(key: Any) -> str:
    if isinstance(key, str):
        encoded = _KEYS.get(key)
        if encoded is None:
            encoded = _encode_str(key)
            if len(_KEYS) < 4096:
                _KEYS[key] = encoded
        return encoded
    if key is True or key is False or key is None or isinstance(key, (int, float)):
        return _encode_str(json.dumps(key))  # json's own key coercion: true, null, 1, 1.5
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _scalar(value: Any) -> str | None:
    """A leaf as json writes it, or None for a container."""
    if isinstance(value, str):
        return _encode_str(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return json.dumps(value)  # NaN and Infinity as json spells them
    if isinstance(value, (dict, list, tuple)):
        return None
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _write(value: Any, out: list[str], pad: str) -> None:
    """A container as json.dumps(indent=2) writes it. json's indenting encoder is pure Python
    (a generator a level, every string through several calls): this is five times faster."""
    inner = pad + "  "
    sep = ",\n" + inner
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        out.append("{\n" + inner)
        first = True
        for k, v in value.items():
            head = _key(k) + ": " if first else sep + _key(k) + ": "
            first = False
            leaf = _encode_str(v) if type(v) is str else _scalar(v)
            if leaf is None:
                out.append(head)
                _write(v, out, inner)
            else:
                out.append(head + leaf)
        out.append("\n" + pad + "}")
    else:
        if not value:
            out.append("[]")
            return
        out.append("[\n" + inner)
        first = True
        for v in value:
            leaf = _encode_str(v) if type(v) is str else _scalar(v)
            if not first:
                out.append(sep)
            first = False
            if leaf is None:
                _write(v, out, inner)
            else:
                out.append(leaf)
        out.append("\n" + pad + "]")


def dumps(value: Any) -> str:
    """JSON with every non-ASCII and control character escaped, and `<`, `>`, `&` too, so the
    text is inert even pasted into HTML or printed to a terminal; it parses back unchanged.
    The text is exactly `json.dumps(value, indent=2, ensure_ascii=True)` with those three escaped
    (they can only occur inside strings, as the rest is ASCII punctuation, digits and keywords)."""
    leaf = _scalar(value)
    if leaf is None:
        out: list[str] = []
        _write(value, out, "")
        leaf = "".join(out)
    if "<" in leaf or ">" in leaf or "&" in leaf:
        leaf = leaf.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return leaf + "\n"


def render(cl: Checklist, now: dt.datetime) -> str:
    return dumps(data(cl, now))
