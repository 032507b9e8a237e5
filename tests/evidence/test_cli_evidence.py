"""`ownit evidence` end to end: what lands in the project file, the flags it raises, the gates, bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tui.checklist.builder import build_checklist
from tui.checklist.project import load_project
from tui.cli import main
from tui.kb.loader import load_sources, shipped_data_dir

FIXTURES = Path(__file__).parent / "fixtures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--no-user-data"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "pay.yaml"
    assert run(capsys, "init", str(path), "--services", "ec2,rds,s3")[0] == 0
    text = path.read_text().replace("items: {}", "items:\n  # the team's decisions\n"
                                    "  data.s3-bucket-block-public-access: {status: done, note: \"blocked everywhere\"}\n")
    path.write_text(text)
    return path


def test_evidence_is_written_beside_statuses(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "evidence", str(project), str(FIXTURES / "securityhub-consolidated.json"))
    assert code == 0, err
    assert "CONTRADICTED" in out and "data.s3-bucket-block-public-access" in out
    assert "looks done" in out and "compute.ec2-imdsv2" in out
    assert "in the account, not in the plan: dynamodb" in out and "Zzz.1" in out
    text = project.read_text()
    assert "# the team's decisions" in text and 'note: "blocked everywhere"' in text  # untouched
    assert '- {id: "arn:aws:s3:::media-uploads", account: "111122223333", region: eu-west-1}' in text
    p = load_project(project).project
    assert p.state("data.s3-bucket-block-public-access").status == "done"
    (rec,) = p.evidence["data.s3-bucket-block-public-access"]
    assert rec.scanner == "securityhub" and rec.failed == 2 and rec.passed == 1
    assert p.evidence_scans["securityhub"]["findings"] == 10


def test_a_second_read_replaces_that_scanners_evidence_only(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "evidence", str(project), str(FIXTURES / "securityhub-consolidated.json"))
    run(capsys, "evidence", str(project), str(FIXTURES / "prowler-ocsf.json"))
    before = project.read_text()
    run(capsys, "evidence", str(project), str(FIXTURES / "prowler-ocsf.json"))
    assert project.read_text() == before  # idempotent: a diff shows only what changed
    run(capsys, "evidence", str(project), str(FIXTURES / "securityhub-standards.jsonl"))
    p = load_project(project).project
    s3 = {r.scanner: r for r in p.evidence["data.s3-bucket-block-public-access"]}
    assert s3["securityhub"].counts == {"pass": 1, "fail": 1} and s3["prowler"].failed == 1
    assert "data.rds-encryption-at-rest" in p.evidence  # prowler's record stays


def test_checklist_shows_filters_and_gates(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "evidence", str(project), str(FIXTURES / "securityhub-consolidated.json"), str(FIXTURES / "prowler-ocsf.json"))
    code, out, _ = run(capsys, "checklist", str(project), "--evidence", "contradicted")
    assert code == 0 and "showing 1 of" in out and "evidence CONTRADICTED" in out
    code, out, _ = run(capsys, "checklist", str(project), "--evidence", "looks-done")
    assert "compute.ec2-imdsv2" in out and "data.s3-bucket-block-public-access" not in out
    code, out, _ = run(capsys, "checklist", str(project), "--json", "--evidence", "failing")
    data = json.loads(out)
    ids = {i["id"] for i in data["items"]}
    assert ids == {"data.s3-bucket-block-public-access", "data.rds-encryption-at-rest"}  # each check on one control
    code, _, err = run(capsys, "checklist", str(project), "--fail-on", "contradicted")
    assert code == 3 and "1 contradicted item(s) remain" in err
    code, _, err = run(capsys, "checklist", str(project), "--fail-on", "failing", "--severity", "critical,high")
    assert code == 3 and "2 failing" in err
    code, _, _ = run(capsys, "checklist", str(project), "--fail-on", "failing", "--severity", "low")
    assert code == 0


def test_stale_after_configured_age(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "evidence", str(project), str(FIXTURES / "securityhub-consolidated.json"))
    kb = load_sources([shipped_data_dir()])
    p = load_project(project, kb).project
    cl = build_checklist(p, kb)
    assert cl.item("compute.ec2-imdsv2").evidence_state == "looks-done"
    # the fixture's scan is from 2026-11-20: stale once more than stale_after_days have passed
    age = (dt.date.today() - dt.date(2026, 11, 21)).days
    project.write_text(project.read_text().replace("evidence:\n", f"evidence:\n  stale_after_days: {max(age + 5, 1)}\n"))
    assert not build_checklist(load_project(project, kb).project, kb).item("compute.ec2-imdsv2").evidence_stale
    if age > 1:
        project.write_text(project.read_text().replace(f"stale_after_days: {max(age + 5, 1)}", "stale_after_days: 1"))
        item = build_checklist(load_project(project, kb).project, kb).item("compute.ec2-imdsv2")
        assert item.evidence_stale
        code, out, _ = run(capsys, "checklist", str(project), "--evidence", "stale")
        assert "compute.ec2-imdsv2" in out and "(stale)" in out


def test_malformed_file_writes_nothing(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "cut.json"
    whole = (FIXTURES / "securityhub-consolidated.json").read_text()
    bad.write_text(whole[: len(whole) // 2])
    before = project.read_bytes()
    code, _, err = run(capsys, "evidence", str(project), str(FIXTURES / "prowler-ocsf.json"), str(bad))
    assert code == 1 and f"{bad}:" in err and "Traceback" not in err
    assert project.read_bytes() == before
    code, _, err = run(capsys, "evidence", str(project), str(tmp_path / "missing.json"))
    assert code == 2 and "no such findings file" in err


def test_dry_run_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = project.read_bytes()
    code, out, _ = run(capsys, "evidence", str(project), str(FIXTURES / "prowler.csv"), "--dry-run")
    assert code == 0 and "nothing written" in out and project.read_bytes() == before


def test_hostile_text_is_inert(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    finding = json.loads((FIXTURES / "prowler-ocsf.json").read_text())[0]
    finding["resources"][0]["uid"] = "[bold red]=HYPERLINK(\"http://x\")\x1b[31m\u2028line"
    finding["metadata"]["event_code"] = "[link=http://x]check[/link]"
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps([finding, json.loads((FIXTURES / "prowler-ocsf.json").read_text())[0]]))
    code, out, err = run(capsys, "evidence", str(project), str(hostile))
    assert code == 0, err
    assert "\x1b" not in out and "[link=http://x]check[/link]" in out  # shown, never interpreted
    code, out, _ = run(capsys, "checklist", str(project), "--evidence", "contradicted")
    assert "\x1b" not in out
    p = load_project(project).project  # the file still reads back
    assert p.evidence["data.s3-bucket-block-public-access"][0].failed == 1
    code, out, _ = run(capsys, "export", str(project), "--format", "csv")
    assert code == 0 and ",=HYPERLINK" not in out


def test_json_report_lists_everything(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "evidence", str(project), str(FIXTURES / "config-summary.json"),
                       str(FIXTURES / "config-rules.json"), "--json")
    data = json.loads(out)
    assert code == 0 and data["written"] is True
    assert {"scanner": "config", "kind": "config", "check": "team-custom-tagging-rule", "fail": 7} in data["unmapped"]
    assert data["states"]["data.s3-bucket-block-public-access"]["evidence"] == "contradicted"


def test_every_export_carries_the_evidence(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    from tui.checklist.project import schema_path

    run(capsys, "evidence", str(project), str(FIXTURES / "securityhub-consolidated.json"))
    code, out, _ = run(capsys, "export", str(project), "--format", "json")
    data = json.loads(out)
    jsonschema.validate(data, json.loads(schema_path("export.schema.json").read_text()))
    s3 = next(i for i in data["items"] if i["id"] == "data.s3-bucket-block-public-access")
    assert s3["scanner_evidence"]["state"] == "contradicted"
    assert s3["scanner_evidence"]["records"][0]["counts"]["fail"] == 2
    for fmt in ("md", "csv", "html"):
        code, out, _ = run(capsys, "export", str(project), "--format", fmt)
        assert code == 0 and "CONTRADICTED: 1 pass, 2 fail" in out, fmt
