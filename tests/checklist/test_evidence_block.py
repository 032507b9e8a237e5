"""The evidence block in a project file: kept out of the round trip (a big one made saves slow), written in
the same layout as before, and around it the user's comments, fields and item statuses stay as they were."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.checklist.project import load_project
from tui.checklist.store import ConflictError, ProjectFile
from tui.cli import main
from tui.evidence.model import ItemEvidence, Resource
from tui.kb.errors import DataError

SH = {"securityhub": {"files": "findings.json", "at": "2026-11-28T09:12:00Z", "findings": 3, "read": "2026-11-29"}}
PROWLER = {"prowler": {"files": "prowler.csv", "at": "2026-11-20T06:30:00Z", "findings": 1, "read": "2026-11-29"}}


def record(scanner: str, fail: int = 1, at: str = "2026-11-28T09:12:00Z") -> ItemEvidence:
    return ItemEvidence(scanner, {"pass": 2, **({"fail": fail} if fail else {})}, at=at, file="findings.json", checks=("S3.8",),
                        failing=(Resource("arn:aws:s3:::media-uploads", "111122223333", "eu-west-1"),) * min(fail, 1),
                        more=max(fail - 1, 0))


# the user's part sits on both sides of the block: comments before it, a field and comments after it
AROUND = """\
# Our payments service.
name: payments-api   # the service name
services: [ec2, rds, s3]
items:
  # decided at the kick-off
  iam.root-mfa: {status: done, note: "hardware keys"}
# scanner evidence follows: written by ownit evidence
evidence:
  scans:
    prowler: {files: old.csv, at: "2026-10-01T00:00:00Z", findings: 1}
  items:
    iam.user-mfa:
      prowler:
        counts: {fail: 1}
        at: "2026-10-01T00:00:00Z"

# the team's own field, after the block
x-jira: PAY-12   # the epic
"""


def test_a_second_read_replaces_the_first_and_the_users_part_is_kept(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_text(AROUND)
    pf = ProjectFile.open(path, fixture_kb)
    pf.set_evidence({"securityhub": {"iam.root-mfa": record("securityhub", fail=3)}}, SH)
    pf.set_evidence({"securityhub": {"iam.user-mfa": record("securityhub", fail=0)}}, SH)
    text = path.read_text()
    for kept in ("# Our payments service.", "name: payments-api   # the service name", "# decided at the kick-off",
                 "# scanner evidence follows: written by ownit evidence",
                 "# the team's own field, after the block\nx-jira: PAY-12   # the epic\n"):
        assert kept in text
    assert text.index("evidence:") < text.index("x-jira")  # the block stays where it was
    p = load_project(path, fixture_kb).project
    assert p.state("iam.root-mfa").status == "done"  # evidence never touches a status
    assert "iam.root-mfa" not in p.evidence  # securityhub's first read is gone, prowler's record stays
    assert [r.scanner for r in p.evidence["iam.user-mfa"]] == ["prowler", "securityhub"]
    assert p.evidence["iam.user-mfa"][1] == record("securityhub", fail=0)
    assert list(p.evidence_scans) == ["prowler", "securityhub"]
    assert pf.project == p


def test_the_block_is_written_in_the_layout_it_always_had(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_text("name: x\nservices: [s3]\nitems: {}\n# last line of the user's\n")
    pf = ProjectFile.open(path, fixture_kb)
    pf.set_evidence({"securityhub": {"data.s3": record("securityhub", fail=3)}}, {**SH, **PROWLER}, 40)
    assert path.read_text() == """\
name: x
services: [s3]
items: {}
evidence:
  stale_after_days: 40
  scans:
    prowler: {files: prowler.csv, at: "2026-11-20T06:30:00Z", findings: 1, read: "2026-11-29"}
    securityhub: {files: findings.json, at: "2026-11-28T09:12:00Z", findings: 3, read: "2026-11-29"}
  items:
    data.s3:
      securityhub:
        counts: {pass: 2, fail: 3}
        at: "2026-11-28T09:12:00Z"
        file: findings.json
        checks: [S3.8]
        failing:
        - {id: "arn:aws:s3:::media-uploads", account: "111122223333", region: eu-west-1}
        more: 2
