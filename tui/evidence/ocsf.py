"""Prowler's JSON-OCSF output: one Detection Finding (class 2004) per check and resource.

The check id is `metadata.event_code`, the outcome `status_code` (PASS, FAIL,
MANUAL), the resource `resources[].uid` and `.region`, the account
`cloud.account.uid`, the time `time_dt` (or `time`, Unix seconds). A muted
finding has `status` Suppressed (`status_id` 3) and is counted apart.
Prowler 3's OCSF draft (class 2001, check id in `metadata.product.feature.uid`)
is read too.
"""

from __future__ import annotations

from typing import Any

from tui.evidence.fields import MAX_CHECK_CHARS, get, text, when
from tui.evidence.model import Finding

STATUS = {"PASS": "pass", "FAIL": "fail", "MANUAL": "manual", "SUCCESS": "pass", "FAILURE": "fail"}


def finding(rec: Any) -> Finding | str:
    if not isinstance(rec, dict):
        return "not an OCSF finding (not an object)"
    check = text(get(rec, "metadata", "event_code"), MAX_CHECK_CHARS) or text(
        get(rec, "metadata", "product", "feature", "uid"), MAX_CHECK_CHARS)
    if not check:
        return "an OCSF record without metadata.event_code"
    code = text(rec.get("status_code")) or text(get(rec, "compliance", "status"))
    result = STATUS.get(code.upper(), "na")
    res = rec.get("resources")
    first = res[0] if isinstance(res, list) and res and isinstance(res[0], dict) else {}
    resource = text(first.get("uid")) or text(first.get("name"))
    region = text(first.get("region")) or text(get(rec, "cloud", "region"))
    account = text(get(rec, "cloud", "account", "uid"))
    at = when(rec.get("time_dt")) or when(rec.get("time")) or when(get(rec, "finding_info", "created_time_dt"))
    suppressed = text(rec.get("status")).lower() == "suppressed" or rec.get("status_id") == 3
    title = text(get(rec, "finding_info", "title") or get(rec, "finding", "title"), 300)
    return Finding("prowler", "prowler", check, result, resource, account, region, at,
                   "suppressed" if suppressed else "", 1, title)
