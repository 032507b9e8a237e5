"""Saving project files: atomic, crash-safe, and never losing anyone's update.

Design (the guarantee is "a user's ticks and notes are never lost"):

1. **Round trip.** The file is edited as a ruamel.yaml round-trip document,
   so the user's comments, key order, quoting and fields we do not know
   survive every save. Only the one item being changed is touched.
2. **Atomic replace.** The new text goes to a temporary file in the same
   directory (same filesystem), is flushed and fsync'ed, takes the old
   file's permission bits, and is renamed over the project file with
   `os.replace`; then the directory is fsync'ed so the rename itself is
   durable. A crash (SIGKILL, power loss) at any moment leaves either the
   old file or the new one, whole. Before writing, the new text is parsed
   again: ownit never writes a file it could not read back.
3. **One writer at a time.** Every writer (the app, `ownit review`, any
   ownit process) holds a `filelock` on a sibling lock file,
   `.<name>.lock`, from the moment it re-reads the disk until the rename.
   The lock file itself is never renamed, unlike the project file, so it
   is a stable thing to lock. Stale temporary files from a killed writer
   are removed by the next writer, under the lock.
4. **No lost updates.** Each `ProjectFile` remembers the fingerprint of the
   bytes it loaded (mtime, size and SHA-256; the hash decides). Under the
   lock a save re-reads the file: if someone else saved in between (a
   teammate's editor, a `git pull`, a second app), the save becomes an
   item-level three-way merge: when the other writer left *this* item as
   we loaded it, our change is applied on top of their version and theirs
   is kept; when both changed the same item, or the file on disk no longer
   parses, `ConflictError` is raised and nothing is written; the caller
   reloads and asks the user. Writers that bypass ownit (an editor) do not
   take the lock, but the hash check still catches them, and the window
   left is the few microseconds between the re-read and the rename.
5. **The evidence block stays out of the round trip.** `ownit evidence`
   writes a top-level `evidence:` block that can be most of the file (100,000
   findings make half a megabyte of it), and ruamel.yaml takes seconds to
   parse and dump that much. The block is machine-written, so its layout is
   ours: the file's text is cut at the top-level `evidence:` key, the rest is
   round-tripped with a one-line placeholder where the block was, and the
   block is spliced back verbatim on every save. `set_evidence` reads it with
   libyaml's C loader and writes it with the C dumper in the same layout
   ruamel gave it. Comments *inside* the block are not kept when it is
   rewritten; comments around it are the user's and always are. A file whose
   top level is not a plain block mapping keeps the whole-file round trip.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from tui.checklist.atomic import (
    READ_ONLY_ENV,  # noqa: F401  (re-exported: the switch `ownit serve --read-only` sets)
    Fingerprint,
    atomic_write,
    hold_lock,
    read_only_from_env,
    read_with_fingerprint,
    remove_stale_temps,
)
from tui.checklist.project import Loaded, new_project_text, parse_project_bytes
from tui.checklist.states import (
    DATE_FIELDS,
    ITEM_FIELDS,
    STATUSES,
    Baseline,
    ItemState,
    Project,
    iso_date,
    note_required,
)
from tui.kb.errors import DataError, OwnitError, Problem, UsageError, did_you_mean
from tui.kb.knowledge import KnowledgeBase
from tui.kb.yamlread import Loader as _CLoader

_SAFE_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./@+-]*(?: [A-Za-z0-9_./@+-]+)*")


class ReadOnlyError(UsageError):
    """A save was asked of a project opened read-only; nothing was written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: opened read-only (--read-only); nothing was written")


