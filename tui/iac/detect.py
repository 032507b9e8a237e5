"""Tell CloudFormation from Terraform by looking, so a person can just point at a folder."""

from __future__ import annotations

from pathlib import Path

from tui.iac.result import ImportResult
from tui.kb.knowledge import KnowledgeBase
from tui.kb.yamlread import read_head

_SCAN_LIMIT = 2000  # files looked at in a folder before deciding


def detect_format(path: Path) -> str:
    """'terraform' for .tf sources and plan/state JSON, else 'cloudformation'."""
    if path.is_dir():
        for i, f in enumerate(path.rglob("*")):
            if i > _SCAN_LIMIT:
                break
            if (f.suffix in (".tf", ".tfstate") or f.name.endswith(".tf.json")) and not any(p.startswith(".") for p in f.relative_to(path).parts):
                return "terraform"
        return "cloudformation"
    if path.suffix in (".tf", ".tfstate") or path.name.endswith(".tf.json"):
        return "terraform"
    if path.suffix == ".json" and _is_terraform_json(path):
        return "terraform"
    return "cloudformation"


def _is_terraform_json(path: Path) -> bool:
    head = read_head(path, 4096)
    if head is None:
        return False
    return '"terraform_version"' in head or ('"format_version"' in head and '"Resources"' not in head)


def import_any(kb: KnowledgeBase, path: Path, fmt: str | None = None) -> ImportResult:
    """Import one template, folder, plan or state, guessing its kind unless told."""
    kind = fmt or detect_format(path)
    if kind == "terraform":
        from tui.iac.terraform import import_terraform

        return import_terraform(kb, [path])
    from tui.iac.cloudformation import import_cloudformation

    return import_cloudformation(kb, [path])


__all__ = ["detect_format", "import_any"]
