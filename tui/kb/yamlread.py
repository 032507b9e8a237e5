"""Read YAML safely and keep where every value came from.

libyaml's C parser composes the node tree; we construct plain Python values
ourselves so that we can (a) remember the line and column of every mapping key
and sequence item, (b) refuse duplicate keys, which PyYAML silently collapses,
(c) refuse every tag that is not plain data (`!!python/object...`), unless the
caller supplies a handler (CloudFormation's `!Ref`), and (d) bound the work an
alias bomb or deep nesting can cause.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from tui.kb.errors import DataError, Problem

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 200
MAX_NODES = 2_000_000

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {
    _STD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "binary")
}
_SCALAR_WORDS = {_STD + "timestamp": "a date", _STD + "bool": "true or false", _STD + "int": "a number", _STD + "float": "a number", _STD + "binary": "base64 data"}
_CONSTRUCTOR = yaml.SafeLoader.__new__(yaml.SafeLoader)  # only its scalar methods are used
_STR = _STD + "str"
_ScalarNode = yaml.ScalarNode

TagHandler = Callable[[yaml.Node, Any], Any]


class YMap(dict):  # type: ignore[type-arg]
    """A mapping that knows where it and each of its keys and values stand."""

    __slots__ = ("line", "col", "pos")

    def __init__(self, line: int, col: int) -> None:
        super().__init__()
        self.line, self.col = line, col
        self.pos: dict[Any, tuple[int, int, int, int]] = {}  # key -> (kline, kcol, vline, vcol)

    def key_at(self, key: Any) -> tuple[int, int]:
        p = self.pos.get(key)
        return (p[0], p[1]) if p else (self.line, self.col)

    def value_at(self, key: Any) -> tuple[int, int]:
        p = self.pos.get(key)
        return (p[2], p[3]) if p else (self.line, self.col)


class YList(list):  # type: ignore[type-arg]
    """A sequence that knows where it and each of its items stand."""

    __slots__ = ("line", "col", "pos")

    def __init__(self, line: int, col: int) -> None:
        super().__init__()
        self.line, self.col = line, col
        self.pos: list[tuple[int, int]] = []

    def item_at(self, index: int) -> tuple[int, int]:
        return self.pos[index] if 0 <= index < len(self.pos) else (self.line, self.col)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def line_col_of_offset(text: str | bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a character (or byte) offset."""
    before = text[:offset]
    nl = "\n" if isinstance(before, str) else b"\n"
    line = before.count(nl) + 1  # type: ignore[arg-type]
    col = offset - (before.rfind(nl) + 1) + 1  # type: ignore[arg-type]
    return line, col


def decode(path: str, data: bytes) -> str:
    """UTF-8 text of a file (a BOM is allowed); invalid bytes are a located problem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = line_col_of_offset(data, exc.start)
        hint = " (it looks like UTF-16 or UTF-32: save it as UTF-8)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise DataError([Problem(path, line, col, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}){hint}")]) from None
    return text


def read_head(path: Path, size: int = 8192) -> str | None:
    """The first bytes of a file as text, for sniffing what kind of file it is; None if unreadable."""
    try:
        with path.open("rb") as fh:
            return fh.read(size).decode("utf-8", errors="replace")
    except OSError:
        return None


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a file as UTF-8 with a size limit; every failure is a DataError."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DataError([Problem(name, 0, 0, f"file is {size:,} bytes; the limit is {max_bytes:,}")])
        data = path.read_bytes()
    except OSError as exc:
        raise DataError([Problem(name, 0, 0, f"cannot read file: {exc.strerror or exc}")]) from None
    return decode(name, data)


def parse(
    text: str,
    path: str,
    tag_handler: TagHandler | None = None,
    max_nodes: int = MAX_NODES,
) -> Any:
    """Parse one YAML document into YMap/YList/scalars, or raise DataError.

    An empty document gives None. `tag_handler(node, value)` is called for any
    non-standard tag; without one such tags are problems.
    """
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        start = exc.context_mark
        if mark is not None and _char_at(text, mark.line, mark.column, getattr(mark, "index", None)) == "\t":
            what += " (a tab: YAML indents with spaces)"
        elif exc.problem and exc.context and start is not None and mark is not None and start.line != mark.line:
            # an unclosed quote or bracket fails at the end of the file: say where it was opened
            what += f" ({exc.context} that starts at line {start.line + 1}, column {start.column + 1})"
        raise DataError([Problem(path, line, col, f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry a position
        pos = getattr(exc, "position", None)
        line, col = line_col_of_offset(text, pos) if isinstance(pos, int) else (1, 1)
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        raise DataError([Problem(path, line, col, f"YAML error: {reason}")]) from None
    except RecursionError:
        raise DataError([Problem(path, 1, 1, "YAML nesting is too deep to read")]) from None
    if node is None:
        return None
    builder = _Builder(path, tag_handler, max_nodes)
    try:
        value = builder.build(node, 0)
    except RecursionError:
        builder.problem(node, f"nesting deeper than {MAX_DEPTH} levels")
        value = None
    if builder.problems:
        raise DataError(builder.problems)
    return value


def _char_at(text: str, line: int, column: int, index: int | None = None) -> str:
    if isinstance(index, int) and 0 <= index < len(text):  # libyaml's character index: no split of a 20 MB text
        return text[index]
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def load_file(path: Path, tag_handler: TagHandler | None = None, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Read and parse a YAML file (see `parse`)."""
    return parse(read_text(path, max_bytes), str(path), tag_handler)


class _TooBig(Exception):
    pass


