"""Project files (placeholder until the checklist issue lands)."""

from __future__ import annotations

from pathlib import Path

from tui.kb.errors import Problem
from tui.kb.knowledge import KnowledgeBase


def is_project_file(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:4096]
    except OSError:
        return False
    return any(line.startswith("name:") for line in head.splitlines())


def validate_project_file(path: Path, kb: KnowledgeBase) -> list[Problem]:
    return []
