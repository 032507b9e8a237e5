"""`ownit import ... -o PROJECT`: a template becomes a checklist; existing items are never touched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main

IAC = Path(__file__).resolve().parents[1] / "fixtures" / "iac"


def test_template_to_new_project_to_checklist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "orders.yaml"
    assert main(["import", "cloudformation", str(IAC / "sam"), "-o", str(project), "--no-user-data"]) == 0
    capsys.readouterr()
    assert main(["checklist", str(project), "--json", "--no-user-data"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in data["project"]["services"]] == ["apigateway", "dynamodb", "iam", "lambda"]
    assert data["items"], "the checklist is not empty"


def test_merge_keeps_items_notes_and_comments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p.yaml"
    project.write_text(
        "# our review, keep this comment\n"
        "name: payments\n"
        "services: [ec2]\n"
        "items:\n"
        "  iam.root-mfa: {status: done, note: hardware keys}\n"
    )
    assert main(["import", "terraform", str(IAC / "tf"), "-o", str(project), "--json", "--no-user-data"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["added"] == ["iam", "lambda", "rds.postgresql", "s3", "vpc"]
    text = project.read_text()
    assert "# our review, keep this comment" in text
    assert "iam.root-mfa: {status: done, note: hardware keys}" in text
    assert "services: [ec2, iam, lambda, rds.postgresql, s3, vpc]" in text


def test_import_json_lists_unrecognised_and_modules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "cloudformation", str(IAC / "cfn"), "--json", "--no-user-data"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["custom_resources"] == [{"type": "Custom::Seeder", "address": "every-tag.yaml:Hook"}]
    assert out["project"] is None


def test_missing_path_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "terraform", str(tmp_path / "nope"), "--no-user-data"]) == 1
    err = capsys.readouterr().err
    assert "nope:1:1: no such file or directory" in err and "Traceback" not in err
