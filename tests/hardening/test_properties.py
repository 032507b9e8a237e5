"""Property tests: arbitrary text anywhere never crashes ownit, and what it writes reads back.

- the YAML reader and the knowledge-base loader: any text, any value in any
  field, gives a value or a `DataError` (a located problem), nothing else;
- the search query parser and `SearchIndex.search`: results or a
  `UsageError`, and highlighted spans always lie inside the title;
- saving a project: any note, owner, ticket either is refused with a
  `UsageError` (the file untouched) or reads back from disk exactly;
- the checklist builder and every exporter: any project (names, notes,
  unknown ids) exports, and the export parses back to the same items: JSON
  exactly, CSV through `csv`, HTML through `html.parser`, Markdown through a
  CommonMark parser (one list item per checklist item, no links, no HTML).

Example counts are modest (the whole suite runs in CI in a few minutes);
`HYPOTHESIS_PROFILE=thorough` multiplies them by ten.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tui.checklist.builder import Checklist, build_checklist
from tui.checklist.exports import export
from tui.checklist.exports.to_csv import COLUMNS, cell
from tui.checklist.states import ITEM_FIELDS, STATUSES, ItemState, Project
from tui.checklist.store import ProjectFile
from tui.kb.errors import DataError, UsageError
from tui.kb.loader import load_sources
from tui.kb.search import SearchIndex, parse_query
from tui.kb.text import inert
from tui.kb.yamlread import parse

FIXTURE_KB = Path(__file__).parent.parent / "fixtures" / "kb"
SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 1
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.timezone.utc)


def examples(n: int) -> settings:
    return settings(max_examples=n * SCALE, deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


# -- strategies ---------------------------------------------------------------------
# Text that goes where it hurts: YAML and Markdown punctuation, Rich markup, escapes,
# formula starts, line breaks of every kind, surrogates excluded (not encodable).
NASTY = st.sampled_from([
    "[bold red]x[/]", "\x1b[31m", "\x1b]8;;http://x\x07", "<script>", "&amp;", "=1+1", "+", "-", "@", "\t", "\r", "\n",
    "\r\n", "\u2028", "\x85", "\x00", "- [x] ", "# ", "[a](http://x)", "<http://x>", "|", "`", "*", "_", "\\", "'", '"',
    ": ", "#", "&a", "*a", "!!python/object:os.system", "{", "}", "[", "]", "---", "...", "~", "null", "yes", "1e9",
    "2026-02-30", " ", "\ufeff", "\u202e", "é", "😀",
])
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.lists(st.one_of(NASTY, st.text(max_size=5)), max_size=8).map("".join),
)
YAML_TOKENS = st.sampled_from([
    "a", "b", ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "&x ", "*x", "!!python/object/apply:os.system ", "!Ref ",
    "!!binary ", "!!timestamp ", "!!int ", "'", '"', "\\", "\t", "#", "<<: ", "? ", "---\n", "...\n", "%YAML 1.1\n",
    "|", ">", "\ufeff", "\x07", "\x00", "é", "\n", "\n  ", "\n    ", "\r\n", "~", "2026-13-45", "9" * 30, " ",
])
YAML_TEXT = st.one_of(st.text(max_size=60), st.lists(YAML_TOKENS, max_size=40).map("".join))
VALUES: st.SearchStrategy[Any] = st.recursive(
    st.one_of(TEXT, st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.dates()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=6,
)

CONTROL: dict[str, Any] = {
    "id": "iam.team-rule", "title": "A team rule", "owner": "customer", "layer": "iam", "services": ["s3"],
    "domain": "iam", "phase": "build", "severity": "low", "customer_part": "configure", "customer": "Do the thing.",
    "tools": ["guardduty"], "frameworks": {"fsbp": ["S3.1"]},
    "sources": ["https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"], "checked": "2026-11-28",
}


def as_yaml(doc: Any) -> str:
    """Exact YAML for any data (JSON is YAML, once YAML's extra line breaks are escaped).

    Not PyYAML's emitter: it writes `\x85` raw inside quotes, where a reader folds it away.
    """
    return json.dumps(doc, ensure_ascii=False, default=str).replace("\x85", "\\N").replace("\u2028", "\\L").replace("\u2029", "\\P")


# -- the YAML reader and the loader ------------------------------------------------
@examples(300)
@given(YAML_TEXT)
def test_yaml_reader_gives_a_value_or_a_located_problem(text: str) -> None:
    try:
        parse(text, "f.yaml")
    except DataError as exc:
        assert exc.problems and all(p.path == "f.yaml" and p.line >= 1 and p.column >= 1 for p in exc.problems)


@examples(80)
@given(st.dictionaries(st.sampled_from([*CONTROL, "unknown", "aws", "default", "evidence"]), VALUES, min_size=1, max_size=4),
       st.booleans())
def test_any_value_in_any_control_field_is_a_problem_or_loads(changes: dict[str, Any], drop: bool) -> None:
    record = {k: v for k, v in CONTROL.items() if not (drop and k in changes)} if drop else {**CONTROL, **changes}
    text = as_yaml({"controls": [record]})
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "team.yaml").write_text(text, encoding="utf-8")
        try:
            kb = load_sources([FIXTURE_KB, Path(tmp)])
        except DataError as exc:
            assert exc.problems and all(p.line >= 1 and p.column >= 1 for p in exc.problems)
            return
    if isinstance(record.get("id"), str) and record["id"] in kb.controls:
        c = kb.controls[record["id"]]
        assert c.title == str(record["title"])  # what loads is what was written


@examples(60)
@given(st.sampled_from(["services", "tools", "layers", "frameworks"]), st.lists(VALUES, min_size=1, max_size=2))
def test_any_record_of_any_kind_is_a_problem_or_loads(kind: str, records: list[Any]) -> None:
    text = as_yaml({kind: records})
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "team.yaml").write_text(text, encoding="utf-8")
        try:
            load_sources([FIXTURE_KB, Path(tmp)])
        except DataError as exc:
            assert exc.problems


# -- search --------------------------------------------------------------------------
QUERY = st.one_of(
    TEXT,
    st.lists(st.one_of(
        st.sampled_from(["owner:", "service:", "layer:", "domain:", "kind:", "tool:", "fsbp:", "ownr:", "phase:", ":", ","]),
        st.sampled_from(["customer", "aws", "s3", "lamda", "iam", "control,service", "mfa", "encrpyt", "(", "1.1"]),
        TEXT,
    ), max_size=6).map(lambda parts: " ".join(parts)),
)


@pytest.fixture(scope="module")
def index(fixture_kb) -> SearchIndex:  # type: ignore[no-untyped-def]
    return SearchIndex(fixture_kb)


@examples(400)
@given(QUERY, st.one_of(st.none(), st.integers(0, 5)))
def test_search_gives_hits_or_a_usage_error(index: SearchIndex, fixture_kb, query: str, limit: int | None) -> None:  # type: ignore[no-untyped-def]
    try:
        parse_query(query, fixture_kb)
        hits = index.search(query, limit=limit)
    except UsageError as exc:
        assert str(exc)
        return
    assert limit is None or limit == 0 or len(hits) <= limit
    for h in hits:
        assert all(0 <= a < b <= len(h.title) for a, b in h.spans), (h.title, h.spans)


# -- saving a project: nothing a user types is lost ---------------------------------
@examples(120)
@given(st.sampled_from(STATUSES), TEXT, TEXT, TEXT)
def test_a_saved_item_reads_back_exactly_or_is_refused(fixture_kb, status: str, note: str, by: str, ticket: str) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.yaml"
        pf = ProjectFile.create(path, "p", ["ec2", "s3"], fixture_kb)
        before = path.read_bytes()
        try:
            pf.set_item("iam.root-mfa", status=status, note=note, by=by, ticket=ticket)
        except UsageError:
            assert path.read_bytes() == before  # refused: nothing written
            return
        back = ProjectFile.open(path, fixture_kb).project.state("iam.root-mfa")
        assert back == ItemState(status=status, note=note, by=by, ticket=ticket)


# -- the builder and every exporter --------------------------------------------------
def states() -> st.SearchStrategy[ItemState]:
    return st.builds(ItemState, st.sampled_from(STATUSES), TEXT, TEXT, st.sampled_from(["", "2026-11-28"]),
                     st.sampled_from(["", "2027-01-31"]), TEXT)


CONTROL_IDS = ["iam.root-mfa", "iam.user-mfa", "data.s3-block-public-access", "network.ec2-restrict-ssh", "data.rds-encryption"]
PROJECTS = st.builds(
    Project,
    name=TEXT,
    services=st.lists(st.sampled_from(["ec2", "rds", "s3", "lambda", "ecs.fargate", "nosuch"]), unique=True, max_size=4).map(tuple),
    items=st.dictionaries(st.one_of(st.sampled_from(CONTROL_IDS), TEXT), states(), max_size=5),
)


class _Cells(HTMLParser):
    """The text of every `<td class="note">` (the exported note, unescaped by the parser)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.notes: list[str] = []
        self.tags: list[str] = []
        self._in: bool = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "td" and ("class", "note") in attrs:
            self._in = True
            self.notes.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.notes[-1] += data


def _inline_text(tokens: list[Any]) -> str:
    return "".join(t.content for t in tokens if t.type in ("text", "text_special", "code_inline"))


@examples(120)
@given(PROJECTS)
def test_every_export_parses_back_to_the_same_items(fixture_kb, project: Project) -> None:  # type: ignore[no-untyped-def]
    assume(all(k.strip() for k in project.items))
    cl: Checklist = build_checklist(project, fixture_kb)
    items = [*cl.items, *cl.extra]
    out = {fmt: export(cl, fmt, NOW) for fmt in ("json", "csv", "html", "md", "oscal")}
    for body in out.values():
        assert "\x1b" not in body and "\x07" not in body

    data = json.loads(out["json"])
    back = [*data["items"], *data["extra"]]
    assert [(r["id"], *(r[k] for k in ITEM_FIELDS)) for r in back] == [(i.id, *(getattr(i.state, k) for k in ITEM_FIELDS)) for i in items]
    assert data["project"]["name"] == project.name
    json.loads(out["oscal"])

    rows = list(csv.reader(io.StringIO(out["csv"], newline="")))
    assert tuple(rows[0]) == COLUMNS
    body_rows = rows[1 : 1 + len(items)]
    assert len(rows) == 1 + len(items) + len(cl.inherited)
    for row, it in zip(body_rows, items, strict=True):
        rec = dict(zip(COLUMNS, row, strict=True))
        assert rec["id"] == cell(it.id) and rec["status"] == it.status
        for k in ("note", "by", "ticket"):
            value = getattr(it.state, k)
            assert rec[k] == cell(value)
            assert not rec[k].startswith(("=", "+", "-", "@", "\t", "\r"))
            if inert(value) == value and not value.startswith(("=", "+", "-", "@", "\t", "\r")):
                assert rec[k] == value  # plain text comes back exactly

    cells = _Cells()
    cells.feed(out["html"])
    assert "script" not in cells.tags and "img" not in cells.tags  # links: only the KB's AWS source links
    risks = [i for i in items if i.status == "accepted-risk"]
    assert sorted(cells.notes) == sorted([inert(i.state.note) for i in items] + [inert(i.state.note) for i in risks])

    tokens = MarkdownIt("commonmark").enable("table").parse(out["md"])
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert not kinds & {"image", "html_inline", "html_block", "code_block", "fence", "hr"}, kinds
    links = [c.attrGet("href") for t in tokens for c in (t.children or []) if c.type == "link_open"]
    assert all(str(h).startswith(("https://docs.aws.amazon.com/", "https://aws.amazon.com/")) for h in links), links
    top_items = [i for i, t in enumerate(tokens) if t.type == "list_item_open" and t.level in (1,)]
    task_lines = [ln for ln in out["md"].splitlines() if ln.startswith(("- [x] ", "- [ ] "))]
    assert len(task_lines) == len(items)
    assert len(top_items) == len(items) + len(cl.inherited)
    notes_back = [
        _inline_text(tokens[j + 2].children or [])[len("Note: "):]
        for j, t in enumerate(tokens)
        if t.type == "list_item_open" and t.level == 3 and tokens[j + 2].content.startswith("Note: ")
    ]
    assert notes_back == [inert(" ".join(i.state.note.split())) for i in items if i.state.note.strip()]
