"""The Checklist screen: marks and notes land on disk at once; edits behind its back are noticed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Select, TextArea

from tui.app.app import OwnitApp
from tui.app.screens.checklist import ChecklistScreen
from tui.app.screens.checklist_modals import FormatPicker, NoteEditor, ServicesPicker
from tui.app.screens.item_fields import BaselineEditor, ItemFields
from tui.app.widgets.checklist_items import ItemList
from tui.checklist.project import load_project
from tui.checklist.store import ProjectFile
from tui.kb.knowledge import KnowledgeBase

HOSTILE = '<script>x</script> =HYPERLINK("x") [red]red[/red] \x1b[31mred'
SIZE = (120, 40)


@pytest.fixture
def project(tmp_path: Path, fixture_kb: KnowledgeBase) -> Path:
    path = tmp_path / "demo.yaml"
    ProjectFile.create(path, "demo", ["ec2", "rds", "s3"], fixture_kb)
    return path


def screen_of(app: OwnitApp) -> ChecklistScreen:
    assert isinstance(app.screen, ChecklistScreen)
    return app.screen


def on_disk(path: Path) -> dict[str, tuple[str, str]]:
    return {k: (v.status, v.note) for k, v in load_project(path).project.items.items()}


async def goto(app: OwnitApp, pilot, item_id: str) -> None:  # type: ignore[no-untyped-def]
    items = screen_of(app).query_one(ItemList)
    ids = [items.get_option_at_index(i).id for i in range(items.option_count)]
    items.highlighted = ids.index(item_id)
    await pilot.pause()


async def write_note(app: OwnitApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the open note editor and save with ctrl+s."""
    assert isinstance(app.screen, NoteEditor)
    app.screen.query_one(TextArea).text = text
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_opens_the_project_directly(make_app: Callable[..., OwnitApp], project: Path) -> None:
    app = make_app(project=project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        assert screen.checklist is not None and screen.checklist.project.name == "demo"
        assert screen.query_one(ItemList).current_id == screen.checklist.items[0].id
        assert "workload ░░░░░░░░░░░░░░░░░░░░ 0/8 resolved" in str(screen.query_one("#checklist-progress").render())


async def test_marks_and_notes_are_saved_at_once(make_app: Callable[..., OwnitApp], project: Path) -> None:
    app = make_app(project=project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(app, pilot, "iam.root-mfa")
        await pilot.press("d")
        assert on_disk(project) == {"iam.root-mfa": ("done", "")}
        await pilot.press("e")
        await write_note(app, pilot, "hardware keys")
        assert on_disk(project) == {"iam.root-mfa": ("done", "hardware keys")}
        await goto(app, pilot, "iam.user-mfa")
        await pilot.press("i")
        assert on_disk(project)["iam.user-mfa"] == ("in-progress", "")
        await pilot.press("u")
        assert on_disk(project)["iam.user-mfa"] == ("open", "")
        assert load_project(project).project.items["iam.root-mfa"].at  # when and who are recorded


async def test_accepted_risk_asks_why_and_cancel_writes_nothing(make_app: Callable[..., OwnitApp], project: Path) -> None:
    app = make_app(project=project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(app, pilot, "data.rds-encryption")
        before = project.read_bytes()
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape")
        await pilot.pause()
        assert project.read_bytes() == before
        await pilot.press("a")
        await write_note(app, pilot, "dev only")
        assert on_disk(project) == {"data.rds-encryption": ("accepted-risk", "dev only")}
        await goto(app, pilot, "network.ec2-restrict-ssh")
        await pilot.press("n")
        await write_note(app, pilot, "no SSH at all")
        assert on_disk(project)["network.ec2-restrict-ssh"] == ("not-applicable", "no SSH at all")


async def test_edit_behind_its_back_is_noticed(make_app: Callable[..., OwnitApp], project: Path,
                                               fixture_kb: KnowledgeBase) -> None:
    app = make_app(project=project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ProjectFile.open(project, fixture_kb).set_item("iam.user-mfa", status="done", note="by a teammate")
        screen = screen_of(app)
        screen.check_disk()  # what the 1-second timer does
        await pilot.pause()
        assert screen.checklist is not None and screen.checklist.project.state("iam.user-mfa").status == "done"
        assert any("changed on disk: reloaded" in n.message for n in app._notifications)
        await goto(app, pilot, "iam.root-mfa")
        await pilot.press("d")  # our change merges with theirs
        assert on_disk(project) == {"iam.user-mfa": ("done", "by a teammate"), "iam.root-mfa": ("done", "")}


async def test_conflicting_note_is_not_lost(make_app: Callable[..., OwnitApp], project: Path,
                                            fixture_kb: KnowledgeBase) -> None:
    app = make_app(project=project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(app, pilot, "iam.root-mfa")
        await pilot.press("e")
        ProjectFile.open(project, fixture_kb).set_item("iam.root-mfa", note="theirs")  # while our editor is open
        await write_note(app, pilot, "mine")
        assert on_disk(project)["iam.root-mfa"] == ("open", "theirs")  # not overwritten silently
        assert isinstance(app.screen, NoteEditor) and app.screen.query_one(TextArea).text == "mine"
        await pilot.press("ctrl+s")  # now, knowingly
        await pilot.pause()
        assert on_disk(project)["iam.root-mfa"] == ("open", "mine")


async def test_broken_file_on_disk_is_reported_not_overwritten(make_app: Callable[..., OwnitApp], project: Path) -> None:
    app = make_app(project=project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        project.write_text("name: x\nservices: [ec2\n")
        screen_of(app).check_disk()
        await goto(app, pilot, "iam.root-mfa")
        await pilot.press("d")
        await pilot.pause()
        assert project.read_text() == "name: x\nservices: [ec2\n"
        assert any("Not saved" in n.message or "has errors" in n.message for n in app._notifications)


async def test_hostile_note_is_shown_as_text(make_app: Callable[..., OwnitApp], project: Path,
                                             fixture_kb: KnowledgeBase) -> None:
    ProjectFile.open(project, fixture_kb).set_item("iam.root-mfa", status="done", note=HOSTILE)
    app = make_app(project=project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(app, pilot, "iam.root-mfa")
        screen = screen_of(app)
        shown = screen.query_one("#checklist-detail").markdown
        assert "\x1b" not in shown and "\\[red\\]" in shown and "\\<script\\>" in shown
        await pilot.press("e")
        assert app.screen.query_one(TextArea).text == HOSTILE  # edited exactly as stored


async def test_filters(make_app: Callable[..., OwnitApp], project: Path, fixture_kb: KnowledgeBase) -> None:
    ProjectFile.open(project, fixture_kb).set_item("iam.root-mfa", status="done")
    app = make_app(project=project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await pilot.press("o")
        await pilot.pause()
        assert screen.query_one("#filter-open", Checkbox).value
        assert "iam.root-mfa" not in {i.id for i in screen.shown_items()}
        screen.query_one("#filter-scope").value = "baseline"
        await pilot.pause()
        assert {i.scope for i in screen.shown_items()} == {"baseline"}
        screen.query_one("#filter-scope", Select).clear()
        level = screen.shown_items()[-1].level
        screen.query_one("#filter-priority").value = level
        await pilot.pause()
        shown = screen.shown_items()
        assert shown and {i.level for i in shown} == {level}


async def test_team_due_ticket_and_baseline_keys(make_app: Callable[..., OwnitApp], project: Path,
                                                 fixture_kb: KnowledgeBase) -> None:
    app = make_app(project=project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        first = screen.query_one(ItemList).current_id
        await pilot.press("t")
        assert isinstance(app.screen, ItemFields)
        app.screen.query_one("#form-team", Input).value = "payments"
        app.screen.query_one("#form-due", Input).value = "next week"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ItemFields)  # a bad date is refused, nothing saved
        app.screen.query_one("#form-due", Input).value = "2027-01-31"
        app.screen.query_one("#form-ticket", Input).value = "SEC-1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        state = load_project(project).project.state(first)
        assert (state.team, state.due, state.ticket) == ("payments", "2027-01-31", "SEC-1")
        await pilot.press("b")
        assert isinstance(app.screen, BaselineEditor)
        app.screen.query_one("#form-inherited_from", Input).value = "acme-landing-zone"
        await pilot.press("enter")
        await pilot.pause()
        assert load_project(project).project.baseline.inherited_from == "acme-landing-zone"
        assert "inherited from acme-landing-zone" in str(screen.query_one("#checklist-progress").render())


async def test_services_and_export(make_app: Callable[..., OwnitApp], project: Path) -> None:
    app = make_app(project=project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        assert isinstance(app.screen, ServicesPicker)
        app.screen.dismiss(["ec2", "lambda"])
        await pilot.pause()
        assert load_project(project).project.services == ("ec2", "lambda")
        assert "compute.lambda-supported-runtime" in {i.id for i in screen_of(app).checklist.items}  # type: ignore[union-attr]
        await pilot.press("x")
        assert isinstance(app.screen, FormatPicker)
        app.screen.dismiss("md")
        await pilot.pause()
        out = project.with_name("demo-checklist.md")
        assert out.is_file() and out.read_text().startswith("# Security checklist: demo")


async def test_no_project(app: OwnitApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await pilot.pause()
        screen = screen_of(app)
        assert screen.pf is None and "ownit init" in str(screen.query_one("#checklist-title").render())
        await pilot.press("d")  # nothing to mark: no crash


async def test_narrow_layout(make_app: Callable[..., OwnitApp], project: Path) -> None:
    app = make_app(project=project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        from tui.app.screens.detail import DetailScreen

        assert isinstance(app.screen, DetailScreen)


async def test_sub_checks_fold_under_their_parent_and_c_shows_them(tmp_path: Path, fixture_kb_path: Path) -> None:
    from tui.app.app import OwnitApp
    from tui.kb.loader import load_sources

    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "controls.yaml").write_text(
        "controls:\n"
        "- id: iam.user-mfa\n  title: Require MFA for console users\n  owner: customer\n  layer: iam\n"
        "  services: [all]\n  domain: iam\n  phase: build\n  severity: high\n  parent: iam.root-mfa\n"
        "  customer_part: configure\n  customer: Require MFA for every IAM user with a password.\n"
        "  sources: [https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html]\n"
        "  checked: 2026-11-28\n")
    kb = load_sources([fixture_kb_path, overlay])
    path = tmp_path / "demo.yaml"
    path.write_text("name: demo\nservices: [ec2, s3]\nitems: {}\n")
    app = OwnitApp(kb, project=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("6")
        await pilot.pause()
        screen = screen_of(app)
        items = screen.query_one(ItemList)

        def ids() -> list[str]:
            return [str(items.get_option_at_index(i).id) for i in range(items.option_count)]

        assert "iam.root-mfa" in ids() and "iam.user-mfa" not in ids()  # folded under its parent
        await pilot.press("c")
        await pilot.pause()
        assert ids().index("iam.user-mfa") == ids().index("iam.root-mfa") + 1
        items.highlighted = ids().index("iam.root-mfa")
        await pilot.press("d")
        await pilot.pause()
        assert screen.checklist is not None and screen.checklist.item("iam.user-mfa").status == "done"  # type: ignore[union-attr]
        assert "iam.user-mfa" not in load_project(path).project.items  # taken from its parent, not written


async def test_wrapped_rows_keep_every_line_after_a_refresh(tmp_path: Path) -> None:
    """Each row is measured at the width it is drawn at (a scrollbar appearing later used to cut lines)."""
    from tui.app.app import OwnitApp
    from tui.kb.loader import load_sources, shipped_data_dir

    path = tmp_path / "web.yaml"
    path.write_text("name: web\nservices: [ec2, autoscaling, elb.alb, rds.postgresql, s3, cloudfront]\nitems: {}\n")
    app = OwnitApp(load_sources([shipped_data_dir()]), project=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await pilot.press("c", "d", "down", "d")
        await pilot.pause()
        items = screen.query_one(ItemList)
        style = items.get_visual_style("option-list--option")
        wrapped = 0
        for index in range(items.option_count):
            option = items.get_option_at_index(index)
            drawn = len(items._get_option_render(option, style))
            assert items._line_cache.heights[index] == drawn, (index, option.id)
            wrapped += drawn > 1
        assert wrapped  # the test means something: some rows do wrap at this width


async def test_evidence_filter_fits_80_columns(make_app: Callable[..., OwnitApp], project: Path,
                                               fixture_kb: KnowledgeBase) -> None:
    """The filter bar's evidence Select narrows to what scanners showed, and all six fields fit in 80x24."""
    ProjectFile.open(project, fixture_kb).set_item("iam.root-mfa", status="done")
    project.write_text(project.read_text() + (
        "evidence:\n  items:\n"
        "    iam.root-mfa:\n      securityhub: {counts: {fail: 1}, at: \"2026-11-20T10:00:00Z\", checks: [IAM.6],"
        " failing: [{id: \"arn:aws:iam::111122223333:root\"}]}\n"
        "    iam.user-mfa:\n      securityhub: {counts: {pass: 3}, at: \"2026-11-20T10:00:00Z\"}\n"))
    app = make_app(project=project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        bar = [screen.query_one(f"#filter-{x}") for x in ("open", "scope", "priority", "phase", "evidence", "layer")]
        for widget in bar:
            region = widget.region
            assert region.width >= 10 and region.right <= 80 and region.height == 1, (widget.id, region)
        prompt = str(screen.query_one("#filter-evidence", Select).query_one("#label").render())
        assert prompt == "evidence"  # not cut short
        screen.query_one("#filter-evidence", Select).value = "contradicted"
        await pilot.pause()
        assert [i.id for i in screen.shown_items()] == ["iam.root-mfa"]
        screen.query_one("#filter-evidence", Select).value = "passing"  # looks-done counts as passing
        await pilot.pause()
        assert [(i.id, i.evidence_state) for i in screen.shown_items()] == [("iam.user-mfa", "looks-done")]
        screen.query_one("#filter-evidence", Select).value = "none"
        await pilot.pause()
        shown = {i.id for i in screen.shown_items()}
        assert shown and not shown & {"iam.root-mfa", "iam.user-mfa"}
        screen.query_one("#filter-evidence", Select).clear()
        await pilot.pause()
        assert {"iam.root-mfa", "iam.user-mfa"} <= {i.id for i in screen.shown_items()}
