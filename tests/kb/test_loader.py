"""Loading and validating knowledge-base files: every problem, located, with a suggestion."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tui.kb.errors import DataError
from tui.kb.loader import load_kb, load_sources

CONTROL = """\
controls:
  - id: iam.team-rule
    title: A team rule
    owner: customer
    layer: iam
    services: [s3]
    domain: iam
    phase: build
    severity: low
    customer_part: configure
    customer: Do the thing.
    sources: [https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html]
    checked: 2026-11-28
"""


def overlay_problems(tmp_path: Path, fixture_kb_path: Path, text: str, name: str = "team.yaml") -> list[str]:
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_sources([fixture_kb_path, tmp_path])
    return [str(p).replace(str(tmp_path) + "/", "") for p in exc.value.problems]


BAD = [
    ("yaml syntax", CONTROL.replace("title: A team rule", "title: [unclosed"), "team.yaml:4:10: YAML syntax error"),
    ("duplicate key", CONTROL.replace("    domain: iam\n", "    domain: iam\n    domain: data\n"),
     "team.yaml:8:5: duplicate key 'domain' (first defined on line 7)"),
    ("python tag", CONTROL.replace("title: A team rule", "title: !!python/object/apply:os.system [ls]"),
     "team.yaml:3:12: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    ("unknown field", CONTROL.replace("    phase: build\n", "    phase: build\n    severty: low\n"),
     "team.yaml:9:5: unknown field 'severty' in control (did you mean 'severity'?)"),
    ("bad owner", CONTROL.replace("owner: customer", "owner: customr"),
     "team.yaml:4:12: 'owner' 'customr' is not one of: aws, customer, shared (did you mean 'customer'?)"),
    ("bad layer", CONTROL.replace("layer: iam", "layer: guestos"),
     "team.yaml:5:12: 'layer' 'guestos' is not one of:"),
    ("wrong type", CONTROL.replace("services: [s3]", "services: {s3: 1}"),
     "team.yaml:6:15: 'services' must be a list, not a mapping"),
    ("dangling service", CONTROL.replace("services: [s3]", "services: [lamda]"),
     "team.yaml:2:5: control 'iam.team-rule' names unknown service 'lamda' (did you mean 'lambda'?)"),
    ("dangling tool", CONTROL.replace("    customer: Do", "    tools: [guarduty]\n    customer: Do"),
     "team.yaml:2:5: control 'iam.team-rule' names unknown tool 'guarduty' (did you mean 'guardduty'?)"),
    ("no source", CONTROL.replace("    sources: [https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html]\n", ""),
     "team.yaml:2:5: control is missing required field 'sources'"),
    ("non-aws source", CONTROL.replace("https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html", "https://example.com/x"),
     "team.yaml:12:15: item of 'sources' 'https://example.com/x' must be an https URL on docs.aws.amazon.com or aws.amazon.com"),
    ("bad framework id", CONTROL.replace("    customer: Do", "    frameworks: {fsbp: [S3.99]}\n    customer: Do"),
     "team.yaml:2:5: control 'iam.team-rule' cites fsbp 'S3.99', which is not in the fsbp catalog"),
    ("id not led by domain", CONTROL.replace("id: iam.team-rule", "id: data.team-rule"),
     "team.yaml:2:9: control id 'data.team-rule' must start with its domain: 'iam.<short-name>'"),
    ("shared without aws half", CONTROL.replace("owner: customer", "owner: shared"),
     "team.yaml:2:5: control 'iam.team-rule' is shared-owned: say what AWS does in 'aws'"),
    ("list at top", "- a\n- b\n", "team.yaml:1:1: a knowledge-base file must be a mapping"),
    ("empty file", "", "team.yaml:1:1: the file is empty"),
    ("unknown top key", "servces: []\n", "team.yaml:1:1: unknown top-level key 'servces' (did you mean 'services'?)"),
    ("duplicate title", CONTROL.replace("title: A team rule", "title: Turn on MFA for the root user"),
     "team.yaml:2:5: control 'iam.team-rule' has the same title as control 'iam.root-mfa'"),
]


@pytest.mark.parametrize(("text", "expected"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_overlay_is_reported_with_location(tmp_path: Path, fixture_kb_path: Path, text: str, expected: str) -> None:
    msgs = overlay_problems(tmp_path, fixture_kb_path, text)
    assert any(m.startswith(expected) for m in msgs), msgs


def test_service_missing_a_layer(tmp_path: Path, fixture_kb_path: Path) -> None:
    text = (fixture_kb_path / "services" / "s3.yaml").read_text().replace("    guest-os: aws\n", "")
    msgs = overlay_problems(tmp_path, fixture_kb_path, text)
    assert any("layer 'guest-os' has no owner (every service gives all 15)" in m for m in msgs), msgs


def test_shared_layer_needs_both_halves(tmp_path: Path, fixture_kb_path: Path) -> None:
    text = (fixture_kb_path / "services" / "s3.yaml").read_text().replace("guest-os: aws", "guest-os: shared")
    msgs = overlay_problems(tmp_path, fixture_kb_path, text)
    assert any("layer 'guest-os' is shared: write it as a mapping" in m for m in msgs), msgs


def test_duplicate_ids_in_one_source(tmp_path: Path, fixture_kb_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(CONTROL)
    (tmp_path / "b.yaml").write_text(CONTROL.replace("A team rule", "Another rule"))
    with pytest.raises(DataError) as exc:
        load_sources([fixture_kb_path, tmp_path])
    assert any("duplicate control id 'iam.team-rule' (also defined at" in str(p) for p in exc.value.problems)


def test_all_problems_reported_together(tmp_path: Path, fixture_kb_path: Path) -> None:
    text = CONTROL.replace("owner: customer", "owner: nobody").replace("layer: iam", "layer: nowhere")
    msgs = overlay_problems(tmp_path, fixture_kb_path, text)
    assert len([m for m in msgs if "is not one of" in m]) == 2


def test_overlay_adds_and_replaces_records(tmp_path: Path, fixture_kb_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(CONTROL + CONTROL.replace("iam.team-rule", "iam.root-mfa").replace("A team rule", "Root MFA, our way").replace("controls:\n", ""))
    kb = load_sources([fixture_kb_path, tmp_path])
    assert kb.controls["iam.team-rule"].title == "A team rule"
    assert kb.controls["iam.root-mfa"].title == "Root MFA, our way"


def test_user_data_dir_and_data_flag_precedence(tmp_path: Path, fixture_kb_path: Path, isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.kb.loader as loader

    monkeypatch.setattr(loader, "shipped_data_dir", lambda: fixture_kb_path)
    user = isolated_user_dirs / "data" / "ownit" / "data"
    user.mkdir(parents=True)
    (user / "mine.yaml").write_text(CONTROL.replace("A team rule", "From the user dir"))
    assert load_kb(use_cache=False).controls["iam.team-rule"].title == "From the user dir"
    flag = tmp_path / "flag"
    flag.mkdir()
    (flag / "x.yaml").write_text(CONTROL.replace("A team rule", "From --data"))
    assert load_kb([flag], use_cache=False).controls["iam.team-rule"].title == "From --data"
    assert "iam.team-rule" not in load_kb(include_user=False, use_cache=False).controls


def test_cache_is_invalidated_by_any_change(tmp_path: Path, fixture_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import tui.kb.loader as loader

    monkeypatch.setattr(loader, "shipped_data_dir", lambda: fixture_kb_path)
    overlay = tmp_path / "o"
    overlay.mkdir()
    f = overlay / "x.yaml"
    f.write_text(CONTROL)
    assert load_kb([overlay]).controls["iam.team-rule"].title == "A team rule"
    f.write_text(CONTROL.replace("A team rule", "Changed"))
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert load_kb([overlay]).controls["iam.team-rule"].title == "Changed"


def test_corrupt_cache_is_ignored(tmp_path: Path, fixture_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.kb.loader as loader
    from tui.kb import cache

    monkeypatch.setattr(loader, "shipped_data_dir", lambda: fixture_kb_path)
    load_kb(include_user=False)
    for p in cache.cache_dir().glob("kb-*.pickle"):
        p.write_bytes(b"not a pickle")
    assert "iam.root-mfa" in load_kb(include_user=False).controls


def test_shipped_knowledge_base_is_valid() -> None:
    from tui.kb.crossref import coverage_problems

    kb = load_kb(include_user=False, use_cache=False)
    assert coverage_problems(kb) == []


def test_layer_sources_are_checked_like_record_sources(tmp_path: Path, fixture_kb_path: Path) -> None:
    text = (fixture_kb_path / "services" / "s3.yaml").read_text().replace(
        "    guest-os: aws\n", "    guest-os: {owner: aws, sources: [https://example.com/page]}\n")
    assert text.count("https://example.com/page") == 1
    msgs = overlay_problems(tmp_path, fixture_kb_path, text)
    assert any("item of 'sources' 'https://example.com/page' must be an https URL on docs.aws.amazon.com" in m for m in msgs), msgs


def test_layer_sources_load(tmp_path: Path, fixture_kb_path: Path) -> None:
    url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security.html"
    text = (fixture_kb_path / "services" / "s3.yaml").read_text().replace(
        "    guest-os: aws\n", f"    guest-os: {{owner: aws, sources: [{url}]}}\n")
    (tmp_path / "s3.yaml").write_text(text)
    kb = load_sources([fixture_kb_path, tmp_path])
    assert kb.services["s3"].layers["guest-os"].sources == (url,)
