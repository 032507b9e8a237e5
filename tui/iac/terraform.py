"""Terraform -> services: `.tf` / `.tf.json` folders, `terraform show -json` plans and states,
and raw `terraform.tfstate` files.

`.tf` source is parsed with python-hcl2. `resource` blocks of the aws provider
are matched (their `dynamic` blocks count as blocks for property refinements);
`count`, `for_each` and conditional expressions are resolved from variable
defaults, `--var-file` tfvars and literal module arguments (tfexpr): a
resource that resolves to none is not counted, one that cannot be resolved is
counted as conditional. `data` blocks are reported apart and never imply a
service (the meta ones, caller identity, region, partition, are silent). A
local module (`source = "./modules/x"`) is read with its arguments; a
registry module is reported by its source, with the services the knowledge
base says it creates (`terraform_modules` on services), else the service its
name implies. A missing module folder or a file that cannot be parsed is a
located warning while the rest is imported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tui.iac.matcher import ServiceMatcher
from tui.iac.result import ImportResult
from tui.iac.tfexpr import UNKNOWN, evaluate, instances
from tui.kb.errors import DataError, Problem
from tui.kb.knowledge import KnowledgeBase
from tui.kb.yamlread import MAX_FILE_BYTES, read_text

_LOCAL = ("./", "../", "/")
# data sources that describe the caller or the provider, not any service used
META_DATA_SOURCES = {
    "aws_caller_identity", "aws_region", "aws_regions", "aws_partition", "aws_availability_zone",
    "aws_availability_zones", "aws_default_tags", "aws_arn", "aws_billing_service_account", "aws_service",
    "aws_service_principal", "aws_ip_ranges",
}
_MAX_MODULE_DEPTH = 20


def import_terraform(kb: KnowledgeBase, paths: Iterable[Path], var_files: Iterable[Path] = ()) -> ImportResult:
    """Import folders, files, plans and states; unreadable parts are warnings, and only when
    nothing could be read at all is it an error (DataError)."""
    matcher = ServiceMatcher(kb)
    result = ImportResult("terraform")
    problems: list[Problem] = []
    inputs: dict[str, Any] = {}
    for vf in var_files:
        try:
            inputs.update(_read_tfvars(vf))
        except DataError as exc:
            problems += exc.problems
            for p in exc.problems:
                result.warn(f"{p.path}:{p.line}:{p.column}", p.message)
    reader = _Reader(kb, matcher, result)
    for path in paths:
        try:
            if path.is_dir():
                reader.folder(path, inputs, conditional=False, prefix="", depth=0, walk=True)
            elif path.is_file() and (path.suffix == ".tf" or path.name.endswith(".tf.json")):
                reader.module([path], path.parent, inputs, conditional=False, prefix="", depth=0)
            elif path.is_file():
                _read_json(matcher, result, path)
            else:
                raise DataError([Problem(str(path), 1, 1, "no such file or directory")])
        except DataError as exc:
            problems += exc.problems
            for p in exc.problems:
                result.warn(f"{p.path}:{p.line}:{p.column}", p.message)
    if problems and not result.files:
        raise DataError(problems)
    result.fold_variants(matcher.variants())
    return result


def _read_tfvars(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise DataError([Problem(str(path), 1, 1, "no such file or directory")])
    text = read_text(path, MAX_FILE_BYTES)
    if path.name.endswith(".json"):
        try:
            doc = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise DataError([Problem(str(path), getattr(exc, "lineno", 1), getattr(exc, "colno", 1), "invalid JSON tfvars")]) from None
    else:
        doc = _parse_hcl(path, text, tfvars=True)
    if not isinstance(doc, Mapping):
        raise DataError([Problem(str(path), 1, 1, "a tfvars file sets variables: name = value")])
    return {k: evaluate(v, lambda kind, name: UNKNOWN) for k, v in doc.items() if k != "__is_block__"}


# -- plan / state JSON -------------------------------------------------------------
def _read_json(matcher: ServiceMatcher, result: ImportResult, path: Path) -> None:
    text = read_text(path, MAX_FILE_BYTES)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError([Problem(str(path), exc.lineno, exc.colno, f"invalid JSON: {exc.msg} (expected `terraform show -json` output)")]) from None
    except RecursionError:
        raise DataError([Problem(str(path), 1, 1, "JSON nesting is too deep to read")]) from None
    if isinstance(doc, Mapping) and isinstance(doc.get("resources"), list) and "version" in doc:
        _read_raw_state(matcher, result, path, doc)
        return
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
                    rtype = str(r.get("type", ""))
                    if r.get("mode") == "data":
                        _data(result, rtype, r["address"])
                    else:
                        _add(matcher, result, rtype, r["address"], values if isinstance(values, Mapping) else None)


def _read_raw_state(matcher: ServiceMatcher, result: ImportResult, path: Path, doc: Mapping[str, Any]) -> None:
    """A `terraform.tfstate` file as Terraform writes it (format version 4)."""
    result.files.append(str(path))
    for r in doc["resources"]:
        if not isinstance(r, Mapping):
            continue
        rtype, name = str(r.get("type", "")), str(r.get("name", ""))
        module = f"{r['module']}." if isinstance(r.get("module"), str) else ""
        address = f"{module}{'data.' if r.get('mode') == 'data' else ''}{rtype}.{name}"
        if r.get("mode") == "data":
            _data(result, rtype, address)
            continue
        inst = r.get("instances")
        attrs = inst[0].get("attributes") if isinstance(inst, list) and inst and isinstance(inst[0], Mapping) else None
        if isinstance(inst, list) and not inst:
            result.not_created.append(address)
            continue
        _add(matcher, result, rtype, address, attrs if isinstance(attrs, Mapping) else None)


def _modules(module: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    stack = [module]
    while stack:
        m = stack.pop()
        yield m
        stack += [c for c in (m.get("child_modules") or ()) if isinstance(c, Mapping)]


def _add(matcher: ServiceMatcher, result: ImportResult, rtype: str, address: str, values: Mapping[str, Any] | None,
         conditional: bool = False) -> None:
    if not rtype.startswith("aws_"):
        return  # other providers (random, null, google...) say nothing about AWS services
    sid = matcher.terraform(rtype, values)
    if sid is None:
        result.unknown.append((rtype, address))
    else:
        result.add(sid, address, rtype, conditional)


def _data(result: ImportResult, rtype: str, address: str) -> None:
    if rtype.startswith("aws_") and rtype not in META_DATA_SOURCES:
        result.data_sources.append((rtype, address))


# -- .tf source -------------------------------------------------------------------
class _Reader:
    def __init__(self, kb: KnowledgeBase, matcher: ServiceMatcher, result: ImportResult) -> None:
        self.kb, self.matcher, self.result = kb, matcher, result
        self.modules_by_source: dict[str, list[str]] = {}
        for s in kb.services.values():
            for src in getattr(s, "terraform_modules", ()):
                self.modules_by_source.setdefault(_module_key(src), []).append(s.id)

    def folder(self, folder: Path, inputs: Mapping[str, Any], conditional: bool, prefix: str, depth: int,
               walk: bool = False) -> None:
        files = sorted([*folder.glob("*.tf"), *folder.glob("*.tf.json")])
        if files:
            self.module(files, folder, inputs, conditional, prefix, depth)
            return
        if not walk:
            self.result.warn(f"{folder}:1:1", "module folder has no .tf files")
            return
        jsons = sorted([*folder.glob("*.json"), *folder.glob("*.tfstate")])
        for f in jsons:
            try:
                _read_json(self.matcher, self.result, f)
            except DataError as exc:
                self.result.skipped.append((str(f), exc.problems[0].message))
        if not jsons:
            for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
                self.folder(sub, inputs, conditional, prefix, depth, walk=True)

    def module(self, files: list[Path], folder: Path, inputs: Mapping[str, Any], conditional: bool, prefix: str,
               depth: int) -> None:
        docs: list[tuple[Path, Mapping[str, Any]]] = []
        for f in files:
            try:
                doc = _parse_file(f)
            except DataError as exc:
                for p in exc.problems:
                    self.result.warn(f"{p.path}:{p.line}:{p.column}", p.message)
                continue
            self.result.files.append(str(f))
            docs.append((f, doc))
        defaults: dict[str, Any] = {}
        locals_: dict[str, Any] = {}
        for _, doc in docs:
            for block in _blocks(doc.get("variable")):
                for name, body in _items(block):
                    if isinstance(body, Mapping) and "default" in body:
                        defaults[_unquote(name)] = body["default"]
            for block in _blocks(doc.get("locals")):
                if isinstance(block, Mapping):
                    locals_.update({k: v for k, v in block.items() if k != "__is_block__"})
        busy: set[str] = set()

        def lookup(kind: str, name: str) -> Any:
            if kind == "var":
                if name in inputs:
                    return inputs[name]
                if name in defaults:
                    return evaluate(defaults[name], lambda k, n: UNKNOWN)
                return UNKNOWN
            if name in busy or name not in locals_:
                return UNKNOWN
            busy.add(name)
            try:
                return evaluate(locals_[name], lookup)
            finally:
                busy.discard(name)

        for path, doc in docs:
            for block in _blocks(doc.get("resource")):
                for rtype, named in _items(block):
                    for name, body in _items(named):
                        rtype_, name_ = _unquote(rtype), _unquote(name)
                        address = f"{prefix}{path.name}:{rtype_}.{name_}"
                        body = body if isinstance(body, Mapping) else {}
                        exists = _exists(body, lookup)
                        if exists is False:
                            self.result.not_created.append(address)
                            continue
                        _add(self.matcher, self.result, rtype_, address, _values(body, lookup),
                             conditional or exists is None)
            for block in _blocks(doc.get("data")):
                for rtype, named in _items(block):
                    for name, body in _items(named):
                        if _exists(body if isinstance(body, Mapping) else {}, lookup) is not False:
                            _data(self.result, _unquote(rtype), f"{prefix}{path.name}:data.{_unquote(rtype)}.{_unquote(name)}")
            for block in _blocks(doc.get("module")):
                for name, body in _items(block):
                    if isinstance(body, Mapping):
                        self.call(path, folder, _unquote(name), body, lookup, conditional, prefix, depth)

    def call(self, path: Path, folder: Path, name: str, body: Mapping[str, Any], lookup: Any, conditional: bool,
             prefix: str, depth: int) -> None:
        source = _unquote(str(body.get("source", "")))
        exists = _exists(body, lookup)
        if exists is False:
            self.result.not_created.append(f"{prefix}module.{name}")
            return
        cond = conditional or exists is None
        if source.startswith(_LOCAL):
            child = (folder / source).resolve()
            if not child.is_dir():
                self.result.warn(_module_at(path, name), f"module '{name}': source folder {source} not found; "
                                 "its resources are not counted")
                return
            if depth >= _MAX_MODULE_DEPTH:
                self.result.warn(_module_at(path, name),
                                 f"module '{name}': modules nested deeper than {_MAX_MODULE_DEPTH}; not followed")
                return
            args = {k: evaluate(v, lookup) for k, v in body.items()
                    if k not in ("source", "version", "count", "for_each", "providers", "depends_on", "__is_block__")}
            self.folder(child, args, cond, f"{prefix}module.{name}/", depth + 1)
        elif source:
            entry: dict[str, Any] = {"name": name, "source": source, "services": self.implied(source)}
            if cond:
                entry["conditional"] = True
            self.result.modules.append(entry)

    def implied(self, source: str) -> list[str]:
        """Services a registry module creates: the knowledge base's `terraform_modules`, else its name."""
        known = self.modules_by_source.get(_module_key(source))
        if known:
            return sorted(known)
        return _implied_by_name(self.kb, source)


