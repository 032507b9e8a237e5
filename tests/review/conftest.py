"""Design-review tests run on the shipped knowledge base: the facts a review meets are real."""

from __future__ import annotations

import pytest

from tui.checklist.builder import Checklist, build_checklist
from tui.checklist.states import Baseline, ItemState, Project
from tui.kb.knowledge import KnowledgeBase


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    from tui.kb.loader import load_sources, shipped_data_dir

    return load_sources([shipped_data_dir()])


def make(kb: KnowledgeBase, *services: str, items: dict[str, ItemState] | None = None, baseline: str = "",
         estate: bool = False) -> Checklist:
    project = Project("t", tuple(services), items or {}, baseline=Baseline(baseline) if baseline else Baseline(),
                      existing_estate=estate)
    return build_checklist(project, kb)


def ids(cl: Checklist) -> set[str]:
    return {i.id for i in cl.items}
