"""Read and check project files; create new ones.

A project file is the user's own YAML (see DESIGN.md):

    # yaml-language-server: $schema=<schema shipped in the wheel>
    name: payments-api
    services: [ec2, rds, s3]
    items:
      iam.root-mfa: {status: done, note: "hardware keys", by: dana, at: 2026-11-28}

It is read with the knowledge base's located reader (`tui.kb.yamlread`), so
every problem carries `path:line:column` and duplicate keys or object tags are
refused. Problems come in two kinds:
- *errors* make the file unusable (bad YAML, a status we cannot read, a date
  that is not a date): loading raises `DataError`;
- *flags* are reported by `ownit validate` but never stop a load: an unknown
  control id (renamed or removed in a newer knowledge base), an unknown
  service, an accepted risk without its note, a field we do not know. Such
  items are kept exactly as written; nothing is ever dropped.
Writing is `store.ProjectFile`'s job (round-trip YAML, atomic, lock-guarded).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.checklist.states import (
    BASELINE_FIELDS,
    DATE_FIELDS,
    ITEM_FIELDS,
    MAX_NOTE_CHARS,
    MAX_PROJECT_BYTES,
    OWN_BASELINE,
    STATUSES,
    TOP_FIELDS,
    Baseline,
    ItemState,
    Project,
    iso_date,
    note_required,
)
from tui.kb.errors import DataError, Problem, did_you_mean
from tui.kb.knowledge import KnowledgeBase
from tui.kb.loader import paused_gc
from tui.kb.yamlread import YList, YMap, decode, parse, read_head, read_text

SCHEMA_FILE = "project.schema.json"
MODELINE = "# yaml-language-server: $schema="
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "nan", "inf"}


@dataclass
class Loaded:
    """A project read from text, with the flags found in it (never errors)."""

    project: Project
    flags: list[Problem] = field(default_factory=list)


def schema_path(name: str = SCHEMA_FILE) -> Path:
    """A JSON Schema shipped in the wheel (tui/data/schema) or in a checkout (data/schema)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "data" / "schema" / name, here.parent / "data" / "schema" / name):
        if candidate.is_file():
            return candidate
    return here.parent / "data" / "schema" / name


def modeline(directory: Path) -> str:
    """The editor's schema line for a project file in `directory`: the schema shipped with this ownit, as a
    path relative to the file (a team commits no machine's absolute path); none where no relative path
    exists (another drive) or it would climb to the filesystem's root."""
    schema = schema_path()
    try:
        base = directory.resolve()
        if os.path.commonpath([base, schema]) == base.anchor:
            return ""
        return f"{MODELINE}{Path(os.path.relpath(schema, base)).as_posix()}"
    except ValueError:
        return ""


def new_project_text(name: str, services: list[str], directory: Path | None = None) -> str:
    """The text of a new project file: modeline, a short guide, no items yet."""
    line = modeline(directory or Path.cwd())
    lines = [
        *([line] if line else []),
        "# ownit project: the AWS services this project uses and the state of each checklist item.",
        "# status: open | in-progress | done | not-applicable | accepted-risk (the last two need a note)",
        "# optional per item: team, by, at (YYYY-MM-DD), due (YYYY-MM-DD), ticket (a URL or a key)",
        "# baseline: {inherited_from: PLATFORM, ref: URL} when a platform team owns the account baseline",
        f"name: {_scalar(name)}",
        f"services: [{', '.join(services)}]",
        "items: {}",
        "",
    ]
    return "\n".join(lines)


def _scalar(text: str) -> str:
    """A YAML scalar for a name: plain when that reads back as the same text, else double-quoted."""
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]*", text) and text.lower() not in _YAML_WORDS:
        return text
    # JSON's escapes are YAML's too; YAML also reads \x85, \u2028 and \u2029 as line breaks, which JSON leaves raw
    return json.dumps(text, ensure_ascii=False).replace("\x85", "\\N").replace("\u2028", "\\L").replace("\u2029", "\\P")


def is_project_file(path: Path) -> bool:
    """A cheap sniff for `ownit validate`: a YAML file with top-level `name:` and `services:`."""
    head = read_head(path)
    if head is None:
        return False
    keys = {line.split(":", 1)[0] for line in head.splitlines() if line[:1].isalpha() and ":" in line}
    return "name" in keys and "services" in keys and not keys & {"controls", "layers", "tools", "frameworks"}


def validate_project_file(path: Path, kb: KnowledgeBase) -> list[Problem]:
    """Every problem in a project file, errors and flags alike (for `ownit validate`)."""
    try:
        return load_project(path, kb).flags
    except DataError as exc:
        return list(exc.problems)


def load_project(path: Path, kb: KnowledgeBase | None = None) -> Loaded:
    """Read a project file (size-limited); DataError lists its errors."""
    return parse_project(read_text(path, MAX_PROJECT_BYTES), str(path), kb)


