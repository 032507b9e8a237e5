"""Kill a writer mid-save, again and again: the file is always the old or the new version.

A forked child saves the project in a loop (each save: lock, re-read, merge,
write a temp file, fsync, rename, fsync the directory); the parent SIGKILLs it
at a random moment, then reads the file. It must parse, its note must be one
that some save wrote in full, saves must never go backwards, and the item the
writer never touches must be exactly as it was. Every other child runs on a
simulated slow disk (fsync sleeps) so that many kills land between the temp
file's creation and the rename. OWNIT_CRASH_ITERATIONS sets
the number of kills (50 here; the hardening run uses 500).
"""

from __future__ import annotations

import os
import random
import re
import signal
import stat
import sys
import time
from pathlib import Path

import pytest

from tui.checklist import atomic
from tui.checklist.project import load_project
from tui.checklist.store import ProjectFile

ITERATIONS = int(os.environ.get("OWNIT_CRASH_ITERATIONS", "50"))
PADDING = "x" * 9_000  # a note near the 10,000-character limit, so that a save takes a while
NOTE = re.compile(r"^save (\d+) x{9000}$")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="needs fork and SIGKILL")


def _writer(path: Path, kb, first: int, slow_disk: bool, ready: int) -> None:  # type: ignore[no-untyped-def]
    """The child: save forever; never returns. A slow disk (fsync sleeps) widens the write window."""
    try:
        if slow_disk:
            real_fsync = os.fsync

            def fsync(fd: int) -> None:  # a slow disk: file data takes long to reach it
                time.sleep(0.03 if stat.S_ISREG(os.fstat(fd).st_mode) else 0.002)
                real_fsync(fd)

            atomic.os.fsync = fsync  # type: ignore[attr-defined]  # only in this forked child
        pf = ProjectFile.open(path, kb)
        os.write(ready, b"1")  # the parent's random delay starts now, when saves begin
        n = first
        while True:
            n += 1
            pf.set_item("iam.root-mfa", status="done", note=f"save {n} {PADDING}", by="crash-test")
    except BaseException:
        os._exit(3)


def test_kill_during_save_leaves_old_or_new(project: ProjectFile, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    project.set_item("iam.user-mfa", status="accepted-risk", note="sentinel: never touched by the writer")
    project.set_item("iam.root-mfa", status="done", note=f"save 0 {PADDING}")
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    last, mid_save = 0, 0
    for i in range(ITERATIONS):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            _writer(project.path, fixture_kb, last * 1000 + 1000, slow_disk=i % 2 == 1, ready=w)
        os.close(w)
        assert os.read(r, 1) == b"1", f"writer did not start (seed {seed}, kill {i})"
        os.close(r)
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), f"writer died on its own (seed {seed}, kill {i})"
        temps = list(project.path.parent.glob(f".{project.path.name}.*{atomic.TMP_SUFFIX}"))
        mid_save += bool(temps)
        loaded = load_project(project.path, fixture_kb).project  # parses: never a torn file
        m = NOTE.match(loaded.items["iam.root-mfa"].note)
        assert m, f"note is not one a save wrote in full (seed {seed}, kill {i})"
        n = int(m.group(1))
        assert n >= last, f"went back from save {last} to {n} (seed {seed}, kill {i})"
        last = n
        assert loaded.items["iam.user-mfa"].note == "sentinel: never touched by the writer"
        assert loaded.name == "demo" and loaded.services == ("ec2", "rds", "s3")
    assert ITERATIONS < 20 or mid_save > 0, "no kill landed mid-write: the test proves nothing"
    print(f"\ncrash test: {ITERATIONS} kills, {mid_save} left a temp file (killed mid-write), seed {seed}")
    # the next save cleans up whatever a killed writer left behind
    ProjectFile.open(project.path, fixture_kb).set_item("iam.root-mfa", status="done", note="after the storm")
    assert not list(project.path.parent.glob(f"*{atomic.TMP_SUFFIX}"))
