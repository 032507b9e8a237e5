"""The knowledge-base cache: services and layers first, the rest on first use; a bad cache is rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

import tui.kb.loader as loader
from tui.kb import cache, load_kb
from tui.kb.knowledge import KnowledgeBase
from tui.kb.loader import data_files, walk_data_files


@pytest.fixture(autouse=True)
def fixture_shipped(fixture_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "shipped_data_dir", lambda: fixture_kb_path)


def cached() -> KnowledgeBase:
    load_kb(include_user=False)  # a miss: built and written
    return load_kb(include_user=False)


def cache_file() -> Path:
    (path,) = cache.cache_dir().glob("kb-*.pickle")
    return path


def test_a_cached_kb_loads_its_services_and_layers_first() -> None:
    kb, fresh = cached(), load_kb(include_user=False, use_cache=False)
    assert not {"controls", "tools", "frameworks"} & set(vars(kb))
    assert kb.services == fresh.services and kb.ordered_layers() == fresh.ordered_layers()
    assert kb.service("fargate") == fresh.service("fargate") and kb.version == fresh.version
    assert kb.count("controls") == len(fresh.controls) and kb.count("tools") == len(fresh.tools)
    assert "controls" not in vars(kb)  # counting them did not load them
    assert kb.controls == fresh.controls  # the first use does
    assert kb.tools == fresh.tools and kb.frameworks == fresh.frameworks
    assert kb.controls_for_service("s3") == fresh.controls_for_service("s3")
    assert kb.controls_on_layer("iam") == fresh.controls_on_layer("iam")
    assert kb.citing("fsbp", "S3.1") == fresh.citing("fsbp", "S3.1")
    assert "_pending" not in vars(kb)
    with pytest.raises(AttributeError):
        kb.no_such_thing  # noqa: B018


def test_a_truncated_cache_is_rebuilt() -> None:
    load_kb(include_user=False)
    data = cache_file().read_bytes()
    cache_file().write_bytes(data[:-100])  # the first half still reads; the second is short
    assert "iam.root-mfa" in load_kb(include_user=False).controls
    assert cache_file().stat().st_size == len(data)  # written whole again
    assert "iam.root-mfa" in load_kb(include_user=False).controls


def test_an_unreadable_second_half_is_rebuilt_on_first_use() -> None:
    load_kb(include_user=False)
    data = bytearray(cache_file().read_bytes())
    data[-50:] = b"\0" * 50  # same length: only unpickling the rest finds it bad
    cache_file().write_bytes(bytes(data))
    kb = load_kb(include_user=False)
    assert "controls" not in vars(kb)
    fresh = load_kb(include_user=False, use_cache=False)
    assert kb.controls == fresh.controls and kb.controls_for_service("s3") == fresh.controls_for_service("s3")
    assert cached().controls == fresh.controls  # and the cache was rewritten


def test_the_fingerprint_stats_the_files_the_loader_reads(fixture_kb_path: Path) -> None:
    assert sorted(Path(f) for f in walk_data_files(fixture_kb_path)) == data_files(fixture_kb_path)


def test_equal_layer_entries_are_one_object() -> None:
    kb = load_kb(include_user=False, use_cache=False)
    assert kb.services["ec2"].layers["physical"] is kb.services["s3"].layers["physical"]  # a smaller, faster cache
