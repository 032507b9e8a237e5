"""What a project file holds, as frozen values: the project and each item's state.

The project file is the user's (it lives in their repo); these records are
what the domain reads out of it. Writing goes through `store.ProjectFile`,
which edits the round-trip YAML document instead, so nothing the user wrote
(comments, key order, fields we do not know) is lost.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

STATUSES = ("open", "in-progress", "done", "not-applicable", "accepted-risk")
NEEDS_NOTE = frozenset({"not-applicable", "accepted-risk"})
RESOLVED = frozenset({"done", "not-applicable", "accepted-risk"})
ITEM_FIELDS = ("status", "note", "team", "by", "at", "due", "ticket")
DATE_FIELDS = ("at", "due")
TOP_FIELDS = ("name", "services", "baseline", "existing_estate", "items", "evidence")
BASELINE_FIELDS = ("inherited_from", "by", "at", "ref")
STATUS_MARK = {"open": "[ ]", "in-progress": "[~]", "done": "[x]", "not-applicable": "[-]", "accepted-risk": "[!]"}
STATUS_WORD = {
    "open": "open",
    "in-progress": "in progress",
    "done": "done",
    "not-applicable": "not applicable",
    "accepted-risk": "accepted risk",
}
MAX_PROJECT_BYTES = 2 * 1024 * 1024  # a project file with every control of the KB is ~100 KB
MAX_NOTE_CHARS = 10_000


@dataclass(frozen=True)
class ItemState:
    """One checklist item as recorded in the project file (an absent item is `open`)."""

    status: str = "open"
    note: str = ""
    team: str = ""  # the team that owns the item
    by: str = ""
    at: str = ""  # ISO date (YYYY-MM-DD) of the last status change
    due: str = ""
    ticket: str = ""  # a URL or an issue key

    def with_changes(self, **changes: Any) -> ItemState:
        return replace(self, **{k: ("" if v is None else str(v)) for k, v in changes.items()})

    def as_dict(self) -> dict[str, str]:
        """The fields that are set, in file order (what the YAML would hold)."""
        return {k: getattr(self, k) for k in ITEM_FIELDS if getattr(self, k)}


_OPEN = ItemState()  # frozen: one shared instance for every item the file does not record


@dataclass(frozen=True)
class Baseline:
    """Who owns the account baseline: the project itself (`inherited_from` empty) or a named platform."""

    inherited_from: str = ""  # the platform or landing zone that owns the baseline
    by: str = ""
    at: str = ""
    ref: str = ""  # a URL or a key: where the platform documents it

    @property
    def inherited(self) -> bool:
        return bool(self.inherited_from)

    def as_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in BASELINE_FIELDS if getattr(self, k)}


OWN_BASELINE = Baseline()


@dataclass(frozen=True)
class Project:
    """A project: its name, the services it uses, and the recorded item states."""

    name: str
    services: tuple[str, ...]
    items: Mapping[str, ItemState] = field(default_factory=dict)
    path: str = ""
    baseline: Baseline = OWN_BASELINE
    existing_estate: bool = False  # legacy features (closed to new builds) are in use: their items apply
    # scanner evidence (`ownit evidence`): control id -> records (tui.evidence.model.ItemEvidence), one per scanner
    evidence: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    evidence_scans: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # scanner -> {files, at, ...}
    stale_after_days: int = 30  # evidence older than this is stale

    def state(self, control_id: str) -> ItemState:
        return self.items.get(control_id, _OPEN)


def note_required(status: str, note: str) -> str | None:
    """Why a state is refused (a status that needs a reason without one), else None."""
    if status in NEEDS_NOTE and not note.strip():
        return f"status '{status}' needs a note saying why"
    return None


def iso_date(value: Any) -> str | None:
    """A date as `YYYY-MM-DD`, or None when the value is not a date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            return None
    return None


def today() -> str:
    return dt.date.today().isoformat()


def current_user() -> str:
    """Who is making a change (`by`): the git identity where there is one (what a team's history shows),
    else the login name, else '' (some containers have neither)."""
    return _git_user() or _login()


@functools.lru_cache(maxsize=1)
def _git_user() -> str:
    import subprocess

    try:
        done = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=2, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return " ".join(done.stdout.split()) if done.returncode == 0 else ""


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # getpass raises whatever the platform's look-up raises
        return ""
