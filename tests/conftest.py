"""Shared fixtures: the developer's own config, data and cache never leak into tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache")):
        (home / sub).mkdir()
        monkeypatch.setenv(var, str(home / sub))
    return home


@pytest.fixture(scope="session")
def fixture_kb_path() -> Path:
    return FIXTURE_KB


@pytest.fixture(scope="session")
def fixture_kb():  # type: ignore[no-untyped-def]
    from tui.kb.loader import load_sources

    return load_sources([FIXTURE_KB])
