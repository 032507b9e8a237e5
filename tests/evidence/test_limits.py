"""Findings files are hostile input: the file-size and per-record limits, and `--stale-after`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.evidence.test_cli_evidence import FIXTURES, project, run  # noqa: F401  (the fixture)
from tui.checklist.project import load_project
from tui.evidence import stream


def test_a_file_over_the_size_limit_is_refused_unread(project: Path, tmp_path: Path,  # noqa: F811
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.json"
    big.write_bytes((FIXTURES / "securityhub-consolidated.json").read_bytes())
    monkeypatch.setattr(stream, "MAX_FINDINGS_BYTES", big.stat().st_size - 1)
    before = project.read_bytes()
    code, _, err = run(capsys, "evidence", str(project), str(big))
    assert code == 1 and f"{big}:" in err and "the limit is" in err and "Traceback" not in err
    assert project.read_bytes() == before
    monkeypatch.setattr(stream, "MAX_FINDINGS_BYTES", big.stat().st_size)  # at the limit: read
    assert run(capsys, "evidence", str(project), str(big))[0] == 0


@pytest.mark.parametrize("shape", ["array", "lines"])
def test_a_record_over_the_per_record_limit_is_a_located_error(project: Path, tmp_path: Path,  # noqa: F811
                                                               capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch, shape: str) -> None:
    monkeypatch.setattr(stream, "MAX_RECORD_CHARS", 4096)
    monkeypatch.setattr(stream, "CHUNK", 1024)  # the record spans several reads
    good = json.loads((FIXTURES / "prowler-ocsf.json").read_text())[0]
    huge = dict(good, message="x" * 20_000)
    path = tmp_path / "huge.json"
    if shape == "array":
        path.write_text(json.dumps([good, huge], indent=1))
    else:
        path.write_text(json.dumps(good) + "\n" + json.dumps(huge) + "\n")
    before = project.read_bytes()
    code, _, err = run(capsys, "evidence", str(project), str(path))
    assert code == 1 and "a record larger than 4,096 characters" in err and "Traceback" not in err
    assert f"{path}:" in err
    assert project.read_bytes() == before  # nothing written unless the whole file was read


def test_stale_after_is_recorded(project: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    code, _, err = run(capsys, "evidence", str(project), str(FIXTURES / "prowler.csv"), "--stale-after", "7")
    assert code == 0, err
    assert "evidence:\n  stale_after_days: 7\n" in project.read_text()
    assert load_project(project).project.stale_after_days == 7
    code, _, _ = run(capsys, "evidence", str(project), str(FIXTURES / "prowler.csv"), "--stale-after", "90")
    assert project.read_text().count("stale_after_days") == 1 and load_project(project).project.stale_after_days == 90
    code, _, err = run(capsys, "evidence", str(project), str(FIXTURES / "prowler.csv"), "--stale-after", "0")
    assert code == 2 and "--stale-after 0" in err
