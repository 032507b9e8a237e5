"""The review from the command line on the shipped KB: filters, the gate, `set`, `review`, exports."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from cli_run import run

from tui.checklist.project import load_project, schema_path
from tui.checklist.store import ProjectFile
from tui.commands.review import review


@pytest.fixture
def web(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "web.yaml"
    code, out, _ = run(capsys, "init", str(path), "--services", "ec2,autoscaling,alb,rds.postgresql,s3,cloudfront")
    assert code == 0 and "workload" in out and "account baseline" in out
    return path


def items(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> list[dict]:  # type: ignore[type-arg]
    code, out, _ = run(capsys, "checklist", str(path), "--json", *args)
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, json.loads(schema_path("export.schema.json").read_text()))
    return list(data["items"])


def test_every_filter_narrows_the_items(web: Path, capsys: pytest.CaptureFixture[str]) -> None:
    everything = items(capsys, web)
    assert {i["scope"] for i in everything} == {"workload", "baseline"}
    cases = {
        ("--scope", "baseline"): lambda i: i["scope"] == "baseline",
        ("--severity", "critical,high"): lambda i: i["priority"] in ("critical", "high"),
        ("--phase", "plan"): lambda i: i["phase"] == "plan",
        ("--service", "rds"): lambda i: "rds" in i["services"],
        ("--layer", "iam"): lambda i: i["layer"] == "iam",
        ("--status", "open"): lambda i: i["status"] == "open",
    }
    for args, ok in cases.items():
        got = items(capsys, web, *args)
        assert got and all(ok(i) for i in got), args
        assert len(got) == sum(1 for i in everything if ok(i)), args
    top = items(capsys, web, "--top", "5")
    heads = [i for i in top if not i["parent"]]
    assert [(i["scope"], i["rank"]) for i in heads] == [("workload", r) for r in range(1, 6)] + [("baseline", r) for r in range(1, 6)]
    code, _, err = run(capsys, "checklist", str(web), "--severity", "hgh")
    assert code == 2 and "did you mean 'high'" in err


def test_a_usable_gate(web: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "checklist", str(web), "--fail-on", "open", "--severity", "critical,high", "--scope", "workload")
    assert code == 3 and "open item(s) remain" in err
    pf = ProjectFile.open(web)
    for it in items(capsys, web, "--severity", "critical,high", "--scope", "workload"):
        if it["status"] == "open" and not it["default"]:
            pf.set_item(it["id"], status="done")
    assert run(capsys, "checklist", str(web), "--fail-on", "open", "--severity", "critical,high", "--scope", "workload")[0] == 0
    code, _, err = run(capsys, "checklist", str(web), "--fail-on", "unconfirmed", "--scope", "workload")
    assert code == 3 and "unconfirmed" in err


def test_set_team_due_ticket_baseline_and_estate(web: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "set", str(web), "data.rds-no-public-access,compute.ec2-imdsv2", "--team", "platform",
                       "--due", "2027-01-15", "--ticket", "SEC-9")
    assert code == 0, out
    p = load_project(web).project
    st = p.state("compute.ec2-imdsv2")
    assert (st.team, st.due, st.ticket) == ("platform", "2027-01-15", "SEC-9")
    assert run(capsys, "set", str(web), "compute.ec2-imdsv2", "--due", "soon")[0] == 2
    assert run(capsys, "set", str(web), "nope.id", "--team", "x")[0] == 2
    assert run(capsys, "set", str(web), "compute.ec2-imdsv2", "--status", "accepted-risk")[0] == 2  # needs a note
    code, _, _ = run(capsys, "set", str(web), "--baseline-from", "acme-lz", "--ref", "https://wiki.example/lz")
    assert code == 0
    p = load_project(web).project
    assert p.baseline.inherited_from == "acme-lz" and p.baseline.ref == "https://wiki.example/lz"
    code, out, err = run(capsys, "checklist", str(web), "--fail-on", "open", "--scope", "baseline")
    assert code == 0 and "inherited from acme-lz" in out  # the platform answers for the baseline
    assert run(capsys, "set", str(web), "--existing-estate", "yes")[0] == 0
    assert load_project(web).project.existing_estate
    assert run(capsys, "set", str(web), "--own-baseline")[0] == 0
    assert not load_project(web).project.baseline.inherited
    text = web.read_text()
    assert "existing_estate: true" in text and "baseline" not in text.split("items:")[0].split("services:")[1]


def test_checklist_text_is_in_rank_order_with_scopes(web: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "checklist", str(web), "--top", "3")
    assert code == 0
    assert out.index("Workload: the project's own design") < out.index("Account baseline (3)")
    ranks = re.findall(r"^ +(\d+) \[", out, flags=re.M)
    assert ranks[:3] == ["1", "2", "3"]
    assert "also in use: ebs (implied by ec2)" in out


def test_review_walks_the_top_items_in_rank_order(web: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tui.checklist.filters import Filters
    from tui.kb import load_kb

    kb = load_kb(include_user=False)
    pf = ProjectFile.open(web, kb)
    answers = iter(["d", "agreed in review", "s", "q"])
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return next(answers)

    assert review(pf, interactive=True, ask=ask, by="dana", filters=Filters(top=3)) == 0
    out = capsys.readouterr().out
    first = re.search(r"\[1/(\d+)\] workload #1: (.+)", out)
    assert first and int(first.group(1)) <= 6
    assert "Verify: aws " in out or "You:" in out
    done = [cid for cid, st in load_project(web).project.items.items() if st.status == "done"]
    assert len(done) == 1 and load_project(web).project.state(done[0]).by == "dana"


def test_exports_carry_the_action_and_the_proof(web: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, "set", str(web), "data.rds-no-public-access", "--team", "dba", "--due", "2027-02-01", "--ticket", "SEC-7")
    c = next(i for i in items(capsys, web) if i["id"] == "data.rds-no-public-access")
    assert c["customer"] and c["verify"]["cli"].startswith("aws rds ") and "RDS.2" in c["verify"]["security_hub"]
    assert c["verify"]["config_rules"] and c["verify"]["prowler"] and c["sources"] and c["team"] == "dba"
    shared = next(i for i in items(capsys, web) if i["owner"] == "shared")
    assert shared["aws"]
    outs = {}
    for fmt in ("md", "csv", "html"):
        target = tmp_path / f"out.{fmt}"
        assert run(capsys, "export", str(web), "-f", fmt, "-o", str(target))[0] == 0
        outs[fmt] = target.read_text()
    row = next(r for r in csv.DictReader(io.StringIO(outs["csv"], newline="")) if r["id"] == "data.rds-no-public-access")
    assert row["team"] == "dba" and row["due"] == "2027-02-01" and row["ticket"] == "SEC-7"
    assert row["verify_cli"].startswith("aws rds ") and "RDS.2" in row["security_hub"] and row["customer"] and row["sources"]
    for needle in ("You:", "Verify (AWS CLI): `aws rds", "Verify (Security Hub): `RDS.2`", "Team: dba", "Sources: <https://"):
        assert needle in outs["md"], needle
    html = outs["html"]
    assert html.index("Raise first") < html.index("<h2>Summary") < html.index("<h2>Checklist")
    assert '<td class="critical">critical</td>' in html and "<dt>Verify: AWS CLI</dt>" in html and "team dba" in html


def test_filtered_export_holds_only_the_filtered_items(web: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", str(web), "-f", "json", "--scope", "workload", "--top", "10")
    data = json.loads(out)
    heads = [i for i in data["items"] if not i["parent"]]
    assert code == 0 and len(heads) == 10 and {i["scope"] for i in data["items"]} == {"workload"}


def test_q_at_the_note_prompt_quits_without_saving_a_note(web: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tui.kb import load_kb

    pf = ProjectFile.open(web, load_kb(include_user=False))
    answers = iter(["a", "q"])
    assert review(pf, interactive=True, ask=lambda _: next(answers), by="dana") == 0
    assert load_project(web).project.items == {}


def test_by_is_the_git_identity_where_there_is_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import shutil
    import subprocess

    from tui.checklist import states

    if shutil.which("git") is None:
        pytest.skip("git is not installed here")
    states._git_user.cache_clear()
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    subprocess.run(["git", "config", "--global", "user.name", "Dana Reviewer"], check=True)
    try:
        assert states.current_user() == "Dana Reviewer"
    finally:
        states._git_user.cache_clear()


def test_a_long_item_wraps_under_its_title(web: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "70")
    code, out, _ = run(capsys, "checklist", str(web), "--top", "10")
    assert code == 0
    lines = out.splitlines()
    assert all(len(line) <= 70 for line in lines)
    first = next(i for i, line in enumerate(lines) if re.match(r"^ +1 \[", line))
    assert all(line == line.rstrip() for line in lines[first:first + 20])  # items: no padding at line ends
    title_at = re.search(r"\] \S+ +", lines[first]).end()  # type: ignore[union-attr]
    assert lines[first + 1].startswith(" " * title_at) and lines[first + 1].strip()  # hangs under the title
