"""The one place that says what each exported item carries (JSON, CSV, OSCAL share it)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tui.checklist.builder import FLAG_TEXT, Checklist, Item
from tui.checklist.states import ITEM_FIELDS, STATUS_WORD
from tui.kb.model import FRAMEWORK_KEYS, Control

ARTIFACT = "AWS Artifact"
ITEM_KEYS = ("id", "title", "scope", "rank", "parent", "owner", "layer", "domain", "phase", "severity", "priority",
             "priority_why", "default", "services", *ITEM_FIELDS, "status_from", "customer", "aws", "verify",
             "frameworks", "sources", "reasons", "flag")


def item_record(cl: Checklist, it: Item) -> dict[str, Any]:
    """An item as plain data; keys are the YAML field names (see data/schema/export.schema.json)."""
    c, st = it.control, it.state
    head: dict[str, Any] = {"id": it.id, "title": it.title, "scope": it.scope, "rank": it.rank, "parent": it.parent}
    if c is None:
        head.update(owner="", layer="", domain="", phase="", severity="", priority="", priority_why="", default=False,
                    services=[])
    else:
        head.update(owner=c.owner, layer=c.layer, domain=c.domain, phase=c.phase, severity=c.severity,
                    priority=c.level, priority_why=c.priority.why if c.priority else "", default=bool(c.default),
                    services=cl.applies_to(c))
    for k in ITEM_FIELDS:
        head[k] = getattr(st, k)
    head["status"] = it.status  # a sub-check the file does not record takes its parent's decision
    head["status_from"] = it.status_from
    head["customer"] = c.customer if c else ""
    head["aws"] = c.aws if c else ""
    head["verify"] = verify(c)
    head["frameworks"] = frameworks(c)
    head["sources"] = list(c.sources) if c else []
    head["reasons"] = list(it.reasons)
    head["flag"] = it.flag
    if it.evidence:  # scanner evidence (ownit evidence), only where there is some
        from tui.evidence.model import export_record

        head["scanner_evidence"] = export_record(it.evidence_state, it.evidence_stale, it.evidence)
    return head


def scanner_text(it: Item) -> str:
    """The item's scanner evidence in one line ('' without any)."""
    if not it.evidence:
        return ""
    from tui.evidence.model import describe

    first = next((r.failing[0] for r in it.evidence if r.failing), None)
    return describe(it.evidence_state, it.evidence_stale, it.evidence) + (f"; e.g. {first}" if first else "")


def verify(c: Control | None) -> dict[str, Any]:
    """How to check an item: a read-only CLI command, AWS Config managed rules, Security Hub ids, Prowler checks."""
    if c is None:
        return {"cli": "", "config_rules": [], "security_hub": [], "prowler": []}
    return {"cli": c.verify, "config_rules": list(c.config_rules), "security_hub": list(c.frameworks.get("fsbp", ())),
            "prowler": list(c.prowler)}


def verify_text(c: Control | None) -> list[tuple[str, list[str]]]:
    """(label, values) of the ways to verify, for text formats; empty ones left out."""
    if c is None:
        return []
    pairs = [("AWS CLI", [c.verify] if c.verify else []), ("AWS Config rules", list(c.config_rules)),
             ("Security Hub", list(c.frameworks.get("fsbp", ()))), ("Prowler", list(c.prowler))]
    return [(k, v) for k, v in pairs if v]


def restricted(cl: Checklist, items: list[Item]) -> Checklist:
    """The same checklist showing only `items` (and the kept extras among them): what filters leave."""
    chosen = {id(i) for i in items}
    return replace(cl, items=[i for i in cl.items if id(i) in chosen], extra=[i for i in cl.extra if id(i) in chosen])


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


def scope_progress(cl: Checklist) -> list[str]:
    """One line per scope, counting the items the checklist's headings count (sub-checks beside them), as
    the app and `ownit checklist` do: "workload: 1/50 resolved (2%): ... · 162 sub-checks"."""
    lines = []
    for scope in ("workload", "baseline"):
        members = cl.scope_items(scope)
        if not members:
            continue
        heads = cl.top_level(members)
        if scope == "baseline" and cl.baseline_inherited:
            b = cl.project.baseline
            line = f"baseline: inherited from {b.inherited_from}; {len(heads)} items the platform answers for"
        else:
            line = f"{scope}: {cl.progress(heads).summary()}"
            if len(heads) != len(members):
                line += f" · {len(members) - len(heads)} sub-checks"
        lines.append(line)
    return lines
