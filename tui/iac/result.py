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
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path:line:col, message): read around, not fatal
    nested: list[dict[str, Any]] = field(default_factory=list)  # nested stacks: address, type, template, followed
    data_sources: list[tuple[str, str]] = field(default_factory=list)  # Terraform data sources: (type, address)
    conditional: dict[str, list[str]] = field(default_factory=dict)  # service -> addresses created only under a condition
    not_created: list[str] = field(default_factory=list)  # addresses whose count / for_each resolve to none

    types: dict[str, set[str]] = field(default_factory=dict)  # service id -> resource types seen

    def add(self, service: str, address: str, rtype: str = "", conditional: bool = False) -> None:
        self.services.setdefault(service, []).append(address)
        self.types.setdefault(service, set()).add(rtype)
        if conditional:
            self.conditional.setdefault(service, []).append(address)

    def warn(self, where: str, message: str) -> None:
        self.warnings.append((where, message))

    def conditional_ids(self) -> list[str]:
        """Services whose every resource is created only under a condition ownit could not resolve."""
        sure = {s for m in self.modules if not m.get("conditional") for s in m.get("services", ())}
        maybe = {s for m in self.modules if m.get("conditional") for s in m.get("services", ())}
        out = {s for s, addrs in self.conditional.items() if s in self.services and set(self.services[s]) <= set(addrs)}
        out |= {s for s in maybe if s not in self.services}
        return sorted(out - sure)

    def fold_variants(self, variants: dict[str, tuple[str, frozenset[str]]]) -> None:
        """Give a parent's shared resources to its property-refined variant.

        `variants` maps a variant id to (parent id, the types its rules refine).
        An ECS cluster whose services all run on Fargate is evidence of ECS on
        Fargate, not of ECS on EC2: when the parent was found only through
        types the variant's rules never refine (the cluster), its resources
        move to the variant.
        """
        for variant, (parent, refined) in variants.items():
            if variant in self.services and parent in self.services and refined:
                if not self.types.get(parent, set()) & refined:
                    self.services[variant] += self.services.pop(parent)
                    if parent in self.conditional:
                        self.conditional.setdefault(variant, []).extend(self.conditional.pop(parent))
                    self.types[variant] |= self.types.pop(parent, set())

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
            "conditional": self.conditional_ids(),
            "data_sources": [{"type": t, "address": a} for t, a in self.data_sources],
            "nested_stacks": self.nested,
            "not_created": self.not_created,
            "warnings": [{"where": w, "message": m} for w, m in self.warnings],
        }
