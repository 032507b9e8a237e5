"""JSON Schemas for knowledge-base files, generated from the field declarations.

The shipped files in data/schema/ are these, written by
`python -m tui.kb.schema` (a test checks they are current), so an editor with
the YAML language server validates exactly what the loader validates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tui.kb import model as m
from tui.kb.fields import KINDS, LAYER_ENTRY, META, SUBRECORDS, F

BASE = "https://ownit.dev/schema/"
_SCALAR = {"str": {"type": "string", "minLength": 1}, "text": {"type": "string", "minLength": 1}}
_ID = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9._-]*$"}
_URL = {"type": "string", "pattern": r"^https://([a-z0-9-]+\.)*aws\.amazon\.com(/|$)"}
_DATE = {"type": "string", "format": "date"}


def _field(f: F) -> dict[str, Any]:
    if f.type in _SCALAR:
        out = dict(_SCALAR[f.type])
    elif f.type == "id":
        out = dict(_ID)
    elif f.type == "url":
        out = dict(_URL)
    elif f.type == "date":
        out = dict(_DATE)
    elif f.type == "bool":
        out = {"type": "boolean"}
    elif f.type == "enum":
        out = {"enum": list(f.enum)}
    elif f.type == "list":
        if f.item in SUBRECORDS:
            item = _record(SUBRECORDS[f.item])
        else:
            item = _field(F(f.item, enum=f.enum))
        out = {"type": "array", "items": item}
        if f.required:
            out["minItems"] = 1
    elif f.type == "record":
        out = _record(SUBRECORDS[f.item])
    elif f.type == "map":
        out = {"type": "object", "propertyNames": {"enum": list(f.enum)}, "additionalProperties": {"enum": list(m.OWNERS)}}
    elif f.type == "layers":
        entry = {"oneOf": [{"enum": ["aws", "customer"]}, _record(LAYER_ENTRY)]}
        out = {"type": "object", "properties": {k: entry for k in m.LAYER_IDS}, "required": list(m.LAYER_IDS), "additionalProperties": False}
    elif f.type == "frameworks":
        out = {"type": "object", "properties": {k: {"type": "array", "items": {"type": "string"}} for k in m.FRAMEWORK_KEYS}, "additionalProperties": False}
    else:
        raise AssertionError(f.type)
    if f.doc:
        out["description"] = f.doc
    return out


def _record(spec: dict[str, F]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: _field(f) for name, f in spec.items()},
        "required": [name for name, f in spec.items() if f.required],
        "additionalProperties": False,
    }


def kind_schema(kind: str) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE}{kind}.schema.json",
        "title": f"ownit {kind} file",
        "type": "object",
        "properties": {kind: {"type": "array", "items": _record(KINDS[kind])}},
        "required": [kind],
        "additionalProperties": False,
    }


def kb_file_schema() -> dict[str, Any]:
    props: dict[str, Any] = {"meta": _record(META)}
    for kind in KINDS:
        props[kind] = {"type": "array", "items": _record(KINDS[kind])}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE}kb-file.schema.json",
        "title": "ownit knowledge-base file (any mix of layers, services, controls, tools, frameworks)",
        "type": "object",
        "properties": props,
        "additionalProperties": False,
    }


def all_schemas() -> dict[str, dict[str, Any]]:
    out = {"kb-file.schema.json": kb_file_schema()}
    out.update({f"{kind}.schema.json": kind_schema(kind) for kind in KINDS})
    return out


def write(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, schema in all_schemas().items():
        (directory / name).write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    from tui.kb.loader import shipped_data_dir

    write(shipped_data_dir() / "schema")