class ConflictError(OwnitError):
    """The file changed on disk in a way that cannot be merged with our change."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}; nothing was written: reload the file and apply the change again")


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 4096  # never fold a user's note across lines
    y.preserve_quotes = True
    return y


def check_state(state: ItemState) -> None:
    """Refuse a state the file format does not allow (a UsageError says why)."""
    if state.status not in STATUSES:
        raise UsageError(f"unknown status '{state.status}'{did_you_mean(state.status, STATUSES)}; "
                         f"statuses are: {', '.join(STATUSES)}")
    why = note_required(state.status, state.note)
    if why:
        raise UsageError(why)
    for k in DATE_FIELDS:
        value = getattr(state, k)
        if value and iso_date(value) is None:
            raise UsageError(f"'{k}' {value!r} is not a date (YYYY-MM-DD)")


class ProjectFile:
    """One project file on disk: its round-trip document, what we read, and its fingerprint."""

    def __init__(self, path: Path, kb: KnowledgeBase | None, data: bytes, fingerprint: Fingerprint,
                 read_only: bool = False) -> None:
        self.path = path
        self.kb = kb
        self._set(data, fingerprint)
        self.merged = False  # True after a save that merged a change made on disk
        self.read_only = read_only or read_only_from_env()  # every save refuses (ReadOnlyError)

    def _set(self, data: bytes, fingerprint: Fingerprint) -> None:
        self.loaded: Loaded = parse_project_bytes(data, str(self.path), self.kb)
        self.doc: CommentedMap
        # the evidence block's text and first line while it is kept out of `doc`, where the placeholder
        # stands in for it (see 5. above); None while `doc` has no placeholder
        self.evidence: tuple[str, int] | None
        self.doc, self.evidence = _load_doc(data.decode("utf-8-sig"))
        self.crlf = b"\r\n" in data
        self.fingerprint = fingerprint

    # -- opening ----------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, kb: KnowledgeBase | None = None, read_only: bool = False) -> ProjectFile:
        try:
            data, fp = read_with_fingerprint(path)
        except OSError as exc:
            raise DataError([_problem(path, f"cannot read file: {exc.strerror or exc}")]) from None
        return cls(path, kb, data, fp, read_only=read_only)

    @classmethod
    def create(cls, path: Path, name: str, services: list[str], kb: KnowledgeBase | None = None) -> ProjectFile:
        """Write a new project file; refuses to overwrite one that exists."""
        if read_only_from_env():
            raise ReadOnlyError(path)
        data = new_project_text(name, services, path.parent).encode("utf-8")
        parse_project_bytes(data, str(path), kb)
        with hold_lock(path):
            if path.exists():
                raise UsageError(f"{path} already exists; ownit never overwrites a project file (pick another name)")
            atomic_write(path, data)
        return cls.open(path, kb)

    @property
    def project(self) -> Project:
        return self.loaded.project

    # -- watching ---------------------------------------------------------------
    def changed_on_disk(self) -> bool:
        """True when the file's bytes differ from what we loaded (cheap stat first)."""
        try:
            st = self.path.stat()
        except OSError:
            return True
        if (st.st_mtime_ns, st.st_size) == (self.fingerprint.mtime_ns, self.fingerprint.size):
            return False
        try:
            data, fp = read_with_fingerprint(self.path)
        except OSError:
            return True
        if fp.sha256 == self.fingerprint.sha256:
            self.fingerprint = fp  # touched, not changed
            return False
        return True

    def reload(self) -> None:
        """Read the file again (DataError if it no longer parses; this object is unchanged then)."""
        try:
            data, fp = read_with_fingerprint(self.path)
        except OSError as exc:
            raise DataError([_problem(self.path, f"cannot read file: {exc.strerror or exc}")]) from None
        self._set(data, fp)

    # -- saving -----------------------------------------------------------------
    def set_item(self, control_id: str, **changes: Any) -> ItemState:
        """Change one item's fields (status, note, by, at, due, ticket; '' or None clears) and save.

        Returns the item's new state. Raises UsageError for a state the format
        refuses, ConflictError when the change cannot be merged with the file on disk.
        """
        unknown = set(changes) - set(ITEM_FIELDS)
        if unknown:
            raise UsageError(f"unknown item field(s): {', '.join(sorted(unknown))}")
        base = self.project.state(control_id)
        state = base.with_changes(**changes)
        check_state(state)

        def conflict(theirs: ProjectFile) -> str | None:
            if theirs.project.state(control_id) != base:
                return f"item '{control_id}' was changed on disk by someone else too"
            return None

        self._save(conflict, lambda doc: _apply(doc, control_id, state))
        return self.project.state(control_id)

    def set_services(self, services: list[str]) -> None:
        """Make the project's services exactly `services` (ids), keeping the list's order and comments."""
        base = self.project.services

        def conflict(theirs: ProjectFile) -> str | None:
            return None if theirs.project.services == base else "the services were changed on disk by someone else too"

        self._save(conflict, lambda doc: _set_services(doc, services, self._resolve))

    def add_services(self, services: list[str]) -> list[str]:
        """Add services (ids) that are not listed yet; returns the ones added. Always merges."""
        added: list[str] = []

        def mutate(doc: CommentedMap) -> None:
            added[:] = [s for s in dict.fromkeys(services) if s not in self.project.services]
            _set_services(doc, [*self.project.services, *added], self._resolve)

        self._save(lambda theirs: None, mutate)
        return added

    def set_baseline(self, baseline: Baseline) -> None:
        """Record who owns the account baseline: the project itself, or the platform it is inherited from."""
        base = self.project.baseline

        def conflict(theirs: ProjectFile) -> str | None:
            return None if theirs.project.baseline == base else "the baseline was changed on disk by someone else too"

        self._save(conflict, lambda doc: _set_top(doc, "baseline", _baseline_value(baseline), after="services"))

    def set_existing_estate(self, value: bool) -> None:
        """Say whether the project runs legacy features (their items then apply)."""
        self._save(lambda theirs: None, lambda doc: _set_top(doc, "existing_estate", True if value else None,
                                                             after="services"))

    def set_evidence(self, evidence: dict[str, dict[str, Any]], scans: dict[str, dict[str, Any]],
                     stale_after_days: int | None = None) -> None:
        """Record scanner evidence (`ownit evidence`): per scanner read, its records replace that scanner's
        earlier ones (item statuses are never touched). `evidence` is scanner -> item id -> ItemEvidence;
        `stale_after_days`, when given, is written as the block's `stale_after_days`."""
        def mutate(doc: CommentedMap) -> None:
            block = _merge_evidence(self._evidence_data(doc), evidence, scans, stale_after_days)
            text = _evidence_yaml(block)
            if "evidence" not in doc and not doc.fa.flow_style():
                doc["evidence"] = _PLACEHOLDER  # a new block goes last, where ruamel would have put it
            if doc.get("evidence") == _PLACEHOLDER:
                if self.evidence is not None:  # keep the key's own line: a comment on it is the user's
                    text = self.evidence[0].split("\n", 1)[0].rstrip("\r") + "\n" + text.split("\n", 1)[1]
                self.evidence = (text, 0)
            else:  # the top level is a flow mapping (odd, but YAML): ruamel places the block
                doc["evidence"] = _yaml().load(text)["evidence"]

        self._save(lambda theirs: None, mutate)

    def _evidence_data(self, doc: CommentedMap) -> Any:
        """The evidence block as plain data (dicts, lists, scalars), read with libyaml."""
        if self.evidence is not None:
            text, line = self.evidence
        elif "evidence" in doc:  # kept in the round trip: dump it on its own, read that
            buf = io.StringIO()
            _yaml().dump(CommentedMap(evidence=doc["evidence"]), buf)
            text, line = buf.getvalue(), 0
        else:
            return None
        try:
            raw = yaml.load(text, Loader=_CLoader)  # noqa: S506  (the C *safe* loader)
        except yaml.MarkedYAMLError as exc:  # it read as part of the file; alone it may not (an alias to outside it)
            mark = exc.problem_mark or exc.context_mark
            where = (line + mark.line, mark.column + 1) if mark and line else (line or 0, 0)
            raise DataError([Problem(str(self.path), *where, f"the evidence block cannot be read on its own "
                                     f"({exc.problem or exc.context}); remove the block or fix it")]) from None
        return raw.get("evidence") if isinstance(raw, dict) else None

    def _resolve(self, name: str) -> str:
        return (self.kb.service_id(name) if self.kb else None) or name

    def _save(self, conflict: Callable[[ProjectFile], str | None], mutate: Callable[[CommentedMap], None]) -> None:
        """Under the lock: merge with the disk if it changed, apply `mutate`, check, write atomically."""
        if self.read_only:
            raise ReadOnlyError(self.path)  # before the lock: a read-only viewer creates no lock file either
        self.merged = False
        with hold_lock(self.path):
            remove_stale_temps(self.path)
            self._merge_disk(conflict)
            mutate(self.doc)
            data = self._dump()
            loaded = parse_project_bytes(data, str(self.path), self.kb)  # never write what we cannot read back
            atomic_write(self.path, data)
            self.loaded, self.fingerprint = loaded, Fingerprint.of(data, self.path.stat())

    def _merge_disk(self, conflict: Callable[[ProjectFile], str | None]) -> None:
        try:
            data, fp = read_with_fingerprint(self.path)
        except OSError:
            raise ConflictError(self.path, "the file was removed or cannot be read") from None
        if fp.sha256 == self.fingerprint.sha256:
            return
        try:
            theirs = ProjectFile(self.path, self.kb, data, fp)
        except DataError as exc:
            raise ConflictError(self.path, f"the file changed on disk and now has errors ({exc.problems[0]})") from None
        why = conflict(theirs)
        if why:
            raise ConflictError(self.path, why)
        self.doc, self.evidence, self.loaded = theirs.doc, theirs.evidence, theirs.loaded
        self.fingerprint, self.crlf = theirs.fingerprint, theirs.crlf
        self.merged = True

    def _dump(self) -> bytes:
        buf = io.StringIO()
        _yaml().dump(self.doc, buf)
        text = buf.getvalue()
        if self.evidence is not None:  # the placeholder's line becomes the block again
            at = text.find(_PLACEHOLDER_LINE)
            if at < 0 or (at and text[at - 1] != "\n"):
                raise OwnitError(f"{self.path}: internal error: the evidence block's place was lost; nothing was written")
            block = self.evidence[0]
            text = text[:at] + block + ("" if block.endswith("\n") else "\n") + text[at + len(_PLACEHOLDER_LINE):]
        if self.crlf:
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        return text.encode("utf-8")


