"""The domain never imports Textual: proven in a fresh interpreter, as Harlequin does."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["tui.kb", "tui.checklist", "tui.iac", "tui.evidence", "tui.cli"])
def test_domain_does_not_import_textual(package: str) -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module('{package}')\n"
        "for m in pkgutil.walk_packages(getattr(pkg, '__path__', []), pkg.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n == 'textual' or n.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{package} imports {out.stdout.strip()}"


def test_evidence_and_iac_never_import_each_other() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "tui"
    for pkg, other in (("evidence", "tui.iac"), ("iac", "tui.evidence")):
        for f in (root / pkg).glob("*.py"):
            text = f.read_text(encoding="utf-8")
            assert f"from {other}" not in text and f"import {other}" not in text, f"{f} imports {other}"
