"""Records as plain dicts whose keys are the YAML field names (for --json and exports)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from tui.kb.model import LAYER_IDS, Layer, Service

_HIDDEN = {"origin", "index"}


def plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in _HIDDEN and getattr(value, f.name) not in (None, "", (), {})
        }
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def record_dict(kind: str, record: Any) -> dict[str, Any]:
    """A record as JSON-ready data, with its kind; service layers in stack order."""
    out: dict[str, Any] = {"kind": kind, **plain(record)}
    if isinstance(record, Service):
        out["layers"] = {layer: plain(record.layers[layer]) for layer in LAYER_IDS}
    if isinstance(record, Layer):
        out["position"] = record.index + 1
    return out
