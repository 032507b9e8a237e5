"""CloudFormation, SAM and CDK (`cdk.out`) templates -> services.

YAML templates use the short-form intrinsic tags (`!Ref`, `!Sub`, `!GetAtt`
...); they are read into their long form, so `!If [...]` and `Fn::If` look the
same. Every other tag is refused by the shared YAML reader, sizes and
nesting are bounded, and a file that is not a template is skipped, not fatal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from tui.iac.matcher import ServiceMatcher
from tui.iac.result import ImportResult
from tui.kb.errors import DataError, Problem
from tui.kb.knowledge import KnowledgeBase
from tui.kb.yamlread import MAX_FILE_BYTES, parse, read_text

INTRINSICS = {
    "Ref": "Ref", "Condition": "Condition",
    **{t: f"Fn::{t}" for t in (
        "Sub", "GetAtt", "If", "Join", "Select", "Split", "FindInMap", "ImportValue", "Base64",
        "Cidr", "GetAZs", "Equals", "And", "Or", "Not", "Transform", "ToJsonString", "Length",
        "ForEach",
    )},
}
# Resources that structure templates rather than use a service: nested stacks are
# read as their own files, and CDK's metadata is the toolkit's own bookkeeping.
_BOOKKEEPING = {"AWS::CloudFormation::Stack", "AWS::CDK::Metadata"}
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")


def _intrinsic(node: yaml.Node, value: Any) -> Any:
    name = node.tag[1:] if node.tag.startswith("!") else ""
    long = INTRINSICS.get(name)
    if long is None:
        raise _UnknownTag(node)
    if name == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {long: value}


class _UnknownTag(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def read_template(path: Path) -> Any:
    """A template as plain data, or DataError with file, line and column."""
    text = read_text(path, MAX_FILE_BYTES)
    name = str(path)
    if path.suffix == ".json" or text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError([Problem(name, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}")]) from None
        except RecursionError:
            raise DataError([Problem(name, 1, 1, "JSON nesting is too deep to read")]) from None
    try:
        return parse(text, name, tag_handler=_intrinsic)
    except _UnknownTag as exc:
        mark = exc.node.start_mark
        raise DataError([Problem(name, mark.line + 1, mark.column + 1, f"tag '{exc.node.tag}' is not a CloudFormation intrinsic function")]) from None


def template_files(paths: Iterable[Path]) -> list[Path]:
    """The files to read: given files, and template-looking files under given folders."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix in TEMPLATE_SUFFIXES and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and f.name not in ("manifest.json", "tree.json", "cdk.json", "package.json", "tsconfig.json")
                and not f.name.endswith(".assets.json")
            )
        elif p.is_file():
            out.append(p)
        else:
            raise DataError([Problem(str(p), 1, 1, "no such file or directory")])
    return out


def import_cloudformation(kb: KnowledgeBase, paths: Iterable[Path]) -> ImportResult:
    matcher = ServiceMatcher(kb)
    result = ImportResult("cloudformation")
    explicit = {p for p in paths if p.is_file()}
    problems: list[Problem] = []
    for path in template_files(paths):
        try:
            doc = read_template(path)
        except DataError as exc:
            if path in explicit:
                problems += exc.problems
            else:
                result.skipped.append((str(path), exc.problems[0].message))
            continue
        resources = doc.get("Resources") if isinstance(doc, Mapping) else None
        if not isinstance(resources, Mapping):
            if path in explicit:
                problems.append(Problem(str(path), 1, 1, "not a CloudFormation template (no 'Resources' mapping)"))
            else:
                result.skipped.append((str(path), "not a CloudFormation template"))
            continue
        result.files.append(str(path))
        _scan(matcher, result, path, resources)
    if problems:
        raise DataError(problems)
    result.fold_variants(matcher.variants())
    return result


def _scan(matcher: ServiceMatcher, result: ImportResult, path: Path, resources: Mapping[str, Any]) -> None:
    for logical_id, resource in resources.items():
        if not isinstance(resource, Mapping):
            continue
        rtype = resource.get("Type")
        if not isinstance(rtype, str):
            continue
        address = f"{path.name}:{logical_id}"
        if rtype.startswith("Custom::") or rtype == "AWS::CloudFormation::CustomResource":
            result.custom.append((rtype, address))
            continue
        if rtype in _BOOKKEEPING:
            continue
        props = resource.get("Properties")
        sid = matcher.cloudformation(rtype, props if isinstance(props, Mapping) else None)
        if sid is not None:
            result.add(sid, address, rtype)
        else:
            result.unknown.append((rtype, address))
