"""Fixtures for the `ownit serve` tests: a project on the fixture knowledge base, and no read-only leak."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.checklist.atomic import READ_ONLY_ENV
from tui.checklist.store import ProjectFile
from tui.kb.knowledge import KnowledgeBase


@pytest.fixture(autouse=True)
def not_read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts writable, and whatever it sets (`run_app(read_only=True)` sets the variable) is undone."""
    monkeypatch.setenv(READ_ONLY_ENV, "0")


@pytest.fixture
def project(tmp_path: Path, fixture_kb: KnowledgeBase) -> Path:
    path = tmp_path / "demo.yaml"
    ProjectFile.create(path, "demo", ["ec2", "rds", "s3"], fixture_kb)
    return path


@pytest.fixture
def shipped_fixture(fixture_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the shipped knowledge base at tests/fixtures/kb (the CLI loads it)."""
    import tui.kb.loader as loader

    monkeypatch.setattr(loader, "shipped_data_dir", lambda: fixture_kb_path)
    return fixture_kb_path
