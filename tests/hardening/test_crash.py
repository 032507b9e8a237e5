"""SIGKILL the writer 500 times at random moments: the project file is always a whole version.

One forked child saves the project again and again through the library the
app and the CLI use (`ProjectFile.set_item`: lock, re-read, merge, temp file,
fsync, rename, fsync the directory). Save `n` sets item `n % 5` to
"save n". The parent kills the child after a random 1 ms to 2.5 saves (timed on this
disk first), then checks the file: it parses, and it is exactly the state after some save `n` (every item
holds the latest save that touched it: no save is half-applied, no earlier
save is lost), `n` never goes back, the user's comment and unknown field are
still there. Then the next child continues from `n + 1` (the lock a killed
child held is free again: `flock` dies with its process).

This complements tests/checklist/test_crash_safety.py (one item, a slow disk):
here the saves rotate over several items so a torn merge would show.
"""

from __future__ import annotations

import gc
import os
import random
import re
import signal
import sys
import time
from pathlib import Path

import pytest

from tui.checklist import atomic
from tui.checklist.project import load_project
from tui.checklist.states import Project
from tui.checklist.store import ProjectFile

KILLS = int(os.environ.get("OWNIT_HARDENING_KILLS", "500"))
ITEMS = ("iam.root-mfa", "iam.user-mfa", "data.s3-block-public-access", "network.ec2-restrict-ssh", "data.rds-encryption")
NOTE = re.compile(r"^save (\d+) by [a-z]+ ¶ [\s\S]*$")
BODY = "line one\nline two: 'quoted' \"double\" \\ é ✓ " + "x" * 600  # a note with some weight and some YAML to quote

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="needs fork and SIGKILL")

HEADER = "# our team's review of the payments stack: keep this comment\n"


def note(n: int) -> str:
    return f"save {n} by crash ¶ {BODY}"


def expected_after(n: int) -> dict[str, str]:
    """The note of every item after save n (saves 1..n; an untouched item has no note)."""
    out = {}
    for j, cid in enumerate(ITEMS):
        m = max((k for k in range(1, n + 1) if k % len(ITEMS) == j), default=0)
        out[cid] = note(m) if m else ""
    return out


def _child(pf: ProjectFile, first: int) -> None:
    try:
        n = first
        while True:
            pf.set_item(ITEMS[n % len(ITEMS)], status="in-progress", note=note(n), by="crash")
            n += 1
    except BaseException:
        os._exit(3)


def _saves_in(project: Project) -> int:
    numbers = [int(m.group(1)) for cid in ITEMS if cid in project.items and (m := NOTE.match(project.items[cid].note))]
    return max(numbers, default=0)


def _seconds_per_save(path: Path, kb) -> float:  # type: ignore[no-untyped-def]
    pf = ProjectFile.create(path, "scratch", ["ec2"], kb)
    started = time.perf_counter()
    for n in range(5):
        pf.set_item(ITEMS[n], status="in-progress", note=note(n), by="crash")
    return min((time.perf_counter() - started) / 5, 0.1)


def test_sigkill_at_random_moments_never_tears_or_loses_a_save(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "payments.yaml"
    ProjectFile.create(path, "payments", ["ec2", "rds", "s3"], fixture_kb)
    path.write_text(HEADER + path.read_text() + "x-team: platform\n")
    rng = random.Random(os.environ.get("OWNIT_HARDENING_SEED") or random.randrange(1 << 30))
    save = _seconds_per_save(tmp_path / "scratch.yaml", fixture_kb)  # this disk's speed: kills spread over a save
    last, mid_write, moved = 0, 0, 0
    started = time.monotonic()
    gc.freeze()  # fewer copy-on-write pages in each child: faster forks
    try:
        for kill in range(KILLS):
            pf = ProjectFile.open(path, fixture_kb)  # parses: never a torn file; the child saves with it at once
            n = _saves_in(pf.project)
            assert n >= last, f"kill {kill}: went back from save {last} to {n}"
            items = pf.project.items
            assert {cid: items[cid].note if cid in items else "" for cid in ITEMS} == expected_after(n), f"kill {kill}"
            text = path.read_text(encoding="utf-8")
            assert text.startswith(HEADER) and "x-team: platform" in text, f"kill {kill}: the user's text was lost"
            moved += n > last
            last = n
            pid = os.fork()
            if pid == 0:
                _child(pf, last + 1)
            if kill % 5 == 4:  # every fifth writer lives a few saves: progress even on a loaded machine
                time.sleep(rng.uniform(3 * save, 8 * save + 0.02))
            else:
                time.sleep(rng.uniform(0.001, 0.004 + 2.5 * save))
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            assert os.WIFSIGNALED(status), f"kill {kill}: the writer died on its own (exit {os.WEXITSTATUS(status)})"
            mid_write += any(path.parent.glob(f".{path.name}.*{atomic.TMP_SUFFIX}"))
    finally:
        gc.unfreeze()
    seconds = time.monotonic() - started
    print(f"\n{KILLS} kills in {seconds:.1f}s ({save * 1000:.0f} ms a save): {last} saves landed, {mid_write} kills mid-write, {moved} kills after progress")
    assert moved > KILLS // 20, "too few saves completed between kills: the harness tests nothing"
    assert mid_write > 0, "no kill landed while a temporary file existed"

    final = ProjectFile.open(path, fixture_kb)  # the next writer: takes the lock, cleans the temp files
    assert _saves_in(final.project) >= last
    final.set_item("iam.root-mfa", status="done", note="after the storm")
    assert not list(path.parent.glob(f".{path.name}.*{atomic.TMP_SUFFIX}"))
    assert load_project(path, fixture_kb).project.items["iam.root-mfa"].note == "after the storm"
