"""One error hierarchy for the whole domain: the CLI and the app turn these into
messages; nothing a user did wrong ever surfaces as a traceback."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, reported as `path:line:column: message`."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
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
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