def _module_key(source: str) -> str:
    """`terraform-aws-modules/eks/aws`, `git::https://github.com/terraform-aws-modules/terraform-aws-eks.git?ref=v20`
    and `terraform-aws-modules/eks/aws//modules/karpenter` -> `terraform-aws-modules/eks/aws` (submodules: their own key)."""
    s = source.split("?")[0]
    s = re.sub(r"^git::|^https?://|^github\.com/|^registry\.terraform\.io/", "", s)
    s = re.sub(r"^(https?://)?github\.com/", "", s)
    m = re.match(r"terraform-aws-modules/terraform-aws-([\w-]+?)(?:\.git)?(//.*)?$", s)
    if m:
        return f"terraform-aws-modules/{m.group(1)}/aws" + (m.group(2) or "")
    return s.rstrip("/")


def _implied_by_name(kb: KnowledgeBase, source: str) -> list[str]:
    base = source.split("?")[0].split("//")[0]
    parts = base.rstrip("/").split("/")
    name = parts[-2] if len(parts) >= 3 and parts[-1] in ("aws",) else parts[-1]
    name = re.sub(r"^terraform-aws-", "", name).removesuffix(".git")
    for candidate in (name, *name.split("-")):
        sid = kb.service_id(candidate)
        if sid:
            return [sid]
    return []