# last line of the user's
"""  # a comment at the end stays at the end, as ruamel always placed it
    before = path.read_text()
    ProjectFile.open(path, fixture_kb).set_evidence({"securityhub": {"data.s3": record("securityhub", fail=3)}}, SH)
    assert path.read_text() == before  # the same read again: no diff at all


def test_item_saves_keep_the_block_byte_for_byte(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_text(AROUND)
    pf = ProjectFile.open(path, fixture_kb)
    assert isinstance(pf.doc["evidence"], str)  # the round-trip document holds a one-line stand-in, not the block
    pf.set_item("iam.user-mfa", status="in-progress", note="rolling out")
    pf.add_services(["lambda"])
    text = path.read_text()
    block = AROUND[AROUND.index("evidence:"):AROUND.index("\n# the team's")]
    assert block in text and "iam.user-mfa: {status: in-progress, note: rolling out}" in text
    assert text.endswith("# the team's own field, after the block\nx-jira: PAY-12   # the epic\n")


# a block a person edited: block-style counts, single quotes, comments inside, an unquoted time, a field of theirs
ODD = """\
name: x
services: [s3]
evidence:   # hand-fixed after the audit
  items:
    iam.user-mfa:
      prowler:
        counts:
          fail: 2     # two users left
        at: 2026-10-01T00:00:00Z
        failing: ['arn:aws:iam::111122223333:user/ci', {id: "arn:aws:iam::111122223333:user/old"}]
        x-ticket: SEC-9
# the block is done
  # an indented comment after it is the user's too
items:
  iam.root-mfa: done
