"""OSCAL assessment results (OSCAL 1.1.2, JSON): the project's scanner evidence (`ownit evidence`).

A second document beside the component definition (`--format oscal`), because a
component definition has no place for observations or findings. Its shape:

- `import-ap` points at a back-matter resource that says there is no separate
  assessment plan: the plan is the project's checklist (OSCAL requires the link);
- one `result` (start: the earliest scan, end: the latest) whose
  `reviewed-controls` are the NIST SP 800-53 rev 5 controls the evidenced items map to;
  its `local-definitions` hold one `component` per scanner (Security Hub CSPM,
  Prowler, AWS Config: the tools the observations come from) and one
  `inventory-item` per failing resource (its ARN as `asset-id`);
- one `observation` per item and scanner: `methods: [TEST]`, `types: [finding]`,
  origin the scanner, `subjects` the failing resources, `relevant-evidence` the
  counts, checks and findings file, `collected` the scan time and `expires`
  when the project's `stale_after_days` makes it stale;
- one `finding` per item whose evidence reached a verdict: target
  `objective-id` = the ownit control id (the checklist item is the objective),
  `status` `satisfied` (passing) or `not-satisfied` (failing), the team's
  status and the evidence state (`contradicted`, `looks-done`) as props, the
  NIST ids as props, and the item's observations as `related-observations`.
  Evidence with no verdict (only not-applicable or manual results) stays an
  observation without a finding.

UUIDs are derived from the project name and ids (re-exports diff cleanly); text
from findings files (resource names, file names) is escaped as OSCAL markup.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tui.checklist.builder import Checklist, Item
from tui.checklist.exports.to_json import dumps
from tui.checklist.exports.to_oscal import NIST_CATALOG, NS, OSCAL_VERSION, _uuids, oscal_control_id
from tui.kb.markdown import esc

_TOKEN = re.compile(r"^[_A-Za-z][\w.\-]*$", re.ASCII)  # OSCAL token (target-id, prop names)
_VALUE = re.compile(r"^\S(.*\S)?$", re.DOTALL)  # OSCAL prop values: no surrounding white space
_FINDING_STATE = {"failing": "not-satisfied", "contradicted": "not-satisfied",
                  "passing": "satisfied", "looks-done": "satisfied"}


def render(cl: Checklist, now: dt.datetime) -> str:
    return dumps({"assessment-results": document(cl, now)})


def _stamp(when: dt.datetime) -> str:
    return (when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)).isoformat()


def _prop(name: str, value: str, ns: bool = True) -> dict[str, str] | None:
    if not _VALUE.match(value) or "\n" in value:
        return None
    return {"name": name, "ns": NS, "value": value} if ns else {"name": name, "value": value}


def document(cl: Checklist, now: dt.datetime) -> dict[str, Any]:
    from tui.evidence.model import SCANNER_NAMES, parse_time

    name = cl.project.name
    uid = _uuids(name)
    stamp = _stamp(now)
    items = [i for i in (*cl.items, *cl.extra) if i.evidence]
    plan = uid("ar/plan")
    times = sorted(t for t in (parse_time(r.at) for i in items for r in i.evidence) if t)
    start = _stamp(times[0]) if times else stamp
    scanners = sorted({r.scanner for i in items for r in i.evidence})
    stale_days = cl.project.stale_after_days

    inventory: dict[str, dict[str, Any]] = {}
    observations: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    nist: dict[str, None] = {}
    for it in items:
        c = it.control
        nist_ids = [oscal_control_id(n) for n in (c.frameworks.get("nist", ()) if c else ())]
        nist.update(dict.fromkeys(nist_ids))
        obs_ids = [_observation(it, r, uid, inventory, observations, now, stale_days) for r in it.evidence]
        finding = _finding(it, obs_ids, nist_ids, uid)
        if finding:
            findings.append(finding)

    result: dict[str, Any] = {
        "uuid": uid("ar/result"),
        "title": f"Scanner evidence for {esc(name)}",
        "description": (f"What Security Hub CSPM, Prowler and AWS Config showed for the {esc(name)} checklist, as "
                        "recorded by `ownit evidence`: counts, up to 20 failing resources per item and scanner, "
                        "and the scan time. The team's status stays its decision; evidence sits beside it."),
        "start": start,
        "reviewed-controls": {
            "description": "NIST SP 800-53 rev 5 controls that the evidenced checklist items map to.",
            "control-selections": [
                {"include-controls": [{"control-id": n} for n in sorted(nist)]} if nist
                else {"description": "No evidenced item maps to a NIST SP 800-53 control."}
            ],
        },
    }
    if len(times) > 1:
        result["end"] = _stamp(times[-1])
    local: dict[str, Any] = {}
    if scanners:
        local["components"] = [{
            "uuid": uid(f"ar/tool/{s}"),
            "type": "software",
            "title": esc(SCANNER_NAMES.get(s, s)),
            "description": f"{esc(SCANNER_NAMES.get(s, s))} findings, read offline by ownit evidence.",
            "props": [{"name": "ownit-scanner", "ns": NS, "value": s}],
            "status": {"state": "operational"},
        } for s in scanners]
    if inventory:
        local["inventory-items"] = list(inventory.values())
    if local:
        result["local-definitions"] = local
    if observations:
        result["observations"] = observations
    if findings:
        result["findings"] = findings
    if not items:
        result["remarks"] = "No scanner evidence recorded: run `ownit evidence PROJECT FILE...` first."

    return {
        "uuid": uid("assessment-results"),
        "metadata": {
            "title": f"{esc(name)}: scanner evidence (ownit)",
            "last-modified": stamp,
            "version": cl.kb.version,
            "oscal-version": OSCAL_VERSION,
            "props": [{"name": "stale-after-days", "ns": NS, "value": str(stale_days)}],
        },
        "import-ap": {
            "href": f"#{plan}",
            "remarks": "No separate assessment plan: the objectives are the items of the project's ownit checklist.",
        },
        "results": [result],
        "back-matter": {"resources": [{
            "uuid": plan,
            "title": f"{esc(name)} checklist (ownit)",
            "description": ("The assessment plan these results answer: the project's checklist, whose items are "
                            "the objectives of the findings. NIST controls are cited from the catalog below."),
            "rlinks": [{"href": NIST_CATALOG}],
        }]},
    }


def _observation(it: Item, r: Any, uid: Any, inventory: dict[str, dict[str, Any]], out: list[dict[str, Any]],
                 now: dt.datetime, stale_days: int) -> str:
    from tui.evidence.model import SCANNER_NAMES, parse_time

    key = f"ar/observation/{it.id}/{r.scanner}"
    oid = uid(key)
    scanner = SCANNER_NAMES.get(r.scanner, r.scanner)
    subjects = []
    for res in r.failing:
        inv = inventory.get(res.id)
        if inv is None:
            inv = {"uuid": uid(f"ar/resource/{res.id}"), "description": esc(str(res))}
            asset = _prop("asset-id", res.id, ns=False) if not re.search(r"\s", res.id) else None  # an id, not prose
            props = [p for p in (asset, _prop("account", res.account),
                                 _prop("region", res.region)) if p]
            if props:
                inv["props"] = props
            inventory[res.id] = inv
        subjects.append({"subject-uuid": inv["uuid"], "type": "inventory-item", "title": "failing resource"})
    counts = ", ".join(f"{n} {k}" for k, n in r.counts.items() if n) or "no result"
    checks = ", ".join(r.checks)
    evidence = f"{esc(scanner)}: {esc(counts)}" + (f" (checks {esc(checks)})" if checks else "")
    if r.file:
        evidence += f", from {esc(r.file)}"
    when = parse_time(r.at)
    obs: dict[str, Any] = {
        "uuid": oid,
        "title": f"{esc(scanner)} on {esc(it.id)}",
        "description": f"{esc(scanner)} results for the checklist item {esc(it.title)} ({esc(it.id)}): {esc(counts)}.",
        "props": [p for p in (_prop("ownit-control", it.id), _prop("ownit-scanner", r.scanner),
                              *(_prop(f"count-{k}", str(n)) for k, n in r.counts.items() if n)) if p],
        "methods": ["TEST"],
        "types": ["finding"],
        "origins": [{"actors": [{"type": "tool", "actor-uuid": uid(f"ar/tool/{r.scanner}")}]}],
        "relevant-evidence": [{"description": evidence}],
        "collected": _stamp(when or now),
    }
    if subjects:
        obs["subjects"] = subjects
    if when:
        obs["expires"] = _stamp(when + dt.timedelta(days=stale_days))
    if r.more:
        obs["remarks"] = f"{r.more} more failing resource(s) not listed."
    out.append(obs)
    return oid


def _finding(it: Item, obs_ids: list[str], nist_ids: list[str], uid: Any) -> dict[str, Any] | None:
    state = _FINDING_STATE.get(it.evidence_state)
    if state is None or not _TOKEN.match(it.id):
        return None
    words = {"contradicted": "the scan contradicts the team's status (marked done, evidence fails)",
             "looks-done": "the item looks done (still open, evidence passes everywhere)",
             "failing": "the evidence fails", "passing": "the evidence passes"}[it.evidence_state]
    props = [p for p in (_prop("ownit-status", it.status), _prop("evidence-state", it.evidence_state),
                         _prop("stale", "true") if it.evidence_stale else None,
                         *(_prop("nist-800-53", n) for n in nist_ids)) if p]
    return {
        "uuid": uid(f"ar/finding/{it.id}"),
        "title": esc(it.title),
        "description": f"{esc(it.id)} is {esc(it.status)} in the project; {words}"
                       + (" (stale evidence)." if it.evidence_stale else "."),
        "props": props,
        "target": {
            "type": "objective-id",
            "target-id": it.id,
            "description": f"The checklist item {esc(it.id)}.",
            "status": {"state": state, "reason": "fail" if state == "not-satisfied" else "pass"},
        },
        "related-observations": [{"observation-uuid": o} for o in obs_ids],
    }
