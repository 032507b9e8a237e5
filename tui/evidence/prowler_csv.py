"""Prowler's CSV output: `;`-separated since Prowler 4 (`,` before), one row per check and resource.

Columns read: CHECK_ID, STATUS (PASS, FAIL, MANUAL), MUTED, RESOURCE_UID
(RESOURCE_ARN in Prowler 3), ACCOUNT_UID (ACCOUNT_ID), REGION, TIMESTAMP
(ASSESSMENT_START_TIME), CHECK_TITLE. Other columns are ignored.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO

from tui.evidence.fields import MAX_CHECK_CHARS, text, when
from tui.evidence.model import Finding
from tui.kb.errors import DataError, Problem

STATUS = {"PASS": "pass", "FAIL": "fail", "MANUAL": "manual", "INFO": "na"}
MAX_FIELD = 1 << 20


def rows(fh: IO[str], path: str) -> Iterator[tuple[Finding | str, int]]:
    header = fh.readline()
    delimiter = ";" if header.count(";") > header.count(",") else ","
    names = [h.strip().upper() for h in next(csv.reader([header.strip("\r\n")], delimiter=delimiter))]
    if "CHECK_ID" not in names or "STATUS" not in names:
        raise DataError([Problem(path, 1, 1, "a Prowler CSV needs the columns CHECK_ID and STATUS")])
    col = {n: i for i, n in enumerate(names)}

    def pick(row: list[str], *keys: str) -> str:
        for k in keys:
            i = col.get(k)
            if i is not None and i < len(row) and row[i]:
                return row[i]
        return ""

    old = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(fh, delimiter=delimiter)
    try:
        for row in reader:
            line = reader.line_num + 1
            if not row or not any(row):
                continue
            check = text(pick(row, "CHECK_ID"), MAX_CHECK_CHARS)
            if not check:
                yield "a row without CHECK_ID", line
                continue
            muted = pick(row, "MUTED").strip().lower() in ("true", "1", "yes")
            yield Finding(
                "prowler", "prowler", check, STATUS.get(pick(row, "STATUS").strip().upper(), "na"),
                text(pick(row, "RESOURCE_UID", "RESOURCE_ARN", "RESOURCE_ID", "RESOURCE_NAME")),
                text(pick(row, "ACCOUNT_UID", "ACCOUNT_ID")), text(pick(row, "REGION")),
                when(pick(row, "TIMESTAMP", "ASSESSMENT_START_TIME")), "suppressed" if muted else "", 1,
                text(pick(row, "CHECK_TITLE", "TITLE_TEXT"), 300),
            ), line
    except csv.Error as exc:
        raise DataError([Problem(path, reader.line_num + 1, 1, f"not valid CSV: {exc}")]) from None
    finally:
        csv.field_size_limit(old)
