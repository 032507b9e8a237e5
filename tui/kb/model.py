"""Typed, frozen records of the knowledge base. The UI only ever sees these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

OWNERS = ("aws", "customer", "shared")
CATEGORIES = ("infrastructure", "container", "abstracted")
LAYER_IDS = (
    "physical",
    "hardware",
    "global-infrastructure",
    "network-infrastructure",
    "virtualization",
    "host-os",
    "guest-os",
    "platform",
    "application",
    "network-config",
    "iam",
    "client-side-encryption",
    "server-side-encryption",
    "network-traffic-protection",
    "customer-data",
)
DOMAINS = (
    "governance",
    "iam",
    "detection",
    "network",
    "compute",
    "data",
    "resilience",
    "incident",
    "application",
    "aws",
)
PHASES = ("plan", "build", "operate")
SEVERITIES = ("critical", "high", "medium", "low", "informational")
CUSTOMER_PARTS = ("configure", "provide")
SCOPES = ("baseline", "workload")
APPLIES = ("any", "all")
ENABLEMENTS = ("automatic", "customer")
PRICING = ("free", "paid", "free-tier")
FRAMEWORK_KEYS = ("fsbp", "cis", "nist", "ccm", "wa")
EVIDENCE = (
    "soc1", "soc2", "soc3", "iso27001", "iso27017", "iso27018", "iso9001",
    "pci-dss", "fedramp", "c5", "hipaa", "irap",
)
SERVICE_GROUPS = (
    "Compute", "Containers", "Serverless", "Storage", "Database", "Analytics",
    "Networking", "Security", "Identity", "Management", "Integration",
    "Machine learning", "Developer tools", "End-user computing", "IoT", "Migration",
)
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
PHASE_RANK = {p: i for i, p in enumerate(PHASES)}


class FrozenMap(dict):  # type: ignore[type-arg]
    """A dict that refuses changes (records are immutable) but still pickles for the cache."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("knowledge-base records are read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))


def frozen_map(d: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return FrozenMap(d or {})


@dataclass(frozen=True)
class Origin:
    """Where a record was defined: the file, line and column of its first key."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Layer:
    id: str
    name: str
    usual_owner: str
    summary: str
    description: str
    examples: tuple[str, ...]
    sources: tuple[str, ...]
    checked: dt.date
    index: int = 0  # 0 = physical (bottom of the stack)
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class LayerOwnership:
    """Who owns one layer for one service, and why."""

    owner: str
    note: str = ""
    aws: str = ""
    customer: str = ""
    sources: tuple[str, ...] = ()  # the AWS pages that say so (for an owner that is not the usual one)


@dataclass(frozen=True)
class IacMatch:
    type: str
    property: str
    equals: str
    prefix: bool = False  # equals is a prefix of the value (oracle- matches oracle-ee)
    default: bool = False  # also matches when the property is absent (the type's default)


@dataclass(frozen=True)
class ImpliedBy:
    """A resource whose event, property or missing property makes the template create or use
    the service that carries the rule: SAM's implicit resources (an `Api` event -> API Gateway;
    no `Role` -> an IAM role), or a service named only by an ARN (an event source mapping
    reading an SQS queue)."""

    resources: tuple[str, ...]  # resource types, e.g. AWS::Serverless::Function
    event: str = ""  # an event type (Events.*.Type); the property is then the event's
    property: str = ""  # a dotted path under Properties (or the event's Properties)
    absent: bool = False  # matches when the property is absent instead of present
    equals: str = ""  # matches only this value (case-insensitive)
    arn: str = ""  # matches when the value is an ARN of this namespace (arn:aws:sqs:...)


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    short: str
    group: str
    category: str
    summary: str
    docs: str
    layers: Mapping[str, LayerOwnership]
    sources: tuple[str, ...]
    checked: dt.date
    aliases: tuple[str, ...] = ()
    variant_of: str | None = None
    cloudformation: tuple[str, ...] = ()
    terraform: tuple[str, ...] = ()
    iac_match: tuple[IacMatch, ...] = ()
    implied_by: tuple[ImpliedBy, ...] = ()
    terraform_modules: tuple[str, ...] = ()  # registry modules that create this service
    implies: tuple[str, ...] = ()
    inherits_parent: bool = False
    default_variant: str | None = None
    own_controls_note: str = ""  # why it has fewer than two controls of its own (account-wide ones cover it)
    origin: Origin | None = field(default=None, compare=False)

    def owner(self, layer: str) -> str:
        return self.layers[layer].owner

    def responsibility_line(self) -> int:
        """Index of the lowest layer the customer owns or shares (the line sits below it)."""
        for i, layer in enumerate(LAYER_IDS):
            if self.layers[layer].owner != "aws":
                return i
        return len(LAYER_IDS)


@dataclass(frozen=True)
class Legacy:
    """A feature closed to new builds: since when, and what replaced it."""

    since: dt.date
    why: str


@dataclass(frozen=True)
class Priority:
    """A design-review priority that departs from the (Security Hub) severity, and why."""

    level: str
    why: str


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    owner: str
    layer: str
    services: tuple[str, ...]
    domain: str
    phase: str
    severity: str
    customer: str
    sources: tuple[str, ...]
    checked: dt.date
    aws: str = ""
    customer_part: str | None = None
    default: bool | None = None
    tools: tuple[str, ...] = ()
    config_rules: tuple[str, ...] = ()
    frameworks: Mapping[str, tuple[str, ...]] = field(default_factory=frozen_map)
    prowler: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    scope: str = ""  # "" = not stated; see review_scope
    applies: str = "any"
    priority: Priority | None = None
    parent: str | None = None
    legacy: Legacy | None = None
    verify: str = ""
    origin: Origin | None = field(default=None, compare=False)

    @property
    def review_scope(self) -> str:
        """The stated scope, else baseline for account-wide programme work (governance, detection,
        incident) and workload for the rest (a team's overlay written before scopes existed)."""
        if self.scope:
            return self.scope
        return "baseline" if self.account_wide and self.domain in ("governance", "detection", "incident") else "workload"

    @property
    def level(self) -> str:
        """The design-review priority: the stated one, else the severity."""
        return self.priority.level if self.priority else self.severity

    @property
    def account_wide(self) -> bool:
        return "all" in self.services

    def applies_to(self, service_ids: set[str] | frozenset[str]) -> bool:
        return self.account_wide or any(s in service_ids for s in self.services)

    def framework_ids(self) -> list[str]:
        """`FSBP S3.1`-style labels for display and export."""
        return [f"{k.upper()} {i}" for k in FRAMEWORK_KEYS for i in self.frameworks.get(k, ())]


@dataclass(frozen=True)
class Tool:
    id: str
    name: str
    summary: str
    what: str
    enablement: str
    pricing: str
    layers: tuple[str, ...]
    sources: tuple[str, ...]
    checked: dt.date
    aliases: tuple[str, ...] = ()
    service: str | None = None
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Requirement:
    id: str
    title: str
    section: str = ""
    unmapped: str = ""
    ssrm: Mapping[str, str] = field(default_factory=frozen_map)
    nist: tuple[str, ...] = ()


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    version: str
    url: str
    requirements: tuple[Requirement, ...]
    sources: tuple[str, ...]
    checked: dt.date
    origin: Origin | None = field(default=None, compare=False)

    def requirement(self, rid: str) -> Requirement | None:
        for r in self.requirements:
            if r.id == rid:
                return r
        return None
