"""`--read-only`: every write path refuses, in the app and in the checklist store; nothing on disk changes.

And in a browser (`ownit serve`), an export is offered as a download instead of a file on the server.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from tui.app.app import OwnitApp
from tui.app.screens.checklist import ChecklistScreen
from tui.app.screens.checklist_modals import FormatPicker
from tui.checklist.atomic import READ_ONLY_ENV, atomic_write, lock_path
from tui.checklist.states import Baseline
from tui.checklist.store import ProjectFile, ReadOnlyError
from tui.cli import main
from tui.kb.knowledge import KnowledgeBase

SIZE = (120, 40)
WRITE_KEYS = ("d", "n", "a", "i", "u", "e", "t", "b", "s", "f", "x")  # every key of the Checklist screen that saves


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


async def test_every_write_key_refuses_and_nothing_changes(fixture_kb: KnowledgeBase, project: Path) -> None:
    before = snapshot(project.parent)
    app = OwnitApp(fixture_kb, project=project, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChecklistScreen) and screen.pf is not None and screen.pf.read_only
        assert "read-only" in app.sub_title
        for key in WRITE_KEYS:
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, f"{key!r} opened {type(app.screen).__name__} in a read-only app"
        refusals = [n for n in app._notifications if n.message.startswith("Read-only")]
        assert len(refusals) == len(WRITE_KEYS)
        with pytest.raises(ReadOnlyError):  # the store refuses too, whatever asks it
            screen.pf.set_item("iam.root-mfa", status="done")
    assert snapshot(project.parent) == before  # not a byte; no lock file, no export
    assert not lock_path(project).exists()


async def test_read_only_remembers_no_theme(fixture_kb: KnowledgeBase, tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    app = OwnitApp(fixture_kb, settings_path=settings, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await pilot.pause()
        assert app.theme == "nord"  # this session only
        assert "Screenshot" not in [c.title for c in app.get_system_commands(app.screen)]  # it writes a file
    assert not settings.exists()


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_the_store_refuses_every_save(how: str, fixture_kb: KnowledgeBase, project: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    if how == "environment":  # what `ownit serve --read-only` gives every tab's process
        monkeypatch.setenv(READ_ONLY_ENV, "1")
    pf = ProjectFile.open(project, fixture_kb, read_only=how == "flag")
    before = project.read_bytes()
    saves = [
        lambda: pf.set_item("iam.root-mfa", status="done"),
        lambda: pf.set_item("iam.root-mfa", note="x"),
        lambda: pf.set_services(["ec2"]),
        lambda: pf.add_services(["lambda"]),
        lambda: pf.set_baseline(Baseline("landing-zone")),
        lambda: pf.set_existing_estate(True),
    ]
    for save in saves:
        with pytest.raises(ReadOnlyError, match="read-only"):
            save()
    assert project.read_bytes() == before and not lock_path(project).exists()
    if how == "environment":
        with pytest.raises(ReadOnlyError):
            ProjectFile.create(project.with_name("new.yaml"), "new", ["ec2"], fixture_kb)
        with pytest.raises(PermissionError, match="read-only"):
            atomic_write(project.with_name("export.md"), b"x")
        assert sorted(p.name for p in project.parent.iterdir()) == ["demo.yaml"]


def test_cli_under_read_only_says_so(project: Path, shipped_fixture: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(READ_ONLY_ENV, "1")
    before = project.read_bytes()
    assert main(["set", str(project), "iam.root-mfa", "--status", "done", "--no-user-data"]) == 2
    assert "read-only" in capsys.readouterr().err
    assert project.read_bytes() == before


def test_ownit_project_read_only_flag(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}
    monkeypatch.setattr("tui.app.app.run_app", lambda **kw: seen.update(kw) or 0)
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")  # as a served tab has it
    assert main([str(project), "--read-only"]) == 0
    assert seen["read_only"] is True and seen["project"] == project
    assert main(["--read-only", str(project)]) == 0


async def test_in_a_browser_an_export_is_a_download(fixture_kb: KnowledgeBase, project: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Served, `x` hands the file to the browser (deliver_binary); nothing is written beside the project."""
    delivered: list[tuple[str, bytes, str]] = []

    def deliver_binary(self: OwnitApp, fh, *, save_filename: str, mime_type: str, **_: object) -> str:  # type: ignore[no-untyped-def]
        delivered.append((save_filename, fh.read(), mime_type))
        return "key"

    monkeypatch.setattr(OwnitApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(OwnitApp, "deliver_binary", deliver_binary)
    before = snapshot(project.parent)
    app = OwnitApp(fixture_kb, project=project, read_only=True)  # a reviewer may still take the report away
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, FormatPicker)
        picker = app.screen.query_one(OptionList)
        picker.highlighted = [picker.get_option_at_index(i).id for i in range(picker.option_count)].index("csv")
        await pilot.press("enter")
        await pilot.pause()
    assert [(name, mime) for name, _, mime in delivered] == [("demo-checklist.csv", "text/csv")]
    assert b"iam.root-mfa" in delivered[0][1]
    assert snapshot(project.parent) == before
