"""Load the knowledge base: the shipped data, then overlays, then cross-checks.

Precedence (later wins, record by record, by kind and id):
  1. the knowledge base shipped in the wheel (data/);
  2. the user's own directory, `<user data dir>/ownit/data` (platformdirs);
  3. each `--data DIR`, in the order given.
A record in a later source replaces the whole record of the same id; two
records of the same id inside one source are an error.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.kb import model as m
from tui.kb.errors import DataError, Problem, did_you_mean
from tui.kb.fields import KINDS, META
from tui.kb.knowledge import KnowledgeBase

if TYPE_CHECKING:  # YAML reading and validation are imported on a cache miss only
    from tui.kb.validate import Checker
    from tui.kb.yamlread import YMap

TOP_KEYS = ("meta", *KINDS)
# A knowledge-base file is at most 4 MiB (the largest shipped one is ~120 KB): such a
# file is read and checked well under a second. Templates may be larger (yamlread.MAX_FILE_BYTES).
MAX_DATA_BYTES = 4 * 1024 * 1024
_SINGULAR = {"layers": "layer", "services": "service", "controls": "control", "tools": "tool", "frameworks": "framework"}


def shipped_data_dir() -> Path:
    """data/ inside the installed wheel, or the repository's data/ in a checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "data", here.parent / "data"):
        if (candidate / "layers.yaml").is_file():
            return candidate
    raise DataError([Problem(str(here / "data"), 1, 1, "the shipped knowledge base is missing")])


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("ownit", appauthor=False) / "data"


def data_files(directory: Path) -> list[Path]:
    """Every YAML file under a directory (not the JSON Schemas), in a stable order."""
    if directory.is_file():
        return [directory]
    return sorted(Path(f) for f in walk_data_files(directory))


def walk_data_files(directory: Path) -> Iterator[str]:
    """The files of `data_files` as strings, in walk order: the cache's fingerprint stats them at
    every start, and Path objects and their sort cost more than the stats at 10x the data."""
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d != "schema" and not d.startswith("."))
        yield from (os.path.join(root, f) for f in sorted(files) if f.endswith((".yaml", ".yml")))


def default_sources(extra: Sequence[Path] = (), include_user: bool = True) -> list[Path]:
    sources = [shipped_data_dir()]
    if include_user:
        user = user_data_dir()
        if user.is_dir():
            sources.append(user)
    for d in extra:
        if not d.exists():
            raise DataError([Problem(str(d), 0, 0, "no such file or directory")])
        sources.append(d)
    return sources


def load_kb(extra: Sequence[Path] = (), include_user: bool = True, use_cache: bool = True) -> KnowledgeBase:
    """The shipped knowledge base with overlays applied; DataError lists every problem."""
    sources = default_sources(extra, include_user)
    if use_cache:
        from tui.kb import cache

        return cache.load_cached(sources, lambda: load_sources(sources))
    return load_sources(sources)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run without the cyclic garbage collector: a load only builds objects that live on
    (the knowledge base has no cycles), and full collections over them repeated as the
    heap grows cost more than the parse itself at 10x the data."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_sources(sources: Iterable[Path]) -> KnowledgeBase:
    with paused_gc():
        return _load_sources(sources)


def _load_sources(sources: Iterable[Path]) -> KnowledgeBase:
    from tui.kb.crossref import check_references

    problems: list[Problem] = []
    merged: dict[str, dict[str, Any]] = {k: {} for k in KINDS}
    meta: dict[str, Any] = {}
    files: list[str] = []
    for source in sources:
        seen: dict[tuple[str, str], m.Origin] = {}
        for path in data_files(Path(source)):
            files.append(str(path))
            records, file_meta, file_problems = read_kb_file(path)
            problems += file_problems
            meta.update(file_meta)
            for kind, record in records:
                key = (kind, record.id)
                if key in seen:
                    o = record.origin
                    problems.append(Problem(o.path, o.line, o.column, f"duplicate {_SINGULAR[kind]} id '{record.id}' (also defined at {seen[key]})"))
                    continue
                seen[key] = record.origin
                merged[kind][record.id] = record
    kb = KnowledgeBase(
        layers=merged["layers"],
        services=merged["services"],
        controls=merged["controls"],
        tools=merged["tools"],
        frameworks=merged["frameworks"],
        meta=meta,
        files=tuple(files),
    )
    problems += check_references(kb)
    if problems:
        raise DataError(problems)
    return kb


