"""Two app instances and the CLI on one project file: no update is lost silently.

The design (tui/checklist/store.py): every writer holds a sibling file lock
while it re-reads, merges and renames; a change to an item someone else left
alone merges; a change to an item someone else changed too is refused with
`ConflictError`, nothing is written, and the app keeps what its user typed.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

import pytest
from textual.widgets import TextArea

from tui.app.app import OwnitApp
from tui.app.screens.checklist import ChecklistScreen
from tui.app.screens.checklist_modals import NoteEditor
from tui.app.widgets.checklist_items import ItemList
from tui.checklist.project import load_project
from tui.checklist.store import ProjectFile
from tui.cli import main

TF = Path(__file__).parent.parent / "fixtures" / "iac" / "tf"
SIZE = (120, 40)


def on_disk(path: Path) -> dict[str, tuple[str, str]]:
    return {k: (v.status, v.note) for k, v in load_project(path).project.items.items()}


async def goto(app: OwnitApp, pilot, item_id: str) -> None:  # type: ignore[no-untyped-def]
    items = app.screen.query_one(ItemList)
    ids = [items.get_option_at_index(i).id for i in range(items.option_count)]
    items.highlighted = ids.index(item_id)
    await pilot.pause()


async def note(app: OwnitApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, NoteEditor)
    app.screen.query_one(TextArea).text = text
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_two_apps_and_the_cli_lose_nothing(tmp_path: Path, fixture_kb, fixture_kb_path: Path,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.kb.loader as loader

    monkeypatch.setattr(loader, "shipped_data_dir", lambda: fixture_kb_path)
    path = tmp_path / "shared.yaml"
    ProjectFile.create(path, "shared", ["ec2", "rds", "s3"], fixture_kb)
    a, b = OwnitApp(fixture_kb, project=path), OwnitApp(fixture_kb, project=path)
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        await pa.pause()
        await pb.pause()
        assert isinstance(a.screen, ChecklistScreen) and isinstance(b.screen, ChecklistScreen)

        # A and B change different items, neither has seen the other's save: both land (merge).
        await goto(a, pa, "iam.root-mfa")
        await pa.press("d")
        await goto(b, pb, "iam.user-mfa")
        await pb.press("d")
        assert {k: s for k, (s, _) in on_disk(path).items()} == {"iam.root-mfa": "done", "iam.user-mfa": "done"}
        # B says what happened: its save merged, or its file watcher reloaded A's save first
        assert any("merged" in n.message or "reloaded" in n.message for n in b._notifications)

        # The CLI adds services from Terraform while both apps are open; then A saves again.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert main(["import", "terraform", str(TF), "-o", str(path)]) == 0
        added = set(load_project(path).project.services) - {"ec2", "rds", "s3"}
        assert added
        await goto(a, pa, "data.s3-block-public-access")
        await note(a, pa, "from A, after the import")
        after = load_project(path).project
        assert added <= set(after.services) and after.items["iam.user-mfa"].status == "done"

        # A and B both write the note of one item (B's editor is open while A saves, and B's file
        # watcher may reload A's save meanwhile): B's save is refused, B's text kept on screen.
        await goto(b, pb, "iam.root-mfa")
        await pb.press("e")
        await pb.pause()
        await goto(a, pa, "iam.root-mfa")
        await note(a, pa, "A's reason")
        checklist_b = b.screen_stack[-2]
        assert isinstance(checklist_b, ChecklistScreen)
        checklist_b.check_disk()  # what B's 1-second watcher does: reload A's save under the open editor
        b.screen.query_one(TextArea).text = "B's reason"
        await pb.press("ctrl+s")
        await pb.pause()
        assert on_disk(path)["iam.root-mfa"] == ("done", "A's reason")  # not overwritten silently
        assert isinstance(b.screen, NoteEditor) and b.screen.query_one(TextArea).text == "B's reason"
        await pb.press("ctrl+s")  # B saw A's note on reload and saves knowingly
        await pb.pause()
        assert on_disk(path)["iam.root-mfa"] == ("done", "B's reason")
        assert on_disk(path)["data.s3-block-public-access"][1] == "from A, after the import"


WRITERS, SAVES = 4, 15


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="needs fork")
def test_parallel_writer_processes_merge_every_save(tmp_path: Path, fixture_kb) -> None:  # type: ignore[no-untyped-def]
    """Four processes save their own item 15 times each, at once: every last save is on disk."""
    path = tmp_path / "busy.yaml"
    ProjectFile.create(path, "busy", ["ec2", "rds", "s3"], fixture_kb)
    items = ["iam.root-mfa", "iam.user-mfa", "data.s3-block-public-access", "network.ec2-restrict-ssh"]
    pids = []
    for w in range(WRITERS):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                pf = ProjectFile.open(path, fixture_kb)
                for n in range(SAVES):
                    pf.set_item(items[w], status="in-progress", note=f"writer {w} save {n}")
            except BaseException:
                code = 1
            os._exit(code)
        pids.append(pid)
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert on_disk(path) == {items[w]: ("in-progress", f"writer {w} save {SAVES - 1}") for w in range(WRITERS)}