class _Builder:
    """Turns a composed node graph into located Python values."""

    def __init__(self, path: str, tag_handler: TagHandler | None, max_nodes: int) -> None:
        self.path = path
        self.tag_handler = tag_handler
        self.problems: list[Problem] = []
        self.budget = max_nodes
        self.memo: dict[int, Any] = {}
        self.active: set[int] = set()  # collections being built: an alias to one is a cycle

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, *_mark(node), message))

    def build(self, node: yaml.Node, depth: int) -> Any:
        total = self.budget
        try:
            return self._build(node, depth)
        except _TooBig:
            message = f"document expands to more than {total:,} values (an alias bomb?)"
            self.problems = [Problem(self.path, *_mark(node), message)]
        except _TooDeep:
            pass  # the problem was recorded where the nesting went too deep
        return None

    def _build(self, node: yaml.Node, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooBig
        if depth > MAX_DEPTH:
            self.problem(node, f"nesting deeper than {MAX_DEPTH} levels")
            raise _TooDeep
        key = id(node)
        if key in self.memo:  # an alias: count what it expands to, reuse the value
            self.budget -= self.memo[key][1]
            if self.budget < 0:
                raise _TooBig
            return self.memo[key][0]
        if key in self.active:
            self.problem(node, "an alias refers to the collection that contains it (a recursive anchor)")
            raise _TooDeep
        before = self.budget
        if isinstance(node, yaml.ScalarNode):
            value = self._scalar(node)
        else:
            self.active.add(key)
            value = self._sequence(node, depth) if isinstance(node, yaml.SequenceNode) else self._mapping(node, depth)
            self.active.discard(key)
        tag = node.tag
        if not tag.startswith(_STD):
            value = self._custom(node, value)
        self.memo[key] = (value, before - self.budget)
        return value

    def _custom(self, node: yaml.Node, value: Any) -> Any:
        if self.tag_handler is not None:
            return self.tag_handler(node, value)
        self.problem(node, f"tag '{node.tag}' is not allowed (only plain data is read)")
        return None

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag in _SCALAR_TAGS:
            try:
                return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
            except (ValueError, TypeError, LookupError, AttributeError, ArithmeticError, yaml.YAMLError):  # e.g. `!!bool maybe`, `!!timestamp x`
                shown = node.value if len(node.value) <= 60 else node.value[:57] + "..."
                what = _SCALAR_WORDS.get(tag, tag.rsplit(":", 1)[-1])
                self.problem(node, f"cannot read {shown!r} as {what}")
                return None
        if tag.startswith(_STD):
            self.problem(node, f"tag '{tag}' is not allowed (only plain data is read)")
            return None
        return node.value

    # The two loops below are the hot path of a cold load: plain strings (most
    # values) are taken straight from the node, everything else goes through
    # _build. The node budget is still charged one per string; checking it once
    # per collection is enough, as compose has already bounded the collection.
    def _sequence(self, node: yaml.SequenceNode, depth: int) -> YList:
        mark = node.start_mark
        out = YList(mark.line + 1, mark.column + 1)
        pos, append, build = out.pos, out.append, self._build
        deeper = depth + 1
        fast = deeper <= MAX_DEPTH
        for item in node.value:
            mark = item.start_mark
            pos.append((mark.line + 1, mark.column + 1))
            if fast and item.tag == _STR and type(item) is _ScalarNode:
                self.budget -= 1
                append(item.value)
            else:
                append(build(item, deeper))
        if self.budget < 0:
            raise _TooBig
        if node.tag not in (_STD + "seq",) and node.tag.startswith(_STD):
            self.problem(node, f"tag '{node.tag}' is not allowed (only plain data is read)")
        return out

    def _mapping(self, node: yaml.MappingNode, depth: int) -> YMap:
        out = YMap(*_mark(node))
        if node.tag != _STD + "map" and node.tag.startswith(_STD):
            self.problem(node, f"tag '{node.tag}' is not allowed (only plain data is read)")
        deeper = depth + 1
        fast = deeper <= MAX_DEPTH
        positions, build = out.pos, self._build
        for knode, vnode in node.value:
            if fast and knode.tag == _STR and type(knode) is _ScalarNode:
                self.budget -= 1
                k = knode.value
                if k not in out:  # the common case; anything else takes the general path below
                    km, vm = knode.start_mark, vnode.start_mark
                    positions[k] = (km.line + 1, km.column + 1, vm.line + 1, vm.column + 1)
                    if vnode.tag == _STR and type(vnode) is _ScalarNode:
                        self.budget -= 1
                        out[k] = vnode.value
                    else:
                        out[k] = build(vnode, deeper)
                    continue
                self.budget += 1  # charged again below
            if knode.tag == _STD + "merge":
                merged = self._build(vnode, depth + 1)
                sources = merged if isinstance(merged, list) else [merged]
                for src in sources:
                    if not isinstance(src, YMap):
                        self.problem(vnode, "'<<' merges mappings only (a mapping or a list of mappings)")
                        break
                    if isinstance(src, YMap):
                        for k, v in src.items():
                            if k not in out:
                                out[k] = v
                                out.pos[k] = src.pos.get(k, (src.line, src.col, src.line, src.col))
                continue
            k = self._build(knode, depth + 1)
            if isinstance(k, (dict, list)):
                self.problem(knode, "a mapping key must be a plain value")
                continue
            if k in out:
                first = out.pos[k][0]
                self.problem(knode, f"duplicate key '{k}' (first defined on line {first})")
                continue
            out.pos[k] = (*_mark(knode), *_mark(vnode))
            out[k] = self._build(vnode, depth + 1)
        if self.budget < 0:
            raise _TooBig
        return out


class _TooDeep(Exception):
    pass


sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * MAX_DEPTH + 200))
