"""Exporters: one module a format, each a pure function `Checklist -> str`.

Every exporter treats text from files (titles, notes, tickets, unknown ids)
as data: escaped for its format so it can never add structure, formulas,
markup or terminal escapes that its author did not see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from importlib import import_module

from tui.checklist.builder import Checklist, Item

FORMATS: dict[str, tuple[str, str]] = {
    "md": ("to_md", ".md"),
    "csv": ("to_csv", ".csv"),
    "json": ("to_json", ".json"),
    "html": ("to_html", ".html"),
    "oscal": ("to_oscal", ".oscal.json"),
    "oscal-ar": ("to_oscal_ar", ".oscal-ar.json"),  # OSCAL assessment results: the scanner evidence
}


def exporter(fmt: str) -> Callable[[Checklist, dt.datetime], str]:
    module = import_module(f"tui.checklist.exports.{FORMATS[fmt][0]}")
    return module.render  # type: ignore[no-any-return]


def export(checklist: Checklist, fmt: str, now: dt.datetime | None = None, items: list[Item] | None = None) -> str:
    """The checklist in one format (md, csv, json, html, oscal, oscal-ar); `items` narrows it to what filters kept."""
    from tui.checklist.exports.common import restricted
    from tui.kb.loader import paused_gc

    if items is not None:
        checklist = restricted(checklist, items)
    stamp = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    render = exporter(fmt)
    with paused_gc():  # an export builds only acyclic data; collections would walk the whole knowledge base
        return render(checklist, stamp)


def default_name(project_path: str, fmt: str) -> str:
    """`payments.yaml` -> `payments-checklist.md` (next to the project file)."""
    from pathlib import Path

    p = Path(project_path)
    return str(p.with_name(f"{p.stem}-checklist{FORMATS[fmt][1]}"))
