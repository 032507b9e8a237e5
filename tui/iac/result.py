"""What an import found: services with the resources behind them, and what was not recognised."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImportResult:
    source: str  # "cloudformation" or "terraform"
    files: list[str] = field(default_factory=list)
    services: dict[str, list[str]] = field(default_factory=dict)  # service id -> resource addresses
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (type, address) of AWS types no service claims
    custom: list[tuple[str, str]] = field(default_factory=list)  # custom resources (Custom::*, CustomResource)
    modules: list[dict[str, Any]] = field(default_factory=list)  # registry modules: source, implied services
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why) files that are not templates

    def add(self, service: str, address: str) -> None:
        self.services.setdefault(service, []).append(address)

    def service_ids(self) -> list[str]:
        implied = {s for m in self.modules for s in m.get("services", ())}
        return sorted(set(self.services) | implied)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "files": self.files,
            "services": self.service_ids(),
            "resources": {k: sorted(v) for k, v in sorted(self.services.items())},
            "unrecognised": [{"type": t, "address": a} for t, a in self.unknown],
            "custom_resources": [{"type": t, "address": a} for t, a in self.custom],
            "modules": self.modules,
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
        }
