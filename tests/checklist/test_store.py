"""Saves: never a lost update, never a silent overwrite; the lock and the temp files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui.checklist import atomic
from tui.checklist.project import load_project
from tui.checklist.states import Baseline
from tui.checklist.store import ConflictError, ProjectFile
from tui.kb.errors import OwnitError


def test_two_writers_on_different_items_merge(project: ProjectFile, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    other = ProjectFile.open(project.path, fixture_kb)
    project.set_item("iam.root-mfa", status="done", note="a")
    other.set_item("iam.user-mfa", status="in-progress", note="b")  # loaded before the first save
    assert other.merged
    items = load_project(project.path).project.items
    assert items["iam.root-mfa"].note == "a" and items["iam.user-mfa"].note == "b"


def test_two_writers_on_one_item_conflict(project: ProjectFile, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    other = ProjectFile.open(project.path, fixture_kb)
    project.set_item("iam.root-mfa", status="done", note="mine")
    before = project.path.read_bytes()
    with pytest.raises(ConflictError, match="item 'iam.root-mfa' was changed on disk by someone else too"):
        other.set_item("iam.root-mfa", status="accepted-risk", note="theirs")
    assert project.path.read_bytes() == before
    other.reload()
    assert other.set_item("iam.root-mfa", note="theirs, after reading mine").note == "theirs, after reading mine"


def test_services_conflict_and_add_merges(project: ProjectFile, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    other = ProjectFile.open(project.path, fixture_kb)
    project.set_services(["ec2", "s3"])
    with pytest.raises(ConflictError):
        other.set_services(["ec2", "rds", "lambda"])
    assert other.add_services(["lambda", "ec2"]) == ["lambda"]
    assert load_project(project.path).project.services == ("ec2", "s3", "lambda")


def test_a_broken_file_on_disk_is_never_overwritten(project: ProjectFile) -> None:
    project.path.write_text("name: x\nservices: [ec2\n")
    with pytest.raises(ConflictError, match="now has errors"):
        project.set_item("iam.root-mfa", status="done")
    assert project.path.read_text() == "name: x\nservices: [ec2\n"


def test_a_removed_file_is_not_recreated(project: ProjectFile) -> None:
    project.path.unlink()
    with pytest.raises(ConflictError, match="removed"):
        project.set_item("iam.root-mfa", status="done")
    assert not project.path.exists()


def test_changed_on_disk(project: ProjectFile) -> None:
    assert not project.changed_on_disk()
    os.utime(project.path, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    assert not project.changed_on_disk()  # touched, same bytes
    project.path.write_text(project.path.read_text() + "# a teammate's comment\n")
    assert project.changed_on_disk()
    project.reload()
    assert not project.changed_on_disk()


def test_own_save_is_not_a_change_on_disk(project: ProjectFile) -> None:
    project.set_item("iam.root-mfa", status="done")
    assert not project.changed_on_disk()


def test_create_refuses_to_overwrite(project: ProjectFile, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    before = project.path.read_bytes()
    with pytest.raises(OwnitError, match="already exists"):
        ProjectFile.create(project.path, "again", ["s3"], fixture_kb)
    assert project.path.read_bytes() == before


def test_permissions_kept_and_stale_temps_removed(project: ProjectFile) -> None:
    os.chmod(project.path, 0o600)
    stale = project.path.with_name(f".{project.path.name}.abc{atomic.TMP_SUFFIX}")
    stale.write_text("half a file")
    project.set_item("iam.root-mfa", status="done")
    assert stat.S_IMODE(project.path.stat().st_mode) == 0o600
    assert not stale.exists()
    leftovers = [p.name for p in project.path.parent.iterdir() if p.name.endswith(atomic.TMP_SUFFIX)]
    assert leftovers == []


def test_lock_held_elsewhere_times_out_cleanly(project: ProjectFile, monkeypatch: pytest.MonkeyPatch) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time, filelock; l = filelock.FileLock(sys.argv[1]); l.acquire(); "
         "print('held', flush=True); time.sleep(30)", str(atomic.lock_path(project.path))],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(atomic, "LOCK_TIMEOUT", 0.2)
        before = project.path.read_bytes()
        with pytest.raises(OwnitError, match="being saved by another ownit"):
            project.set_item("iam.root-mfa", status="done")
        assert project.path.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    project.set_item("iam.root-mfa", status="done")  # free again


def test_no_lock_file_is_left_beside_the_project(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    from tui.checklist.atomic import lock_path

    pf = ProjectFile.create(tmp_path / "p.yaml", "p", ["ec2"], fixture_kb)
    pf.set_item("iam.root-mfa", status="done")
    pf.set_baseline(Baseline("acme"))
    assert not lock_path(pf.path).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]
