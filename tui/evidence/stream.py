"""Read JSON findings record by record, without holding the whole document.

Scanner exports are large (100,000 findings is a few hundred MB), and come
in three JSON shapes: a wrapper object whose array holds the records
(`{"Findings": [...]}` from `aws securityhub get-findings`,
`{"EvaluationResults": [...]}` from AWS Config), a bare array (Prowler), or
one object per line (JSON lines). `records()` yields the records of any of
them with the line each starts on; a malformed file is a `DataError` at
`path:line:column`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from tui.kb.errors import DataError, Problem

CHUNK = 1 << 20
MAX_FINDINGS_BYTES = 1 << 30  # 1 GiB: a findings file larger than this is refused before reading
MAX_RECORD_CHARS = 8 << 20  # one finding larger than 8 MiB is not a finding (Security Hub caps them at 240 KB)
_WS = " \t\r\n"
_decoder = json.JSONDecoder()


class _Reader:
    def __init__(self, fh: IO[str], path: str) -> None:
        self.fh, self.path = fh, path
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.base_line = 1  # line number of buf[0]
        self.base_col_offset = 0  # characters of that line before buf[0]
        self._lp, self._ll = 0, 1  # a position in buf and its line: lines are counted forward, once

    # -- buffer ---------------------------------------------------------------
    def more(self) -> bool:
        if self.eof:
            return False
        chunk = self.fh.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        if self.pos > CHUNK:  # drop what was consumed, keeping line numbers right
            line_at_pos = self.line(self.pos)
            dropped = self.buf[: self.pos]
            nl = dropped.count("\n")
            if nl:
                self.base_line += nl
                self.base_col_offset = len(dropped) - dropped.rfind("\n") - 1
            else:
                self.base_col_offset += len(dropped)
            self.buf = self.buf[self.pos:]
            self.pos = 0
            self._lp, self._ll = 0, line_at_pos
        self.buf += chunk
        return True

    def line(self, pos: int) -> int:
        """The line of buf[pos], counting only the text not counted before (linear over the file)."""
        if pos < self._lp:
            return self.where(pos)[0]
        self._ll += self.buf.count("\n", self._lp, pos)
        self._lp = pos
        return self._ll

    def where(self, pos: int) -> tuple[int, int]:
        before = self.buf[:pos]
        nl = before.count("\n")
        if nl:
            return self.base_line + nl, pos - before.rfind("\n")
        return self.base_line, self.base_col_offset + pos + 1

    def fail(self, pos: int, message: str) -> DataError:
        line, col = self.where(pos)
        return DataError([Problem(self.path, line, col, message)])

    def skip_ws(self) -> str:
        """The next non-blank character ('' at the end), leaving pos on it."""
        while True:
            buf, n = self.buf, len(self.buf)
            while self.pos < n and buf[self.pos] in _WS:
                self.pos += 1
            if self.pos < n:
                return buf[self.pos]
            if not self.more():
                return ""

    def value(self) -> tuple[Any, int]:
        """Decode one JSON value at pos (reading more as needed); returns it and the line it starts on."""
        start = self.pos
        while True:
            try:
                obj, end = _decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                cut = exc.pos >= len(self.buf) - 1 or exc.msg.startswith("Unterminated string")
                if cut and len(self.buf) - self.pos <= MAX_RECORD_CHARS and self.more():
                    start = self.pos
                    continue
                if cut and not self.eof:
                    raise self.fail(start, f"a record larger than {MAX_RECORD_CHARS:,} characters") from None
                raise self.fail(exc.pos, f"not valid JSON: {exc.msg}") from None
            line = self.line(start)
            # a number at the very end of the buffer may continue in the next chunk
            if end >= len(self.buf) and not self.eof and not isinstance(obj, (dict, list, str)):
                if self.more():
                    continue
            self.pos = end
            return obj, line

    def expect(self, chars: str, what: str) -> str:
        c = self.skip_ws()
        if not c or c not in chars:
            raise self.fail(self.pos, f"expected {what}, found {repr(c) if c else 'the end of the file'}")
        self.pos += 1
        return c


def records(fh: IO[str], path: str, array_keys: tuple[str, ...]) -> Iterator[tuple[Any, int]]:
    """Every record of a JSON findings file, with its line: the elements of a top-level array, of the
    first array under one of `array_keys` in a wrapper object, or each value of a JSON-lines file."""
    r = _Reader(fh, path)
    first = r.skip_ws()
    if first == "\ufeff":
        r.pos += 1
        first = r.skip_ws()
    if not first:
        raise r.fail(0, "empty file: no findings to read")
    if first == "[":
        r.pos += 1
        yield from _array(r)
        _end(r)
        return
    if first != "{":
        raise r.fail(r.pos, "not JSON: a findings file starts with '{' or '['")
    start = r.pos
    r.pos += 1
    c = r.skip_ws()
    key = None
    if c == '"':
        key, _ = r.value()
    if key in array_keys or key in ("NextToken", "nextToken"):
        yield from _wrapper(r, key, array_keys)
        _end(r)
        return
    r.pos = start  # JSON lines (or concatenated objects): each value is a record
    while r.skip_ws():
        obj, line = r.value()
        yield obj, line


def _wrapper(r: _Reader, key: str, array_keys: tuple[str, ...]) -> Iterator[tuple[Any, int]]:
    while True:
        r.expect(":", "':'")
        c = r.skip_ws()
        if key in array_keys and c == "[":
            r.pos += 1
            yield from _array(r)
        else:
            r.value()  # NextToken and other small values
        if r.expect(",}", "',' or '}'") == "}":
            return
        if r.skip_ws() != '"':
            raise r.fail(r.pos, "expected a key")
        key, _ = r.value()


def _array(r: _Reader) -> Iterator[tuple[Any, int]]:
    if r.skip_ws() == "]":
        r.pos += 1
        return
    while True:
        if not r.skip_ws():
            raise r.fail(r.pos, "the file ends inside a list (was it cut short?)")
        obj, line = r.value()
        yield obj, line
        if r.expect(",]", "',' or ']'") == "]":
            return


def _end(r: _Reader) -> None:
    c = r.skip_ws()
    if c:
        raise r.fail(r.pos, "unexpected text after the end of the JSON document")


def open_text(path: Path) -> IO[str]:
    """A findings file opened for reading, after the size limit; OSError is a DataError."""
    try:
        size = path.stat().st_size
        if size > MAX_FINDINGS_BYTES:
            raise DataError([Problem(str(path), 1, 1, f"file is {size:,} bytes; the limit is {MAX_FINDINGS_BYTES:,}")])
        return path.open("r", encoding="utf-8-sig", errors="strict", newline="")
    except OSError as exc:
        raise DataError([Problem(str(path), 1, 1, f"cannot read file: {exc.strerror or exc}")]) from None
