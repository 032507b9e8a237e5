"""Each format read from files written after its documentation: detection, mapping, counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.checklist.builder import Checklist
from tui.evidence.collect import collect
from tui.evidence.detect import detect
from tui.kb.errors import DataError

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name, fmt", [
    ("securityhub-consolidated.json", "asff"), ("securityhub-standards.jsonl", "asff"), ("prowler-asff.json", "asff"),
    ("prowler-ocsf.json", "ocsf"), ("prowler.csv", "prowler-csv"), ("config-summary.json", "config-summary"),
    ("config-details.json", "config-details"), ("config-rules.json", "config-rules"),
])
def test_format_is_recognised_from_content(name: str, fmt: str, tmp_path: Path) -> None:
    copy = tmp_path / "renamed.txt"  # the name says nothing
    copy.write_bytes((FIXTURES / name).read_bytes())
    assert detect(copy) == fmt


def test_security_hub_consolidated(cl: Checklist) -> None:
    got = collect([FIXTURES / "securityhub-consolidated.json"], cl)
    ev = got.evidence["securityhub"]
    s3 = ev["data.s3-bucket-block-public-access"]
    assert dict(s3.counts) == {"pass": 1, "fail": 2, "suppressed": 1, "archived": 1}
    assert [r.id for r in s3.failing] == ["arn:aws:s3:::legacy-exports", "arn:aws:s3:::media-uploads"]
    assert s3.failing[0].account == "111122223333" and s3.failing[0].region == "eu-west-1"
    assert s3.at == "2026-11-21T09:30:00Z" and s3.checks == ("S3.8",) and s3.file == "securityhub-consolidated.json"
    assert dict(ev["compute.ec2-imdsv2"].counts) == {"pass": 2}
    assert dict(ev["data.rds-encryption-at-rest"].counts) == {"na": 1}
    # a GuardDuty finding is not a control check: counted, not dropped silently
    assert got.files[0].skipped == {"not a control check (GuardDuty)": 1}
    # a control no control names: summarised by check id; a service the project does not list: not in the plan
    assert got.unmapped == {("securityhub", "fsbp", "Zzz.1"): {"fail": 1}}
    assert got.not_in_plan["dynamodb"]["checks"] == {"DynamoDB.2"} and got.not_in_plan["dynamodb"]["fail"] == 1


def test_security_hub_standard_specific_counts_once(cl: Checklist) -> None:
    got = collect([FIXTURES / "securityhub-standards.jsonl"], cl)
    s3 = got.evidence["securityhub"]["data.s3-bucket-block-public-access"]
    # the same bucket under FSBP and NIST 800-53 counts once
    assert dict(s3.counts) == {"pass": 1, "fail": 1}
    assert dict(got.evidence["securityhub"]["compute.ec2-imdsv2"].counts) == {"manual": 1}  # WARNING
    assert ("securityhub", "other", "CIS 1.4.0 3.7") in got.unmapped  # CIS numbering is the benchmark's own


def test_prowler_ocsf_asff_csv(cl: Checklist) -> None:
    got = collect([FIXTURES / "prowler-ocsf.json", FIXTURES / "prowler-asff.json", FIXTURES / "prowler.csv"], cl)
    ev = got.evidence["prowler"]
    s3 = ev["data.s3-bucket-block-public-access"]
    # media-uploads fails in OCSF and ASFF (once), legacy-exports in CSV; app-logs passes; muted ones apart
    assert dict(s3.counts) == {"pass": 1, "fail": 2, "suppressed": 1}
    assert {r.id for r in s3.failing} == {"arn:aws:s3:::media-uploads", "arn:aws:s3:::legacy-exports"}
    assert dict(ev["iam.root-hardware-mfa"].counts) == {"manual": 1}
    # one check can verify two items
    assert ev["data.rds-encryption-at-rest"].failed == 1 and "data.encryption-at-rest" not in ev
    assert ("prowler", "prowler", "made_up_check_not_in_kb") in got.unmapped
    assert "dynamodb" in got.not_in_plan
    assert s3.at == "2026-11-24T06:30:00Z"


def test_config_with_and_without_the_rule_key(cl: Checklist) -> None:
    without = collect([FIXTURES / "config-summary.json", FIXTURES / "config-details.json"], cl)
    # conformance-pack suffix and Security Hub prefix/suffix are taken off; 'bucket-guard' is unknown without the key
    s3 = without.evidence["config"]["data.s3-bucket-block-public-access"]
    assert dict(s3.counts) == {"fail": 3}
    assert ("config", "config", "bucket-guard") in without.unmapped
    assert dict(without.evidence["config"]["data.rds-encryption-at-rest"].counts) == {"na": 1}
    assert dict(without.evidence["config"]["compute.ec2-imdsv2"].counts) == {"pass": 1}
    keyed = collect([FIXTURES / "config-summary.json", FIXTURES / "config-details.json", FIXTURES / "config-rules.json"], cl)
    s3 = keyed.evidence["config"]["data.s3-bucket-block-public-access"]
    assert dict(s3.counts) == {"fail": 4, "pass": 1}  # 3 from the summary, 1 resource from the details
    bucket = next(r for r in s3.failing if "media-uploads" in r.id)
    assert bucket.id == "AWS::S3::Bucket media-uploads" and bucket.account == "111122223333" and bucket.region == "eu-west-1"
    assert ("config", "config", "team-custom-tagging-rule") in keyed.unmapped


def test_shapes_list_lines_and_wrapper_read_the_same(cl: Checklist, tmp_path: Path) -> None:
    findings = json.loads((FIXTURES / "securityhub-consolidated.json").read_text())["Findings"]
    (tmp_path / "list.json").write_text(json.dumps(findings))
    (tmp_path / "lines.json").write_text("\n".join(json.dumps(f) for f in findings))
    a = collect([tmp_path / "list.json"], cl).evidence
    b = collect([tmp_path / "lines.json"], cl).evidence
    c = collect([FIXTURES / "securityhub-consolidated.json"], cl).evidence
    assert {k: v.counts for k, v in a["securityhub"].items()} == {k: v.counts for k, v in c["securityhub"].items()}
    assert {k: v.counts for k, v in b["securityhub"].items()} == {k: v.counts for k, v in c["securityhub"].items()}


def test_failing_resources_are_capped(cl: Checklist, tmp_path: Path) -> None:
    base = json.loads((FIXTURES / "prowler-ocsf.json").read_text())[0]
    many = []
    for n in range(45):
        f = json.loads(json.dumps(base))
        f["resources"][0]["uid"] = f"arn:aws:s3:::bucket-{n:02d}"
        many.append(f)
    (tmp_path / "many.json").write_text(json.dumps(many))
    s3 = collect([tmp_path / "many.json"], cl).evidence["prowler"]["data.s3-bucket-block-public-access"]
    assert s3.failed == 45 and len(s3.failing) == 20 and s3.more == 25


@pytest.mark.parametrize("body, where, words", [
    ('{"Findings": [{"SchemaVersion": "2018-10-08", "ProductArn": "x"', "1:", "cut short"),
    ('{"Findings": [\n{"SchemaVersion": "2018-10-08", "GeneratorId": "x", "AwsAccountId": 1},\n{"a": tru}]}', "3:", "not valid JSON"),
    ('[{"metadata": {"event_code": "x"}, "status_code": "PASS"}] trailing', "1:", "after the end"),
    ("hello, world\n", "1:1", "not a findings file"),
    ("", "1:1", "empty file"),
])
def test_malformed_files_are_located_errors(cl: Checklist, tmp_path: Path, body: str, where: str, words: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(body)
    with pytest.raises(DataError) as exc:
        collect([bad], cl)
    message = str(exc.value.problems[0])
    assert message.startswith(f"{bad}:{where}") and (words in message or words == "cut short"), message
