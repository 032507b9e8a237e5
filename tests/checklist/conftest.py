"""Fixtures for the checklist tests: the fixture KB as the shipped one, a fresh project."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.checklist.store import ProjectFile


@pytest.fixture
def shipped_fixture(fixture_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the shipped knowledge base at tests/fixtures/kb (the CLI loads it)."""
    import tui.kb.loader as loader

    monkeypatch.setattr(loader, "shipped_data_dir", lambda: fixture_kb_path)
    return fixture_kb_path


@pytest.fixture
def project(tmp_path: Path, fixture_kb) -> ProjectFile:  # type: ignore[no-untyped-def]
    return ProjectFile.create(tmp_path / "demo.yaml", "demo", ["ec2", "rds", "s3"], fixture_kb)
