"""`ownit checklist` as text: the workload, then the account baseline, each in rank order.

    payments · CloudFront, ALB, EC2, RDS for PostgreSQL · knowledge base 2026.11
    also in use: ebs (implied by ec2), vpc (implied by ec2)
    workload ████░░░░ 3/58 resolved (5%): 47 open, 8 to confirm (on by default)

    Workload: the project's own design
         1 [ ] CRIT Keep RDS databases off the public internet  data.rds-no-public-access
             [ ] CRIT Keep RDS and Aurora snapshots private  data.rds-snapshot-not-public

Sub-checks are indented under their parent; a sub-check that takes its
parent's decision shows the parent's mark. Items are the customer's unless
marked SHARED (what AWS does is in `show ID` and every export). Text from
files is never markup.
"""

from __future__ import annotations

from rich.text import Text

from tui.checklist.builder import GROUP_TITLES, Checklist, Item, Progress
from tui.checklist.filters import Filters
from tui.checklist.states import STATUS_MARK
from tui.commands.render import OWNER_STYLE, OWNER_WORD, console, owner_text, text
from tui.kb.markdown import LEVEL_STYLE, LEVEL_TAG


def bar(p: Progress, width: int = 24) -> Text:
    done, risk, rest = p.segments(width)
    out = Text().append("█" * done, "green").append("▒" * risk, "yellow").append("░" * rest, "dim")
    return out.append(" " + p.summary())


def item_line(it: Item, sub: bool = False) -> Text:
    """Rank, tick and priority, then the title, owner and id; a long line wraps under the title."""
    head = Text(f"{'' if sub else it.rank:>4} ")
    head.append(("    " if sub else "") + STATUS_MARK.get(it.status, "[?]") + " ", "bold" if it.status == "done" else "")
    tag = LEVEL_TAG.get(it.level, "")
    head.append(f"{tag:<5}", LEVEL_STYLE.get(it.level, ""))
    body = text(it.title)
    if it.owner != "customer":
        body.append(" ").append(OWNER_WORD.get(it.owner, "UNKNOWN"), OWNER_STYLE.get(it.owner, "bold red"))
    body.append("  ")
    body.append_text(text(it.id, "dim"))
    return hanging(head, body)


def hanging(head: Text, body: Text) -> Text:
    """`head` then `body`, the body's wrapped lines indented under its first (no padding at line ends)."""
    out = console()
    lines = body.wrap(out, max(20, out.width - head.cell_len), overflow="fold")
    line = head.copy()
    for i, part in enumerate(lines):
        if i:
            line.append("\n" + " " * head.cell_len)
        part.rstrip()
        line.append_text(part)
    line.no_wrap = True
    return line


def _details(it: Item) -> str:
    st = it.state
    parts = [st.note, f"team {st.team}" if st.team else "", st.by, st.at, f"due {st.due}" if st.due else "", st.ticket]
    if it.status_from:
        parts.insert(0, f"with {it.status_from}")
    return " · ".join(" ".join(p.split()) for p in parts if p)


def print_checklist(cl: Checklist, filters: Filters | None = None, group: str = "rank") -> None:
    out = console()
    f = filters or Filters()
    names = ", ".join(s.short for s in cl.services) or "no known services"
    out.print(text(f"{cl.project.name} · {names} · knowledge base {cl.kb.version}", "bold"))
    if cl.use and cl.use.why:
        out.print(text("also in use: " + ", ".join(f"{k} ({v})" for k, v in cl.use.why.items()), "dim"))
    for note in cl.use.notes if cl.use else ():
        out.print(text(f"note: {note}", "yellow"))
    for scope in ("workload", "baseline"):
        members = cl.scope_items(scope)
        if not members:
            continue
        line = Text(f"{scope:<9}", "bold")
        if scope == "baseline" and cl.baseline_inherited:
            b = cl.project.baseline
            line.append_text(text(f"inherited from {b.inherited_from}" + (f" ({b.ref})" if b.ref else "")
                                  + f"; {len(cl.top_level(members))} items the platform answers for"))
        else:
            heads = cl.top_level(members)  # the items the headings count; sub-checks follow them
            line.append_text(bar(cl.progress(heads)))
            if len(heads) != len(members):
                line.append_text(text(f" · {len(members) - len(heads)} sub-checks", "dim"))
        out.print(line)
    shown = f.apply(cl)
    shown_ids = {i.id for i in shown}
    if f.active:
        out.print(text(f"showing {len(shown)} of {len(cl.items)} items (filtered)", "dim"))
    if group == "rank":
        for key, members in cl.groups("rank", shown):
            out.print(Text(f"\n{GROUP_TITLES[key]} ({len(cl.top_level(members))})", "bold underline"))
            for it in members:
                _print_item(it, shown_ids)
    else:
        for key, members in cl.groups(group, shown):
            out.print(Text(f"\n{key}", "bold underline"))
            for it in members:
                _print_item(it, shown_ids, flat=True)
    extra = [i for i in cl.extra if f.keep(i)]
    if extra:
        out.print(Text(f"\nKept items not in scope ({len(extra)})", "bold underline"))
        for it in extra:
            out.print(item_line(it))
            out.print(text(f"          {it.flag}", "yellow"))
    if cl.inherited and not f.active:
        out.print(Text(f"\nInherited from AWS ({len(cl.inherited)})", "bold underline"))
        for c in cl.inherited:
            line = Text("  ").append_text(owner_text("aws")).append(" ")
            line.append_text(text(f"{c.id}  {c.title}"))
            out.print(line)


def _print_item(it: Item, shown_ids: set[str], flat: bool = False) -> None:
    out = console()
    sub = bool(it.parent) and not flat and it.parent in shown_ids
    out.print(item_line(it, sub))
    details = _details(it)
    if details:
        out.print(text(" " * (14 if sub else 10) + details, "dim"))
    if it.evidence:
        out.print(evidence_line(it, 14 if sub else 10))


def evidence_line(it: Item, indent: int) -> Text:
    """`evidence: CONTRADICTED: 2 fail, 12 pass · arn:aws:s3:::media-uploads (...)` under an item."""
    from tui.commands.evidence_cli import evidence_cell

    style = {"contradicted": "bold red", "failing": "red", "looks-done": "green", "passing": "green"}
    line = Text(" " * indent + "evidence ", "dim")
    line.append_text(text(evidence_cell(it), style.get(it.evidence_state, "dim")))
    first = next((r.failing[0] for r in it.evidence if r.failing), None)
    if first is not None:
        line.append_text(text(f" · {first}", "dim"))
    return line
