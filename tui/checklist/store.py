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
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
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
        self.doc: CommentedMap = _yaml().load(data.decode("utf-8-sig"))
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
        self._save(lambda theirs: None, lambda doc: _set_evidence(doc, evidence, scans, stale_after_days))

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
        self.doc, self.loaded, self.fingerprint, self.crlf = theirs.doc, theirs.loaded, theirs.fingerprint, theirs.crlf
        self.merged = True

    def _dump(self) -> bytes:
        buf = io.StringIO()
        _yaml().dump(self.doc, buf)
        text = buf.getvalue()
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


def _flow(value: dict[str, Any] | list[Any]) -> Any:
    out: Any = CommentedMap(value) if isinstance(value, dict) else CommentedSeq(value)
    out.fa.set_flow_style()
    return out


def _set_evidence(doc: CommentedMap, evidence: dict[str, dict[str, Any]], scans: dict[str, dict[str, Any]],
                  stale_after_days: int | None = None) -> None:
    """Write the evidence block: `scans` (one flow line per scanner) and `items` (per item, per scanner)."""
    block = doc.get("evidence")
    if not isinstance(block, CommentedMap):
        block = CommentedMap()
        doc["evidence"] = block
    if stale_after_days is not None:
        if "stale_after_days" in block:
            block["stale_after_days"] = stale_after_days
        else:
            block.insert(0, "stale_after_days", stale_after_days)
    old_scans = block.get("scans") if isinstance(block.get("scans"), CommentedMap) else CommentedMap()
    for scanner, meta in sorted(scans.items()):
        old_scans[scanner] = _flow({k: _typed("", v) if isinstance(v, str) else v for k, v in meta.items()})
    block["scans"] = old_scans
    items = block.get("items") if isinstance(block.get("items"), CommentedMap) else CommentedMap()
    for cid in list(items):  # a scanner read again replaces all of its earlier records
        per = items[cid]
        if isinstance(per, CommentedMap):
            for scanner in scans:
                per.pop(scanner, None)
            if not per:
                del items[cid]
    for scanner in sorted(evidence):
        for cid, ev in evidence[scanner].items():
            per = items.get(cid)
            if not isinstance(per, CommentedMap):
                per = CommentedMap()
                items[cid] = per
            rec = ev.as_dict()
            entry = CommentedMap()
            entry["counts"] = _flow(rec["counts"])
            for k in ("at", "file"):
                if k in rec:
                    entry[k] = _typed("", rec[k])
            if "checks" in rec:
                entry["checks"] = _flow([_typed("", c) for c in rec["checks"]])
            if "failing" in rec:
                entry["failing"] = CommentedSeq([_flow({k: DoubleQuotedScalarString(v) if k != "region" else _typed("", v)
                                                        for k, v in r.items()}) for r in rec["failing"]])
            if "more" in rec:
                entry["more"] = rec["more"]
            per[scanner] = entry
    ordered = CommentedMap()
    for cid in sorted(items):
        per = items[cid]
        ordered[cid] = CommentedMap((k, per[k]) for k in sorted(per)) if isinstance(per, CommentedMap) else per
    block["items"] = ordered


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
    if _SAFE_PLAIN.fullmatch(value) and _reads_back(value):
        return value  # reads back as this very text under YAML 1.1 too (`yes`, `1e3`, `null` do not)
    return DoubleQuotedScalarString(value)


def _reads_back(value: str) -> bool:
    try:
        return bool(yaml.safe_load(value) == value)
    except (yaml.YAMLError, ValueError, OverflowError):  # `0000-00-00` is a YAML date no date can hold
        return False


def _problem(path: Path, message: str) -> Problem:
    return Problem(str(path), 0, 0, message)
