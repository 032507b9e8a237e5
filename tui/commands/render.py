"""Shared output helpers for the command line: plain Rich text (never markup) and JSON."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from rich.console import Console
from rich.text import Text

from tui.kb.text import inert

OWNER_STYLE = {"aws": "bold #ff9900", "customer": "bold #4ea1ff", "shared": "bold #b48ead"}
OWNER_WORD = {"aws": "AWS", "customer": "CUSTOMER", "shared": "SHARED"}


def console(stderr: bool = False) -> Console:
    # markup, emoji and highlighting off: text from files is shown, never interpreted.
    # Piped output follows COLUMNS when it is set (as `COLUMNS=100 ownit matrix ... | less`), else gets
    # room for a full matrix instead of Rich's default 80 columns.
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else piped_width()
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False, soft_wrap=False, width=width)


def piped_width(default: int = 160) -> int:
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return default
    return columns if columns >= 20 else default


def text(value: object, style: str = "") -> Text:
    return Text(inert(str(value)), style=style)


def owner_text(owner: str) -> Text:
    return Text(OWNER_WORD.get(owner, owner.upper()), style=OWNER_STYLE.get(owner, ""))


def print_json(data: Any) -> None:
    # ensure_ascii keeps escape characters from files escaped in the output too
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=True, sort_keys=False) + "\n")
