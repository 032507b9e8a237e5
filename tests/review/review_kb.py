"""Checklists built on the shipped knowledge base for the design-review tests (a module of its own: every
test folder has a conftest, and `from conftest import` would pick whichever was imported first)."""

from __future__ import annotations

from tui.checklist.builder import Checklist, build_checklist
from tui.checklist.states import Baseline, ItemState, Project
from tui.kb.knowledge import KnowledgeBase


def make(kb: KnowledgeBase, *services: str, items: dict[str, ItemState] | None = None, baseline: str = "",
         estate: bool = False) -> Checklist:
    project = Project("t", tuple(services), items or {}, baseline=Baseline(baseline) if baseline else Baseline(),
                      existing_estate=estate)
    return build_checklist(project, kb)


def ids(cl: Checklist) -> set[str]:
    return {i.id for i in cl.items}
