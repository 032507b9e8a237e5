"""Check one located record against its field declarations and build the model.

Every problem is collected (never the first only) with the line and column of
the offending key or value, and a close-match suggestion where one helps.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlparse

from tui.kb import model as m
from tui.kb.errors import Problem, did_you_mean
from tui.kb.fields import KINDS, LAYER_ENTRY, SUBRECORDS, F
from tui.kb.yamlread import YList, YMap

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_aws_url(value: str) -> bool:
    """True for an https URL on aws.amazon.com or one of its subdomains (docs...)."""
    try:
        parsed = urlparse(value)
    except ValueError:
        return False
    host = (parsed.hostname or "").lower()
    return parsed.scheme == "https" and (host == "aws.amazon.com" or host.endswith(".aws.amazon.com"))


class Checker:
    """Collects problems for one file while records are checked."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def at(self, where: tuple[int, int], message: str) -> None:
        self.problems.append(Problem(self.path, where[0], where[1], message))

    # -- one record ---------------------------------------------------------
    def record(self, raw: Any, spec: dict[str, F], what: str, where: tuple[int, int]) -> dict[str, Any] | None:
        """Check a mapping against a spec; return the cleaned values, or None if unusable."""
        if not isinstance(raw, YMap):
            self.at(where, f"each {what} must be a mapping, not {_kind(raw)}")
            return None
        out: dict[str, Any] = {}
        for key in raw:
            if key not in spec:
                self.at(raw.key_at(key), f"unknown field '{key}' in {what}{did_you_mean(str(key), spec)}")
        for name, f in spec.items():
            if name not in raw or raw[name] is None:
                if f.required:
                    self.at((raw.line, raw.col), f"{what} is missing required field '{name}'")
                continue
            value = self.value(raw[name], f, f"'{name}'", raw.value_at(name))
            if value is not None:
                out[name] = value
        return out

    def value(self, raw: Any, f: F, label: str, where: tuple[int, int]) -> Any:
        t = f.type
        if t in ("str", "text", "id", "url", "enum"):
            return self.scalar(raw, f, label, where)
        if t == "bool":
            if isinstance(raw, bool):
                return raw
            return self.bad(where, f"{label} must be true or false, not {_kind(raw)}")
        if t == "date":
            if isinstance(raw, dt.datetime):
                return raw.date()
            if isinstance(raw, dt.date):
                return raw
            if isinstance(raw, str) and DATE_RE.match(raw):
                try:
                    return dt.date.fromisoformat(raw)
                except ValueError:
                    pass
            return self.bad(where, f"{label} must be a date like 2026-11-28, not {raw!r}")
        if t == "list":
            return self.list(raw, f, label, where)
        if t == "record":
            return self.record(raw, SUBRECORDS[f.item], label, where)
        if t == "map":
            return self.small_map(raw, f, label, where)
        if t == "layers":
            return self.layers(raw, label, where)
        if t == "frameworks":
            return self.frameworks(raw, label, where)
        raise AssertionError(t)

    def bad(self, where: tuple[int, int], message: str) -> None:
        self.at(where, message)
        return None

    def scalar(self, raw: Any, f: F, label: str, where: tuple[int, int]) -> str | None:
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            return self.bad(where, f"{label} must be text, not {_kind(raw)}")
        value = str(raw)
        if f.type in ("str", "text", "id", "url") and not value.strip():
            return self.bad(where, f"{label} must not be empty")
        if f.type == "id" and not ID_RE.match(value):
            return self.bad(where, f"{label} '{value}' is not a valid id (lower-case letters, digits, '.', '-')")
        if f.type == "url" and not is_aws_url(value):
            return self.bad(where, f"{label} '{value}' must be an https URL on docs.aws.amazon.com or aws.amazon.com")
        if f.type == "enum" and value not in f.enum:
            choices = ", ".join(f.enum)
            return self.bad(where, f"{label} '{value}' is not one of: {choices}{did_you_mean(value, f.enum)}")
        return value

    def list(self, raw: Any, f: F, label: str, where: tuple[int, int]) -> tuple[Any, ...] | None:
        if isinstance(raw, str) and f.item in ("str", "id", "url", "enum"):
            raw = [raw]  # a lone value where a list is expected is accepted as a list of one
            positions = [where]
        elif isinstance(raw, YList):
            positions = [raw.item_at(i) for i in range(len(raw))]
        else:
            return self.bad(where, f"{label} must be a list, not {_kind(raw)}")
        if f.required and not raw:
            return self.bad(where, f"{label} must not be empty")
        items = []
        for item, pos in zip(raw, positions, strict=True):
            if f.item in SUBRECORDS:
                value = self.record(item, SUBRECORDS[f.item], f.item.replace("_", " "), pos)
            else:
                value = self.scalar(item, F(f.item, enum=f.enum), f"item of {label}", pos)
            if value is not None:
                items.append(value)
        return tuple(items)

    def small_map(self, raw: Any, f: F, label: str, where: tuple[int, int]) -> dict[str, str] | None:
        if not isinstance(raw, YMap):
            return self.bad(where, f"{label} must be a mapping, not {_kind(raw)}")
        out = {}
        for key, value in raw.items():
            if key not in f.enum:
                self.at(raw.key_at(key), f"unknown key '{key}' in {label}{did_you_mean(str(key), f.enum)}")
                continue
            checked = self.scalar(value, F("enum", enum=m.OWNERS), f"{label}.{key}", raw.value_at(key))
            if checked is not None:
                out[key] = checked
        return out

    def layers(self, raw: Any, label: str, where: tuple[int, int]) -> dict[str, m.LayerOwnership] | None:
        if not isinstance(raw, YMap):
            return self.bad(where, f"{label} must map each of the 15 layers to an owner")
        out: dict[str, m.LayerOwnership] = {}
        for key in raw:
            if key not in m.LAYER_IDS:
                self.at(raw.key_at(key), f"unknown layer '{key}'{did_you_mean(str(key), m.LAYER_IDS)}")
        for layer in m.LAYER_IDS:
            if layer not in raw:
                self.at((raw.line, raw.col), f"layer '{layer}' has no owner (every service gives all 15)")
                continue
            value, pos = raw[layer], raw.value_at(layer)
            if isinstance(value, YMap):
                entry = self.record(value, LAYER_ENTRY, f"layer '{layer}'", pos)
                if entry is None or "owner" not in entry:
                    continue
                if entry["owner"] == "shared" and not (entry.get("aws") and entry.get("customer")):
                    self.at(pos, f"layer '{layer}' is shared: say both what AWS does ('aws') and what the customer does ('customer')")
                out[layer] = m.LayerOwnership(**entry)
            else:
                owner = self.scalar(value, F("enum", enum=m.OWNERS), f"owner of layer '{layer}'", pos)
                if owner == "shared":
                    self.at(pos, f"layer '{layer}' is shared: write it as a mapping with 'owner', 'aws' and 'customer'")
                if owner is not None:
                    out[layer] = m.LayerOwnership(owner=owner)
        return out if len(out) == len(m.LAYER_IDS) else None

    def frameworks(self, raw: Any, label: str, where: tuple[int, int]) -> dict[str, tuple[str, ...]] | None:
        if not isinstance(raw, YMap):
            return self.bad(where, f"{label} must map framework keys ({', '.join(m.FRAMEWORK_KEYS)}) to lists of ids")
        out: dict[str, tuple[str, ...]] = {}
        for key, value in raw.items():
            if key not in m.FRAMEWORK_KEYS:
                self.at(raw.key_at(key), f"unknown framework '{key}'{did_you_mean(str(key), m.FRAMEWORK_KEYS)}")
                continue
            ids = self.list(value, F("list"), f"frameworks.{key}", raw.value_at(key))
            if ids is not None:
                out[key] = tuple(str(i) for i in ids)
        return out


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"'{value}'"


def kind_spec(kind: str) -> dict[str, F]:
    return KINDS[kind]
