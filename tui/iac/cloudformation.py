"""CloudFormation, SAM and CDK (`cdk.out`) templates -> services.

YAML templates use the short-form intrinsic tags (`!Ref`, `!Sub`, `!GetAtt`,
the Rules functions such as `!ValueOf` ...); they are read into their long
form, so `!If [...]` and `Fn::If` look the same. Any other tag (a tool's own,
such as Rain's `!Rain::Embed`) is kept as an opaque value with a located
warning. Sizes and nesting are bounded, and a file that is not a template,
or cannot be read, is a warning while the rest is imported.

What SAM creates or uses implicitly (API Gateway for an `Api` event, an IAM
role for a function without `Role`, CodeDeploy for `DeploymentPreference`)
comes from the knowledge base's `sam` rules, not from this module.
`Fn::ForEach` (AWS::LanguageExtensions) is read: the resources it generates
count once per logical template. Nested stacks (`AWS::CloudFormation::Stack`,
`AWS::Serverless::Application`) are listed, and followed when their template
is a local file.
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
        # the Rules section's functions
        "Contains", "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf", "ValueOfAll",
    )},
}
# Resources that structure templates rather than use a service: CDK's metadata is the
# toolkit's own bookkeeping; nested stacks are listed apart and followed where local.
NESTED = {"AWS::CloudFormation::Stack": "TemplateURL", "AWS::Serverless::Application": "Location"}
_BOOKKEEPING = {"AWS::CDK::Metadata", *NESTED}
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
# SAM's Globals section: its keys and the resource types they give properties to
_GLOBALS = {
    "Function": "AWS::Serverless::Function", "Api": "AWS::Serverless::Api", "HttpApi": "AWS::Serverless::HttpApi",
    "SimpleTable": "AWS::Serverless::SimpleTable", "StateMachine": "AWS::Serverless::StateMachine",
    "LayerVersion": "AWS::Serverless::LayerVersion", "CapacityProvider": "AWS::Serverless::CapacityProvider",
    "WebSocketApi": "AWS::Serverless::WebSocketApi",
}

# SAM creates one implicit API for the Api (HttpApi) events that name no RestApiId (ApiId)
_IMPLICIT_API = {
    t: {"Api": ("AWS::Serverless::Api", "RestApiId", "ServerlessRestApi"),
        **({"HttpApi": ("AWS::Serverless::HttpApi", "ApiId", "ServerlessHttpApi")} if t.endswith("Function") else {})}
    for t in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine")
}


class Opaque(dict):  # type: ignore[type-arg]
    """A value behind a tag that is not CloudFormation's (Rain's `!Rain::Embed` ...): kept, never interpreted."""


def _tag_handler(warnings: list[tuple[str, str]], name: str):  # type: ignore[no-untyped-def]
    def handle(node: yaml.Node, value: Any) -> Any:
        tag = node.tag[1:] if node.tag.startswith("!") else ""
        long = INTRINSICS.get(tag)
        if long is None:
            mark = node.start_mark
            warnings.append((f"{name}:{mark.line + 1}:{mark.column + 1}",
                             f"tag '{node.tag}' is not a CloudFormation intrinsic function; its value is read as opaque"))
            return Opaque({node.tag: value})
        if tag == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
        return {long: value}

    return handle


def read_template(path: Path, warnings: list[tuple[str, str]] | None = None) -> Any:
    """A template as plain data, or DataError with file, line and column.

    Unknown tags become opaque values; their located warnings go to `warnings`."""
    text = read_text(path, MAX_FILE_BYTES)
    name = str(path)
    if path.suffix == ".json" or text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            if path.suffix == ".json":
                raise DataError([Problem(name, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}")]) from None
        except RecursionError:
            raise DataError([Problem(name, 1, 1, "JSON nesting is too deep to read")]) from None
    return parse(text, name, tag_handler=_tag_handler(warnings if warnings is not None else [], name))


def template_files(paths: Iterable[Path], result: ImportResult | None = None) -> list[Path]:
    """The files to read: given files, and template-looking files under given folders.

    A path that does not exist is a warning in `result` (an error without one)."""
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
        elif result is not None:
            result.warn(f"{p}:1:1", "no such file or directory")
        else:
            raise DataError([Problem(str(p), 1, 1, "no such file or directory")])
    return out


def import_cloudformation(kb: KnowledgeBase, paths: Iterable[Path]) -> ImportResult:
    """Import templates; a file that cannot be read is a warning, and only when nothing
    could be read at all is it an error (DataError, every problem located)."""
    paths = list(paths)
    matcher = ServiceMatcher(kb)
    result = ImportResult("cloudformation")
    explicit = {p for p in paths if p.is_file()}
    problems: list[Problem] = [Problem(str(p), 1, 1, "no such file or directory") for p in paths if not p.exists()]
    queue = template_files(paths, result)
    done: set[Path] = set()
    while queue:
        path = queue.pop(0)
        key = path.resolve()
        if key in done:
            continue
        done.add(key)
        warnings: list[tuple[str, str]] = []
        try:
            doc = read_template(path, warnings)
        except DataError as exc:
            if path in explicit:
                problems += exc.problems
                for p in exc.problems:
                    result.warn(f"{p.path}:{p.line}:{p.column}", p.message)
            else:
                result.skipped.append((str(path), exc.problems[0].message))
            continue
        resources = doc.get("Resources") if isinstance(doc, Mapping) else None
        if not isinstance(resources, Mapping):
            if path in explicit:
                problems.append(Problem(str(path), 1, 1, "not a CloudFormation template (no 'Resources' mapping)"))
            result.skipped.append((str(path), "not a CloudFormation template (no 'Resources' mapping)"))
            continue
        for where, message in warnings:
            result.warn(where, message)
        result.files.append(str(path))
        globals_ = doc.get("Globals") if isinstance(doc.get("Globals"), Mapping) else {}
        queue += _scan(matcher, result, path, resources, globals_)
    if problems and not result.files:
        raise DataError(problems)
    result.fold_variants(matcher.variants())
    return result


def _resources(resources: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    """(logical id, resource) pairs; a `Fn::ForEach::Name` loop's template counts once."""
    for logical_id, resource in resources.items():
        if isinstance(logical_id, str) and logical_id.startswith("Fn::ForEach::"):
            if isinstance(resource, list) and len(resource) == 3 and isinstance(resource[2], Mapping):
                yield from _resources(resource[2], f"{prefix}{logical_id}/")
            continue
        yield f"{prefix}{logical_id}", resource


