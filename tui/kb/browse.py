"""What a browsing face needs beyond single records: services grouped for a
list, one layer explained for one service (the Layers screen's detail) and a
comparison told as a sentence plus the controls that change hands.

Plain Python and Markdown text; the app renders it, `ownit` could print it.
"""

from __future__ import annotations

from tui.kb.compare import Comparison
from tui.kb.knowledge import KnowledgeBase
from tui.kb.markdown import OWNER_WORD, esc
from tui.kb.model import LAYER_IDS, SERVICE_GROUPS, Control, Service

_GROUP_RANK = {g: i for i, g in enumerate(SERVICE_GROUPS)}


def grouped_services(kb: KnowledgeBase) -> list[tuple[str, list[Service]]]:
    """Services by group, groups in the canonical order, names sorted inside a group."""
    groups: dict[str, list[Service]] = {}
    for s in kb.services.values():
        groups.setdefault(s.group, []).append(s)
    ordered = sorted(groups.items(), key=lambda kv: (_GROUP_RANK.get(kv[0], len(_GROUP_RANK)), kv[0]))
    return [(g, sorted(items, key=lambda s: s.short.lower())) for g, items in ordered]


def line_layer(service: Service) -> str | None:
    """The lowest layer above the responsibility line (None: AWS owns every layer)."""
    i = service.responsibility_line()
    return LAYER_IDS[i] if i < len(LAYER_IDS) else None


def owner_counts(service: Service) -> dict[str, int]:
    """How many of the 15 layers each owner holds for a service."""
    counts = {"aws": 0, "shared": 0, "customer": 0}
    for o in service.layers.values():
        counts[o.owner] = counts.get(o.owner, 0) + 1
    return counts


def controls_here(kb: KnowledgeBase, service: Service, layer: str) -> list[Control]:
    """Controls on one layer that apply to one service (its own and account-wide)."""
    return kb.controls_on_layer(layer, services=[service.id])


def _control_line(c: Control) -> str:
    """A list item that reads as a sentence first: `- Title · CUSTOMER · `id``."""
    return f"- {esc(c.title)} · {OWNER_WORD[c.owner]} · `{c.id}`"


def layer_for_service_markdown(kb: KnowledgeBase, service: Service, layer_id: str, limit: int | None = None) -> str:
    """One layer for one service: what it is, who owns it here and why, its controls
    (the first `limit` of them, then how to search for the rest)."""
    layer = kb.layers[layer_id]
    own = service.layers[layer_id]
    lines = [
        f"# {esc(layer.name)}",
        "",
        esc(layer.summary),
        "",
        f"## For {esc(service.short)}: **{OWNER_WORD[own.owner]}**",
        "",
    ]
    if own.note:
        lines += [esc(own.note), ""]
    if own.aws:
        lines += [f"**AWS:** {esc(own.aws)}", ""]
    if own.customer:
        lines += [f"**You:** {esc(own.customer)}", ""]
    if not (own.note or own.aws or own.customer):
        usual = layer.usual_owner
        why = "as usual for this layer" if usual == own.owner else f"usually {OWNER_WORD[usual]}"
        lines += [f"{OWNER_WORD[own.owner]} owns it ({why}).", ""]
    controls = controls_here(kb, service, layer_id)
    lines += [f"## Controls on this layer ({len(controls)})", ""]
    if controls:
        shown = controls if limit is None else controls[:limit]
        lines += [_control_line(c) for c in shown]
        if len(shown) < len(controls):
            lines += ["", f"…and {len(controls) - len(shown)} more: search `service:{service.id} layer:{layer_id}` "
                          "in Controls (key 4)."]
    else:
        lines.append("None in the knowledge base for this service.")
    lines += ["", esc(layer.description)]
    return "\n".join(lines)


def compare_markdown(cmp: Comparison) -> str:
    """The sentence for A -> B, then the controls that stop or start applying to you."""
    a, b = esc(cmp.a.short), esc(cmp.b.short)
    lines = [f"**{esc(cmp.sentence())}**", ""]
    if cmp.only_b:
        lines += [f"Newly yours with {b} ({len(cmp.only_b)}):", ""]
        lines += [_control_line(c) for c in cmp.only_b]
        lines.append("")
    if cmp.only_a:
        lines += [f"No longer yours when you leave {a} ({len(cmp.only_a)}):", ""]
        lines += [_control_line(c) for c in cmp.only_a]
        lines.append("")
    if not (cmp.only_a or cmp.only_b):
        lines.append(f"The same customer and shared controls apply to {a} and {b}.")
    return "\n".join(lines)
