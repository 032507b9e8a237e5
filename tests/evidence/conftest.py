"""Evidence tests run on the shipped knowledge base: the check ids are real FSBP, Prowler and Config ids."""

from __future__ import annotations

import pytest

from tui.checklist.builder import Checklist, build_checklist
from tui.checklist.states import ItemState, Project
from tui.kb.knowledge import KnowledgeBase


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    from tui.kb.loader import load_sources, shipped_data_dir

    return load_sources([shipped_data_dir()])


@pytest.fixture(scope="session")
def cl(kb: KnowledgeBase) -> Checklist:
    return build_checklist(Project("pay", ("ec2", "rds", "s3")), kb)


def checklist(kb: KnowledgeBase, items: dict[str, ItemState] | None = None) -> Checklist:
    return build_checklist(Project("pay", ("ec2", "rds", "s3"), items or {}), kb)
