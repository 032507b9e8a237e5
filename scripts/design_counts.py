"""Print the checklist of the three reference designs the way a review would meet it.

    python scripts/design_counts.py [--top N] [--all]

For each design: top-level items per scope (work and confirm), the implied
services, and the first N workload items by rank with their reasons. The
designs are the ones issue 11 measured; tests/checklist/test_designs.py holds
them to the same limits (workload <= 60 top-level, baseline <= 50).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.checklist.builder import build_checklist  # noqa: E402
from tui.checklist.designs import DESIGNS, design_project  # noqa: E402
from tui.kb import load_kb  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--all", action="store_true", help="print every top-level item, not only the first N")
    args = ap.parse_args()
    kb = load_kb(use_cache=False, include_user=False)
    for name in DESIGNS:
        project = design_project(name, kb)
        cl = build_checklist(project, kb)
        print(f"\n=== {name}: {', '.join(project.services)}")
        if cl.use and cl.use.why:
            print("   also in use: " + "; ".join(f"{k} ({v})" for k, v in cl.use.why.items()))
        for note in (cl.use.notes if cl.use else []):
            print("   note: " + note)
        for scope in ("workload", "baseline"):
            items = cl.scope_items(scope)
            heads = cl.top_level(items)
            confirm = [i for i in heads if i.confirm_group]
            print(f"   {scope}: {len(heads)} top-level ({len(heads) - len(confirm)} work, {len(confirm)} confirm), "
                  f"{len(items)} with sub-checks")
        shown = 0
        for it in cl.top_level(cl.scope_items("workload")):
            if not args.all and shown >= args.top:
                break
            shown += 1
            kids = len(cl.children(it.id))
            print(f"   {it.rank:>3}. [{it.level:<8}] {it.title[:70]:<70} {it.id}"
                  + (f" (+{kids})" if kids else "") + (" CONFIRM" if it.confirm_group else ""))
            print(f"        {'; '.join(it.reasons)}")
        if args.all:
            for it in cl.top_level(cl.scope_items("baseline")):
                kids = len(cl.children(it.id))
                print(f"   B{it.rank:>2}. [{it.level:<8}] {it.title[:70]:<70} {it.id}" + (f" (+{kids})" if kids else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
