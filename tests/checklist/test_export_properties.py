"""Property tests: any text in any field of a project never breaks an export or adds structure."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.checklist.builder import build_checklist
from tui.checklist.exports import FORMATS, export
from tui.checklist.exports.to_csv import cell
from tui.checklist.states import STATUSES, ItemState, Project

NOW = dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
STATES = st.builds(
    lambda status, note, by, ticket: ItemState(status, note=note or "why", by=by, ticket=ticket),
    st.sampled_from(STATUSES), TEXT, TEXT, TEXT,
)
IDS = st.one_of(st.sampled_from(["iam.root-mfa", "iam.user-mfa", "data.rds-encryption", "compute.lambda-supported-runtime"]),
                TEXT.filter(bool))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)


HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "table", "tr", "th", "td",
             "strong", "code", "br", "div", "dl", "dt", "dd", "a"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT.filter(str.strip), items=st.dictionaries(IDS, STATES, max_size=5))
def test_any_text_exports_cleanly(fixture_kb, name: str, items: dict[str, ItemState]) -> None:  # type: ignore[no-untyped-def]
    cl = build_checklist(Project(name, ("ec2", "rds"), items), fixture_kb)
    out = {fmt: export(cl, fmt, NOW) for fmt in FORMATS}
    for fmt, text in out.items():
        assert "\x1b" not in text and "\x9b" not in text, fmt

    data = json.loads(out["json"])  # parses back to the same items
    back = {i["id"]: i for i in data["items"] + data["extra"]}
    assert data["project"]["name"] == name
    for cid, state in items.items():
        assert (back[cid]["status"], back[cid]["note"], back[cid]["by"], back[cid]["ticket"]) == (
            state.status, state.note, state.by, state.ticket)

    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out["csv"], newline=""))}
    for cid, state in items.items():
        assert rows[cell(cid)]["note"] == cell(state.note)

    tasks = [line for line in out["md"].splitlines() if re.match(r"^(  )?- \[[ x]\] ", line)]
    assert len(tasks) == len(cl.items) + len(cl.extra)  # a note never adds or closes a list item
    assert not [line for line in out["md"].splitlines() if line.startswith("#") and not line.startswith(("# Security", "## ", "### "))]

    p = _Tags()
    p.feed(out["html"])
    assert p.tags <= HTML_TAGS
    json.loads(out["oscal"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=TEXT, by=TEXT, ticket=TEXT)
def test_any_note_round_trips_through_the_file(tmp_path_factory, fixture_kb, note: str, by: str, ticket: str) -> None:  # type: ignore[no-untyped-def]
    from tui.checklist.project import load_project
    from tui.checklist.store import ProjectFile

    path = tmp_path_factory.mktemp("p") / "p.yaml"
    pf = ProjectFile.create(path, "p", ["ec2"], fixture_kb)
    pf.set_item("iam.root-mfa", status="done", note=note, by=by, ticket=ticket)
    got = load_project(path).project.items["iam.root-mfa"]
    assert (got.note, got.by, got.ticket) == (note, by, ticket)