def _exists(body: Mapping[str, Any], lookup: Any) -> bool | None:
    count = evaluate(body["count"], lookup) if "count" in body else None
    for_each = evaluate(body["for_each"], lookup) if "for_each" in body else None
    return instances(count, for_each)


def _values(body: Mapping[str, Any], lookup: Any) -> dict[str, Any]:
    """Attribute values for refinement rules: literals and resolved expressions; a `dynamic`
    block counts as the block it generates (its `content`)."""
    out: dict[str, Any] = {}
    for k, v in body.items():
        if k == "dynamic":
            for name, dyn in _items(v):
                if isinstance(dyn, Mapping):
                    out.setdefault(_unquote(name), []).extend(_blocks(dyn.get("content")))
            continue
        if isinstance(v, str):
            resolved = evaluate(v, lookup)
            out[k] = resolved if resolved is not UNKNOWN else _unquote(v)
        else:
            out[k] = v
    return out


def _parse_file(path: Path) -> Mapping[str, Any]:
    text = read_text(path, MAX_FILE_BYTES)
    if path.name.endswith(".json"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError([Problem(str(path), exc.lineno, exc.colno, f"invalid JSON: {exc.msg}")]) from None
        except RecursionError:
            raise DataError([Problem(str(path), 1, 1, "JSON nesting is too deep to read")]) from None
        if not isinstance(doc, Mapping):
            raise DataError([Problem(str(path), 1, 1, "a .tf.json file is a JSON object of blocks")])
        return doc
    doc = _parse_hcl(path, text)
    return doc if isinstance(doc, Mapping) else {}


def _parse_hcl(path: Path, text: str, tfvars: bool = False) -> Any:
    import hcl2  # imported here: only .tf import needs the parser

    if not tfvars and "<<" not in text and not re.search(r"^\s*(resource|module|data|variable|locals)\b", text, re.M):
        return {}  # nothing that can name a service or decide one (providers, outputs, versions)
    try:
        return hcl2.loads(_fix_heredocs(text))
    except Exception as exc:  # python-hcl2 raises lark errors of several kinds
        line, col = _lark_position(exc)
        raise DataError([Problem(str(path), line, col, f"cannot parse HCL: {_first_line(exc)}")]) from None


_HEREDOC = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_]*)\s*$")


def _fix_heredocs(text: str) -> str:
    """Terraform accepts a heredoc's closing marker followed by spaces; python-hcl2 does not."""
    if "<<" not in text:
        return text
    lines = text.split("\n")
    marker = None
    for i, line in enumerate(lines):
        if marker is None:
            m = _HEREDOC.search(line)
            if m:
                marker = m.group(1)
        elif line.strip() == marker:
            lines[i] = line.rstrip()
            marker = None
    return "\n".join(lines)


def _blocks(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _items(block: Any) -> Iterable[tuple[str, Any]]:
    if isinstance(block, Mapping):
        yield from ((k, v) for k, v in block.items() if k != "__is_block__")
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


def _module_at(path: Path, name: str) -> str:
    """`path:line:col` of a module block (the HCL parser keeps no positions): found in the text, else 1:1."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return f"{path}:1:1"
    m = re.search(r'^([ \t]*)module\s+"' + re.escape(name) + r'"', text, re.M)
    if m is None:
        return f"{path}:1:1"
    return f"{path}:{text.count(chr(10), 0, m.start()) + 1}:{len(m.group(1)) + 1}"