def _apply(doc: CommentedMap, control_id: str, state: ItemState) -> None:
    """Write one item's state into the round-trip document, touching nothing else."""
    items = doc.get("items")
    if not isinstance(items, CommentedMap):
        items = CommentedMap()
        doc["items"] = items
    if items.fa.flow_style() or not items:
        items.fa.set_block_style()  # `items: {}` becomes a block mapping once it has entries
    values = {k: _typed(k, getattr(state, k)) for k in ITEM_FIELDS if getattr(state, k)}
    current = items.get(control_id)
    if isinstance(current, CommentedMap):
        for k in ITEM_FIELDS:
            if k in values:
                current[k] = values[k]
            elif k in current:
                del current[k]
        return
    entry = CommentedMap(values)
    entry.fa.set_flow_style()
    items[control_id] = entry


def _merge_evidence(block: Any, evidence: dict[str, dict[str, Any]], scans: dict[str, dict[str, Any]],
                    stale_after_days: int | None = None) -> dict[Any, Any]:
    """The evidence block (plain data) with these scans recorded: per scanner read, its records replace
    all of its earlier ones; other scanners' records and fields we do not know stay as they were."""
    block = dict(block) if isinstance(block, dict) else {}
    if stale_after_days is not None:
        if "stale_after_days" in block:
            block["stale_after_days"] = stale_after_days
        else:
            block = {"stale_after_days": stale_after_days, **block}
    old_scans = block.get("scans")
    block["scans"] = {**(old_scans if isinstance(old_scans, dict) else {}), **dict(sorted(scans.items()))}
    old_items = block.get("items")
    items: dict[Any, Any] = {}
    for cid, per in (old_items.items() if isinstance(old_items, dict) else ()):
        if isinstance(per, dict):
            per = {s: rec for s, rec in per.items() if s not in scans}
            if not per:
                continue
        items[cid] = per
    for scanner in sorted(evidence):
        for cid, ev in evidence[scanner].items():
            if not isinstance(items.get(cid), dict):
                items[cid] = {}
            items[cid][scanner] = ev.as_dict()
    block["items"] = {cid: dict(sorted(per.items(), key=lambda kv: str(kv[0]))) if isinstance(per, dict) else per
                      for cid, per in sorted(items.items(), key=lambda kv: str(kv[0]))}
    return block


