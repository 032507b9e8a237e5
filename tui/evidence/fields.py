"""Small helpers the readers share: safe field access and bounded, one-line text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tui.evidence.model import iso, parse_time

MAX_ID_CHARS = 1024  # an ARN is at most 2048 bytes in theory; stored ids are cut (with an ellipsis) here
MAX_CHECK_CHARS = 200
_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")  # what str.splitlines() breaks on
_WHEN: dict[str, str] = {}  # times as written -> ISO text: an export repeats the same few thousand times


def get(obj: Any, *path: str) -> Any:
    """obj[path[0]][path[1]]..., or None where any step is missing or not a mapping."""
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def text(value: Any, limit: int = MAX_ID_CHARS) -> str:
    """A scalar as one line of text of bounded length ('' for anything else)."""
    if type(value) is str:  # the usual case, first (a findings file is 100,000 records of a dozen fields)
        s = value.strip()
    elif value is None or isinstance(value, (dict, list, bool)):
        return ""
    else:
        s = str(value).strip()
    if _BREAKS.search(s):
        s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def when(value: Any) -> str:
    """A time as ISO 8601 UTC text: ISO strings, 'YYYY-MM-DD HH:MM:SS' and Unix seconds or milliseconds."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float)):
        secs = value / 1000 if value > 1e11 else value
        try:
            return iso(dt.datetime.fromtimestamp(secs, dt.timezone.utc))
        except (OverflowError, OSError, ValueError):
            return ""
    if isinstance(value, str):
        got = _WHEN.get(value)
        if got is None:
            s = value.strip()
            if s.isdigit():
                got = when(int(s))
            else:
                t = parse_time(s)
                got = iso(t) if t else ""
            if len(_WHEN) < 65536:
                _WHEN[value] = got
        return got
    return ""


def arn_parts(arn: str) -> tuple[str, str, str]:
    """(service, region, account) of an ARN; empty strings where it has none or is not an ARN."""
    if not arn.startswith("arn:"):
        return "", "", ""
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return "", "", ""
    return parts[2], parts[3], parts[4]
