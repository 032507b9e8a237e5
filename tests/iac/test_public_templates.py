"""The import on real public templates (../shared/corpus, read in place, never copied): a sample of
each corpus on every run; `python bench/iac_corpus.py` reads them all. Skipped where the corpus is absent."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("iac_corpus", ROOT / "bench" / "iac_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sam_inputs_import_the_services_of_sams_own_expansion() -> None:
    result = bench().sam_translator(CORPUS / "sam-translator", every=12)
    assert result["compared"] >= 30 and not result["failed"]
    assert result["agree"] / result["compared"] >= 0.95, result["disagree"]


def test_cloudformation_templates_import_or_are_refused_for_a_reason() -> None:
    module = bench()
    result = module.cfn_templates(CORPUS / "cfn-templates", every=8)
    assert result["read"] >= 30
    assert not result["failed"]  # no exit 70, no traceback
    assert not [r for r in result["refused"] if r[1]]  # nothing that declares Resources is refused
