"""Checklist: the project's services, its progress, and every item in rank order.

The workload comes first, then the account baseline, each ranked for this
design (sub-checks under their parent; items on by default apart, to
confirm). Keys mark the highlighted item (d done, i in progress, n not
applicable, a accepted risk, u open again), e edits its note (n/a and
accepted risk ask for one first), t its team, due date and ticket, b who owns
the account baseline, c shows or hides sub-checks, s picks the services, x exports, o shows open items
only; the filter bar narrows by scope, priority, phase, scanner evidence
(`ownit evidence`: failing, contradicted, looks-done, stale...) and layer; below
100 columns it draws its fields borderless on one line, so all six fit in 80.
Every change is saved at once through `ProjectFile.set_item` (atomic, locked,
merged with changes made on disk). A timer watches the file: when a teammate
or a `git pull` changes it, the screen reloads and says so; it never
overwrites silently. With no project open the screen says how to start one.
Read-only (`--read-only`, for reviewers of a served app) every key that would
save says so and saves nothing; in a browser (`ownit serve`) exports are
offered as downloads instead of being written on the server.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, OptionList, Select, Static

from tui.app.screens.base import OwnitScreen
from tui.app.screens.checklist_modals import FormatPicker, NoteEditor, ServicesPicker
from tui.app.screens.item_fields import BaselineEditor, ItemFields
from tui.app.widgets.checklist_items import ItemList, ProgressLine
from tui.app.widgets.detail_pane import DetailPane
from tui.checklist.builder import FLAG_TEXT, LAYERS_TOP_DOWN, SCOPES, Checklist, Item, build_checklist
from tui.checklist.filters import CHOICES, Filters
from tui.checklist.states import NEEDS_NOTE, STATUS_WORD, Baseline, ItemState, current_user, today
from tui.checklist.store import ConflictError, ProjectFile
from tui.kb.errors import DataError, OwnitError
from tui.kb.markdown import control_markdown, esc
from tui.kb.model import PHASES, SEVERITIES
from tui.kb.text import inert

WATCH_SECONDS = 1.0


class ChecklistScreen(OwnitScreen):
    MODE = "checklist"
    DEFAULT_CSS = """
    #checklist-top { height: auto; padding: 0 1; }
    #checklist-title { height: auto; max-height: 12; }
    #checklist-filters { height: auto; }
    #checklist-filters Checkbox { width: auto; }
    #checklist-filters Checkbox > .toggle--button { color: $panel; }
    #checklist-filters Checkbox.-on > .toggle--button { color: $success; }
    #checklist-filters Select { width: 1fr; max-width: 22; }
    #checklist-body { height: 1fr; }
    #checklist-items, #checklist-detail { border: round $primary 50%; border-title-style: bold; }
    #checklist-items:focus, #checklist-detail:focus { border: round $accent; }
    #checklist-items { width: 3fr; }
    #checklist-detail { width: 2fr; min-width: 36; }
    ChecklistScreen.-narrow #checklist-detail { display: none; }
    ChecklistScreen.-narrow #checklist-filters Select { max-width: 100%; margin-left: 1; }
    ChecklistScreen.-narrow #checklist-filters Select > SelectCurrent { border: none; padding: 0 1 0 1; }
    ChecklistScreen.-narrow #checklist-filters Select:focus > SelectCurrent { border: none; background-tint: $accent 30%; }
    ChecklistScreen.-narrow #checklist-filters Checkbox { border: none; padding: 0 1 0 0; }
    ChecklistScreen.-narrow #checklist-filters Checkbox:focus { border: none; background-tint: $accent 30%; }
    ChecklistScreen.-narrow #checklist-title { max-height: 1; }
    """
    BINDINGS = [
        Binding("d", "mark('done')", "Done", id="checklist.done", tooltip="Mark the item done"),
        Binding("n", "mark('not-applicable')", "N/A", id="checklist.not-applicable",
                tooltip="Not applicable to this project (asks why)"),
        Binding("a", "mark('accepted-risk')", "Risk", id="checklist.accepted-risk",
                tooltip="Accept the risk (asks why)"),
        Binding("i", "mark('in-progress')", "In progress", show=False, id="checklist.in-progress",
                tooltip="Mark the item in progress"),
        Binding("u", "mark('open')", "Open", show=False, id="checklist.open", tooltip="Open the item again"),
        Binding("e", "note", "Note", id="checklist.note", tooltip="Write the item's note"),
        Binding("t", "fields", "Team/due", id="checklist.fields", tooltip="Set the item's team, due date and ticket"),
        Binding("c", "toggle_subchecks", "Sub-checks", show=False, id="checklist.sub-checks",
                tooltip="Show or hide the sub-checks under each item"),
        Binding("b", "baseline", "Baseline", show=False, id="checklist.baseline",
                tooltip="Say who owns the account baseline: this project, or a platform it is inherited from"),
        Binding("x", "export", "Export", id="checklist.export", tooltip="Export next to the project file"),
        Binding("s", "services", "Services", show=False, id="checklist.services",
                tooltip="Pick the services this project uses"),
        Binding("o", "toggle_open", "Open only", show=False, id="checklist.open-only", tooltip="Show open items only"),
        Binding("m", "stack", "Stack", show=False, id="checklist.stack",
                tooltip="The responsibility stack of every service the project uses"),
        Binding("f", "from_code", "From code", show=False, id="checklist.from-code",
                tooltip="Add services detected in CloudFormation, SAM, CDK or Terraform code"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pf: ProjectFile | None = None
        self.checklist: Checklist | None = None
        self.error = ""
        self.expanded = False  # sub-checks hidden under their parent until asked for

    # -- layout -----------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        with Vertical(id="checklist-top"):
            yield Static(id="checklist-title")
            yield ProgressLine(id="checklist-progress")
            with Horizontal(id="checklist-filters"):
                yield Checkbox("open", id="filter-open", tooltip="Show open items only (o)")
                yield Select([(x, x) for x in SCOPES], prompt="scope", id="filter-scope")
                yield Select([(x, x) for x in SEVERITIES], prompt="priority", id="filter-priority")
                yield Select([(x, x) for x in PHASES], prompt="phase", id="filter-phase")
                yield Select([(x, x) for x in CHOICES["evidence"]], prompt="evidence", id="filter-evidence",
                             tooltip="Scanner evidence (ownit evidence): failing includes contradicted, "
                                     "passing includes looks-done")
                yield Select([(x, x) for x in LAYERS_TOP_DOWN], prompt="layer", id="filter-layer")
        with Horizontal(id="checklist-body"):
            yield ItemList(id="checklist-items")
            yield DetailPane("Item", id="checklist-detail")

    def on_mount(self) -> None:
        self.open_project(self.ownit.project)
        self.set_interval(WATCH_SECONDS, self.check_disk)

    # -- project ----------------------------------------------------------------------
    def open_project(self, path: Path | None) -> None:
        self.pf, self.error = None, ""
        if path is not None:
            try:
                self.pf = ProjectFile.open(path, self.kb, read_only=self.ownit.read_only)
            except DataError as exc:
                self.error = "\n".join(str(p) for p in exc.problems[:20])
        self.refresh_items()
        self.query_one(ItemList).focus()

    def refresh_items(self, keep: str | None = None) -> None:
        title = self.query_one("#checklist-title", Static)
        items = self.query_one(ItemList)
        if self.pf is None:
            self.checklist = None
            title.update(self._no_project_text())
            items.clear_options()
            self.query_one(DetailPane).show("", "Item")
            return
        cl = self.checklist = build_checklist(self.pf.project, self.kb)
        names = ", ".join(s.short for s in cl.services) or "no services yet (press s)"
        head = Text(no_wrap=self.narrow, overflow="ellipsis")
        head.append(inert(cl.project.name), "bold").append(f"  ·  {inert(names)}  ·  ").append(str(self.pf.path), "dim")
        title.update(head)
        shown = self.shown_items()
        self.query_one(ProgressLine).show(cl, len(shown))
        in_scope = [i for i in shown if not i.flag]
        keep = keep or items.current_id
        if not self.expanded and keep:  # a hidden sub-check's parent takes the cursor
            kept = cl.item(keep)
            if kept is not None and kept.parent and cl.item(kept.parent) in in_scope:
                keep = kept.parent
        items.fill(self.app, cl.groups("rank", in_scope), [i for i in shown if i.flag], keep, self.expanded)
        self.show_detail()

    def _no_project_text(self) -> Text:
        if self.error:
            return Text("The project file has problems (fix them, it reloads on its own):\n\n" + inert(self.error),
                        style="red")
        return Text("No project open. Start one with `ownit init payments.yaml --services ec2,rds,s3`, "
                    "then run `ownit payments.yaml`.")

    def shown_items(self) -> list[Item]:
        assert self.checklist is not None
        return self.filters().apply(self.checklist, [*self.checklist.items, *self.checklist.extra])

    def filters(self) -> Filters:
        def value(widget_id: str) -> frozenset[str]:
            v = self.query_one(widget_id, Select).value
            return frozenset({v}) if isinstance(v, str) else frozenset()

        return Filters(scope=value("#filter-scope"), severity=value("#filter-priority"), phase=value("#filter-phase"),
                       layer=value("#filter-layer"), evidence=value("#filter-evidence"), open_only=self.query_one("#filter-open", Checkbox).value)

    @property
    def current(self) -> Item | None:
        cid = self.query_one(ItemList).current_id
        return self.checklist.item(cid) if self.checklist and cid else None

    def show_detail(self) -> None:
        it = self.current
        if it is None:
            self.query_one(DetailPane).show("Pick an item.", "Item")
            return
        st = it.state
        status = f"**Status: {STATUS_WORD[it.status]}**" + (f" · by {esc(st.by)}" if st.by else "")
        parts = [status + (f" · on {esc(st.at)}" if st.at else "")]
        if it.status_from:
            parts.append(f"Decided with its parent `{it.status_from}` (mark it to decide it on its own).")
        if it.rank:
            parts.append(f"Rank **{it.rank}** in the {it.scope}: " + esc("; ".join(it.reasons)))
        if it.confirm:
            parts.append("On by default: confirm it was not turned off.")
        parts += [f"{label}: {esc(value)}" for label, value in (("Team", st.team), ("Due", st.due), ("Ticket", st.ticket))
                  if value]
        parts += ["## Note", esc(st.note) if st.note else "*none yet: press e*"]
        if it.evidence:
            parts.append(evidence_markdown(it))
        if it.flag:
            parts.append(f"**Kept as written:** {esc(FLAG_TEXT[it.flag])}")
        kids = self.checklist.children(it.id) if self.checklist else []
        if kids:
            parts.append("## Sub-checks (c shows them in the list)")
            parts.append("\n".join(f"- {'☑' if not k.pending else '☐'} {esc(k.title)} (`{k.id}`)" for k in kids))
        if it.control is not None:
            parts.append(control_markdown(self.kb, it.control))
        self.query_one(DetailPane).show("\n\n".join(parts), it.id)

    # -- watching ---------------------------------------------------------------------
    def check_disk(self) -> None:
        path = self.pf.path if self.pf else (self.ownit.project if self.error else None)
        if path is None:
            return
        if self.pf is None:  # a broken file: try again until it is fixed
            if path.exists():
                self.open_project(path)
            return
        if not self.pf.changed_on_disk():
            return
        try:
            self.pf.reload()
        except DataError as exc:
            self.notify(f"{path} changed on disk and now has errors: {exc.problems[0]}; not reloaded, "
                        "and nothing will be saved until it is fixed", severity="error", timeout=8, markup=False)
            return
        self.refresh_items()
        self.notify(f"{path.name} changed on disk: reloaded", markup=False)

    # -- actions ----------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#checklist-items")
    def _highlighted(self) -> None:
        self.show_detail()

    @on(OptionList.OptionSelected, "#checklist-items")
    def _selected(self) -> None:
        self.open_detail(self.query_one(DetailPane))

    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _filters(self) -> None:
        if self.pf is not None:
            self.refresh_items()

    def action_toggle_subchecks(self) -> None:
        self.expanded = not self.expanded
        if self.pf is not None:
            self.refresh_items()

    def action_toggle_open(self) -> None:
        box = self.query_one("#filter-open", Checkbox)
        box.value = not box.value

    def action_mark(self, status: str) -> None:
        it = self.current
        if it is None or self.pf is None or self.ownit.refuse_read_only():
            return
        if status in NEEDS_NOTE and not it.state.note.strip():
            why = f"Say why this item is {STATUS_WORD[status]} (required)."
            self.app.push_screen(NoteEditor(it.title, "", why),
                                 lambda note: self.save(it, status=status, note=note) if note and note.strip() else None)
            return
        self.save(it, status=status)

    def action_note(self) -> None:
        it = self.current
        if it is not None and self.pf is not None and not self.ownit.refuse_read_only():
            self._edit_note(it, it.state.note, it.state)

    def _edit_note(self, it: Item, text: str, seen: ItemState, why: str = "") -> None:
        """The note editor; the save remembers the state the user saw (the watcher may reload meanwhile)."""
        self.app.push_screen(NoteEditor(it.title, text, why),
                             lambda note: self.save(it, seen=seen, note=note) if note is not None else None)

    def save(self, it: Item, seen: ItemState | None = None, **changes: str) -> None:
        """Save one item's change at once; conflicts reload and never overwrite silently."""
        assert self.pf is not None
        now = self.pf.project.state(it.id)
        if seen is not None and now != seen and "note" not in changes:
            self.refresh_items(it.id)
            self.notify("Not saved: this item changed on disk while you were editing; look again and retry",
                        severity="warning", markup=False)
            return
        if seen is not None and now != seen:  # reloaded while the editor was open: the user has not seen this
            self._edit_note(it, changes.get("note", ""), now, "Not saved: this item changed while you were writing "
                            f"(its note is now: {now.note or 'empty'}). Save again to replace it.")
            return
        if "status" in changes:
            changes.update(by=current_user(), at=today())
        try:
            self.pf.set_item(it.id, **changes)
        except ConflictError as exc:
            try:
                self.pf.reload()
            except DataError:
                pass  # still broken on disk: the watcher reports it
            self.refresh_items(it.id)
            if "note" in changes:  # keep what the user typed: reopen the editor with it
                why = f"Not saved: {exc}"
                self.app.push_screen(NoteEditor(it.title, changes["note"], why),
                                     lambda note: self.save(it, note=note) if note is not None else None)
            else:
                self.notify(f"Not saved: {exc}", severity="error", timeout=8, markup=False)
            return
        except OwnitError as exc:
            self.notify(f"Not saved: {exc}", severity="error", markup=False)
            return
        if self.pf.merged:
            self.notify("Saved, merged with changes made on disk meanwhile", markup=False)
        self.refresh_items(it.id)

    def action_fields(self) -> None:
        it = self.current
        if it is None or self.pf is None or self.ownit.refuse_read_only():
            return
        seen = it.state

        def apply(values: dict[str, str] | None) -> None:
            if values is not None and any(getattr(seen, k) != v for k, v in values.items()):
                self.save(it, seen=seen, **values)

        self.app.push_screen(ItemFields(it.title, seen), apply)

    def action_baseline(self) -> None:
        if self.pf is None or self.ownit.refuse_read_only():
            return
        pf = self.pf

        def apply(baseline: Baseline | None) -> None:
            if baseline is None or baseline.inherited_from == pf.project.baseline.inherited_from:
                return
            try:
                pf.set_baseline(baseline)
            except OwnitError as exc:
                self.notify(f"Not saved: {exc}", severity="error", markup=False)
                return
            self.refresh_items()

        self.app.push_screen(BaselineEditor(pf.project.baseline), apply)

    def action_services(self) -> None:
        if self.pf is None or self.ownit.refuse_read_only():
            return
        pf = self.pf

        def apply(services: list[str] | None) -> None:
            if services is None or list(services) == list(pf.project.services):
                return
            try:
                pf.set_services(services)
            except OwnitError as exc:
                self.notify(f"Not saved: {exc}", severity="error", markup=False)
            self.refresh_items()

        self.app.push_screen(ServicesPicker(self.kb, pf.project.services), apply)

    def action_stack(self) -> None:
        from tui.app.screens.project_stack import ProjectStack

        if self.pf is not None:
            self.app.push_screen(ProjectStack(self.kb, self.pf.project.services))

    def action_from_code(self) -> None:
        from tui.app.screens.import_iac import ImportServices

        if self.pf is None or self.ownit.refuse_read_only():
            return
        pf = self.pf

        def apply(services: list[str] | None) -> None:
            if not services:
                return
            try:
                added = pf.add_services(services)
            except OwnitError as exc:
                self.notify(f"Not saved: {exc}", severity="error", markup=False)
                return
            self.notify(f"Added {', '.join(added)}" if added else "No new services", markup=False)
            self.refresh_items()

        self.app.push_screen(ImportServices(self.kb, pf.path.parent, pf.project.services), apply)

    def action_export(self) -> None:
        if self.checklist is None:
            return
        if self.app.is_web:  # `ownit serve`: the browser downloads it; nothing is written on the server
            self.app.push_screen(FormatPicker("downloaded by your browser"), self.export)
        elif not self.ownit.refuse_read_only():
            self.app.push_screen(FormatPicker(), self.export)

    def export(self, fmt: str | None) -> None:
        from tui.checklist.atomic import atomic_write
        from tui.checklist.exports import default_name, export

        if fmt is None or self.checklist is None or self.pf is None:
            return
        target = Path(default_name(str(self.pf.path), fmt))
        body = export(self.checklist, fmt).encode("utf-8")
        if self.ownit.deliver_export(target.name, body) is not None:
            self.notify(f"{target.name}: offered as a download in your browser", markup=False)
            return
        if self.ownit.refuse_read_only():
            return
        try:
            atomic_write(target, body)
        except OSError as exc:
            self.notify(f"Export failed: {exc}", severity="error", markup=False)
            return
        self.notify(f"Exported to {target}", markup=False)