"""


def test_a_hand_edited_block_reads_and_is_rewritten_with_the_same_content(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_text(ODD)
    pf = ProjectFile.open(path, fixture_kb)
    before = load_project(path, fixture_kb).project.evidence["iam.user-mfa"]
    pf.set_item("iam.root-mfa", status="done", note="keys")
    assert ODD[ODD.index("evidence:"):ODD.index("# the block is done")] in path.read_text()  # untouched
    pf.set_evidence({"securityhub": {"iam.root-mfa": record("securityhub")}}, SH)
    text = path.read_text()
    p = load_project(path, fixture_kb).project
    assert p.evidence["iam.user-mfa"] == before  # prowler's record: the same content, in ownit's layout now
    assert "x-ticket: SEC-9" in text and "counts: {fail: 2}" in text
    assert "evidence:   # hand-fixed after the audit\n  items:\n" in text  # the key's own comment stays
    assert "# the block is done\n  # an indented comment after it is the user's too\nitems:" in text
    assert p.state("iam.root-mfa").note == "keys" and p.evidence["iam.root-mfa"] == (record("securityhub"),)


@pytest.mark.parametrize("bad, where", [
    ("        counts: {fail: 1\n", ":15:11:"),  # an unclosed flow mapping (the message says where it opened)
    ("        counts: {fail: 1}}\n", ":14:26:"),
    ("       counts: {fail: 1}\n", ":15:9:"),  # one space short
])
def test_a_broken_block_is_a_located_error_and_the_file_is_kept(tmp_path: Path, fixture_kb, capsys, bad: str,  # type: ignore[no-untyped-def]
                                                                 where: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(AROUND.replace("        counts: {fail: 1}\n", bad))
    before = path.read_bytes()
    with pytest.raises(DataError) as exc:
        ProjectFile.open(path, fixture_kb)
    assert f"{path}{where}" in str(exc.value.problems[0])
    findings = Path(__file__).parents[1] / "evidence" / "fixtures" / "prowler-ocsf.json"
    code = main(["evidence", str(path), str(findings), "--no-user-data"])
    err = capsys.readouterr().err
    assert code == 1 and f"{path}:" in err and "Traceback" not in err
    assert path.read_bytes() == before


def test_a_block_broken_on_disk_after_loading_is_never_overwritten(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_text(AROUND)
    pf = ProjectFile.open(path, fixture_kb)
    broken = AROUND.replace("counts: {fail: 1}", "counts: {fail: 1")
    path.write_text(broken)
    with pytest.raises(ConflictError, match=r"now has errors \(.*p\.yaml:\d+:\d+"):
        pf.set_evidence({"securityhub": {"iam.root-mfa": record("securityhub")}}, SH)
    assert path.read_text() == broken


def test_a_block_that_only_reads_as_part_of_the_file_is_a_located_error(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    text = AROUND.replace("name: payments-api", "name: &who payments-api").replace("findings: 1}", "findings: 1, by: *who}")
    path.write_text(text)
    pf = ProjectFile.open(path, fixture_kb)
    pf.set_item("iam.user-mfa", status="done")  # an item save splices the block back as it is
    assert "by: *who}" in path.read_text()
    with pytest.raises(DataError, match=r"p\.yaml:10:\d+: the evidence block cannot be read on its own"):
        pf.set_evidence({"securityhub": {"iam.root-mfa": record("securityhub")}}, SH)
    assert load_project(path, fixture_kb).project.state("iam.user-mfa").status == "done"


@pytest.mark.parametrize("text", [
    # the top level as a flow mapping: no block to cut, the whole file takes the round trip
    '{name: x, services: [s3], items: {iam.root-mfa: done},\n evidence: {items: {iam.user-mfa: {prowler: {counts: {fail: 1}}}}}}\n',
    # `evidence:` at column 0 inside a note that spans lines: not the top-level key
    'name: x\nservices: [s3]\nitems:\n  iam.root-mfa: {status: done, note: "see\nevidence:\n  below"}\n',
])
def test_odd_layouts_still_save(tmp_path: Path, fixture_kb, text: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_text(text)
    before = load_project(path, fixture_kb).project
    pf = ProjectFile.open(path, fixture_kb)
    pf.set_evidence({"securityhub": {"iam.root-mfa": record("securityhub")}}, SH)
    pf.set_item("iam.user-mfa", status="in-progress")
    after = load_project(path, fixture_kb).project
    assert after.state("iam.root-mfa") == before.state("iam.root-mfa")
    assert after.evidence["iam.root-mfa"] == (record("securityhub"),)
    assert after.evidence.get("iam.user-mfa", ()) == before.evidence.get("iam.user-mfa", ())


def test_crlf_files_with_evidence_stay_crlf(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_bytes(AROUND.replace("\n", "\r\n").encode())
    pf = ProjectFile.open(path, fixture_kb)
    pf.set_item("iam.root-mfa", status="done", note="keys")
    pf.set_evidence({"securityhub": {"iam.root-mfa": record("securityhub")}}, SH)
    data = path.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") and b"x-jira: PAY-12   # the epic\r\n" in data
    assert load_project(path, fixture_kb).project.evidence["iam.root-mfa"] == (record("securityhub"),)


def test_evidence_and_item_saves_merge_both_ways(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_text(AROUND)
    app, cli = ProjectFile.open(path, fixture_kb), ProjectFile.open(path, fixture_kb)
    cli.set_evidence({"securityhub": {"iam.root-mfa": record("securityhub")}}, SH)
    app.set_item("iam.user-mfa", status="done", note="enforced")  # loaded before the evidence was written
    assert app.merged
    cli.set_evidence({"securityhub": {"iam.user-mfa": record("securityhub", fail=0)}}, SH)  # and the other way
    assert cli.merged
    p = load_project(path, fixture_kb).project
    assert p.state("iam.user-mfa").note == "enforced" and p.state("iam.root-mfa").note == "hardware keys"
    assert set(p.evidence) == {"iam.user-mfa"} and len(p.evidence["iam.user-mfa"]) == 2