def parse_project_bytes(data: bytes, path: str, kb: KnowledgeBase | None = None) -> Loaded:
    if len(data) > MAX_PROJECT_BYTES:
        raise DataError([Problem(path, 0, 0, f"file is {len(data):,} bytes; the limit is {MAX_PROJECT_BYTES:,}")])
    return parse_project(decode(path, data), path, kb)


def parse_project(text: str, path: str, kb: KnowledgeBase | None = None) -> Loaded:
    with paused_gc():  # beside a loaded knowledge base, collections during the parse cost more than the parse
        doc = parse(text, path, max_nodes=200_000)
        c = _Check(path, kb)
        project = c.project(doc)
    if c.errors or project is None:
        raise DataError(c.errors + c.flags)
    return Loaded(project, sorted(c.flags))


class _Check:
    def __init__(self, path: str, kb: KnowledgeBase | None) -> None:
        self.path, self.kb = path, kb
        self.errors: list[Problem] = []
        self.flags: list[Problem] = []

    def err(self, where: tuple[int, int], msg: str) -> None:
        self.errors.append(Problem(self.path, where[0], where[1], msg))

    def flag(self, where: tuple[int, int], msg: str) -> None:
        self.flags.append(Problem(self.path, where[0], where[1], msg))

    def project(self, doc: Any) -> Project | None:
        if doc is None:
            self.err((1, 1), "empty project file: expected 'name', 'services' and 'items'")
            return None
        if not isinstance(doc, YMap):
            self.err(_where(doc), f"a project file is a mapping with 'name', 'services' and 'items', not {_kind(doc)}")
            return None
        for key in doc:
            if key not in TOP_FIELDS and not str(key).startswith("x-"):
                self.flag(doc.key_at(key), f"unknown field '{key}'{did_you_mean(str(key), TOP_FIELDS)} (kept)")
        name = doc.get("name")
        if not isinstance(name, str) or not name.strip():
            self.err(doc.value_at("name") if "name" in doc else (doc.line, doc.col), "'name' must be a non-empty text")
        services = self.services(doc)
        items = self.items(doc)
        baseline = self.baseline(doc)
        estate = doc.get("existing_estate", False)
        if estate is None:
            estate = False
        if not isinstance(estate, bool):
            self.err(doc.value_at("existing_estate"), "'existing_estate' must be true or false")
            return None
        if services is None or items is None or baseline is None or not isinstance(name, str):
            return None
        evidence, scans, stale_days = self.evidence(doc)
        return Project(name=name.strip(), services=services, items=items, path=self.path, baseline=baseline,
                       existing_estate=estate, evidence=evidence, evidence_scans=scans, stale_after_days=stale_days)

    def evidence(self, doc: YMap) -> tuple[dict[str, tuple[Any, ...]], dict[str, dict[str, Any]], int]:
        """The `evidence` block `ownit evidence` writes; a bad entry is flagged and left out, never fatal."""
        from tui.evidence.model import DEFAULT_STALE_DAYS, parse_record

        raw = doc.get("evidence")
        if raw is None:
            return {}, {}, DEFAULT_STALE_DAYS
        if not isinstance(raw, YMap):
            self.flag(doc.value_at("evidence"), "'evidence' must be a mapping with 'items' (written by ownit evidence)")
            return {}, {}, DEFAULT_STALE_DAYS
        days = raw.get("stale_after_days", DEFAULT_STALE_DAYS)
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            self.flag(raw.value_at("stale_after_days"), "'stale_after_days' must be a whole number of days (1 or more)")
            days = DEFAULT_STALE_DAYS
        scans = {str(k): dict(v) for k, v in (raw.get("scans") or {}).items() if isinstance(v, dict)} \
            if isinstance(raw.get("scans"), dict) else {}
        out: dict[str, tuple[Any, ...]] = {}
        items = raw.get("items")
        if items is None:
            return out, scans, days
        if not isinstance(items, YMap):
            self.flag(raw.value_at("items"), "'evidence.items' must map control ids to scanners' records")
            return out, scans, days
        for cid, per in items.items():
            if self.kb is not None and cid not in self.kb.controls:
                self.flag(items.key_at(cid), f"evidence for unknown control '{cid}' (kept as written)")
            if not isinstance(per, YMap):
                self.flag(items.value_at(cid), f"evidence for '{cid}' must map scanner names to records")
                continue
            records = []
            for scanner, rec in per.items():
                got = parse_record(str(scanner), rec)
                if isinstance(got, str):
                    self.flag(per.value_at(scanner), f"evidence for '{cid}' from '{scanner}': {got}")
                else:
                    records.append(got)
            out[str(cid)] = tuple(records)
        return out, scans, days

    def baseline(self, doc: YMap) -> Baseline | None:
        """`baseline: own` (the default) or `{inherited_from: PLATFORM, by, at, ref}`."""
        raw = doc.get("baseline")
        if raw is None or raw == "own":
            return OWN_BASELINE
        where = doc.value_at("baseline")
        if not isinstance(raw, YMap):
            self.err(where, "'baseline' is 'own' or a mapping like {inherited_from: platform-team, ref: URL}")
            return None
        for k in raw:
            if k not in BASELINE_FIELDS and not str(k).startswith("x-"):
                self.flag(raw.key_at(k), f"unknown field '{k}' in 'baseline'{did_you_mean(str(k), BASELINE_FIELDS)} (kept)")
        fields: dict[str, str] = {}
        for k in BASELINE_FIELDS:
            v = raw.get(k)
            if v is None:
                continue
            text = self.field("baseline", k, v, raw.value_at(k))
            if text is None:
                return None
            fields[k] = text
        if not fields.get("inherited_from", "").strip():
            self.err(where, "'baseline' needs 'inherited_from': the platform that owns it (or write 'baseline: own')")
            return None
        return Baseline(**fields)

    def services(self, doc: YMap) -> tuple[str, ...] | None:
        raw = doc.get("services")
        if not isinstance(raw, YList):
            where = doc.value_at("services") if "services" in doc else (doc.line, doc.col)
            self.err(where, "'services' must be a list of service ids, e.g. [ec2, rds, s3]")
            return None
        out: list[str] = []
        for i, value in enumerate(raw):
            where = raw.item_at(i)
            if not isinstance(value, str) or not value.strip():
                self.err(where, f"a service must be a service id, not {_kind(value)}")
                continue
            sid = value.strip()
            if self.kb is not None:
                resolved = self.kb.service_id(sid)
                if resolved is None:
                    self.flag(where, f"unknown service '{sid}'{did_you_mean(sid.lower(), self.kb.services)}")
                else:
                    sid = resolved
            if sid in out:
                self.flag(where, f"service '{sid}' is listed twice")
                continue
            out.append(sid)
        return tuple(out)

    def items(self, doc: YMap) -> dict[str, ItemState] | None:
        raw = doc.get("items")
        if raw is None:
            return {}
        if not isinstance(raw, YMap):
            self.err(doc.value_at("items"), f"'items' must be a mapping of control id to state, not {_kind(raw)}")
            return None
        out: dict[str, ItemState] = {}
        before = len(self.errors)
        for cid, value in raw.items():
            state = self.item(str(cid), value, raw.key_at(cid), raw.value_at(cid))
            if state is not None:
                out[str(cid)] = state
        return out if len(self.errors) == before else None

    def item(self, cid: str, value: Any, key_at: tuple[int, int], value_at: tuple[int, int]) -> ItemState | None:
        if self.kb is not None and cid not in self.kb.controls:
            self.flag(key_at, f"unknown control '{cid}' (kept as written){did_you_mean(cid, self.kb.controls)}")
        if value is None:
            return ItemState()
        if isinstance(value, str):  # shorthand: `iam.root-mfa: done`
            value_map: dict[str, Any] = {"status": value}
            where = {"status": value_at}
        elif isinstance(value, YMap):
            value_map, where = dict(value), {k: value.value_at(k) for k in value}
            for k in value:
                if k not in ITEM_FIELDS and not str(k).startswith("x-"):
                    self.flag(value.key_at(k), f"unknown field '{k}' in item '{cid}'{did_you_mean(str(k), ITEM_FIELDS)} (kept)")
        else:
            self.err(value_at, f"item '{cid}' must be a status or a mapping like {{status: done}}, not {_kind(value)}")
            return None
        fields: dict[str, str] = {}
        ok = True
        for k in ITEM_FIELDS:
            v = value_map.get(k)
            if v is None:
                continue
            text = self.field(cid, k, v, where.get(k, value_at))
            ok = ok and text is not None
            fields[k] = text or ""
        if not ok:
            return None
        state = ItemState(**fields)
        why = note_required(state.status, state.note)
        if why:
            self.flag(where.get("status", value_at), f"item '{cid}': {why}")
        return state

    def field(self, cid: str, k: str, v: Any, where: tuple[int, int]) -> str | None:
        what = "'baseline'" if cid == "baseline" else f"item '{cid}'"  # control ids always hold a dot
        if k == "status":
            if v not in STATUSES:
                self.err(where, f"{what}: 'status' {v!r} is not one of: {', '.join(STATUSES)}{did_you_mean(str(v), STATUSES)}")
                return None
            return str(v)
        if k in DATE_FIELDS:
            d = iso_date(v)
            if d is None:
                self.err(where, f"{what}: '{k}' {v!r} is not a date (YYYY-MM-DD)")
            return d
        if isinstance(v, (dict, list)):
            self.err(where, f"{what}: '{k}' must be a text, not {_kind(v)}")
            return None
        text = str(v)
        if len(text) > MAX_NOTE_CHARS:
            self.err(where, f"{what}: '{k}' is {len(text):,} characters; the limit is {MAX_NOTE_CHARS:,}")
            return None
        return text


def _where(value: Any) -> tuple[int, int]:
    return (value.line, value.col) if isinstance(value, (YMap, YList)) else (1, 1)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"
