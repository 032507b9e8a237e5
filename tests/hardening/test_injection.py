"""Text from any file is inert everywhere it is shown or written.

A team overlay whose control title, guidance and service name carry Rich
markup, an ANSI colour, an OSC 8 hyperlink and HTML, and a project whose
note carries the same: the CLI (show, search, matrix, checklist, with colour
forced on), every export and the app on screen show them as the literal
text, never as style, link, formula, Markdown or HTML structure.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tui.checklist.builder import build_checklist
from tui.checklist.exports import export
from tui.checklist.store import ProjectFile
from tui.cli import main
from tui.kb.loader import load_sources

ESC = "\x1b[31mRED\x1b[0m"
OSC = "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07"
MARKUP = "[bold red]x[/]"
HOSTILE = f"{MARKUP} {ESC} {OSC} <script>alert(1)</script> [a](http://evil.example) =HYPERLINK(\"http://evil\")"
OVERLAY = f"""\
controls:
  - id: iam.evil
    title: {json.dumps(MARKUP + " " + ESC + " " + OSC)}
    owner: customer
    layer: iam
    services: [all]
    domain: iam
    phase: build
    severity: high
    customer_part: configure
    customer: {json.dumps(HOSTILE)}
    sources: [https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html]
    checked: 2026-11-28
"""


@pytest.fixture
def overlay(tmp_path: Path, fixture_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import tui.kb.loader as loader

    monkeypatch.setattr(loader, "shipped_data_dir", lambda: fixture_kb_path)
    d = tmp_path / "team"
    d.mkdir()
    (d / "evil.yaml").write_text(OVERLAY, encoding="utf-8")
    return d


@pytest.fixture
def project(tmp_path: Path, overlay: Path, fixture_kb_path: Path) -> Path:
    kb = load_sources([fixture_kb_path, overlay])
    path = tmp_path / "demo.yaml"
    ProjectFile.create(path, "demo " + MARKUP, ["ec2", "s3"], kb).set_item("iam.evil", status="done", note=HOSTILE)
    return path


def run(*args: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FORCE_COLOR", "1")  # ownit's own styles come out as escapes: data escapes must not
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    assert code == 0, err.getvalue()
    return out.getvalue() + err.getvalue()


def assert_inert(text: str, osc: bool = True) -> None:
    assert "\x1b[31mRED" not in text and "\x1b]8;;http://evil" not in text and "\x07" not in text
    shown = re.sub(r"\x1b\[[0-9;]*m", "", text)  # ownit's own colours
    assert "\\x1b[31mRED" in shown and (not osc or "\\x1b]8;;http://evil.example\\x07click" in shown)  # made visible


@pytest.mark.parametrize("args", [
    ("show", "iam.evil"),
    ("search", "evil"),
    ("search", "kind:control", "RED"),
    ("checklist", "{project}"),
    ("checklist", "{project}", "--json"),
])
def test_cli_output_shows_data_literally(args: tuple[str, ...], overlay: Path, project: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    argv = [a.replace("{project}", str(project)) for a in args]
    text = run(*argv, "--data", str(overlay), monkeypatch=monkeypatch)
    if "--json" in argv:
        data = json.loads(text)
        note = next(i for i in data["items"] if i["id"] == "iam.evil")["note"]
        assert note == HOSTILE and "\x1b" not in text  # exact data, escaped JSON text
        return
    assert_inert(text)
    assert MARKUP in re.sub(r"\x1b\[[0-9;]*m", "", text)  # markup printed, not applied


def test_matrix_service_names_are_literal(tmp_path: Path, overlay: Path, fixture_kb_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    s3 = (fixture_kb_path / "services" / "s3.yaml").read_text()
    (overlay / "s3.yaml").write_text(s3.replace("short: S3", f"short: {json.dumps(MARKUP + ESC)}"), encoding="utf-8")
    text = run("matrix", "ec2", "s3", "--data", str(overlay), monkeypatch=monkeypatch)
    assert_inert(text, osc=False)
    assert MARKUP in text


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


def test_every_export_keeps_file_text_inert(project: Path, overlay: Path, fixture_kb_path: Path) -> None:
    kb = load_sources([fixture_kb_path, overlay])
    cl = build_checklist(ProjectFile.open(project, kb).project, kb)
    out = {fmt: export(cl, fmt) for fmt in ("md", "csv", "json", "html", "oscal")}
    for fmt, body in out.items():
        assert "\x1b" not in body and "\x07" not in body, fmt

    page = _Tags()
    page.feed(out["html"])
    assert not {"script", "img", "iframe"} & set(page.tags)
    # the only links are the knowledge base's source links, which the loader allows only to AWS's own docs
    hrefs = re.findall(r"<a\b[^>]*>", out["html"])
    assert all(re.fullmatch(r'<a href="https://([a-z0-9-]+\.)*aws\.amazon\.com/[^"<>]*">', a) for a in hrefs), hrefs
    assert "<script>alert(1)</script>" in page.text and MARKUP in page.text  # shown as text

    rows = list(csv.DictReader(io.StringIO(out["csv"], newline="")))
    evil = next(r for r in rows if r["id"] == "iam.evil")
    assert evil["title"].startswith(MARKUP) and not any(v.startswith(("=", "+", "-", "@")) for v in evil.values())

    tokens = MarkdownIt("commonmark").enable("table").parse(out["md"])
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert not kinds & {"html_inline", "html_block", "image"}
    links = [c.attrGet("href") for t in tokens for c in (t.children or []) if c.type == "link_open"]
    assert all(re.fullmatch(r"https://([a-z0-9-]+\.)*aws\.amazon\.com/\S*", str(h)) for h in links), links
    assert "](http://evil.example)" not in out["md"].replace("\\]\\(", "")

    assert next(i for i in json.loads(out["json"])["items"] if i["id"] == "iam.evil")["note"] == HOSTILE


async def test_app_shows_markup_and_escapes_as_text(project: Path, overlay: Path, fixture_kb_path: Path) -> None:
    from tui.app.app import OwnitApp
    from tui.app.widgets.checklist_items import ItemList

    kb = load_sources([fixture_kb_path, overlay])
    app = OwnitApp(kb, project=project)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        items = app.screen.query_one(ItemList)
        ids = [items.get_option_at_index(i).id for i in range(items.option_count)]
        items.highlighted = ids.index("iam.evil")
        await pilot.pause()
        prompt = items.get_option_at_index(ids.index("iam.evil")).prompt
        cells = [c for col in getattr(prompt, "columns", ()) for c in col._cells]  # a grid row: rank and mark, title
        plain = "".join(getattr(c, "plain", "") for c in cells) or getattr(prompt, "plain", str(prompt))
        assert MARKUP in plain and "\\x1b[31mRED" in plain and "\x1b" not in plain
        shot = app.export_screenshot()
        assert "\x1b" not in shot
        assert "bold&#160;red]x[/]" in shot or "bold red]x[/]" in shot  # the markup, drawn as characters
        assert "<a " not in shot.split("</style>", 1)[-1]  # no hyperlink made from the OSC 8 sequence
