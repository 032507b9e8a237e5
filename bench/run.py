"""ownit's benchmark: one command, a few minutes, every figure beside its goal.

    python bench/run.py            # the full run (shipped, 10x and 100x knowledge bases)
    python bench/run.py --quick    # fewer repetitions, no 100x (a smoke test)

Every figure is a median of N timed runs after a warm-up, measured side by
side in the same run as its reference (a bare libyaml parse of the same
files, a bare Textual app with the same widgets and no data, a plain
substring scan), so the ratios hold on any machine even when the absolute
times do not. Generated knowledge bases (bench/generate.py) use a fixed seed.

Each measurement runs in a fresh child process (`run.py --probe NAME ...`)
so that one size's heap never slows another's garbage collector. The cache,
user data and settings live in a temporary directory, never the user's own.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # start-up probes count from here: before any import but the interpreter's own

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
QUERY = "owner:customer s3 encryption"  # typed letter by letter, as a person would
SIZE = (120, 40)
STACK_MARKERS = ("customer-data", "network-traffic-protection", "physical")


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def percentile(xs: list[float], p: int) -> float:
    return statistics.quantiles(xs, n=100)[p - 1] if len(xs) > 1 else float("nan")


# ----------------------------------------------------------------------------- probes
# Each runs in its own process and prints one JSON object on its last line.


def probe_load(data: list[str], reps: int, warmup: int, bare_every: int = 1) -> dict[str, list[float]]:
    """Bare CSafeLoader parse of every file vs ownit's cold load (no cache) vs warm load (cache).

    With bare_every=K the bare parse reads one file in K (a stride through the list, so every
    template of a generated copy is sampled) and its time is scaled up by total bytes / sampled
    bytes: libyaml's parse is linear in the bytes, and at 100x the full bare parse alone is
    half a minute. The cold and warm loads always read every file."""
    import yaml

    from tui.kb import cache, crossref, validate, yamlread  # noqa: F401  (what a first cold load imports: untimed)
    from tui.kb.loader import data_files, default_sources, load_kb

    sources = default_sources([Path(d) for d in data], include_user=False)
    files = [f for s in sources for f in data_files(Path(s))]
    sample = files[::bare_every]
    scale = sum(f.stat().st_size for f in files) / max(1, sum(f.stat().st_size for f in sample))

    def bare() -> None:
        for f in sample:
            yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)

    def cold() -> None:
        shutil.rmtree(cache.cache_dir(), ignore_errors=True)
        load_kb([Path(d) for d in data], include_user=False)

    def warm() -> None:
        load_kb([Path(d) for d in data], include_user=False)

    out: dict[str, list[float]] = {"bare": [], "cold": [], "warm": [], "files": [float(len(files))],
                                   "sampled": [float(len(sample))]}
    for i in range(warmup + reps):
        for name, fn in (("bare", bare), ("cold", cold), ("warm", warm)):
            gc.collect()
            t = time.perf_counter()
            fn()
            dt = time.perf_counter() - t
            if i >= warmup:
                out[name].append(dt * scale if name == "bare" else dt)
    return out


def probe_start(kind: str, data: list[str]) -> None:
    """Run the real command line (or the bare app) under run_test until a frame that shows the stack
    is written: the first update Textual would send to the terminal (not one rendered inside a
    batch and thrown away) whose text holds the stack's layer names. Both apps get the same marker."""
    import asyncio
    import re

    from textual.app import App

    painted = asyncio.Event()
    original = App._display
    escape = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x1b\x07]*(\x07|\x1b\\)|[@-Z\\-_])")

    def display(self: App[object], screen, renderable) -> None:  # type: ignore[no-untyped-def]
        original(self, screen, renderable)  # headless: writes nothing, so do the writing's work below
        if renderable is None or self._batch_count or painted.is_set():
            return  # App._display drops updates made inside a batch (delay_update): nothing is written
        written = renderable.render_segments(self.console) if hasattr(renderable, "render_segments") else ""
        text = escape.sub("", written)
        if all(m in text for m in STACK_MARKERS):
            print(json.dumps({"painted": time.perf_counter() - T0}), flush=True)
            painted.set()

    App._display = display  # type: ignore[method-assign]
    # the command line refuses to start the app without a terminal unless a Textual driver is named;
    # run_test uses the headless driver whatever this says
    os.environ.setdefault("TEXTUAL_DRIVER", "textual.drivers.headless_driver:HeadlessDriver")

    async def until_painted(app: App[object]) -> None:
        async with app.run_test(size=SIZE):
            await asyncio.wait_for(painted.wait(), 60)
            if not os.environ.get("OWNIT_BENCH_PROFILE"):  # under a profiler: let it write its report
                os._exit(0)

    def run(self: App[object], *args: object, **kwargs: object) -> None:
        asyncio.run(until_painted(self))

    App.run = run  # type: ignore[method-assign]
    if kind == "bare":
        sys.path.insert(0, str(BENCH))
        from bare_app import BareApp

        BareApp().run()
    else:
        from tui.cli import main

        main(["--no-user-data", *(a for d in data for a in ("--data", d))])
    if not painted.is_set():
        raise SystemExit("the app exited before writing a frame with its stack")