class _FlowMap(dict):  # type: ignore[type-arg]
    """Written on one line: {pass: 3, fail: 1}."""


class _FlowSeq(list):  # type: ignore[type-arg]
    """Written on one line: [S3.8, S3.1]."""


class _Quoted(str):
    """Always double-quoted (a failing resource's id and account, as ownit has always written them)."""


class _EvidenceDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a value met twice is written twice: no &anchors in a file people read


_STR_TAG = "tag:yaml.org,2002:str"
_EvidenceDumper.add_representer(str, lambda d, v: d.represent_scalar(_STR_TAG, v, style=None if _plain_ok(v) else '"'))
_EvidenceDumper.add_representer(_Quoted, lambda d, v: d.represent_scalar(_STR_TAG, str(v), style='"'))
_EvidenceDumper.add_representer(_FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))
_EvidenceDumper.add_representer(_FlowSeq, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _evidence_yaml(block: dict[Any, Any]) -> str:
    """The `evidence:` block's text in ownit's layout: block mappings down to each record, and on one line
    each scan, a record's counts and checks, and each failing resource (see tui.evidence.model)."""
    out = dict(block)
    if isinstance(out.get("scans"), dict):
        out["scans"] = {k: _FlowMap(v) if isinstance(v, dict) else v for k, v in out["scans"].items()}
    if isinstance(out.get("items"), dict):
        out["items"] = {cid: {s: _record_layout(r) for s, r in per.items()} if isinstance(per, dict) else per
                        for cid, per in out["items"].items()}
    return yaml.dump({"evidence": out}, Dumper=_EvidenceDumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=1 << 30)  # never fold a line


def _record_layout(rec: Any) -> Any:
    if not isinstance(rec, dict):
        return rec
    rec = dict(rec)
    if isinstance(rec.get("counts"), dict):
        rec["counts"] = _FlowMap(rec["counts"])
    if isinstance(rec.get("checks"), list):
        rec["checks"] = _FlowSeq(rec["checks"])
    if isinstance(rec.get("failing"), list):
        rec["failing"] = [_FlowMap({k: _Quoted(v) if k != "region" and isinstance(v, str) else v for k, v in r.items()})
                          if isinstance(r, dict) else r for r in rec["failing"]]
    return rec


# While a file's evidence block is kept out of the round trip, this line stands in for it (random:
# no user's text can hold it by chance).
_PLACEHOLDER = f"ownit-evidence-{uuid.uuid4().hex}"
_PLACEHOLDER_LINE = f"evidence: {_PLACEHOLDER}\n"
_EVIDENCE_KEY = re.compile(r"^evidence[ \t]*:(?:[ \t]+#[^\r\n]*)?[ \t]*\r?$", re.M)  # `evidence:`, its value below
_TOP_LINE = re.compile(r"^[^ \t\r\n#]", re.M)  # content at column 0: the next top-level key, `---` or `...`
_INDENTED = re.compile(r"^[ \t]+[^ \t\r\n#][^\n]*\n?", re.M)  # content inside the block (not a comment)


def _load_doc(text: str) -> tuple[CommentedMap, tuple[str, int] | None]:
    """The round-trip document and, when it could be cut out, the evidence block's text and first line."""
    split = _split_evidence(text)
    if split is not None:
        rest, block, line = split
        try:
            doc = _yaml().load(rest)
        except RuamelError:
            doc = None
        # the cut was right when the placeholder came back as the top-level `evidence` of a block mapping
        if isinstance(doc, CommentedMap) and not doc.fa.flow_style() and doc.get("evidence") == _PLACEHOLDER:
            return doc, (block, line)
    return _yaml().load(text), None


def _split_evidence(text: str) -> tuple[str, str, int] | None:
    """Cut a block-style top-level `evidence:` out of the text: (the rest, with the placeholder line in its
    place; the block; its first line). The block runs to its last indented line before the next line that
    starts at column 0; comments and blank lines after it stay with the rest (they are the user's)."""
    found = _EVIDENCE_KEY.finditer(text)
    key = next(found, None)
    if key is None or next(found, None) is not None:
        return None
    start = key.start()
    end = text.find("\n", start) + 1 or len(text)
    nxt = _TOP_LINE.search(text, end)
    for inside in _INDENTED.finditer(text, end, nxt.start() if nxt else len(text)):
        end = inside.end()
    return text[:start] + _PLACEHOLDER_LINE + text[end:], text[start:end], text.count("\n", 0, start) + 1


def _baseline_value(baseline: Baseline) -> Any:
    if not baseline.inherited:
        return None  # owning it is the default: no key at all
    entry = CommentedMap({k: _typed(k, v) for k, v in baseline.as_dict().items()})
    entry.fa.set_flow_style()
    return entry


def _set_top(doc: CommentedMap, key: str, value: Any, after: str) -> None:
    """Set (or with None remove) a top-level key, placing a new one after `after`."""
    if value is None:
        doc.pop(key, None)
        return
    if key in doc:
        doc[key] = value
        return
    keys = list(doc)
    pos = keys.index(after) + 1 if after in keys else len(keys)
    doc.insert(pos, key, value)


def _set_services(doc: CommentedMap, services: list[str], resolve: Callable[[str], str]) -> None:
    """Edit the services list in place: drop the ones not wanted, append the new ones."""
    seq = doc.get("services")
    if not isinstance(seq, CommentedSeq):
        seq = CommentedSeq()
        seq.fa.set_flow_style()
        doc["services"] = seq
    wanted = list(dict.fromkeys(services))
    for i in reversed(range(len(seq))):
        if resolve(str(seq[i])) not in wanted:
            del seq[i]
    present = {resolve(str(x)) for x in seq}
    seq.extend(s for s in wanted if s not in present)


# YAML 1.1 line breaks besides \n and \r: ruamel writes them raw inside quotes, where a reader
# folds them into a space. Double quotes with escapes (\N, \L, \P) keep them.
_BREAKS = ("\x85", "\u2028", "\u2029")


def _typed(key: str, value: str) -> Any:
    """A value as the YAML should hold it: dates as dates; text plain only when that is surely safe
    in a flow mapping (`?0`, `a, b` or `x: y` are not), else double-quoted (which escapes anything)."""
    if key in DATE_FIELDS:
        return dt.date.fromisoformat(value)
    if _plain_ok(value):
        return value  # reads back as this very text under YAML 1.1 too (`yes`, `1e3`, `null` do not)
    return DoubleQuotedScalarString(value)


def _plain_ok(value: str) -> bool:
    return bool(_SAFE_PLAIN.fullmatch(value)) and _reads_back(value)


@functools.lru_cache(maxsize=4096)  # an evidence block repeats its times, files, regions and checks
def _reads_back(value: str) -> bool:
    try:
        return bool(yaml.load(value, Loader=_CLoader) == value)  # noqa: S506  (the C *safe* loader)
    except (yaml.YAMLError, ValueError, OverflowError):  # `0000-00-00` is a YAML date no date can hold
        return False


def _problem(path: Path, message: str) -> Problem:
    return Problem(str(path), 0, 0, message)
