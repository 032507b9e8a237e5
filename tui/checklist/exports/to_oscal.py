"""OSCAL export: a component definition (OSCAL 1.1.2, JSON) for the project.

One component per AWS service the project uses (type `service`), plus one for
the account-wide controls. Each component's control implementation cites the
NIST SP 800-53 rev 5 catalog and lists the 800-53 controls that the project's
checklist maps to (`IA-2(1)` becomes OSCAL's `ia-2.1`).

OSCAL's shared-responsibility vocabulary lives in the SSP model (`export`:
`provided`, `responsibility`; `inherited`, `satisfied`); a component
definition has no such fields, so each implemented requirement carries one
statement per side, typed with a `responsibility-type` property in ownit's
namespace whose values are exactly that vocabulary:
- `provided`: what AWS does (aws-owned and shared controls; evidence in AWS Artifact);
- `responsibility`: what the customer must do (customer and shared controls);
- `satisfied`: the customer's part is done, with the note as the how.
`responsible-roles` says who (`provider` = AWS, `customer` = the project team).
UUIDs are derived from the project name and ids, so re-exports diff cleanly.
Descriptions are OSCAL markup (Markdown): file text is escaped. A customer statement's remarks give its
status, design-review priority and rank; the reasons and verify commands are in the other exports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections import defaultdict
from typing import Any

from tui.checklist.builder import Checklist
from tui.checklist.exports.common import evidence_text
from tui.checklist.exports.to_json import dumps
from tui.kb.markdown import esc
from tui.kb.model import Control

OSCAL_VERSION = "1.1.2"
NS = "https://ownit.dev/ns/oscal"
NIST_CATALOG = ("https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev5/json/"
                "NIST_SP-800-53_rev5_catalog.json")
_ROOT = uuid.uuid5(uuid.NAMESPACE_URL, NS)
_NIST = re.compile(r"^([A-Za-z]{2})-(\d+)((?:\(\w+\))*)$")
ACCOUNT = "account"


def oscal_control_id(nist_id: str) -> str:
    """`IA-2(1)` -> `ia-2.1`, `AC-2` -> `ac-2` (the ids of NIST's OSCAL catalog)."""
    m = _NIST.match(nist_id.strip())
    if not m:
        return re.sub(r"[^a-z0-9.-]", "", nist_id.lower().replace("(", ".")) or "unknown"
    enhancements = "".join(f".{x}" for x in re.findall(r"\((\w+)\)", m.group(3)))
    return f"{m.group(1).lower()}-{int(m.group(2))}{enhancements}"


def render(cl: Checklist, now: dt.datetime) -> str:
    return dumps({"component-definition": document(cl, now)})


def document(cl: Checklist, now: dt.datetime) -> dict[str, Any]:
    name = cl.project.name
    uid = _uuids(name)
    stamp = (now if now.tzinfo else now.replace(tzinfo=dt.timezone.utc)).isoformat()
    doc: dict[str, Any] = {
        "uuid": uid("definition"),
        "metadata": {
            "title": f"{esc(name)}: AWS shared responsibility (ownit)",
            "last-modified": stamp,
            "version": cl.kb.version,
            "oscal-version": OSCAL_VERSION,
            "roles": [
                {"id": "provider", "title": "Cloud service provider (AWS)"},
                {"id": "customer", "title": "Customer (the project team)"},
            ],
            "parties": [
                {"uuid": uid("party/aws"), "type": "organization", "name": "Amazon Web Services"},
                {"uuid": uid("party/customer"), "type": "organization", "name": esc(name)},
            ],
            "responsible-parties": [
                {"role-id": "provider", "party-uuids": [uid("party/aws")]},
                {"role-id": "customer", "party-uuids": [uid("party/customer")]},
            ],
        },
    }
    sides = _Sides(cl)
    pools = _controls_by_service(cl)
    components = [c for c in (_component(cl, sid, pools[sid], uid, sides)
                              for sid in (*cl.project.services, ACCOUNT)) if c]
    if components:
        doc["components"] = components
    return doc


def _uuids(project: str):  # type: ignore[no-untyped-def]
    """uuid5(uuid5(_ROOT, project), key) as text, hashed directly (uuid.UUID objects cost twice as much)."""
    base = uuid.uuid5(_ROOT, project).bytes
    sha1 = hashlib.sha1

    def uid(key: str) -> str:
        h = bytearray(sha1(base + key.encode("utf-8")).digest()[:16])
        h[6] = (h[6] & 0x0F) | 0x50  # version 5
        h[8] = (h[8] & 0x3F) | 0x80  # RFC 4122 variant
        x = h.hex()
        return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"

    return uid


def _controls_by_service(cl: Checklist) -> dict[str, list[Control]]:
    """The checklist's controls (in scope, then inherited) for each component: a project service's
    are those naming it, not account-wide; ACCOUNT's are the account-wide ones (even when a
    project lists a service called `account`, that component is the account-wide one)."""
    by_service: dict[str, list[Control]] = defaultdict(list)
    account: list[Control] = []
    for c in [i.control for i in cl.items if i.control] + list(cl.inherited):
        if c.account_wide:
            account.append(c)
        else:
            for sid in dict.fromkeys(c.services):
                by_service[sid].append(c)
    by_service[ACCOUNT] = account
    return by_service


class _Sides:
    """Each control's texts, worked out once and only the parts its owner needs: a control mapped
    to several 800-53 ids under several services appears in as many requirements, and overlays
    repeat texts (escaped once each)."""

    def __init__(self, cl: Checklist) -> None:
        self.cl = cl
        self.memo: dict[str, tuple[Any, ...]] = {}
        self.nist: dict[str, str] = {}
        self.escaped: dict[str, str] = {}
        self.ranks: dict[str, tuple[int, str]] | None = None  # (rank, scope) by item id, on first use
        self.reviews: dict[tuple[str, str], str] = {}

    def esc(self, text: str) -> str:
        got = self.escaped.get(text)
        if got is None:
            got = self.escaped[text] = esc(text)
        return got

    def of(self, c: Control) -> tuple[Any, ...]:
        """(state, provided, evidence, responsibility, satisfied, who, summary); '' where the owner has none."""
        got = self.memo.get(c.id)
        if got is None:
            e = self.esc
            state = self.cl.project.state(c.id)
            provided = evidence = responsibility = satisfied = who = ""
            if c.owner in ("aws", "shared"):
                provided, evidence = f"AWS provides: {e(c.aws or c.title)}", e(evidence_text(c))
            if c.owner in ("customer", "shared"):
                responsibility = f"Customer responsibility: {e(c.customer)}"
                if state.status == "done":
                    satisfied = f"Satisfied: {e(state.note) if state.note.strip() else 'marked done in the project checklist'}"
                    who = _who(state.by, state.at)
            got = (state, provided, evidence, responsibility, satisfied, who, f"{e(c.title)} ({c.id}, {c.owner})")
            self.memo[c.id] = got
        return got

    def review(self, c: Control, status: str) -> str:
        """The customer statement's remarks: its status, design-review priority and rank in the project's
        checklist. Kept to a line: a control repeats in every requirement it maps to, and the reasons and
        verify commands would double the file (the Markdown, HTML, CSV and JSON exports carry them)."""
        got = self.reviews.get((c.id, status))
        if got is None:
            if self.ranks is None:
                self.ranks = {i.id: (i.rank, i.control.review_scope if i.control else "") for i in self.cl.items}
            rank, scope = self.ranks.get(c.id, (0, ""))
            text = f"Status: {status}; priority {c.level}"
            got = self.reviews[(c.id, status)] = text + (f"; rank {rank} ({scope})" if rank else "")
        return got

    def control_id(self, nist_id: str) -> str:
        got = self.nist.get(nist_id)
        if got is None:
            got = self.nist[nist_id] = oscal_control_id(nist_id)
        return got


def _component(cl: Checklist, sid: str, pool: Any, uid: Any, sides: _Sides) -> dict[str, Any] | None:
    by_nist: dict[str, list[Control]] = defaultdict(list)
    for c in pool:
        for nid in c.frameworks.get("nist", ()):
            by_nist[sides.control_id(nid)].append(c)
    if not by_nist:
        return None
    svc = cl.kb.services.get(sid)
    title = esc(svc.name) if svc else ("AWS account (account-wide controls)" if sid == ACCOUNT else esc(sid))
    description = esc(svc.summary) if svc else "Controls that apply to the whole AWS account, whatever the services."
    reqs = [_requirement(sid, control_id, controls, uid, sides) for control_id, controls in sorted(by_nist.items())]
    return {
        "uuid": uid(f"component/{sid}"),
        "type": "service",
        "title": title,
        "description": description,
        "props": [{"name": "ownit-service", "ns": NS, "value": sid}],
        "control-implementations": [{
            "uuid": uid(f"implementation/{sid}"),
            "source": NIST_CATALOG,
            "description": f"NIST SP 800-53 rev 5 controls mapped from the {esc(cl.project.name)} checklist for {title}, "
                           "with what AWS provides and what the customer is responsible for.",
            "implemented-requirements": reqs,
        }],
    }


def _requirement(sid: str, control_id: str, controls: list[Control], uid: Any, sides: _Sides) -> dict[str, Any]:
    statements: list[dict[str, Any]] = []
    roles: set[str] = set()
    smt = f"{control_id}_smt"
    for c in sorted(controls, key=lambda c: c.id):
        state, provided, evidence, responsibility, satisfied, who, _ = sides.of(c)
        key = f"{sid}/{control_id}/{c.id}"
        if c.owner in ("aws", "shared"):
            statements.append(_statement(smt, uid(f"{key}/provided"), "provided", "provider", c, provided, evidence))
            roles.add("provider")
        if c.owner in ("customer", "shared"):
            statements.append(_statement(smt, uid(f"{key}/responsibility"), "responsibility", "customer", c,
                                         responsibility, sides.review(c, state.status)))
            roles.add("customer")
            if state.status == "done":
                statements.append(_statement(smt, uid(f"{key}/satisfied"), "satisfied", "customer", c, satisfied, who))
    return {
        "uuid": uid(f"{sid}/{control_id}"),
        "control-id": control_id,
        "description": "; ".join(sides.of(c)[6] for c in controls),
        "props": [{"name": "ownit-control", "ns": NS, "value": c.id} for c in controls],
        "responsible-roles": [{"role-id": r} for r in ("provider", "customer") if r in roles],
        "statements": statements,
    }


def _statement(statement_id: str, sid: str, kind: str, role: str, c: Control, text: str, remarks: str) -> dict[str, Any]:
    st: dict[str, Any] = {
        "statement-id": statement_id,
        "uuid": sid,
        "description": text,
        "props": [{"name": "responsibility-type", "ns": NS, "value": kind},
                  {"name": "ownit-control", "ns": NS, "value": c.id}],
        "responsible-roles": [{"role-id": role}],
    }
    if remarks:
        st["remarks"] = remarks
    return st


def _who(by: str, at: str) -> str:
    parts = [f"by {esc(by)}" if by else "", f"on {at}" if at else ""]
    return " ".join(p for p in parts if p)