def probe_keys(kind: str, data: list[str], reps: int) -> dict[str, object]:
    """Keystroke to the painted frame that shows its results in the Controls search (for `bare`, a
    Textual app with only an Input: the frame with its echo, the floor); the last frame after the key
    too (the detail pane renders the highlighted control once typing pauses for 80 ms, so when a key
    changes the best hit that frame comes 80 ms and a render later); the filter alone vs a substring scan."""
    import asyncio

    from textual.app import App, ComposeResult
    from textual.widgets import Input

    from tui.app.app import OwnitApp
    from tui.kb import load_kb
    from tui.kb.search import SearchIndex

    kb = load_kb([Path(d) for d in data], include_user=False)
    frames: list[float] = []
    searched: list[float] = []  # when the search of the key under test finished (ownit)

    def display(self: App[object], screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if renderable is not None:
            renderable.render_segments(self.console)  # what a real terminal would be sent
            frames.append(time.perf_counter())

    App._display = display  # type: ignore[method-assign]
    if kind != "bare":
        from tui.app.screens.controls import ControlsScreen

        run_search = ControlsScreen.run_search

        def timed_search(self: ControlsScreen, query: str) -> None:
            run_search(self, query)
            searched.append(time.perf_counter())

        ControlsScreen.run_search = timed_search  # type: ignore[method-assign]
    from textual.keys import _character_to_key

    class BareInput(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="search")

    async def settle(pilot, quiet: float = 0.06, limit: float = 3.0) -> None:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        seen = len(frames)
        last_change = time.perf_counter()
        while time.perf_counter() - start < limit:
            await asyncio.sleep(0.005)
            if len(frames) != seen:
                seen, last_change = len(frames), time.perf_counter()
            elif time.perf_counter() - last_change >= quiet:
                return

    def result_frame(t0: float) -> float:
        """The first frame that shows the key's results (for the bare app: its echo)."""
        after = searched[-1] if searched and kind != "bare" else t0
        return next((f for f in frames if f >= after), float("nan")) - t0

    async def main() -> tuple[list[list[float]], list[list[float]]]:
        if kind == "bare":
            app: App[object] = BareInput()  # type: ignore[assignment]
        else:
            app = OwnitApp(kb, settings_path=Path(os.environ["OWNIT_BENCH_TMP"]) / "settings.json",
                           freeze_heap=True)  # as run_app starts it
        passes: list[list[float]] = []
        last: list[list[float]] = []
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            if kind != "bare":
                app.switch_mode("controls")
            await settle(pilot, quiet=0.2, limit=30)
            search = app.screen.query_one("#search")
            search.focus()
            search.cursor_blink = False
            for _ in range(reps + 1):  # the first pass is the warm-up
                search.value = ""
                await settle(pilot, quiet=0.2, limit=30)
                times, lasts = [], []
                for ch in QUERY:
                    frames.clear()
                    searched.clear()
                    t0 = time.perf_counter()
                    await pilot.press(_character_to_key(ch))
                    await settle(pilot)
                    times.append(result_frame(t0))
                    lasts.append((frames[-1] - t0) if frames else float("nan"))
                passes.append(times)
                last.append(lasts)
        return passes[1:], last[1:]

    passes, last = asyncio.run(main())
    keystrokes = [t for p in passes for t in p]
    settled = [t for p in last for t in p]
    if kind == "bare":
        return {"keys": keystrokes}

    # the filter alone: every prefix of the query, against a plain substring scan over titles
    index = SearchIndex(kb)
    titles = [c.title.lower() for c in kb.controls.values()]
    prefixes = [QUERY[:i] for i in range(1, len(QUERY) + 1)]
    ours, plain = [], []
    for _ in range(reps + 1):
        for p in prefixes:
            t = time.perf_counter()
            try:
                index.search(p)
            except Exception:  # a half-typed filter is a UsageError in the app too
                pass
            ours.append(time.perf_counter() - t)
            word = p.split()[-1]
            t = time.perf_counter()
            [x for x in titles if word in x]
            plain.append(time.perf_counter() - t)
    n = len(prefixes)
    return {"keys": keystrokes, "settled": settled, "filter": ours[n:], "substring": plain[n:]}


def bench_project(kb: Any, tmp: str, name: str = "bench-10x") -> Path:
    """A project ten times a usual one (50 services of the 10x knowledge base), half its items decided."""
    base = ["ec2", "rds", "s3", "cloudfront", "kms"]
    services = [s for s in kb.services if s.split("-x")[0].split(".")[0] in base][:50]
    in_scope = [c for c in kb.controls.values() if c.applies_to(frozenset(services)) and c.owner != "aws"]
    lines = ["name: bench-10x", f"services: [{', '.join(services)}]", "items:"]
    statuses = ("done", "in-progress", "accepted-risk", "not-applicable", "open")
    for i, c in enumerate(in_scope[::2]):
        st = statuses[i % len(statuses)]
        lines.append(f"  {c.id}: {{status: {st}, note: \"reviewed in sprint {i % 7}\", by: dana, at: 2026-11-2{i % 9}}}")
    path = Path(tmp) / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def probe_checklist(data: list[str], reps: int, tmp: str) -> dict[str, list[float]]:
    """Checklist build and each export for a project ten times a usual one, on the 10x knowledge base."""
    from tui.checklist.builder import build_checklist
    from tui.checklist.exports import FORMATS, export
    from tui.checklist.project import load_project
    from tui.kb import load_kb

    kb = load_kb([Path(d) for d in data], include_user=False)
    path = bench_project(kb, tmp)

    def build():  # type: ignore[no-untyped-def]
        return build_checklist(load_project(path, kb).project, kb)

    out: dict[str, list[float]] = {"build": []}
    cl = build()
    out["items"] = [float(len(cl.items) + len(cl.inherited))]
    for fmt in FORMATS:
        out[fmt] = []
        export(cl, fmt)  # warm-up
    for _ in range(reps):
        t = time.perf_counter()
        cl = build()
        out["build"].append(time.perf_counter() - t)
        for fmt in FORMATS:
            t = time.perf_counter()
            export(cl, fmt)
            out[fmt].append(time.perf_counter() - t)
    return out


FINDINGS = 100_000  # goal: read into a 10x project in under 5 s and 300 MB


def probe_evidence_gen(data: list[str], tmp: str, n: int = FINDINGS) -> dict[str, list[float]]:
    """Write the 10x project and a Security Hub export of `n` findings (JSON lines, as a paginated
    get-findings is often saved): most for FSBP controls the project's items name, some for checks
    no control names, some for services not in the plan; 70% passed, 25% failed, a few archived."""
    import random

    from tui.kb import load_kb

    kb = load_kb([Path(d) for d in data], include_user=False)
    path = bench_project(kb, tmp, "bench-evidence")
    services = set(path.read_text(encoding="utf-8").split("services: [", 1)[1].split("]", 1)[0].split(", "))
    in_plan = sorted({f for c in kb.controls.values() if c.applies_to(frozenset(services)) and c.owner != "aws"
                      for f in c.frameworks.get("fsbp", ())})
    other = sorted({f for c in kb.controls.values() for f in c.frameworks.get("fsbp", ())} - set(in_plan))[:40]
    rng = random.Random(15)
    out = Path(tmp) / "bench-findings.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n):
            r = rng.random()
            check = rng.choice(in_plan) if r < 0.85 else (rng.choice(other) if r < 0.95 else f"Zzz.{i % 97}")
            status = "FAILED" if rng.random() < 0.25 else ("NOT_AVAILABLE" if rng.random() < 0.05 else "PASSED")
            region = ("us-east-1", "eu-west-1", "ap-southeast-2")[i % 3]
            account = f"1111222233{i % 7:02d}"
            day = 1 + i % 28
            rec = {
                "SchemaVersion": "2018-10-08",
                "Id": f"arn:aws:securityhub:{region}:{account}:security-control/{check}/finding/{i:08d}",
                "ProductArn": f"arn:aws:securityhub:{region}::product/aws/securityhub",
                "GeneratorId": f"security-control/{check}", "AwsAccountId": account, "Region": region,
                "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
                "CreatedAt": "2026-10-01T08:00:00.000Z", "UpdatedAt": f"2026-11-{day:02d}T08:00:00.000Z",
                "Severity": {"Label": "MEDIUM"}, "Title": f"{check} check",
                "Resources": [{"Type": "AwsS3Bucket", "Id": f"arn:aws:s3:::bucket-{i:08d}", "Region": region}],
                "Compliance": {"Status": status, "SecurityControlId": check},
                "Workflow": {"Status": "NEW"},
                "RecordState": "ARCHIVED" if i % 50 == 0 else "ACTIVE",
            }
            fh.write(json.dumps(rec) + "\n")
    return {"bytes": [float(out.stat().st_size)], "checks": [float(len(in_plan))]}


def probe_evidence(data: list[str], reps: int, tmp: str) -> dict[str, list[float]]:
    """`ownit evidence` end to end (the knowledge base from its cache, every finding read, the project
    written atomically) for 100,000 findings into the 10x project; the peak RSS of the whole process."""
    import contextlib
    import io
    import resource

    gen = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--probe", "evidence-gen", "--tmp", tmp, *data],
                         capture_output=True, text=True, cwd=ROOT)  # its own process: its heap is not ours
    if gen.returncode != 0:
        raise RuntimeError(gen.stderr[-3000:])
    size = json.loads(gen.stdout.strip().splitlines()[-1])["bytes"]
    from tui.cli import main as ownit

    project, findings = Path(tmp) / "bench-evidence.yaml", Path(tmp) / "bench-findings.jsonl"
    argv = ["evidence", str(project), str(findings), "--no-user-data", *(x for d in data for x in ("--data", d))]
    pristine = project.read_bytes()

    def run() -> float:
        t = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = ownit(argv)
        if code != 0:
            raise RuntimeError(f"ownit evidence exited {code}")
        return time.perf_counter() - t

    out: dict[str, list[float]] = {"first": [], "again": [], "bytes": size}
    run()  # fills the knowledge base's cache (a cold load is `load`'s to time)
    for _ in range(reps):
        project.write_bytes(pristine)
        out["first"].append(run())  # a project with no evidence yet
        out["again"].append(run())  # the next scan: the project already holds the last one's evidence
    out["rss_mb"] = [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]
    out["project_bytes"] = [float(project.stat().st_size)]
    return out


