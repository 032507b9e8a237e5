"""The bad-input corpus: every file gets its exact `path:line:col` message, exit 1, fast, in bounded memory.

`corpus/expected.tsv` is the table: one row per expected problem line
(`file<TAB>message`, the path as the user typed it). A file may have several
rows; the test asserts the complete list, so a new, vague or duplicated
message fails it. Huge inputs (100 MB, 10,000-level nesting, an alias bomb, a
file at the size limit) are generated at test time instead of committed.
"""

from __future__ import annotations

import contextlib
import io
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.checklist.states import MAX_PROJECT_BYTES
from tui.cli import main
from tui.kb.loader import MAX_DATA_BYTES

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = CORPUS / "expected.tsv"
SECONDS = 1.0
PEAK_BYTES = 32 * 1024 * 1024  # traced Python allocations while one file is validated


def _sparse(size: int, head: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("wb") as fh:  # the reader must refuse it by its size, before reading a byte
            fh.write(head.encode())
            fh.truncate(size)
    return write


def _text(make: Callable[[], str]) -> Callable[[Path], None]:
    return lambda path: path.write_text(make(), encoding="utf-8")


def _alias_bomb() -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    return "\n".join(lines) + "\n"


def _at_the_limit(limit: int) -> str:
    line = "# " + "x" * 97 + "\n"
    return "controls:\n" + line * ((limit - 100) // len(line)) + "\t- id: iam.x\n"


GENERATED: dict[str, Callable[[Path], None]] = {
    "gen-100mb.yaml": _sparse(100 * 1024 * 1024, "controls: []\n"),
    "gen-over-data-limit.yaml": _sparse(MAX_DATA_BYTES + 1, "controls: []\n"),
    "gen-project-over-limit.yaml": _sparse(MAX_PROJECT_BYTES + 1, "name: big\nservices: [ec2]\nitems: {}\n"),
    "gen-at-data-limit.yaml": _text(lambda: _at_the_limit(MAX_DATA_BYTES)),
    "gen-nesting-10000-lists.yaml": _text(lambda: "controls: " + "[" * 10_000 + "]" * 10_000 + "\n"),
    "gen-nesting-10000-maps.yaml": _text(lambda: "controls: " + "{a: " * 10_000 + "}" * 10_000 + "\n"),
    "gen-nesting-1100-blocks.yaml": _text(lambda: "controls:\n" + "".join(" " * i + "-\n" for i in range(2, 1100))),
    "gen-alias-bomb.yaml": _text(_alias_bomb),
    "gen-alias-bomb-in-project.yaml": _text(lambda: "name: x\nservices: [ec2]\n" + _alias_bomb().replace("a0:", "items:\n  iam.root-mfa: {status: done}\nz0:", 1)),
}


def load_manifest() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for n, line in enumerate(MANIFEST.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, message = line.partition("\t")
        assert sep and message.startswith(name), f"expected.tsv:{n}: want 'file<TAB>file:line:col: message'"
        table.setdefault(name, []).append(message)
    return table


TABLE = load_manifest()


def corpus_entries() -> set[str]:
    return {p.name for p in CORPUS.iterdir() if p.name != MANIFEST.name}


def validate(path: str) -> tuple[int, str, str, float]:
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", path])
    return code, out.getvalue(), err.getvalue(), time.perf_counter() - start


@pytest.fixture(autouse=True)
def fixture_as_shipped(fixture_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.kb.loader as loader

    monkeypatch.setattr(loader, "shipped_data_dir", lambda: fixture_kb_path)


@pytest.fixture(scope="module", autouse=True)
def warm_imports(fixture_kb_path: Path) -> None:
    import tui.kb.loader as loader

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(loader, "shipped_data_dir", lambda: fixture_kb_path)
        validate(str(CORPUS / "empty.yaml"))  # the first call pays for imports, not for the file


def test_corpus_is_complete() -> None:
    """Every corpus file has rows in the table and every row names a file (or a generated one)."""
    files = corpus_entries()
    assert len(files) + len(GENERATED) >= 60
    assert files | set(GENERATED) == set(TABLE), (files | set(GENERATED)) ^ set(TABLE)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_bad_file_gets_its_exact_message(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if name in GENERATED:
        GENERATED[name](tmp_path / name)
        monkeypatch.chdir(tmp_path)
    else:
        monkeypatch.chdir(CORPUS)
    code, out, err, seconds = validate(name)
    lines = err.splitlines()
    assert "Traceback" not in err and "internal error" not in err, err
    assert code == 1 and out == ""
    assert lines[:-1] == TABLE[name]
    assert lines[-1] == f"ownit: error: {len(TABLE[name])} problem(s) found"
    assert seconds < SECONDS, f"{name}: {seconds:.2f}s"

    tracemalloc.start()
    try:
        code2, _, err2, _ = validate(name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (code2, err2) == (code, err)
    assert peak < PEAK_BYTES, f"{name}: {peak / 1e6:.1f} MB"
