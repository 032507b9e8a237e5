"""Project files: create, read, round-trip edits, located problems, unknown ids kept."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from tui.checklist.project import MODELINE, is_project_file, load_project, schema_path, validate_project_file
from tui.checklist.store import ProjectFile
from tui.kb.errors import DataError, UsageError

HAND_WRITTEN = """\
# yaml-language-server: $schema=whatever.json
# Our payments service. Reviewed every sprint.
name: payments-api   # the service name
services:
  - ec2   # the API hosts
  - rds
items:
  # decided at the kick-off
  iam.root-mfa: {status: done, note: "hardware keys", by: dana, at: 2026-11-28}
  data.rds-encryption:
    status: accepted-risk   # until the migration
    note: dev only
    x-jira: PAY-12
  iam.renamed-long-ago: {status: done, note: "kept"}
"""


def test_new_file_points_at_the_shipped_schema_without_a_machine_path(project: ProjectFile) -> None:
    from tui.checklist.project import modeline, new_project_text

    assert project.project.services == ("ec2", "rds", "s3") and project.project.items == {}
    assert not any(line.startswith(MODELINE + "/") for line in project.path.read_text().splitlines())
    near = schema_path().parent.parent / "projects"  # a project file beside the schema's folder
    line = modeline(near)
    assert line == f"{MODELINE}../schema/{schema_path().name}"
    assert (near / line[len(MODELINE):]).resolve() == schema_path().resolve() and schema_path().is_file()
    assert modeline(Path(schema_path().anchor)) == ""  # no path that climbs to the root
    assert new_project_text("x", ["s3"], near).splitlines()[0] == line


def test_project_files_match_the_shipped_schema(project: ProjectFile) -> None:
    schema = json.loads(schema_path().read_text())
    project.set_item("iam.root-mfa", status="done", by="dana", at="2026-11-28", ticket="SEC-1")
    project.set_item("data.rds-encryption", status="accepted-risk", note="dev only")
    doc = json.loads(json.dumps(YAML(typ="safe").load(project.path.read_text()), default=str))
    jsonschema.validate(doc, schema)
    doc["items"]["iam.user-mfa"] = {"status": "accepted-risk"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_round_trip_keeps_comments_order_and_unknown_fields(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_text(HAND_WRITTEN)
    pf = ProjectFile.open(path, fixture_kb)
    pf.set_item("iam.user-mfa", status="in-progress", by="lee")
    pf.set_item("data.rds-encryption", note="dev only; prod encrypted")
    text = path.read_text()
    for kept in ("# Our payments service. Reviewed every sprint.", "# the service name", "# the API hosts",
                 "# decided at the kick-off", "# until the migration", "x-jira: PAY-12",
                 'iam.root-mfa: {status: done, note: "hardware keys", by: dana, at: 2026-11-28}',
                 "iam.renamed-long-ago"):
        assert kept in text
    assert text.index("iam.root-mfa") < text.index("data.rds-encryption") < text.index("iam.user-mfa")
    assert "iam.user-mfa: {status: in-progress, by: lee}" in text
    assert load_project(path).project.items["data.rds-encryption"].note == "dev only; prod encrypted"


def test_unknown_control_is_kept_and_flagged(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_text(HAND_WRITTEN)
    pf = ProjectFile.open(path, fixture_kb)
    assert [str(f) for f in pf.loaded.flags] == [f"{path}:14:3: unknown control 'iam.renamed-long-ago' (kept as written)"]
    pf.set_item("iam.root-mfa", status="open")
    assert pf.project.items["iam.renamed-long-ago"].note == "kept"
    assert "iam.renamed-long-ago: {status: done, note: \"kept\"}" in path.read_text()


def test_shorthand_status_and_empty_items(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_text("name: x\nservices: [fargate]\nitems:\n  iam.root-mfa: done\n  iam.user-mfa:\n")
    pf = ProjectFile.open(path, fixture_kb)
    assert pf.project.services == ("ecs.fargate",)  # aliases resolve
    assert pf.project.state("iam.root-mfa").status == "done" and pf.project.state("iam.user-mfa").status == "open"
    pf.set_item("iam.root-mfa", note="yubikeys")
    assert load_project(path).project.items["iam.root-mfa"].note == "yubikeys"


def test_crlf_files_stay_crlf(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_bytes(b"name: x\r\nservices: [ec2]\r\n")
    ProjectFile.open(path, fixture_kb).set_item("iam.root-mfa", status="done")
    data = path.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") and b"iam.root-mfa" in data


@pytest.mark.parametrize("changes, message", [
    ({"status": "accepted-risk"}, "status 'accepted-risk' needs a note saying why"),
    ({"status": "not-applicable", "note": "  "}, "status 'not-applicable' needs a note saying why"),
    ({"status": "dne"}, "unknown status 'dne' (did you mean 'done'?)"),
    ({"due": "next week"}, "'due' 'next week' is not a date (YYYY-MM-DD)"),
    ({"colour": "red"}, "unknown item field(s): colour"),
])
def test_refused_changes_write_nothing(project: ProjectFile, changes: dict[str, str], message: str) -> None:
    before = project.path.read_bytes()
    with pytest.raises(UsageError) as exc:
        project.set_item("iam.root-mfa", **changes)
    assert message in str(exc.value) and project.path.read_bytes() == before


BAD = [
    ("", "1:1: empty project file"),
    ("- a\n- b\n", "1:1: a project file is a mapping with 'name', 'services' and 'items', not a list"),
    ("name: x\nservices: ec2\n", "2:11: 'services' must be a list of service ids"),
    ("services: [ec2]\n", "1:1: 'name' must be a non-empty text"),
    ("name: x\nservices: [ec2]\nitems: [a]\n", "3:8: 'items' must be a mapping of control id to state, not a list"),
    ("name: x\nservices: [ec2]\nitems:\n  iam.root-mfa: {status: dne}\n",
     "4:26: item 'iam.root-mfa': 'status' 'dne' is not one of: open, in-progress, done, not-applicable, accepted-risk (did you mean 'done'?)"),
    ("name: x\nservices: [ec2]\nitems:\n  iam.root-mfa: {status: done, at: yesterday}\n",
     "4:36: item 'iam.root-mfa': 'at' 'yesterday' is not a date (YYYY-MM-DD)"),
    ("name: x\nservices: [ec2]\nitems:\n  iam.root-mfa: {status: done, note: [a]}\n",
     "4:38: item 'iam.root-mfa': 'note' must be a text, not a list"),
    ("name: x\nname: y\nservices: [ec2]\n", "2:1: duplicate key 'name' (first defined on line 1)"),
    ("name: x\nservices: [ec2]\nitems:\n\tiam.root-mfa: done\n", "YAML syntax error"),
    ("name: !!python/object:os.system x\nservices: [ec2]\n", "1:7: tag 'tag:yaml.org,2002:python/object:os.system' is not allowed"),
]
FLAGS = [
    ("name: x\nservices: [ec2, lamda]\n", "2:17: unknown service 'lamda' (did you mean 'lambda'?)"),
    ("name: x\nservices: [ec2]\nitems:\n  iam.root-mfa: {status: accepted-risk}\n",
     "4:26: item 'iam.root-mfa': status 'accepted-risk' needs a note saying why"),
    ("name: x\nservices: [ec2]\nitems:\n  iam.root-mfo: done\n",
     "4:3: unknown control 'iam.root-mfo' (kept as written) (did you mean 'iam.root-mfa'?)"),
    ("name: x\nservices: [ec2]\nitems:\n  iam.root-mfa: {status: done, notes: x}\n",
     "4:32: unknown field 'notes' in item 'iam.root-mfa' (did you mean 'note'?) (kept)"),
    ("name: x\nservices: [ec2]\nitem: {}\n", "3:1: unknown field 'item' (did you mean 'items'?) (kept)"),
]


@pytest.mark.parametrize("text, message", BAD + FLAGS)
def test_problems_are_located(tmp_path: Path, fixture_kb, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_text(text)
    problems = [str(p) for p in validate_project_file(path, fixture_kb)]
    assert any(p.startswith(f"{path}:") and message in p for p in problems), problems


@pytest.mark.parametrize("text, message", BAD)
def test_errors_stop_a_load_but_flags_do_not(tmp_path: Path, fixture_kb, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_text(text)
    with pytest.raises(DataError):
        ProjectFile.open(path, fixture_kb)


@pytest.mark.parametrize("text, message", FLAGS)
def test_flags_load(tmp_path: Path, fixture_kb, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.yaml"
    path.write_text(text)
    assert any(message in str(f) for f in ProjectFile.open(path, fixture_kb).loaded.flags)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("name: x\nservices: [ec2]\n# " + "x" * (3 * 1024 * 1024) + "\n")
    with pytest.raises(DataError, match="the limit is"):
        load_project(path)


def test_is_project_file(tmp_path: Path, fixture_kb_path: Path) -> None:
    p = tmp_path / "p.yaml"
    p.write_text("# c\nname: x\nservices: [ec2]\n")
    assert is_project_file(p)
    assert not is_project_file(fixture_kb_path / "controls.yaml")
    assert not is_project_file(tmp_path / "missing.yaml")
