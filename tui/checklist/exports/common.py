"""The one place that says what each exported item carries (JSON, CSV, OSCAL share it)."""

from __future__ import annotations

from typing import Any

from tui.checklist.builder import FLAG_TEXT, Checklist, Item
from tui.checklist.states import ITEM_FIELDS, STATUS_WORD
from tui.kb.model import FRAMEWORK_KEYS, Control

ARTIFACT = "AWS Artifact"
ITEM_KEYS = ("id", "title", "owner", "layer", "domain", "phase", "severity", "services", *ITEM_FIELDS,
             "frameworks", "flag")


def item_record(cl: Checklist, it: Item) -> dict[str, Any]:
    """An item as plain data; keys are the YAML field names (see data/schema/export.schema.json)."""
    c, st = it.control, it.state
    if c is None:
        head = {"id": it.id, "title": it.title, "owner": "", "layer": "", "domain": "", "phase": "", "severity": "",
                "services": []}
    else:
        head = {"id": it.id, "title": c.title, "owner": c.owner, "layer": c.layer, "domain": c.domain,
                "phase": c.phase, "severity": c.severity, "services": cl.applies_to(c)}
    for k in ITEM_FIELDS:
        head[k] = getattr(st, k)
    head["frameworks"] = frameworks(c)
    head["flag"] = it.flag
    return head


def inherited_record(cl: Checklist, c: Control) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "owner": c.owner,
        "layer": c.layer,
        "services": cl.applies_to(c),
        "aws": c.aws,
        "evidence": list(c.evidence),
        "evidence_where": evidence_text(c),
        "frameworks": frameworks(c),
    }


def frameworks(c: Control | None) -> dict[str, list[str]]:
    if c is None or not c.frameworks:
        return {}
    fw = c.frameworks
    return {k: list(fw[k]) for k in FRAMEWORK_KEYS if fw.get(k)}


def framework_labels(c: Control | None) -> str:
    return "; ".join(c.framework_ids()) if c else ""


def evidence_text(c: Control) -> str:
    reports = ", ".join(e.upper() for e in c.evidence)
    return f"{ARTIFACT}: {reports} reports" if reports else f"{ARTIFACT} (AWS compliance reports)"


def flag_text(it: Item) -> str:
    return FLAG_TEXT.get(it.flag, "")


def status_word(status: str) -> str:
    return STATUS_WORD.get(status, status)


def service_names(cl: Checklist) -> str:
    names = [s.short for s in cl.services]
    names += [s for s in cl.project.services if s not in cl.kb.services]
    return ", ".join(names) or "no services"