def _scan(matcher: ServiceMatcher, result: ImportResult, path: Path, resources: Mapping[str, Any],
          globals_: Mapping[str, Any]) -> list[Path]:
    """Match every resource; returns the local child templates of nested stacks to follow."""
    children: list[Path] = []
    implicit: set[tuple[str, str]] = set()
    for logical_id, resource in _resources(resources):
        if not isinstance(resource, Mapping):
            continue
        rtype = resource.get("Type")
        if not isinstance(rtype, str):
            continue
        address = f"{path.name}:{logical_id}"
        if rtype.startswith("Custom::") or rtype == "AWS::CloudFormation::CustomResource":
            result.custom.append((rtype, address))
            continue
        props = resource.get("Properties")
        props = props if isinstance(props, Mapping) else {}
        if rtype in NESTED:
            child = _local_child(path, props.get(NESTED[rtype]))
            result.nested.append({"address": address, "type": rtype, "template": _describe(props.get(NESTED[rtype])),
                                  "followed": child is not None})
            if child is not None:
                children.append(child)
            continue
        if rtype in _BOOKKEEPING:
            continue
        if rtype.startswith("AWS::Serverless::"):
            props = _with_globals(props, rtype, globals_)
        sid = matcher.cloudformation(rtype, props)
        if sid is not None:
            result.add(sid, address, rtype)
        else:
            result.unknown.append((rtype, address))
        _implied(matcher, result, rtype, props, address)
        if rtype in _IMPLICIT_API:
            for ev in (props.get("Events") or {}).values() if isinstance(props.get("Events"), Mapping) else ():
                if isinstance(ev, Mapping) and ev.get("Type") in _IMPLICIT_API[rtype]:
                    api_type, id_key, name = _IMPLICIT_API[rtype][ev["Type"]]
                    eprops = ev.get("Properties")
                    if not (isinstance(eprops, Mapping) and id_key in eprops):
                        implicit.add((api_type, name))
    for api_type, name in sorted(implicit):  # SAM's implicit API takes Globals.Api / Globals.HttpApi
        _implied(matcher, result, api_type, _with_globals({}, api_type, globals_), f"{path.name}:{name}")
    return children


def _implied(matcher: ServiceMatcher, result: ImportResult, rtype: str, props: Mapping[str, Any], address: str) -> None:
    for sid, where in matcher.implied(rtype, props):
        result.add(sid, f"{address}{where}", f"{rtype} (implied)")


def _with_globals(props: Mapping[str, Any], rtype: str, globals_: Mapping[str, Any]) -> Mapping[str, Any]:
    for key, gtype in _GLOBALS.items():
        g = globals_.get(key)
        if gtype == rtype and isinstance(g, Mapping):
            return {**g, **props}
    return props


def _local_child(parent: Path, location: Any) -> Path | None:
    """The child template of a nested stack when it is a local file (not an S3 URL or a SAR app)."""
    if not isinstance(location, str) or "://" in location or location.startswith("s3:"):
        return None
    child = (parent.parent / location)
    if child.is_dir():
        child = next((child / n for n in ("template.yaml", "template.yml", "template.json") if (child / n).is_file()), child)
    return child if child.is_file() else None


def _describe(location: Any) -> str:
    if isinstance(location, str):
        return location
    if isinstance(location, Mapping) and "ApplicationId" in location:
        return f"serverless application {_describe(location['ApplicationId'])}"
    return "(computed)"
