"""The real `ownit` process in a real terminal (tmux): it draws, searches and quits.

Skipped when tmux or the `ownit` script is missing (.ci/run installs tmux).
A private tmux socket keeps the test away from any tmux the developer runs.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
OWNIT = shutil.which("ownit", path=str(Path(sys.executable).parent)) or shutil.which("ownit")

pytestmark = pytest.mark.skipif(not (TMUX and OWNIT), reason="needs tmux and the installed `ownit` script")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Callable[..., str]]:
    socket = f"ownit-test-{uuid.uuid4().hex[:8]}"

    def run(*args: str) -> str:
        done = subprocess.run([TMUX, "-L", socket, *args], capture_output=True, text=True, timeout=20)  # type: ignore[list-item]
        return done.stdout

    yield run
    subprocess.run([TMUX, "-L", socket, "kill-server"], capture_output=True, timeout=20)  # type: ignore[list-item]


def wait_for(capture: Callable[[], str], *needles: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = capture()
        if all(n in screen for n in needles):
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needles} never appeared; the screen was:\n{screen}")


def test_real_process_draws_searches_and_quits(tmux: Callable[..., str], tmp_path: Path) -> None:
    rc_file = tmp_path / "rc"
    env = " ".join(f"{k}={shlex.quote(str(tmp_path / k.lower()))}" for k in
                   ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"))
    command = f"env {env} TERM=xterm-256color {shlex.quote(str(OWNIT))}; echo $? > {shlex.quote(str(rc_file))}"
    started = time.monotonic()
    tmux("new-session", "-d", "-s", "app", "-x", "120", "-y", "40", command)

    def capture() -> str:
        return tmux("capture-pane", "-p", "-t", "app")

    screen = wait_for(capture, "Layers", "responsibility line", "CUSTOMER", "AWS")
    first_frame = time.monotonic() - started
    assert "Controls" in screen and "Compare" in screen

    tmux("send-keys", "-t", "app", "4")
    wait_for(capture, "controls")
    tmux("send-keys", "-t", "app", "-l", "owner:customer mfa")
    screen = wait_for(capture, "owner:customer mfa", "MFA")
    table_rows = [line for line in screen.splitlines() if "CUSTOMER" in line]
    assert table_rows and all("AWS " not in line.split("CUSTOMER")[0] for line in table_rows)

    tmux("send-keys", "-t", "app", "Enter")  # from the search box into the results, where q quits
    time.sleep(0.3)
    tmux("send-keys", "-t", "app", "q")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not rc_file.exists():
        time.sleep(0.2)
    assert rc_file.exists(), "ownit did not exit after q"
    assert rc_file.read_text().strip() == "0"
    print(f"first frame after {first_frame:.2f}s")