# ----------------------------------------------------------------------------- tmux
class Tmux:
    """A private tmux server (its own socket), so no one else's sessions are touched."""

    def __init__(self, tmp: Path) -> None:
        self.socket = str(tmp / "tmux.sock")
        self.n = 0
        # a session that outlives the measured ones, so the server never exits between them
        self._cmd("new-session", "-d", "-s", "keep", "-x", "40", "-y", "5", "sleep 3600")

    def _cmd(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True)

    def until_painted(self, command: str, env: dict[str, str], timeout: float = 60.0) -> tuple[float, str]:
        """Seconds from starting `command` in a fresh 120x40 pane until the stack is on screen."""
        self.n += 1
        name = f"b{self.n}"
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        t0 = time.perf_counter()
        r = self._cmd("new-session", "-d", "-s", name, "-x", str(SIZE[0]), "-y", str(SIZE[1]), f"exec env {exports} {command}")
        if r.returncode != 0:
            raise RuntimeError(f"tmux new-session failed: {r.stderr}")
        screen = ""
        while time.perf_counter() - t0 < timeout:
            screen = self._cmd("capture-pane", "-p", "-t", name).stdout
            if all(m in screen for m in STACK_MARKERS):
                return time.perf_counter() - t0, name
        raise RuntimeError(f"{command!r} never painted its stack:\n{screen}")

    def pid(self, name: str) -> int:
        return int(self._cmd("display-message", "-p", "-t", name, "#{pane_pid}").stdout.strip())

    def keys(self, name: str, *keys: str) -> None:
        self._cmd("send-keys", "-t", name, *keys)

    def kill(self, name: str) -> None:
        self._cmd("kill-session", "-t", name)

    def close(self) -> None:
        self._cmd("kill-server")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ----------------------------------------------------------------------------- orchestration
