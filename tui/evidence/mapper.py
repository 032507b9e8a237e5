"""From a scanner's check id to the project's checklist items, through the knowledge base.

A control names what verifies it: `frameworks.fsbp` (Security Hub control
ids, `S3.8`), `prowler` (Prowler check ids) and `config_rules` (AWS Config
managed rules, `s3-bucket-level-public-access-prohibited`). A check id maps
to every control that names it; the project's items among those get the
evidence. A check whose controls are all off this checklist is either for a
service the project does not list ("in the account, not in the plan") or
for a control the checklist leaves out (AWS-owned, not applying).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from tui.checklist.builder import Checklist
from tui.evidence.config import rule_id
from tui.evidence.fields import arn_parts
from tui.kb.knowledge import KnowledgeBase


@dataclass(frozen=True)
class Mapping:
    items: tuple[str, ...]  # checklist items the check is evidence for
    controls: tuple[str, ...]  # every control of the knowledge base that names the check
    missing: tuple[str, ...]  # services those controls are for that the project does not use


class Mapper:
    def __init__(self, kb: KnowledgeBase, cl: Checklist) -> None:
        self.kb = kb
        self.items = {i.id for i in cl.items}
        self.used = set(cl.use.with_baseline) if cl.use else set(cl.project.services)
        rules: dict[str, list[str]] = defaultdict(list)
        for c in kb.controls.values():
            for r in c.config_rules:
                rules[rule_id(r)].append(c.id)
        self._rules = dict(rules)
        self._cache: dict[tuple[str, str], Mapping] = {}
        self._arn_service: dict[str, str] = {}

    def controls(self, kind: str, check: str) -> list[str]:
        if kind in ("fsbp", "prowler"):
            return self.kb.citing(kind, check)
        if kind == "config":
            return self._rules.get(check, [])
        return []

    def map(self, kind: str, check: str) -> Mapping:
        key = (kind, check)
        found = self._cache.get(key)
        if found is None:
            controls = self.controls(kind, check)
            items = tuple(c for c in controls if c in self.items)
            missing: list[str] = []
            if not items:
                for cid in controls:
                    for s in self.kb.controls[cid].services:
                        if s != "all" and s not in self.used and s not in missing:
                            missing.append(s)
            found = Mapping(items, tuple(controls), tuple(missing))
            self._cache[key] = found
        return found

    def arn_service(self, arn: str) -> str:
        """The knowledge base's service for an ARN's namespace when the project does not use it, else ''."""
        ns = arn_parts(arn)[0]
        if not ns:
            return ""
        if ns not in self._arn_service:
            sid = self.kb.service_id(ns) or ""
            self._arn_service[ns] = sid if sid and sid not in self.used else ""
        return self._arn_service[ns]
