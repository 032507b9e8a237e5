"""`ownit serve` in a real browser: headless Chromium (Debian's `chromium` package) driven by Playwright.

The page is xterm.js drawing on a canvas, so the test reads the screen the way
the browser does: every terminal byte the server sends over the websocket is
fed to a VT100 emulator (pyte) sized like the browser's terminal, and the
assertions read that screen. Keys go in through the page's keyboard, as a
user's would. Nothing here downloads a browser build: Playwright gets
`executable_path` of the system Chromium, and the test is skipped, saying
why, where there is none.

Set OWNIT_SERVE_PNG=docs/serve.png to save the README's picture from the run.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tui.checklist.project import load_project
from tui.checklist.store import ProjectFile

pytest.importorskip("textual_serve", reason="the browser test needs textual-serve (pip install '.[test]')")
playwright_sync = pytest.importorskip("playwright.sync_api",
                                      reason="the browser test needs Playwright's Python package (pip install '.[test]')")
pyte = pytest.importorskip("pyte", reason="the browser test needs pyte (pip install '.[test]')")

VIEWPORT = {"width": 1400, "height": 860}
STACK = ("customer-data", "responsibility line", "hypervisor", "physical")  # the Layers screen's stack
TIMEOUT = 30.0  # seconds for any one thing to appear (a tab starts a Python process: ~3 s on 2 busy cores)


def find_chromium() -> str | None:
    """The system Chromium: $OWNIT_CHROMIUM, Debian's real binary, or one on PATH."""
    candidates = [os.environ.get("OWNIT_CHROMIUM", ""), "/usr/lib/chromium/chromium",
                  shutil.which("chromium") or "", shutil.which("chromium-browser") or "",
                  shutil.which("google-chrome") or ""]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium on this machine: install Debian's package (apt-get install chromium) or set OWNIT_CHROMIUM; "
           "the browser test never downloads a browser build")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (from /proc), so the test can check Ctrl+C leaves none behind."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Tab:
    """One browser tab on the served app, with the terminal screen it shows (as pyte reads it)."""

    def __init__(self, page, name: str) -> None:  # type: ignore[no-untyped-def]
        self.page, self.name = page, name
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.texts: list[str] = []  # the server's JSON messages (open_url, deliver_file_start, ...)
        page.on("websocket", self._websocket)

    def _websocket(self, ws) -> None:  # type: ignore[no-untyped-def]
        def sent(payload: str | bytes) -> None:
            if isinstance(payload, str) and payload.startswith('["resize"'):
                size = json.loads(payload)[1]
                self.screen.resize(size["height"], size["width"])

        def received(payload: str | bytes) -> None:
            if isinstance(payload, bytes):
                self.stream.feed(payload)
            else:
                self.texts.append(payload)

        ws.on("framesent", sent)
        ws.on("framereceived", received)

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, what: str | Callable[[], bool], timeout: float = TIMEOUT) -> None:
        test = (lambda: what in self.text) if isinstance(what, str) else what
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if test():
                return
            self.page.wait_for_timeout(50)  # Playwright delivers websocket frames while it waits
        raise AssertionError(f"{self.name}: {what!r} did not appear in {timeout:.0f} s; the screen:\n{self.text}")

    def focus(self) -> None:
        """Keyboard focus into xterm.js (its input textarea; a click would also click the app)."""
        self.page.locator(".xterm-helper-textarea").focus()

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=20)


