"""The knowledge base: model, YAML loading, validation and search. Never imports Textual."""

from __future__ import annotations

from tui.kb.errors import DataError, OwnitError, Problem, UsageError
from tui.kb.knowledge import KnowledgeBase
from tui.kb.loader import load_kb

__all__ = ["DataError", "KnowledgeBase", "OwnitError", "Problem", "UsageError", "load_kb"]