def display_path(path: Path) -> str:
    """A path as a person would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_kb_file(path: Path) -> tuple[list[tuple[str, Any]], dict[str, Any], list[Problem]]:
    """Parse and check one knowledge-base file: (records, meta, problems)."""
    from tui.kb.validate import Checker
    from tui.kb.yamlread import YList, YMap, parse, read_text

    name = display_path(path)
    try:
        doc = parse(read_text(path, MAX_DATA_BYTES), name)
    except DataError as exc:
        return [], {}, list(exc.problems)
    checker = Checker(name)
    records: list[tuple[str, Any]] = []
    meta: dict[str, Any] = {}
    if doc is None:
        checker.at((1, 1), "the file is empty (expected a mapping with 'services', 'controls', ...)")
        return [], {}, checker.problems
    if not isinstance(doc, YMap):
        where = (doc.line, doc.col) if isinstance(doc, YList) else (1, 1)
        checker.at(where, f"a knowledge-base file must be a mapping with any of: {', '.join(TOP_KEYS)}")
        return [], {}, checker.problems
    for key in doc:
        if key not in TOP_KEYS:
            checker.at(doc.key_at(key), f"unknown top-level key '{key}'{did_you_mean(str(key), TOP_KEYS)}")
    if "meta" in doc:
        meta = checker.record(doc["meta"], META, "meta", doc.value_at("meta")) or {}
    for kind in KINDS:
        if kind not in doc:
            continue
        items = doc[kind]
        if not isinstance(items, YList):
            checker.at(doc.value_at(kind), f"'{kind}' must be a list of records")
            continue
        for i, raw in enumerate(items):
            where = items.item_at(i)
            build = _BUILDERS[kind]
            values = checker.record(raw, KINDS[kind], _SINGULAR[kind], where)
            if values is None or "id" not in values:
                continue
            origin = m.Origin(name, raw.line, raw.col)
            record = build(values, origin, checker, raw)
            if record is not None:
                records.append((kind, record))
    return records, meta, checker.problems


def _required(values: dict[str, Any], spec: dict[str, Any]) -> bool:
    return all(k in values for k, f in spec.items() if f.required)


def _layer(values: dict[str, Any], origin: m.Origin, checker: Checker, raw: YMap) -> m.Layer | None:
    if not _required(values, KINDS["layers"]):
        return None
    values.setdefault("examples", ())
    return m.Layer(**values, index=m.LAYER_IDS.index(values["id"]), origin=origin)


def _service(values: dict[str, Any], origin: m.Origin, checker: Checker, raw: YMap) -> m.Service | None:
    if not _required(values, KINDS["services"]):
        return None
    values["iac_match"] = tuple(m.IacMatch(**x) for x in values.get("iac_match", ()) if {"type", "property", "equals"} <= set(x))
    values["implied_by"] = tuple(
        m.ImpliedBy(**{**x, "resources": tuple(x["resources"])}) for x in values.get("implied_by", ()) if "resources" in x
    )
    values["layers"] = m.frozen_map({layer: _shared(own) for layer, own in values["layers"].items()})
    sid = values["id"]
    if "." in sid and not values.get("variant_of"):
        checker.at(raw.key_at("id"), f"service '{sid}' is a deployment option: name its parent in 'variant_of'")
    return m.Service(**values, origin=origin)


@lru_cache(maxsize=4096)
def _shared(own: m.LayerOwnership) -> m.LayerOwnership:
    """One object for equal layer entries (most are a bare owner): the cache then pickles and
    unpickles each once, which is most of the services' share of a start-up at 10x the data."""
    return own


def _control(values: dict[str, Any], origin: m.Origin, checker: Checker, raw: YMap) -> m.Control | None:
    if not _required(values, KINDS["controls"]):
        return None
    cid, domain, owner = values["id"], values["domain"], values["owner"]
    if "." not in cid or cid.split(".", 1)[0] != domain:
        checker.at(raw.value_at("id"), f"control id '{cid}' must start with its domain: '{domain}.<short-name>'")
    if owner in ("aws", "shared") and not values.get("aws"):
        checker.at((raw.line, raw.col), f"control '{cid}' is {owner}-owned: say what AWS does in 'aws'")
    if owner in ("customer", "shared") and "customer_part" not in raw:  # a bad value is reported already
        checker.at((raw.line, raw.col), f"control '{cid}' must say whether the customer's part is 'configure' or 'provide' ('customer_part')")
    fws = values.get("frameworks") or {}
    values["frameworks"] = m.frozen_map(fws)
    values["priority"] = m.Priority(**values["priority"]) if len(values.get("priority") or ()) == 2 else None
    values["legacy"] = m.Legacy(**values["legacy"]) if len(values.get("legacy") or ()) == 2 else None
    if values.get("parent") == cid:
        checker.at(raw.value_at("parent"), f"control '{cid}' cannot be its own parent")
    return m.Control(**values, origin=origin)


def _tool(values: dict[str, Any], origin: m.Origin, checker: Checker, raw: YMap) -> m.Tool | None:
    if not _required(values, KINDS["tools"]):
        return None
    return m.Tool(**values, origin=origin)


def _framework(values: dict[str, Any], origin: m.Origin, checker: Checker, raw: YMap) -> m.Framework | None:
    if not _required(values, KINDS["frameworks"]):
        return None
    from tui.kb.yamlread import YList

    reqs = []
    seen: set[str] = set()
    raw_reqs = raw.get("requirements")
    for i, r in enumerate(values["requirements"]):
        if "id" not in r or "title" not in r:
            continue
        if r["id"] in seen:
            where = raw_reqs.item_at(i) if isinstance(raw_reqs, YList) else (raw.line, raw.col)
            checker.at(where, f"duplicate requirement id '{r['id']}' in framework '{values['id']}'")
            continue
        seen.add(r["id"])
        r = dict(r)
        r["ssrm"] = m.frozen_map(r.get("ssrm"))
        reqs.append(m.Requirement(**r))
    values["requirements"] = tuple(reqs)
    return m.Framework(**values, origin=origin)


_BUILDERS = {
    "layers": _layer,
    "services": _service,
    "controls": _control,
    "tools": _tool,
    "frameworks": _framework,
}
