"""Design-review tests run on the shipped knowledge base: the facts a review meets are real."""

from __future__ import annotations

import pytest

from tui.kb.knowledge import KnowledgeBase


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    from tui.kb.loader import load_sources, shipped_data_dir

    return load_sources([shipped_data_dir()])
