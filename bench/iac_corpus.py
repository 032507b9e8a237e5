"""Run `ownit import` over the real corpora in ../shared/corpus (never copied into the repo).

    python bench/iac_corpus.py [--corpus DIR] [--list]

sam-translator: for each input SAM translates without error (an output/NAME.json that is not
an error), the services found in input/NAME.yaml are compared with those in output/NAME.json
(SAM's own expansion). cfn-templates: every file is imported through the CLI; a file that is a
CloudFormation template must import (exit 0), nothing may exit 70 or print a traceback.
Prints templates read, refused (with reasons), agreement, and time per file (median, max).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _cli(path: Path) -> tuple[int, str, str, float]:
    from tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["import", "cloudformation", str(path), "--json", "--no-user-data"])
    return code, out.getvalue(), err.getvalue(), time.perf_counter() - start


def sam_translator(root: Path, every: int = 1) -> dict[str, Any]:
    """`every`: one input in N (a stride through the sorted names; tests sample, the bench reads all)."""
    compared, agree, disagree, crashed, times = 0, 0, [], [], []
    for inp in sorted((root / "input").glob("*.yaml"))[::every]:
        out = root / "output" / f"{inp.stem}.json"
        if not out.is_file() or "errorMessage" in json.loads(out.read_text(encoding="utf-8")):
            continue  # SAM rejects this input (its output holds the translator's error)
        found = []
        for path in (inp, out):
            code, stdout, stderr, secs = _cli(path)
            times.append((secs, str(path)))
            if code != 0:
                crashed.append((str(path), code, stderr.strip().splitlines()[-1:] or [""]))
                break
            found.append(set(json.loads(stdout)["services"]))
        if len(found) < 2:
            continue
        compared += 1
        if found[0] == found[1]:
            agree += 1
        else:
            disagree.append({"name": inp.stem, "missing": sorted(found[1] - found[0]), "extra": sorted(found[0] - found[1])})
    return {"compared": compared, "agree": agree, "disagree": disagree, "failed": crashed, "times": times}


def _is_template(path: Path) -> bool:
    """A CloudFormation template by its own declaration: a Resources section at the top level."""
    import re

    text = path.read_text(encoding="utf-8", errors="replace")
    if text.lstrip().startswith("{"):
        try:
            doc = json.loads(text)
        except ValueError:
            return '"Resources"' in text
        return isinstance(doc, dict) and "Resources" in doc
    return re.search(r"^Resources\s*:", text, re.M) is not None


def cfn_templates(root: Path, every: int = 1) -> dict[str, Any]:
    read, refused, failed, times, warned = 0, [], [], [], 0
    files = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".json", ".template") and p.is_file())
    for path in files[::every]:
        code, stdout, stderr, secs = _cli(path)
        times.append((secs, str(path)))
        if code == 70 or "Traceback" in stderr:
            failed.append((str(path), code, stderr.strip()[-300:]))
        elif code == 0:
            read += 1
            warned += bool(json.loads(stdout)["warnings"])
        else:
            refused.append((str(path.relative_to(root)), _is_template(path), stderr.strip().splitlines()[0] if stderr.strip() else ""))
    return {"read": read, "refused": refused, "failed": failed, "times": times, "warned": warned}


def _times(label: str, times: list[tuple[float, str]]) -> None:
    secs = [t for t, _ in times]
    worst = max(times)
    print(f"  time per file: median {statistics.median(secs) * 1000:.0f} ms, max {worst[0] * 1000:.0f} ms ({worst[1]})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("--list", action="store_true", help="list every disagreement and refusal")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    from tui.kb import load_kb

    load_kb()  # warm the cache so the first file's time is the import's own
    ok = True
    sam = sam_translator(args.corpus / "sam-translator")
    pct = 100 * sam["agree"] / max(sam["compared"], 1)
    print(f"sam-translator: {sam['compared']} inputs SAM translates; services agree with SAM's expansion: "
          f"{sam['agree']} ({pct:.1f}%); failed: {len(sam['failed'])}")
    for d in sam["disagree"] if args.list else sam["disagree"][:20]:
        print(f"  differs: {d['name']}: missing {d['missing']}, extra {d['extra']}")
    for f in sam["failed"]:
        print(f"  FAILED: {f}")
    _times("sam", sam["times"])
    ok &= pct >= 98 and not sam["failed"]
    cfn = cfn_templates(args.corpus / "cfn-templates")
    false = [r for r in cfn["refused"] if r[1]]
    print(f"cfn-templates: {cfn['read']} read ({cfn['warned']} with warnings), {len(cfn['refused'])} refused "
          f"({len(false)} of them look like templates), {len(cfn['failed'])} crashed")
    for name, looks, why in cfn["refused"]:
        print(f"  refused{' (LOOKS LIKE A TEMPLATE)' if looks else ''}: {name}: {why}")
    for f in cfn["failed"]:
        print(f"  CRASHED: {f}")
    _times("cfn", cfn["times"])
    worst = max(t for t, _ in sam["times"] + cfn["times"])
    ok &= not false and not cfn["failed"] and worst < 1.0
    print("PASS" if ok else "MISS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
