"""Generate a knowledge base N times the shipped one, as overlay directories.

`generate(out, factor)` writes `factor - 1` renamed copies of every shipped
service and control into overlay directories under `out` (pass them as
`--data DIR`, in order, on top of the shipped knowledge base). The shape is
the shipped one: one service a file, controls grouped by topic, every
control's framework, tool and Prowler references kept (they point at the
shipped catalogs and tools, so the result validates), its services renamed
to the copy's services. Ids, aliases, titles and IaC prefixes get a per-copy
suffix so that nothing clashes.

Each file is rendered once as a template with a placeholder and then stamped
per copy, so generating 100x (about 100 MB of YAML) takes seconds.

    python bench/generate.py OUT_DIR FACTOR
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import yaml

from tui.kb.loader import data_files, shipped_data_dir

TOKEN = "qzqz"  # stands for the copy number in templates; checked absent from the data
UPPER = TOKEN.upper()
COPIES_PER_OVERLAY = 25  # overlay directories hold this many copies at most
SEED = 8

WORDS = ("north", "south", "ledger", "orbit", "harbor", "atlas", "cobalt", "delta", "ember", "fjord",
         "granite", "helix", "iris", "juniper", "kestrel", "lumen", "meridian", "nimbus", "onyx", "prism")


def _sid(sid: str) -> str:
    """`ecs.fargate` -> `ecs-xqzqz.fargate`: the parent part carries the suffix so variants still name it."""
    head, dot, tail = sid.partition(".")
    return f"{head}-x{TOKEN}{dot}{tail}"


def _prefix(p: str) -> str:
    if p.endswith("::"):
        return f"{p[:-2]}X{UPPER}::"
    if p.endswith("_"):
        return f"{p[:-1]}x{TOKEN}_"
    return f"{p}x{TOKEN}"


def _service(s: dict[str, Any], team: str) -> dict[str, Any]:
    s = dict(s)
    s["id"] = _sid(s["id"])
    if s.get("variant_of"):
        s["variant_of"] = _sid(s["variant_of"])
    if s.get("default_variant"):
        s["default_variant"] = _sid(s["default_variant"])
    if s.get("implies"):
        s["implies"] = [_sid(x) for x in s["implies"]]
    s["aliases"] = [f"{a}-x{TOKEN}" for a in s.get("aliases") or ()]
    s["name"] = f"{s['name']} ({team} {TOKEN})"
    s["short"] = f"{s['short'][:12]} {TOKEN}"
    s["cloudformation"] = [_prefix(p) for p in s.get("cloudformation") or ()]
    s["terraform"] = [_prefix(p) for p in s.get("terraform") or ()]
    return s


def _control(c: dict[str, Any], team: str) -> dict[str, Any]:
    c = dict(c)
    c["id"] = f"{c['id']}-x{TOKEN}"
    c["title"] = f"{c['title']} ({team} {TOKEN})"
    c["services"] = [s if s == "all" else _sid(s) for s in c.get("services") or ()]
    if c.get("parent"):
        c["parent"] = f"{c['parent']}-x{TOKEN}"
    return c


def templates(seed: int = SEED) -> list[tuple[str, str]]:
    """(relative path, YAML text with TOKEN placeholders) for every shipped service and control file."""
    rng = random.Random(seed)
    root = shipped_data_dir()
    out = []
    for path in data_files(root):
        rel = path.relative_to(root)
        if rel.parts[0] not in ("services", "controls"):
            continue
        text = path.read_text(encoding="utf-8")
        if TOKEN in text.lower():
            raise SystemExit(f"placeholder {TOKEN!r} occurs in {path}")
        doc = yaml.load(text, Loader=yaml.CSafeLoader) or {}
        team = rng.choice(WORDS)
        new = {}
        if doc.get("services"):
            new["services"] = [_service(s, team) for s in doc["services"]]
        if doc.get("controls"):
            new["controls"] = [_control(c, team) for c in doc["controls"]]
        body = yaml.dump(new, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=120)
        out.append((str(rel), body))
    return out


def generate(out: Path, factor: int, seed: int = SEED) -> list[Path]:
    """Write factor - 1 copies as overlays under `out`; returns the overlay directories in order."""
    out.mkdir(parents=True, exist_ok=True)
    tpl = templates(seed)
    overlays: list[Path] = []
    for k in range(1, factor):
        ov = out / f"overlay-{(k - 1) // COPIES_PER_OVERLAY + 1:02d}"
        if not overlays or overlays[-1] != ov:
            overlays.append(ov)
        stamp = f"{k:03d}"
        for rel, body in tpl:
            target = ov / f"copy-{stamp}" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body.replace(TOKEN, stamp).replace(UPPER, stamp), encoding="utf-8")
    return overlays


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    for d in generate(Path(sys.argv[1]), int(sys.argv[2])):
        print(d)
