"""Resource type -> service id, driven entirely by the knowledge base.

Each service lists the CloudFormation and Terraform type prefixes that mean
"this service is used"; the longest matching prefix wins. A service may also
carry `iac_match` rules that refine a match by a property (an ECS service
with LaunchType FARGATE is `ecs.fargate`, a Lambda function with
PackageType Image is `lambda.container`). A rule may match a prefix of the
value (`oracle-` for every Oracle edition) or, with `default`, a resource
that leaves the property out (an ELBv2 load balancer without `Type` is an
Application Load Balancer). A value the template computes (a `Ref`, a
Terraform variable) matches no rule, so the resource stays with the parent
service. No per-service table lives here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tui.kb.knowledge import KnowledgeBase
from tui.kb.model import IacMatch, ImpliedBy

_ARN = re.compile(r"arn:(?:aws[a-z-]*|\$\{AWS::Partition\}):([a-z0-9-]+):")


class ServiceMatcher:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        cfn: list[tuple[str, str]] = []
        tf: list[tuple[str, str]] = []
        self.refinements: dict[str, list[tuple[IacMatch, str]]] = {}  # type -> [(rule, service)]
        self.sam_rules: dict[str, list[tuple[ImpliedBy, str]]] = {}  # SAM type -> [(rule, service)]
        for s in kb.services.values():
            cfn += [(p, s.id) for p in s.cloudformation]
            tf += [(p, s.id) for p in s.terraform]
            for rule in s.iac_match:
                self.refinements.setdefault(rule.type, []).append((rule, s.id))
            for sam in s.implied_by:
                for rtype in sam.resources:
                    self.sam_rules.setdefault(rtype, []).append((sam, s.id))
        # longest prefix first, so "AWS::EC2::Volume" beats "AWS::EC2::"
        self.cfn = sorted(cfn, key=lambda x: -len(x[0]))
        self.tf = sorted(tf, key=lambda x: -len(x[0]))

    def variants(self) -> dict[str, tuple[str, frozenset[str]]]:
        """Property-refined variants: id -> (parent id, the resource types their rules refine)."""
        return {
            s.id: (s.variant_of, frozenset(r.type for r in s.iac_match))
            for s in self.kb.services.values()
            if s.variant_of and s.iac_match
        }

    def cloudformation(self, rtype: str, properties: Mapping[str, Any] | None = None) -> str | None:
        return self._match(self.cfn, rtype, properties)

    def terraform(self, rtype: str, values: Mapping[str, Any] | None = None) -> str | None:
        return self._match(self.tf, rtype, values)

    def implied(self, rtype: str, properties: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(service, where) for each `implied_by` rule of the knowledge base a resource meets:
        the services it makes the template create or use beyond its own type."""
        out: list[tuple[str, str]] = []
        for rule, sid in self.sam_rules.get(rtype, ()):
            if rule.event:
                events = properties.get("Events")
                for name, event in (events.items() if isinstance(events, Mapping) else ()):
                    if isinstance(event, Mapping) and event.get("Type") == rule.event:
                        eprops = event.get("Properties")
                        if _sam_property(rule, eprops if isinstance(eprops, Mapping) else {}):
                            out.append((sid, f".Events.{name}"))
            elif _sam_property(rule, properties):
                out.append((sid, f".{rule.property}"))
        return out

    def _match(self, table: list[tuple[str, str]], rtype: str, props: Mapping[str, Any] | None) -> str | None:
        for rule, sid in self.refinements.get(rtype, ()):
            found = _lookup(props, rule.property.split(".")) if props else None
            if found is None:
                if rule.default:
                    return sid
            elif _has_value(found, rule.equals, rule.prefix):
                return sid
        for prefix, sid in table:
            if rtype.startswith(prefix):
                return sid
        return None


def _sam_property(rule: ImpliedBy, props: Mapping[str, Any]) -> bool:
    if not rule.property:
        return True
    found = _lookup(props, rule.property.split("."))
    if _no_value(found):
        found = None
    if rule.absent:  # absent, or absent under a condition (`!If [c, x, !Ref AWS::NoValue]`)
        return found is None or (isinstance(found, Mapping) and isinstance(found.get("Fn::If"), list)
                                 and any(_no_value(b) for b in found["Fn::If"][1:]))
    if found is None:
        return False
    if rule.arn:
        return _arn_namespace(found) == rule.arn
    return _has_value(found, rule.equals) if rule.equals else True


def _no_value(v: Any) -> bool:
    return isinstance(v, Mapping) and v.get("Ref") == "AWS::NoValue"


def _arn_namespace(value: Any) -> str | None:
    """The service namespace of an ARN written out (`arn:aws:sqs:...`, or inside `!Sub`)."""
    if isinstance(value, Mapping) and "Fn::Sub" in value:
        value = value["Fn::Sub"]
        value = value[0] if isinstance(value, list) and value else value
    found = _ARN.match(value) if isinstance(value, str) else None
    return found.group(1) if found else None


def _lookup(props: Any, path: list[str]) -> Any:
    """Follow a dotted property path (`ComputeConfig.Enabled`); HCL blocks come as lists of one. Through a
    list of several blocks (`CapacityProviderStrategy.CapacityProvider`) it gives the list of their values."""
    value = props
    for i, key in enumerate(path):
        while isinstance(value, list) and len(value) == 1:
            value = value[0]
        if isinstance(value, list):
            found = [_lookup(item, path[i:]) for item in value]
            found = [f for f in found if f is not None]
            return found or None
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _has_value(found: Any, wanted: str, prefix: bool = False) -> bool:
    """A property equals (or, with `prefix`, starts with) the wanted value, or is a list
    containing such a value (case-insensitive)."""
    if isinstance(found, bool):
        return str(found).lower() == wanted.lower()
    if isinstance(found, (str, int, float)):
        text = str(found).strip('"').lower()
        return text.startswith(wanted.lower()) if prefix else text == wanted.lower()
    if isinstance(found, (list, tuple)):
        return any(_has_value(x, wanted, prefix) for x in found)
    if isinstance(found, Mapping) and len(found) == 1 and not _is_intrinsic(found):  # a single-key block, as HCL gives
        return any(_has_value(v, wanted, prefix) for v in found.values())
    return False


def _is_intrinsic(node: Mapping[str, Any]) -> bool:
    """A CloudFormation intrinsic (`{"Ref": ...}`, `{"Fn::If": [...]}`): a value computed at deploy time."""
    key = next(iter(node))
    return isinstance(key, str) and (key == "Ref" or key.startswith("Fn::"))
