"""Terraform -> services: `terraform show -json` plans and states, and `.tf` folders.

Plan and state JSON list every resource, child modules included. `.tf`
source is parsed with python-hcl2: `resource` and `data` blocks of the aws
provider are matched; a local module (`source = "./modules/x"`) is read as
well; a registry module is reported by its source, with the services its
name obviously implies (`terraform-aws-modules/rds/aws` -> rds), resolved
through the knowledge base's own ids and aliases.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tui.iac.matcher import ServiceMatcher
from tui.iac.result import ImportResult
from tui.kb.errors import DataError, Problem
from tui.kb.knowledge import KnowledgeBase
from tui.kb.yamlread import MAX_FILE_BYTES, read_text

_LOCAL = ("./", "../", "/")


def import_terraform(kb: KnowledgeBase, paths: Iterable[Path]) -> ImportResult:
    matcher = ServiceMatcher(kb)
    result = ImportResult("terraform")
    for path in paths:
        if path.is_dir():
            _read_folder(kb, matcher, result, path, seen=set())
        elif path.is_file() and path.suffix == ".tf":
            _read_tf(kb, matcher, result, path, path.parent, seen=set())
        elif path.is_file():
            _read_json(matcher, result, path)
        else:
            raise DataError([Problem(str(path), 1, 1, "no such file or directory")])
    result.fold_variants(matcher.variants())
    return result


# -- plan / state JSON -------------------------------------------------------------
def _read_json(matcher: ServiceMatcher, result: ImportResult, path: Path) -> None:
    text = read_text(path, MAX_FILE_BYTES)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError([Problem(str(path), exc.lineno, exc.colno, f"invalid JSON: {exc.msg} (expected `terraform show -json` output)")]) from None
    except RecursionError:
        raise DataError([Problem(str(path), 1, 1, "JSON nesting is too deep to read")]) from None
    roots = []
    if isinstance(doc, Mapping):
        for key in ("planned_values", "values", "prior_state"):
            section = doc.get(key)
            if key == "prior_state" and isinstance(section, Mapping):
                section = section.get("values")
            if isinstance(section, Mapping) and isinstance(section.get("root_module"), Mapping):
                roots.append(section["root_module"])
    if not roots:
        raise DataError([Problem(str(path), 1, 1, "not a Terraform plan or state (run `terraform show -json`)")])
    result.files.append(str(path))
    seen: set[str] = set()
    for root in roots:
        for module in _modules(root):
            for r in module.get("resources") or ():
                if isinstance(r, Mapping) and isinstance(r.get("address"), str) and r["address"] not in seen:
                    seen.add(r["address"])
                    values = r.get("values")
                    _add(matcher, result, str(r.get("type", "")), r["address"], values if isinstance(values, Mapping) else None)


def _modules(module: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    stack = [module]
    while stack:
        m = stack.pop()
        yield m
        stack += [c for c in (m.get("child_modules") or ()) if isinstance(c, Mapping)]


def _add(matcher: ServiceMatcher, result: ImportResult, rtype: str, address: str, values: Mapping[str, Any] | None) -> None:
    if not rtype.startswith("aws_"):
        return  # other providers (random, null, google...) say nothing about AWS services
    sid = matcher.terraform(rtype, values)
    if sid is None:
        result.unknown.append((rtype, address))
    else:
        result.add(sid, address, rtype)


# -- .tf source -------------------------------------------------------------------
def _read_folder(kb: KnowledgeBase, matcher: ServiceMatcher, result: ImportResult, folder: Path, seen: set[Path]) -> None:
    folder = folder.resolve()
    if folder in seen:
        return
    seen.add(folder)
    files = sorted(folder.glob("*.tf"))
    jsons = sorted(folder.glob("*.json")) if not files else []
    for f in files:
        _read_tf(kb, matcher, result, f, folder, seen)
    for f in jsons:
        try:
            _read_json(matcher, result, f)
        except DataError as exc:
            result.skipped.append((str(f), exc.problems[0].message))
    if not files and not jsons:
        for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
            _read_folder(kb, matcher, result, sub, seen)


def _read_tf(kb: KnowledgeBase, matcher: ServiceMatcher, result: ImportResult, path: Path, folder: Path, seen: set[Path]) -> None:
    import hcl2  # imported here: only .tf import needs the parser

    text = read_text(path, MAX_FILE_BYTES)
    try:
        doc = hcl2.loads(text)
    except Exception as exc:  # python-hcl2 raises lark errors of several kinds
        line, col = _lark_position(exc)
        raise DataError([Problem(str(path), line, col, f"cannot parse HCL: {_first_line(exc)}")]) from None
    result.files.append(str(path))
    for block_kind, prefix in (("resource", ""), ("data", "data.")):
        for block in doc.get(block_kind) or ():
            for rtype, named in _items(block):
                for name, body in _items(named):
                    values = {k: _unquote(v) if isinstance(v, str) else v for k, v in body.items()} if isinstance(body, Mapping) else None
                    _add(matcher, result, _unquote(rtype), f"{path.name}:{prefix}{_unquote(rtype)}.{_unquote(name)}", values)
    for block in doc.get("module") or ():
        for name, body in _items(block):
            source = _unquote(str(body.get("source", ""))) if isinstance(body, Mapping) else ""
            if source.startswith(_LOCAL):
                _read_folder(kb, matcher, result, (folder / source), seen)
            elif source:
                result.modules.append({"name": _unquote(name), "source": source, "services": _implied(kb, source)})


def _implied(kb: KnowledgeBase, source: str) -> list[str]:
    """Services a registry module's name obviously implies, through the KB's ids and aliases."""
    base = source.split("?")[0].split("//")[0]
    parts = base.rstrip("/").split("/")
    name = parts[-2] if len(parts) >= 3 and parts[-1] in ("aws",) else parts[-1]
    name = re.sub(r"^terraform-aws-", "", name)
    found: list[str] = []
    for candidate in (name, *name.split("-")):
        sid = kb.service_id(candidate)
        if sid and sid not in found:
            found.append(sid)
            break
    return found


def _items(block: Any) -> Iterable[tuple[str, Any]]:
    if isinstance(block, Mapping):
        yield from block.items()
    elif isinstance(block, list):
        for b in block:
            yield from _items(b)


def _unquote(s: str) -> str:
    return s[1:-1] if len(s) >= 2 and s[0] == s[-1] == '"' else s


def _lark_position(exc: Exception) -> tuple[int, int]:
    line = getattr(exc, "line", None)
    col = getattr(exc, "column", None)
    return (line if isinstance(line, int) and line > 0 else 1, col if isinstance(col, int) and col > 0 else 1)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
