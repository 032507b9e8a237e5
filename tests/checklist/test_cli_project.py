"""`ownit init | checklist | export | review | validate` on the fixture knowledge base."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from checklist_samples import HOSTILE
from cli_run import run

from tui.checklist.project import load_project, schema_path
from tui.checklist.store import ProjectFile
from tui.commands.review import review


@pytest.fixture(autouse=True)
def _fixture_kb(shipped_fixture: Path) -> None:
    return None


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.yaml"
    code, out, _ = run(capsys, "init", str(path), "--services", "ec2,RDS,fargate")
    assert code == 0 and out.startswith(f"created {path}: 3 service(s)")
    return path


def test_init_resolves_aliases(demo: Path) -> None:
    p = load_project(demo).project
    assert p.name == "demo" and p.services == ("ec2", "rds", "ecs.fargate")


def test_init_unknown_services_all_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "init", str(tmp_path / "x.yaml"), "--services", "ec2,lamda,s4")
    assert code == 2 and "unknown service 'lamda' (did you mean 'lambda'?)" in err and "unknown service 's4'" in err
    assert not (tmp_path / "x.yaml").exists() and "Traceback" not in err


def test_init_refuses_to_overwrite(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = demo.read_bytes()
    code, _, err = run(capsys, "init", str(demo), "--services", "s3", "--name", "other")
    assert code == 2 and "already exists" in err and demo.read_bytes() == before


def test_init_wants_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "init", str(tmp_path / "x.txt"), "--services", "s3")
    assert code == 2 and "ends in .yaml" in err


def test_checklist_json_matches_the_export_schema(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "checklist", str(demo), "--json")
    data = json.loads(out)
    jsonschema.validate(data, json.loads(schema_path("export.schema.json").read_text()))
    assert code == 0 and data["project"]["name"] == "demo" and data["progress"]["open"] == data["progress"]["total"]
    assert "compute.fargate-platform-version" in {i["id"] for i in data["items"]}


def test_checklist_text_and_fail_on(demo: Path, capsys: pytest.CaptureFixture[str], fixture_kb) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "checklist", str(demo), "--fail-on", "open")
    assert code == 3 and "open item(s) remain" in err and re.search(r"\[ \] CRIT +Turn on MFA for the root user +iam.root-mfa", out)
    pf = ProjectFile.open(demo, fixture_kb)
    for it in json.loads(run(capsys, "checklist", str(demo), "--json")[1])["items"]:
        pf.set_item(it["id"], status="done")
    code, out, err = run(capsys, "checklist", str(demo), "--fail-on", "open", "--fail-on", "in-progress")
    assert code == 0 and "100%" in out and err == ""


def test_checklist_warns_about_kept_unknown_controls(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo.write_text(demo.read_text().replace("items: {}", "items:\n  iam.gone: {status: done, note: old}"))
    code, out, err = run(capsys, "checklist", str(demo))
    assert code == 0 and "warning:" in err and "unknown control 'iam.gone'" in err
    assert "Kept items not in scope (1)" in out and "iam.gone" in out


def test_checklist_output_is_inert(demo: Path, capsys: pytest.CaptureFixture[str], fixture_kb) -> None:  # type: ignore[no-untyped-def]
    ProjectFile.open(demo, fixture_kb).set_item("iam.root-mfa", status="done", note=HOSTILE)
    code, out, _ = run(capsys, "checklist", str(demo))
    assert code == 0 and "\x1b" not in out and "[red]red[/red]" in out and "\\x1b[31m" in out


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "html", "oscal", "oscal-ar"])
def test_export_stdout_and_file(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = run(capsys, "export", str(demo), "--format", fmt)
    assert code == 0 and out
    target = tmp_path / f"out.{fmt}"
    code, _, err = run(capsys, "export", str(demo), "-f", fmt, "-o", str(target))
    assert code == 0 and f"wrote {target}" in err
    written = target.read_text()
    if fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(written)))) > 5
    elif fmt in ("json", "oscal", "oscal-ar"):
        assert json.loads(written)


def test_export_refuses_the_project_file(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = demo.read_bytes()
    code, _, err = run(capsys, "export", str(demo), "-f", "md", "-o", str(demo))
    assert code == 2 and demo.read_bytes() == before


def test_missing_and_broken_projects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "checklist", str(tmp_path / "nope.yaml"))
    assert code == 2 and "no such project file" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nservices: [ec2]\nitems:\n  iam.root-mfa: {status: dne}\n")
    code, _, err = run(capsys, "checklist", str(bad))
    assert code == 1 and f"{bad}:4:26:" in err and "did you mean 'done'" in err and "Traceback" not in err


def test_validate_project_file(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(demo))
    assert code == 0 and "1 project file(s)" in out
    demo.write_text(demo.read_text().replace("items: {}", "items:\n  iam.root-mfa: {status: accepted-risk}"))
    code, _, err = run(capsys, "validate", str(demo))
    assert code == 1 and "needs a note" in err


def test_review_without_a_terminal_lists_open_items(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "review", str(demo))
    assert code == 0 and "item(s) to review" in out and "iam.root-mfa" in out


def test_review_records_answers(demo: Path, fixture_kb, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    answers = iter(["x", "d", "hardware keys", "a", "", "only break-glass users", "s", "q"])
    pf = ProjectFile.open(demo, fixture_kb)
    assert review(pf, interactive=True, ask=lambda _: next(answers), by="dana") == 0
    items = load_project(demo).project.items
    first, second = list(items)
    assert items[first].status == "done" and items[first].note == "hardware keys" and items[first].by == "dana"
    assert items[second].status == "accepted-risk" and items[second].note == "only break-glass users"
    assert len(items) == 2
