"""Hardening tests run the real command line, in-process, on the fixture knowledge base as shipped."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def fixture_as_shipped(fixture_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.kb.loader as loader

    monkeypatch.setattr(loader, "shipped_data_dir", lambda: fixture_kb_path)
