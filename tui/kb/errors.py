"""One error hierarchy for the whole domain: the CLI and the app turn these into
messages; nothing a user did wrong ever surfaces as a traceback."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, reported as `path:line:column: message` (`path: message` when it
    concerns the whole file: line 0, as for a file that cannot be read)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class OwnitError(Exception):
    """Base of every error ownit reports to a user."""

    exit_code = 1


class UsageError(OwnitError):
    """The command line was used wrongly (exit 2)."""

    exit_code = 2


class DataError(OwnitError):
    """A knowledge-base or project file has problems; carries all of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` suffix when a close match exists, else ''."""
    match = closest(word, choices)
    return f" (did you mean '{match}'?)" if match else ""


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The closest choice; among equally close ones, the one whose differing characters are of the
    same kind (a digit for a digit: `ec3` -> `ec2`, not `ecs`), then the shorter one."""
    pool = list(choices)
    matches = difflib.get_close_matches(word, pool, n=8, cutoff=cutoff)
    if not matches:
        return None

    def key(m: str) -> tuple[float, int, int]:
        ratio = difflib.SequenceMatcher(None, word, m).ratio()
        same_kind = sum(1 for a, b in zip(word, m, strict=False) if a != b and a.isdigit() == b.isdigit() and a.isalpha() == b.isalpha())
        return (-round(ratio, 6), -same_kind, len(m))

    return min(matches, key=key)
