"""The knowledge-base commands, in-process on the fixture knowledge base."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main
from tui.kb.model import LAYER_IDS


@pytest.fixture(autouse=True)
def fixture_as_shipped(fixture_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.kb.loader as loader

    monkeypatch.setattr(loader, "shipped_data_dir", lambda: fixture_kb_path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate")
    assert code == 0 and out.startswith("ok:")


def test_validate_reports_file_line_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "team.yaml"
    bad.write_text("controls:\n  - id: iam.x\n    owner: customr\n")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 1
    assert f"{bad}:3:12: 'owner' 'customr' is not one of: aws, customer, shared (did you mean 'customer'?)" in err
    assert "Traceback" not in err and err.rstrip().endswith("problem(s) found")


def test_stats_json_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stats", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["counts"]["services"] == 6 and data["counts"]["controls"] == 12 and data["counts"]["layers"] == 15
    assert set(data["controls_by_owner"]) == {"customer", "shared", "aws"}
    assert data["framework_coverage"]["fsbp"]["percent"] == 100.0


def test_show_service_json_has_all_layers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "ec2", "--json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "service" and data["id"] == "ec2"
    assert list(data["layers"]) == list(LAYER_IDS)
    assert data["layers"]["guest-os"]["owner"] == "customer" and data["layers"]["host-os"]["owner"] == "aws"


def test_show_resolves_alias(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "fargate")
    assert code == 0 and "Amazon ECS on AWS Fargate" in out


def test_show_unknown_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "lamda")
    assert code == 2 and "ownit: error: no service, control, layer or tool named 'lamda' (did you mean 'lambda'?)" in err


def test_search_json_ranked_with_spans(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "owner:customer mfa", "--json")
    hits = json.loads(out)
    assert code == 0 and [h["id"] for h in hits] == ["iam.root-mfa", "iam.user-mfa"]
    assert hits[0]["spans"]["title"] == [[8, 11]] and hits[0]["title"][8:11] == "MFA"
    assert all(h["owner"] == "customer" for h in hits)


def test_search_bad_filter_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "search", "ownr:customer")
    assert code == 2 and "unknown filter 'ownr:' (did you mean 'owner'?)" in err


def test_matrix_and_compare(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "matrix", "ec2", "rds", "s3", "--json")
    rows = {r["layer"]: r for r in json.loads(out)}
    assert code == 0 and rows["guest-os"] == {"layer": "guest-os", "ec2": "customer", "rds": "aws", "s3": "aws"}
    code, out, _ = run(capsys, "compare", "ec2", "lambda", "--json")
    data = json.loads(out)
    assert "guest-os" in data["aws_takes_over"] and data["summary"].startswith("Moving from EC2 to Lambda")


def test_markup_in_data_is_printed_literally(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "ssh")
    assert code == 0 and "[bold]" in out


def test_unknown_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "frobnicate")
    assert code == 2 and err.startswith("ownit: error: unknown command 'frobnicate'")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("ownit ") and "knowledge base test" in out


@pytest.mark.parametrize(("argv", "says"), [
    (["shw", "ec2"], "did you mean 'ownit show'?"),
    (["lambda"], "to see that service: ownit show lambda"),
    (["missing.yaml"], "missing.yaml: no such project file"),
])
def test_a_mistyped_command_says_what_was_meant(capsys: pytest.CaptureFixture[str], argv: list[str], says: str) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2 and says in err and "Traceback" not in err


def test_the_app_refuses_to_start_without_a_terminal(capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    code, _, err = run(capsys)  # pytest's stdin and stdout are not a terminal
    assert code == 2 and "the app needs a terminal" in err


def test_suggestions_prefer_a_look_alike(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "ec3")
    assert code == 2 and "did you mean 'ec2'?" in err


def test_a_missing_file_has_no_made_up_position(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "validate", str(tmp_path / "gone.yaml"))
    assert code == 1 and f"{tmp_path / 'gone.yaml'}: no such file or directory" in out + err and ":1:1:" not in out + err


def test_piped_output_follows_columns(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = run(capsys, "search", "encrypt")
    assert code == 0 and out and max(len(line) for line in out.splitlines()) <= 60
    monkeypatch.setenv("COLUMNS", "nonsense")
    code, out, _ = run(capsys, "search", "encrypt")
    assert code == 0 and max(len(line) for line in out.splitlines()) > 60


_TEAM_TOOLS = """\
tools:
  - id: team-scanner
    name: Team scanner
    summary: A scanner the team runs.
    what: Scans things, for tests.
    enablement: customer
    pricing: free
    layers: [iam]
    sources: [https://docs.aws.amazon.com/guardduty/latest/ug/what-is-guardduty.html]
    checked: 2026-06-01
  - id: team-old
    name: Team old tool
    summary: A tool nobody looked at for a while.
    what: Old, for tests.
    enablement: customer
    pricing: free
    layers: [iam]
    sources: [https://docs.aws.amazon.com/guardduty/latest/ug/what-is-guardduty.html]
    checked: 2025-01-10
  - id: team-fresh
    name: Team fresh tool
    summary: A tool checked yesterday.
    what: Fresh, for tests.
    enablement: customer
    pricing: free
    layers: [iam]
    sources: [https://docs.aws.amazon.com/guardduty/latest/ug/what-is-guardduty.html]
    checked: 2026-11-30
"""


@pytest.fixture
def today_is(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    import datetime as dt

    import tui.commands.kb_cli as kb_cli

    def set_today(day: str) -> None:
        monkeypatch.setattr(kb_cli, "_today", lambda: dt.date.fromisoformat(day))

    return set_today


def test_validate_stale_lists_old_records_oldest_first(tmp_path: Path, capsys: pytest.CaptureFixture[str], today_is) -> None:  # type: ignore[no-untyped-def]
    team = tmp_path / "team.yaml"
    team.write_text(_TEAM_TOOLS)
    today_is("2026-12-01")
    code, out, err = run(capsys, "validate", "--stale", "30", str(team))
    assert code == 0 and not err
    lines = out.splitlines()
    assert lines[:2] == [
        f"{team}:11:5: team-old checked 2025-01-10 (690 days ago)",
        f"{team}:2:5: team-scanner checked 2026-06-01 (183 days ago)",
    ]
    assert "team-fresh" not in out and "guardduty" not in out  # only the PATHs' records, only the stale ones
    assert lines[2] == "2 record(s) not checked within 30 day(s)"


def test_validate_stale_covers_every_kind_and_is_a_report(capsys: pytest.CaptureFixture[str], today_is) -> None:  # type: ignore[no-untyped-def]
    today_is("2026-11-29")
    code, out, _ = run(capsys, "validate", "--stale", "0")
    assert code == 0
    rows = [line for line in out.splitlines() if " checked 20" in line]
    assert rows and all(line.endswith("checked 2026-11-28 (1 day ago)") for line in rows)
    for where in ("services/", "controls.yaml", "tools.yaml", "layers.yaml"):
        assert any(where in line for line in rows), where
    code, out, _ = run(capsys, "validate", "--stale", "1")
    assert code == 0 and out.strip() == "0 record(s) not checked within 1 day(s)"


def test_validate_stale_needs_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", "--stale", "soon")
    assert code == 2 and "DAYS must be a whole number" in err
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    assert "--stale DAYS" in capsys.readouterr().out
