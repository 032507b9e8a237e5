"""Fixtures for the app tests: the small fixture knowledge base, an app factory,
and user directories that never touch the developer's own config."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tui.app.app import OwnitApp
from tui.kb.knowledge import KnowledgeBase


@pytest.fixture(autouse=True)
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """XDG config, data and cache under tmp_path: themes saved by a test stay in the test."""
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        (tmp_path / var.lower()).mkdir()
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    return tmp_path


@pytest.fixture
def make_app(fixture_kb: KnowledgeBase) -> Callable[..., OwnitApp]:
    def make(kb: KnowledgeBase | None = None, **kwargs: object) -> OwnitApp:
        return OwnitApp(kb or fixture_kb, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def app(make_app: Callable[..., OwnitApp]) -> OwnitApp:
    return make_app()
