"""Records rendered as Markdown for detail panes and `ownit show`.

Data text is escaped so that it can never add structure (links, emphasis,
headings) that its author did not see in the YAML.
"""

from __future__ import annotations

import re
from typing import Any

from tui.kb.knowledge import KnowledgeBase
from tui.kb.model import LAYER_IDS, Control, Layer, Service, Tool
from tui.kb.text import inert

OWNER_WORD = {"aws": "AWS", "customer": "CUSTOMER", "shared": "SHARED", "depends": "DEPENDS ON THE SERVICE"}
# a priority as a short tag and a Rich style, for list rows in the CLI and the app
LEVEL_TAG = {"critical": "CRIT", "high": "HIGH", "medium": "MED", "low": "LOW", "informational": "INFO"}
LEVEL_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "dim", "informational": "dim"}
SCOPE_WORD = {"baseline": "the account or landing zone", "workload": "the project's own design"}
# Inline structure: emphasis, code, links and images, autolinks and HTML, tables, strike-through, entities
# (& too: an entity (&amp;) would show as another text), and # (a heading's closing sequence).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
# Bare web addresses that a linkifying renderer would turn into links: the dot of a domain, the colon of ://
_LINKISH = re.compile(r"(?<=[A-Za-z])\.(?=[A-Za-z])|:(?=//)")
# Block structure, which only a line's start can open: lists (-, +, 1. 1)), quotes, setext underlines (=).
_LINE_START = re.compile(r"^(\s*)(?:([-+=])(?=\s|$|[-+=])|(\d{1,9})([.)])(?=\s|$))")


def _backslash(m: re.Match[str]) -> str:
    return "\\" + m.group()


def _line_start(m: re.Match[str]) -> str:
    if m.group(2):
        return m.group(1) + "\\" + m.group(2)
    return m.group(1) + m.group(3) + "\\" + m.group(4)  # `1.` -> `1\.`


def esc(value: Any) -> str:
    """Escape Markdown syntax in data text (and make control characters visible). Plain text stays
    plain (`2026.11`, `us-east-1`); only what could open structure or a link is escaped."""
    # functions, not templates like r"\\\1": re expands a template in Python for every match (3x slower)
    text = _MD_SPECIAL.sub(_backslash, inert(" ".join(str(value).split())))
    text = _LINKISH.sub(_backslash, text)
    return _LINE_START.sub(_line_start, text, count=1)


def _sources(sources: tuple[str, ...]) -> list[str]:
    # sources are validated https URLs on aws.amazon.com; show them as autolinks
    return ["", "**Sources**", ""] + [f"- <{u}>" for u in sources]


def record_markdown(kb: KnowledgeBase, kind: str, record: Any) -> str:
    if isinstance(record, Service):
        return service_markdown(kb, record)
    if isinstance(record, Control):
        return control_markdown(kb, record)
    if isinstance(record, Layer):
        return layer_markdown(kb, record)
    if isinstance(record, Tool):
        return tool_markdown(kb, record)
    return f"# {esc(getattr(record, 'name', record.id))}\n\n{esc(getattr(record, 'version', ''))}"


