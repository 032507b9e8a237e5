"""AWS Config compliance, as the AWS CLI writes it.

- `aws configservice describe-compliance-by-config-rule`:
  `{"ComplianceByConfigRules": [{"ConfigRuleName", "Compliance": {"ComplianceType",
  "ComplianceContributorCount": {"CappedCount", "CapExceeded"}}}]}`: one result
  per rule; a non-compliant rule counts its non-compliant resources (capped
  at 100 by Config), a compliant rule counts one pass;
- `aws configservice get-compliance-details-by-config-rule`:
  `{"EvaluationResults": [{"EvaluationResultIdentifier": {"EvaluationResultQualifier":
  {"ConfigRuleName", "ResourceType", "ResourceId"}}, "ComplianceType", "ResultRecordedTime"}]}`:
  one result per resource;
- `aws configservice describe-config-rules` (optional, the key):
  `{"ConfigRules": [{"ConfigRuleName", "ConfigRuleArn", "Source": {"Owner", "SourceIdentifier"}}]}`
  maps a rule's name to the managed rule it runs (its source identifier) and
  gives its account and Region.
ComplianceType COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, INSUFFICIENT_DATA.

Without the key, a rule name is matched as written, with the suffixes and
prefixes AWS adds taken off: conformance packs' `-conformance-pack-xxxxxxxx`,
Security Hub's `securityhub-...-1a2b3c4d`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tui.evidence.fields import MAX_CHECK_CHARS, arn_parts, get, text, when
from tui.evidence.model import Finding

STATUS = {"COMPLIANT": "pass", "NON_COMPLIANT": "fail", "NOT_APPLICABLE": "na", "INSUFFICIENT_DATA": "na"}
_SUFFIXES = (re.compile(r"-conformance-pack-[a-z0-9]+$"), re.compile(r"-[0-9a-f]{8}$"))


def rule_id(name: str) -> str:
    """A managed rule's identifier in the knowledge base's spelling: `S3_BUCKET_X` and `s3-bucket-x` alike."""
    return name.strip().lower().replace("_", "-")


@dataclass
class RuleKey:
    """What `describe-config-rules` says about each rule: its managed rule, account and Region."""

    source: dict[str, str] = field(default_factory=dict)  # rule name -> source identifier (kb spelling)
    where: dict[str, tuple[str, str]] = field(default_factory=dict)  # rule name -> (account, region)

    def add(self, rec: Any) -> str | None:
        if not isinstance(rec, dict) or not text(rec.get("ConfigRuleName")):
            return "a config rule without ConfigRuleName"
        name = text(rec.get("ConfigRuleName"), MAX_CHECK_CHARS)
        ident = text(get(rec, "Source", "SourceIdentifier"), MAX_CHECK_CHARS)
        if ident and text(get(rec, "Source", "Owner")).upper() == "AWS":
            self.source[name] = rule_id(ident)
        _, region, account = arn_parts(text(rec.get("ConfigRuleArn")))
        if account or region:
            self.where[name] = (account, region)
        return None

    def check(self, name: str) -> str:
        if name in self.source:
            return self.source[name]
        rid = rule_id(name)
        if rid.startswith("securityhub-"):
            rid = rid[len("securityhub-"):]
        for pattern in _SUFFIXES:
            rid = pattern.sub("", rid)
        return rid


def summary(rec: Any, key: RuleKey, file_time: str) -> Finding | str:
    """One rule of `describe-compliance-by-config-rule`."""
    name = text(get(rec, "ConfigRuleName"), MAX_CHECK_CHARS)
    if not name:
        return "a rule without ConfigRuleName"
    ctype = text(get(rec, "Compliance", "ComplianceType")).upper()
    result = STATUS.get(ctype, "na")
    count = 1
    if result == "fail":
        capped = get(rec, "Compliance", "ComplianceContributorCount", "CappedCount")
        count = capped if isinstance(capped, int) and not isinstance(capped, bool) and capped > 0 else 1
    account, region = key.where.get(name, ("", ""))
    return Finding("config", "config", key.check(name), result, f"rule {name}", account, region, file_time, "", count)


def detail(rec: Any, key: RuleKey) -> Finding | str:
    """One evaluation result of `get-compliance-details-by-config-rule`."""
    q = get(rec, "EvaluationResultIdentifier", "EvaluationResultQualifier")
    name = text(get(q, "ConfigRuleName"), MAX_CHECK_CHARS)
    if not name:
        return "an evaluation result without ConfigRuleName"
    rid, rtype = text(get(q, "ResourceId")), text(get(q, "ResourceType"))
    resource = rid if rid.startswith("arn:") else " ".join(x for x in (rtype, rid) if x)
    account, region = key.where.get(name, ("", ""))
    at = when(get(rec, "ResultRecordedTime")) or when(get(rec, "ConfigRuleInvokedTime"))
    result = STATUS.get(text(get(rec, "ComplianceType")).upper(), "na")
    return Finding("config", "config", key.check(name), result, resource, account, region, at, "", 1,
                   text(get(rec, "Annotation"), 300))
