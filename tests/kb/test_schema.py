"""The shipped JSON Schemas match the loader's field declarations, and accept the shipped data."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from tui.kb.loader import data_files
from tui.kb.schema import all_schemas

DATA = Path(__file__).resolve().parents[2] / "data"


def test_shipped_schemas_are_current() -> None:
    for name, schema in all_schemas().items():
        assert json.loads((DATA / "schema" / name).read_text()) == schema, f"run: python -m tui.kb.schema ({name})"


def test_fixture_files_satisfy_the_editor_schema(fixture_kb_path: Path) -> None:
    schema = all_schemas()["kb-file.schema.json"]
    for path in data_files(fixture_kb_path):
        doc = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
        doc = json.loads(json.dumps(doc, default=str))  # dates as strings, as an editor sees them
        jsonschema.validate(doc, schema)