def control_markdown(kb: KnowledgeBase, c: Control) -> str:
    services = "all (account-wide)" if c.account_wide else ", ".join(
        kb.services[s].short if s in kb.services else s for s in c.services
    )
    lines = [
        f"# {esc(c.title)}",
        "",
        f"`{c.id}` · **{OWNER_WORD[c.owner]}** · layer **{c.layer}** · {c.domain} · {c.phase} · severity **{c.severity}**",
        "",
        f"Services: {esc(services)}" + (" (all of them)" if c.applies == "all" else ""),
        "",
        f"Scope: **{c.review_scope}** ({SCOPE_WORD[c.review_scope]})",
    ]
    if c.priority:
        lines += ["", f"Design-review priority: **{c.priority.level}** (severity {c.severity}): {esc(c.priority.why)}"]
    if c.legacy:
        lines += ["", f"Legacy since {c.legacy.since.isoformat()}: {esc(c.legacy.why)}"]
    if c.parent:
        parent = kb.controls.get(c.parent)
        lines += ["", f"Part of: {esc(parent.title) if parent else ''} (`{c.parent}`)"]
    if c.customer_part:
        part = "AWS ships it; you turn it on and set it" if c.customer_part == "configure" else "you supply it entirely"
        lines += ["", f"Your part: **{c.customer_part}** ({part})"]
    if c.default is not None:
        lines += ["", f"On by default: **{'yes' if c.default else 'no'}**"]
    lines += ["", "## What you do", "", esc(c.customer)]
    if c.aws:
        lines += ["", "## What AWS does", "", esc(c.aws)]
    if c.tools:
        names = [kb.tools[t].name if t in kb.tools else t for t in c.tools]
        lines += ["", "## Tools that help", "", ", ".join(esc(n) for n in names)]
    if c.verify:
        lines += ["", "## How to verify", "", "```sh", inert(c.verify), "```"]
    if c.config_rules:
        lines += ["", "AWS Config rules: " + ", ".join(f"`{r}`" for r in c.config_rules)]
    fw = c.framework_ids()
    if fw:
        lines += ["", "## Frameworks", "", " · ".join(f"`{x}`" for x in fw)]
    if c.prowler:
        lines += ["", "Prowler checks: " + ", ".join(f"`{p}`" for p in c.prowler)]
    if c.evidence:
        lines += ["", "Evidence in AWS Artifact: " + ", ".join(e.upper() for e in c.evidence)]
    lines += _sources(c.sources)
    lines.append(f"\nLast checked {c.checked.isoformat()}")
    return "\n".join(lines)


def service_markdown(kb: KnowledgeBase, s: Service) -> str:
    lines = [f"# {esc(s.name)}", "", f"`{s.id}` · {s.category} service · {esc(s.group)}", "", esc(s.summary), ""]
    if s.aliases:
        lines += ["Also known as: " + ", ".join(f"`{a}`" for a in s.aliases), ""]
    lines += ["## Who owns each layer", ""]
    for layer in reversed(LAYER_IDS):  # a list, not a table: the why needs the pane's whole width
        o = s.layers[layer]
        why = " ".join(x for x in (o.note, f"AWS: {o.aws}" if o.aws else "", f"You: {o.customer}" if o.customer else "") if x)
        lines.append(f"- {layer}: **{OWNER_WORD[o.owner]}**" + (f" · {esc(why)}" if why else ""))
        lines += [f"  - source: <{u}>" for u in o.sources]
    controls = [c for c in kb.controls_for_service(s.id)]
    if controls:
        lines += ["", f"## Controls ({len(controls)})", ""]
        lines += [f"- `{c.id}` {OWNER_WORD[c.owner]}: {esc(c.title)}" for c in controls]
    if s.own_controls_note:
        lines += ["", f"**Few controls of its own:** {esc(s.own_controls_note)}"]
    lines += ["", f"Security chapter: <{s.docs}>"] + _sources(s.sources)
    return "\n".join(lines)


def layer_markdown(kb: KnowledgeBase, layer: Layer) -> str:
    lines = [
        f"# {esc(layer.name)}",
        "",
        f"`{layer.id}` · layer {layer.index + 1} of 15 · usually **{OWNER_WORD[layer.usual_owner]}**",
        "",
        esc(layer.description),
    ]
    if layer.examples:
        lines += ["", "Examples: " + ", ".join(esc(e) for e in layer.examples)]
    controls = kb.controls_on_layer(layer.id)
    if controls:
        lines += ["", f"## Controls on this layer ({len(controls)})", ""]
        lines += [f"- `{c.id}` {OWNER_WORD[c.owner]}: {esc(c.title)}" for c in controls]
    return "\n".join(lines + _sources(layer.sources))


def tool_markdown(kb: KnowledgeBase, t: Tool) -> str:
    on = "on for everyone, automatically" if t.enablement == "automatic" else "you turn it on"
    lines = [
        f"# {esc(t.name)}",
        "",
        f"`{t.id}` · {on} · {t.pricing}",
        "",
        esc(t.summary),
        "",
        esc(t.what),
        "",
        "Helps with layers: " + ", ".join(t.layers),
    ]
    controls = kb.controls_for_tool(t.id)
    if controls:
        lines += ["", f"## Controls it helps with ({len(controls)})", ""]
        lines += [f"- `{c.id}` {esc(c.title)}" for c in controls]
    return "\n".join(lines + _sources(t.sources))