class Bench:
    def __init__(self, tmp: Path, quick: bool) -> None:
        self.tmp = tmp
        self.quick = quick
        self.rows: list[tuple[str, ...]] = []
        self.spent: dict[str, float] = {}  # seconds of child processes, by probe (where the run's time goes)
        self.env = dict(os.environ)
        self.env.update({
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
            "XDG_CACHE_HOME": str(tmp / "cache"),
            "XDG_DATA_HOME": str(tmp / "data-home"),
            "XDG_CONFIG_HOME": str(tmp / "config"),
            "OWNIT_BENCH_TMP": str(tmp),
        })
        self.env.pop("OWNIT_NO_CACHE", None)

    def probe(self, *args: str, timeout: float = 600) -> dict[str, object]:
        t = time.perf_counter()
        r = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--probe", *args],
                           capture_output=True, text=True, env=self.env, cwd=ROOT, timeout=timeout)
        self.spent[args[0]] = self.spent.get(args[0], 0.0) + time.perf_counter() - t
        if r.returncode != 0:
            raise RuntimeError(f"probe {args[0]} failed:\n{r.stderr[-3000:]}")
        return json.loads(r.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]

    def row(self, size: str, what: str, ours: str, ref: str, ratio: str, goal: str, ok: bool | None, n: int) -> None:
        verdict = "" if ok is None else ("PASS" if ok else "MISS")
        self.rows.append((size, what, ours, ref, ratio, goal, verdict, str(n)))
        print(f"  {size:5} {what:38} {ours:>10} {ref:>10} {ratio:>7}  {goal:10} {verdict}", flush=True)

    def ratio_row(self, size: str, what: str, ours: list[float], ref: list[float], goal: float, unit: float = 1000,
                  digits: int = 0) -> None:
        a, b = median(ours), median(ref)
        r = a / b
        self.row(size, what, f"{a * unit:.{digits}f} ms", f"{b * unit:.{digits}f} ms", f"{r:.2f}x", f"<= {goal}x",
                 r <= goal, len(ours))

    def abs_row(self, size: str, what: str, xs: list[float], goal_ms: float) -> None:
        a = median(xs) * 1000
        self.row(size, what, f"{a:.1f} ms", "", f"{a / goal_ms:.2f}g", f"< {goal_ms:g} ms", a < goal_ms, len(xs))

    # -- sections --------------------------------------------------------------
    def load(self, size: str, data: list[str], reps: int, warmup: int, bare_every: int = 1) -> None:
        r = self.probe("load", "--reps", str(reps), "--warmup", str(warmup), "--bare-every", str(bare_every), *data)
        files, sampled = int(r["files"][0]), int(r["sampled"][0])  # type: ignore[index]
        what = f"KB load cold vs bare parse ({files} files)"
        if sampled < files:
            what = f"KB load cold vs bare parse ({files} files; bare: {sampled} sampled, scaled by bytes)"
        self.ratio_row(size, what, r["cold"], r["bare"], 2.0)  # type: ignore[arg-type]
        self.ratio_row(size, "KB load warm (cache) vs bare parse", r["warm"], r["bare"], 0.2)  # type: ignore[arg-type]

    def startup(self, size: str, data: list[str], reps: int, goal: float) -> None:
        # warm the cache the real app reads (a cold start is measured by `load`)
        self.probe("load", "--reps", "0", "--warmup", "1", *data)  # one cold and one warm load: the cache is there
        ours: list[float] = []
        bare: list[float] = []
        for i in range(reps + 1):
            for kind, acc in (("bare", bare), ("ownit", ours)):
                t = self.probe("start", "--kind", kind, *data)["painted"]
                if i:
                    acc.append(float(t))  # type: ignore[arg-type]
        self.ratio_row(size, "start-up to painted stack, run_test", ours, bare, goal)
        if shutil.which("tmux") is None:
            self.row(size, "start-up to painted stack, tmux", "n/a", "", "", f"<= {goal}x", None, 0)
            return
        tmux = Tmux(self.tmp)
        env = {k: self.env[k] for k in ("PYTHONPATH", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME")}
        args = " ".join(f"--data {d}" for d in data)
        real = f"{sys.executable} -m tui --no-user-data {args}"
        floor = f"{sys.executable} {BENCH / 'bare_app.py'}"
        ours, bare = [], []
        try:
            for i in range(reps + 1):
                for cmd, acc in ((floor, bare), (real, ours)):
                    t, name = tmux.until_painted(cmd, env)
                    tmux.kill(name)
                    if i:
                        acc.append(t)
        finally:
            tmux.close()
        self.ratio_row(size, "start-up to painted stack, tmux (real)", ours, bare, goal)

    def memory(self, size: str, data: list[str]) -> None:
        if shutil.which("tmux") is None:
            self.row(size, "peak RSS of the app", "n/a", "", "", "< 150 MB", None, 0)
            return
        tmux = Tmux(self.tmp)
        env = {k: self.env[k] for k in ("PYTHONPATH", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME")}
        args = " ".join(f"--data {d}" for d in data)
        try:
            _, name = tmux.until_painted(f"{sys.executable} -m tui --no-user-data {args}", env)
            pid = tmux.pid(name)
            # visit every tab, search the controls, come back: the peak of a real session
            for key in ("2", "3", "5", "6", "4"):
                tmux.keys(name, key)
                time.sleep(0.8)
            for ch in "encryption":
                tmux.keys(name, "-l", ch)
                time.sleep(0.05)
            time.sleep(1.0)
            tmux.keys(name, "Escape")
            time.sleep(0.5)
            rss = peak_rss_mb(pid)
        finally:
            tmux.close()
        self.row(size, "peak RSS of the app (all tabs, a search)", f"{rss:.0f} MB", "", f"{rss / 150:.2f}g", "< 150 MB", rss < 150, 1)

    def keys(self, size: str, data: list[str], reps: int, goal: float) -> None:
        """Keystroke to frame, ours against a bare app with only an Input, probed one after the other."""
        bare = self.probe("keys", "--kind", "bare", "--reps", str(reps), *data)["keys"]
        r = self.probe("keys", "--reps", str(reps), *data)
        ours: list[float] = r["keys"]  # type: ignore[assignment]
        self.ratio_row(size, f"keystroke to painted frame, median ({len(QUERY)} keys)", ours, bare, goal,  # type: ignore[arg-type]
                       digits=1)
        p90 = (percentile(ours, 90), percentile(bare, 90))  # type: ignore[arg-type]
        self.row(size, "  p90", f"{p90[0] * 1000:.1f} ms", f"{p90[1] * 1000:.1f} ms", f"{p90[0] / p90[1]:.2f}x",
                 "<= 12x", p90[0] / p90[1] <= 12, len(ours))
        settled: list[float] = r["settled"]  # type: ignore[assignment]
        self.row(size, "  to the last frame (the detail pane too)", f"{median(settled) * 1000:.1f} ms",
                 f"p90 {percentile(settled, 90) * 1000:.0f} ms", "", "(report)", None, len(settled))
        a, b = median(r["filter"]), median(r["substring"])  # type: ignore[arg-type]
        self.row(size, "  filter alone vs substring scan (titles)", f"{a * 1000:.2f} ms", f"{b * 1000:.2f} ms",
                 f"{a / b:.1f}x", "(report)", None, len(r["filter"]))  # type: ignore[arg-type]

    def evidence(self, size: str, data: list[str], reps: int) -> None:
        r = self.probe("evidence", "--reps", str(reps), "--tmp", str(self.tmp), *data)
        mb = float(r["bytes"][0]) / 1e6  # type: ignore[index]
        self.abs_row(size, f"evidence: {FINDINGS:,} findings ({mb:.0f} MB) read in", r["first"], 5000)  # type: ignore[arg-type]
        self.abs_row(size, "  again (replacing the last scan's evidence)", r["again"], 5000)  # type: ignore[arg-type]
        rss = float(r["rss_mb"][0])  # type: ignore[index]
        self.row(size, "  peak RSS of ownit evidence", f"{rss:.0f} MB", "", f"{rss / 300:.2f}g", "< 300 MB", rss < 300, 1)

    def checklist(self, size: str, data: list[str], reps: int) -> None:
        r = self.probe("checklist", "--reps", str(reps), "--tmp", str(self.tmp), *data)
        items = int(r.pop("items")[0])  # type: ignore[index, attr-defined]
        for name, xs in r.items():
            what = f"checklist build ({items} items)" if name == "build" else f"  export {name}"
            self.abs_row(size, what, xs, 100)  # type: ignore[arg-type]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and no 100x (a smoke test)")
    parser.add_argument("--probe", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        return run_probe(args.probe)

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(BENCH))
    from generate import generate

    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="ownit-bench-"))
    try:
        bench = Bench(tmp, args.quick)
        q = args.quick
        sizes = {"1x": [], "10x": [str(d) for d in generate(tmp / "kb10", 10)]}
        if not q:
            sizes["100x"] = [str(d) for d in generate(tmp / "kb100", 100)]
        print(f"ownit benchmark · Python {sys.version.split()[0]} · {os.cpu_count()} CPUs · generated in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        print(f"  {'size':5} {'what':38} {'ours':>10} {'reference':>10} {'ratio':>7}  {'goal':10} verdict", flush=True)
        bench.startup("1x", sizes["1x"], 2 if q else 5, 1.3)
        bench.startup("10x", sizes["10x"], 2 if q else 3, 1.5)
        bench.load("1x", sizes["1x"], 3 if q else 5, 1)
        bench.load("10x", sizes["10x"], 1 if q else 3, 0)  # 9 s a round; no warm-up round (it made no difference)
        if "100x" in sizes:
            bench.load("100x", sizes["100x"], 1, 0, bare_every=5)  # one round: the cold load alone is ~1 minute
        bench.keys("1x", sizes["1x"], 1 if q else 2, 4)
        bench.keys("10x", sizes["10x"], 1 if q else 2, 4)
        if "100x" in sizes:
            bench.keys("100x", sizes["100x"], 1, 8)
        bench.checklist("10x", sizes["10x"], 3 if q else 5)
        bench.evidence("10x", sizes["10x"], 1 if q else 3)
        bench.memory("10x", sizes["10x"])
        elapsed = time.perf_counter() - started
        spent = ", ".join(f"{k} {v:.0f} s" for k, v in bench.spent.items())
        print(f"done in {elapsed:.0f} s (probes: {spent}; the rest is generating, tmux and memory)", flush=True)
        write_results(bench.rows, elapsed, q)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def write_results(rows: list[tuple[str, ...]], elapsed: float, quick: bool) -> None:
    """bench/RESULTS.md: the latest table, as Markdown (README's Performance section quotes it)."""
    if quick:
        return
    head = ("size", "what", "ours", "reference", "ratio", "goal", "verdict", "N")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(c.strip() for c in r) + " |" for r in rows]
    path = BENCH / "RESULTS.md"
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    notes = previous.split("<!-- notes -->", 1)[1] if "<!-- notes -->" in previous else "\n"
    import platform

    text = (
        "# Benchmark results\n\n"
        "Reproduce with `python bench/run.py` (`--quick` skips 100x for a smoke test).\n"
        f"Latest run: Python {platform.python_version()}, {os.cpu_count()} CPUs, {elapsed:.0f} s. "
        "Ratios are ours / reference, measured side by side in the same run; `g` is the fraction of an "
        "absolute goal used.\n\n" + "\n".join(lines) + "\n\n<!-- notes -->" + notes
    )
    path.write_text(text, encoding="utf-8")


def run_probe(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="run.py --probe")
    p.add_argument("name", choices=("load", "start", "keys", "checklist", "evidence", "evidence-gen"))
    p.add_argument("--kind", choices=("ownit", "bare"), default="ownit")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--bare-every", type=int, default=1)
    p.add_argument("--tmp", default="")
    p.add_argument("data", nargs="*")
    args = p.parse_intermixed_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.name == "start":
        probe_start(args.kind, args.data)
        return 1
    if args.name == "load":
        result: object = probe_load(args.data, args.reps, args.warmup, args.bare_every)
    elif args.name == "keys":
        result = probe_keys(args.kind, args.data, args.reps)
    elif args.name == "evidence":
        result = probe_evidence(args.data, args.reps, args.tmp)
    elif args.name == "evidence-gen":
        result = probe_evidence_gen(args.data, args.tmp)
    else:
        result = probe_checklist(args.data, args.reps, args.tmp)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
