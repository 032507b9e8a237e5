"""AWS Security Finding Format: Security Hub CSPM control findings and Prowler's JSON-ASFF.

Security Hub control findings come in two shapes (the user guide's
"Samples of control findings" shows both):
- consolidated control findings (the default since February 2023): one
  finding per control and resource, `Compliance.SecurityControlId` (`S3.8`)
  and `GeneratorId` `security-control/S3.8`;
- standard-specific findings: one per enabled standard, `GeneratorId`
  `aws-foundational-security-best-practices/v/1.0.0/S3.8` and
  `ProductFields.ControlId` with `ProductFields.StandardsArn` (CIS v1.2.0
  uses `RuleId` and `StandardsGuideArn`). NIST 800-53 and PCI DSS findings
  use the same control ids as FSBP; CIS findings use the benchmark's own
  numbers, which are reported unmapped unless the finding also carries the
  security control id. Duplicates across standards are folded later.
`Compliance.Status` PASSED, FAILED, WARNING (needs a person: manual) and
NOT_AVAILABLE (not applicable or not evaluated). Archived findings
(`RecordState`) and suppressed ones (`Workflow.Status`) are counted apart.
Findings without `Compliance` (GuardDuty, Inspector, Macie...) are not
control checks: they are counted as skipped, by product.
Prowler's ASFF: `GeneratorId` `prowler-<check id>`, `ProductFields.ProviderName` Prowler.
"""

from __future__ import annotations

from typing import Any

from tui.evidence.fields import MAX_CHECK_CHARS, get, text, when
from tui.evidence.model import Finding

STATUS = {"PASSED": "pass", "FAILED": "fail", "WARNING": "manual", "NOT_AVAILABLE": "na"}
FSBP_STYLE = ("aws-foundational-security-best-practices", "nist-800-53", "pci-dss", "service-managed-aws-control-tower",
              "security-control")


def finding(rec: Any) -> Finding | str:
    """One ASFF record as a Finding, or why it is skipped (a short reason, counted by the caller)."""
    if not isinstance(rec, dict):
        return "not an ASFF finding (not an object)"
    gen = text(rec.get("GeneratorId"), MAX_CHECK_CHARS)
    prowler = gen.startswith("prowler-") or get(rec, "ProductFields", "ProviderName") == "Prowler"
    comp = rec.get("Compliance")
    if not isinstance(comp, dict):
        product = text(get(rec, "ProductFields", "aws/securityhub/ProductName") or rec.get("ProductName")) or "unknown product"
        return f"not a control check ({product})"
    result = STATUS.get(text(comp.get("Status")).upper(), "na")
    res = rec.get("Resources")
    first = res[0] if isinstance(res, list) and res and isinstance(res[0], dict) else {}
    resource = text(first.get("Id"))
    region = text(first.get("Region")) or text(rec.get("Region"))
    account = text(rec.get("AwsAccountId"))
    at = when(rec.get("LastObservedAt")) or when(rec.get("UpdatedAt")) or when(rec.get("CreatedAt"))
    state = ""
    if text(rec.get("RecordState")).upper() == "ARCHIVED":
        state = "archived"
    elif text(get(rec, "Workflow", "Status")).upper() == "SUPPRESSED" or text(rec.get("WorkflowState")).upper() == "SUPPRESSED":
        state = "suppressed"
    title = text(rec.get("Title"), 300)
    if prowler:
        check = gen[len("prowler-"):] if gen.startswith("prowler-") else text(get(rec, "ProductFields", "CheckID"))
        if not check:
            return "a Prowler finding without its check id"
        return Finding("prowler", "prowler", check, result, resource, account, region, at, state, 1, title)
    kind, check = _control(rec, comp, gen)
    if not check:
        return "a control finding without a control id"
    return Finding("securityhub", kind, check, result, resource, account, region, at, state, 1, title)


def _control(rec: dict[str, Any], comp: dict[str, Any], gen: str) -> tuple[str, str]:
    sc = text(comp.get("SecurityControlId"), MAX_CHECK_CHARS)
    if sc:
        return "fsbp", sc
    if gen.startswith("security-control/"):
        return "fsbp", gen.split("/", 1)[1]
    pf = rec.get("ProductFields") if isinstance(rec.get("ProductFields"), dict) else {}
    standard = text(pf.get("StandardsArn")) or text(pf.get("StandardsGuideArn")) or gen
    cid = text(pf.get("ControlId"), MAX_CHECK_CHARS) or text(pf.get("RuleId"), MAX_CHECK_CHARS)
    if not cid and "/" in gen:
        cid = gen.rsplit("/", 1)[1]
    if not cid:
        return "", ""
    if "cis-aws-foundations-benchmark" in standard:
        version = standard.split("/v/", 1)[1].split("/", 1)[0] if "/v/" in standard else ""
        return "other", f"CIS {version} {cid}".replace("  ", " ")
    if any(s in standard for s in FSBP_STYLE) or "." in cid:
        return "fsbp", cid
    return "other", cid