def evidence_markdown(it: Item) -> str:
    """The item's scanner evidence for the detail pane: state, each scanner's counts, a few failing resources."""
    from tui.evidence.model import SCANNER_NAMES, describe

    head = {"contradicted": "**Contradicted:** marked done, but a scanner shows failing resources.",
            "looks-done": "**Looks done:** every scanner result passes; the status is still yours to set.",
            "failing": "A scanner shows failing resources.", "passing": "Scanner results pass.",
            "no-result": "No pass or fail result yet."}.get(it.evidence_state, "")
    lines = ["## Scanner evidence", esc(describe(it.evidence_state, it.evidence_stale, it.evidence)), head]
    if it.evidence_stale:
        lines.append("*Stale: older than the project's `stale_after_days`; read a new scan with `ownit evidence`.*")
    for r in it.evidence:
        counts = ", ".join(f"{n} {k}" for k, n in r.counts.items() if n) or "no result"
        checks = ", ".join(esc(c) for c in r.checks)
        lines.append(f"- **{SCANNER_NAMES.get(r.scanner, r.scanner)}**: {counts} · {esc(r.at or 'time unknown')} · "
                     f"{esc(r.file)}" + (f" · {checks}" if checks else ""))
        lines += [f"  - failing: {esc(str(res))}" for res in r.failing]
        if r.more:
            lines.append(f"  - and {r.more} more failing")
    return "\n\n".join(x for x in lines[:3] if x) + "\n\n" + "\n".join(lines[3:])

