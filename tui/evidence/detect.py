"""Which findings format a file holds, from its first bytes (never from its name)."""

from __future__ import annotations

import re
from pathlib import Path

from tui.kb.errors import DataError, Problem

FORMATS = {
    "asff": "Security Hub / Prowler JSON-ASFF",
    "ocsf": "Prowler JSON-OCSF",
    "prowler-csv": "Prowler CSV",
    "config-summary": "AWS Config describe-compliance-by-config-rule",
    "config-details": "AWS Config get-compliance-details-by-config-rule",
    "config-rules": "AWS Config describe-config-rules (rule key)",
}
HEAD = 65536
_KEY = re.compile(r'"([A-Za-z_]+)"\s*:')


def detect(path: Path) -> str:
    """One of FORMATS, or a DataError saying what the file is not."""
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD).decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    except OSError as exc:
        raise DataError([Problem(str(path), 1, 1, f"cannot read file: {exc.strerror or exc}")]) from None
    if not head:
        raise DataError([Problem(str(path), 1, 1, "empty file: no findings to read")])
    if head[0] in "[{":
        keys = set(_KEY.findall(head))
        if "ComplianceByConfigRules" in keys:
            return "config-summary"
        if "EvaluationResults" in keys:
            return "config-details"
        if "ConfigRules" in keys:
            return "config-rules"
        if "Findings" in keys or {"SchemaVersion", "GeneratorId"} & keys and {"ProductArn", "Compliance", "AwsAccountId"} & keys:
            return "asff"
        if "event_code" in keys or ("class_uid" in keys and "metadata" in keys) or "status_code" in keys:
            return "ocsf"
    else:
        first = head.split("\n", 1)[0].upper()
        if "CHECK_ID" in first and "STATUS" in first:
            return "prowler-csv"
    known = ", ".join(FORMATS.values())
    raise DataError([Problem(str(path), 1, 1, f"not a findings file ownit reads; it reads: {known}")])
