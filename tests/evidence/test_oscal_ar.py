"""The scanner evidence as OSCAL assessment results (`ownit export --format oscal-ar`), validated with trestle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.evidence.test_cli_evidence import FIXTURES, project, run  # noqa: F401  (the fixture)

trestle = pytest.importorskip("trestle.oscal.assessment_results")


def _ar(capsys: pytest.CaptureFixture[str], path: Path) -> dict:  # type: ignore[type-arg]
    code, out, err = run(capsys, "export", str(path), "--format", "oscal-ar")
    assert code == 0, err
    data = json.loads(out)
    trestle.AssessmentResults.parse_obj(data["assessment-results"])  # raises on any schema violation
    return data["assessment-results"]  # type: ignore[no-any-return]


def test_evidence_becomes_observations_and_findings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    run(capsys, "evidence", str(project), str(FIXTURES / "securityhub-consolidated.json"), str(FIXTURES / "prowler-ocsf.json"))
    ar = _ar(capsys, project)
    assert ar["metadata"]["oscal-version"] == "1.1.2"
    plan = ar["import-ap"]["href"]
    assert plan.startswith("#") and ar["back-matter"]["resources"][0]["uuid"] == plan[1:]
    (result,) = ar["results"]
    assert result["start"].startswith("2026-11-")
    tools = {c["uuid"]: c["title"] for c in result["local-definitions"]["components"]}
    assert set(tools.values()) == {"Security Hub CSPM", "Prowler"}
    inventory = {i["uuid"]: i for i in result["local-definitions"]["inventory-items"]}
    obs = {o["uuid"]: o for o in result["observations"]}
    assert all(o["methods"] == ["TEST"] for o in obs.values())
    assert all(o["origins"][0]["actors"][0]["actor-uuid"] in tools for o in obs.values())
    findings = {f["target"]["target-id"]: f for f in result["findings"]}

    s3 = findings["data.s3-bucket-block-public-access"]
    assert s3["target"]["type"] == "objective-id"
    assert s3["target"]["status"]["state"] == "not-satisfied"
    props = {(p["name"], p["value"]) for p in s3["props"]}
    assert ("evidence-state", "contradicted") in props and ("ownit-status", "done") in props
    related = [obs[r["observation-uuid"]] for r in s3["related-observations"]]  # every link resolves
    assert len(related) == 2
    subjects = [inventory[s["subject-uuid"]] for o in related for s in o.get("subjects", [])]
    assets = {p["value"] for i in subjects for p in i.get("props", []) if p["name"] == "asset-id"}
    assert "arn:aws:s3:::media-uploads" in assets
    assert any("S3.8" in e["description"] for o in related for e in o["relevant-evidence"])

    imds = findings["compute.ec2-imdsv2"]
    assert imds["target"]["status"]["state"] == "satisfied"
    assert ("evidence-state", "looks-done") in {(p["name"], p["value"]) for p in imds["props"]}
    selected = {c["control-id"] for c in result["reviewed-controls"]["control-selections"][0]["include-controls"]}
    assert selected and all(c == c.lower() for c in selected)


def test_without_evidence_the_document_is_still_valid(project: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    ar = _ar(capsys, project)
    (result,) = ar["results"]
    assert "observations" not in result and "findings" not in result and "ownit evidence" in result["remarks"]


def test_hostile_resource_names_stay_data(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    finding = json.loads((FIXTURES / "prowler-ocsf.json").read_text())[0]
    finding["resources"][0]["uid"] = "<script>x</script> **bold** [l](javascript:x)\n  spaced "
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps([finding]))
    assert run(capsys, "evidence", str(project), str(hostile))[0] == 0
    ar = _ar(capsys, project)
    items = ar["results"][0]["local-definitions"]["inventory-items"]
    text = " ".join(i["description"] for i in items)  # markup: escaped; props are plain values
    assert "<script>" not in text and "**bold**" not in text and r"\[l\](javascript" in text
    assert all(p["name"] != "asset-id" for i in items for p in i.get("props", []))  # an asset id has no spaces