def wait_on_disk(path: Path, test: Callable[[dict[str, str]], bool], timeout: float = TIMEOUT) -> dict[str, str]:
    end = time.monotonic() + timeout
    statuses: dict[str, str] = {}
    while time.monotonic() < end:
        statuses = {k: v.status for k, v in load_project(path).project.items.items()}
        if test(statuses):
            return statuses
        time.sleep(0.05)
    raise AssertionError(f"{path} never showed the change; it holds {statuses}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    project = tmp_path / "payments.yaml"
    ProjectFile.create(project, "payments", ["ec2", "s3"])
    port = free_port()
    gitconfig = tmp_path / "gitconfig"  # who ticks items (`by`): a stable name, not this machine's git identity
    gitconfig.write_text("[user]\n\tname = dana\n", encoding="utf-8")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": str(gitconfig), "GIT_CONFIG_NOSYSTEM": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "tui", "serve", project.name, "--port", str(port), "--no-user-data"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path, env=env)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        url = f"http://127.0.0.1:{port}"
        assert first.startswith(f"ownit: serving {project.name} at {url}"), first
        end = time.monotonic() + TIMEOUT
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < end, proc.stdout.read()
                time.sleep(0.05)
        threading.Thread(target=proc.stdout.read, daemon=True).start()  # its log never fills the pipe
        yield proc, url, project
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def test_the_served_app_in_chromium(served: tuple[subprocess.Popen[str], str, Path], tmp_path: Path) -> None:
    proc, url, project = served
    timings: dict[str, float] = {}
    t0 = time.monotonic()
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        popups: list[str] = []  # every URL the app asked the browser to open in a new tab
        downloads = []

        def on_popup(page) -> None:  # type: ignore[no-untyped-def]
            page.on("download", lambda d: downloads.append(d))
            popups.append(page.url)
            page.on("framenavigated", lambda frame: popups.append(frame.url) if frame == page.main_frame else None)

        context.on("page", on_popup)
        # Source links go to AWS: answer them here, so the test needs no network.
        context.route("https://docs.aws.amazon.com/**", lambda route: route.fulfill(status=200, body="aws docs"))
        context.route("https://aws.amazon.com/**", lambda route: route.fulfill(status=200, body="aws"))

        a = Tab(context.new_page(), "tab A")
        a.page.goto(url)
        a.wait_for("payments  ·  EC2, S3")  # opened on the project: its Checklist
        timings["first paint"] = time.monotonic() - t0
        a.focus()

        # the layer stack appears
        a.press("1")
        a.wait_for(lambda: all(w in a.text for w in STACK))

        # 4 and typing a query show controls
        a.press("4")
        a.wait_for(lambda: "Owner" in a.text and "Title" in a.text)  # the results table: the search box has focus
        a.type("root mfa")
        a.wait_for("Turn on MFA for the root user")

        # a source link opens in a new browser tab
        a.press("ArrowDown")  # into the results (Textual moves the focus on its next turn: give it one)
        a.page.wait_for_timeout(300)
        a.press("o")
        a.wait_for(lambda: any("amazon.com" in u for u in popups))
        timings["layers, controls, source link"] = time.monotonic() - t0

        # a checklist item marked done in the browser is on disk
        a.press("6")
        a.wait_for("payments  ·  EC2, S3")
        a.press("d")
        first = wait_on_disk(project, lambda s: list(s.values()) == ["done"])
        timings["item done on disk"] = time.monotonic() - t0

        # a second tab edits the same project safely: both tabs' changes land (lock + item-level merge)
        b = Tab(context.new_page(), "tab B")
        b.page.goto(url)
        b.wait_for("payments  ·  EC2, S3")
        b.wait_for("1 [x]")  # it sees tab A's tick
        b.focus()
        b.press("ArrowDown", "ArrowDown")  # B on the third item, A on the second
        a.press("ArrowDown")
        b.press("d")  # the two saves race: whichever comes second merges with the first
        a.press("d")
        both = wait_on_disk(project, lambda s: sum(v == "done" for v in s.values()) == 3)
        assert set(first) < set(both)
        timings["two tabs merged"] = time.monotonic() - t0

        # an export is a download in the browser, not a file on the server
        saved = tmp_path / "download.md"
        for attempt in range(4):
            # textual-serve hands the file to a new window; Chromium sometimes reports that window's download as
            # canceled when the window closes first (a browser race, not ownit's): ask again, like a person would
            downloads.clear()
            a.page.bring_to_front()
            a.focus()
            a.press("x")
            a.wait_for("Export the checklist")
            a.press("Enter")  # the first format: Markdown
            a.wait_for(lambda: bool(downloads), timeout=TIMEOUT)
            try:
                downloads[0].save_as(saved)
                break
            except playwright_sync.Error:
                if attempt == 3:
                    raise
        body = saved.read_text(encoding="utf-8")
        assert downloads[0].suggested_filename == "payments-checklist.md"
        assert "payments" in body and body.count("[x]") >= 3, body[:500]
        assert not (project.parent / "payments-checklist.md").exists()
        timings["export downloaded"] = time.monotonic() - t0

        a.page.bring_to_front()
        a.wait_for(lambda: "Export the checklist" not in a.text and "3 [x]" in a.text)
        shot = tmp_path / "serve.png"
        if os.environ.get("OWNIT_SERVE_PNG"):  # the README's picture: once the notifications are gone
            a.wait_for(lambda: "offered as a download" not in a.text and "reloaded" not in a.text)
        a.page.screenshot(path=str(shot))
        if os.environ.get("OWNIT_SERVE_PNG"):
            shutil.copyfile(shot, os.environ["OWNIT_SERVE_PNG"])

        # Ctrl+C stops the server cleanly, with the tabs still open, and leaves no app process behind
        apps = descendants(proc.pid)
        assert len(apps) >= 2, apps  # one app process (at least) per tab
        proc.send_signal(signal.SIGINT)
        assert proc.wait(20) == 0
        end = time.monotonic() + 10
        while any(alive(p) for p in apps) and time.monotonic() < end:
            time.sleep(0.1)
        assert not [p for p in apps if alive(p)], "app processes left running after Ctrl+C"
        timings["stopped"] = time.monotonic() - t0
        browser.close()
    print("timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))
