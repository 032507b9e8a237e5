"""A small evaluator for the Terraform expressions that decide whether a resource exists.

`count = var.create ? 1 : 0`, `for_each = var.enabled ? toset(var.names) : []`,
`count = length(var.subnets) > 0 && local.create ? 1 : 0`: literals, `var.*`,
`local.*`, the boolean, comparison and arithmetic operators, the conditional
operator and a few functions (length, toset, tolist, tomap, keys, values,
coalesce, try). Anything else is UNKNOWN, never an error: the caller then
marks the resource conditional.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
_TOKEN = re.compile(r"""\s*(?:
    (?P<num>\d+(?:\.\d+)?)
  | (?P<str>"(?:[^"\\$]|\\.)*")
  | (?P<op>==|!=|>=|<=|&&|\|\||=>|[?:!<>+\-*/%(),\[\]{}.=])
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
)""", re.X)
MAX_DEPTH = 40


class _Parser:
    def __init__(self, text: str, lookup: Callable[[str, str], Any]) -> None:
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise ValueError(text[pos:])
            kind = m.lastgroup or ""
            self.tokens.append((kind, m.group(kind)))
            pos = m.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.i = 0
        self.lookup = lookup
        self.depth = 0

    def peek(self) -> str:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else ""

    def take(self, value: str | None = None) -> tuple[str, str]:
        if self.i >= len(self.tokens) or (value is not None and self.tokens[self.i][1] != value):
            raise ValueError(value)
        self.i += 1
        return self.tokens[self.i - 1]

    def parse(self) -> Any:
        value = self.cond()
        if self.i != len(self.tokens):
            raise ValueError("trailing")
        return value

    def cond(self) -> Any:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ValueError("deep")
        test = self.binary(0)
        if self.peek() == "?":
            self.take("?")
            a = self.cond()
            self.take(":")
            b = self.cond()
            test = UNKNOWN if test is UNKNOWN else (a if _truthy(test) else b)
        self.depth -= 1
        return test

    _LEVELS = (("||",), ("&&",), ("==", "!="), (">", "<", ">=", "<="), ("+", "-"), ("*", "/", "%"))

    def binary(self, level: int) -> Any:
        if level == len(self._LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek() in self._LEVELS[level]:
            op = self.take()[1]
            right = self.binary(level + 1)
            left = _apply(op, left, right)
        return left

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            v = self.unary()
            return UNKNOWN if v is UNKNOWN else not _truthy(v)
        if self.peek() == "-":
            self.take()
            v = self.unary()
            return -v if isinstance(v, (int, float)) and not isinstance(v, bool) else UNKNOWN
        return self.postfix(self.primary())

    def postfix(self, value: Any) -> Any:
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                key = self.take()[1]
                value = value.get(key, UNKNOWN) if isinstance(value, Mapping) else UNKNOWN
            else:
                idx = self.cond()
                self.take("]")
                if isinstance(value, list) and isinstance(idx, int) and -len(value) <= idx < len(value):
                    value = value[idx]
                elif isinstance(value, Mapping) and isinstance(idx, str):
                    value = value.get(idx, UNKNOWN)
                else:
                    value = UNKNOWN
        return value

    def primary(self) -> Any:
        kind, tok = self.take()
        if kind == "num":
            return float(tok) if "." in tok else int(tok)
        if kind == "str":
            return tok[1:-1]
        if tok == "(":
            v = self.cond()
            self.take(")")
            return v
        if tok == "[":
            if self.peek() == "for":
                return self.skip_to("]")
            items = []
            while self.peek() != "]":
                items.append(self.cond())
                if self.peek() == ",":
                    self.take()
            self.take("]")
            return UNKNOWN if any(x is UNKNOWN for x in items) else items
        if tok == "{":
            if self.peek() == "for":
                return self.skip_to("}")
            out: dict[str, Any] = {}
            while self.peek() != "}":
                key = self.take()[1].strip('"')
                self.take(self.peek() if self.peek() in ("=", ":") else "=")
                out[key] = self.cond()
                if self.peek() == ",":
                    self.take()
            self.take("}")
            return out
        if kind == "name":
            if tok in ("true", "false"):
                return tok == "true"
            if tok == "null":
                return None
            if tok in ("var", "local") and self.peek() == ".":
                self.take(".")
                return self.lookup(tok, self.take()[1])
            if self.peek() == "(":
                return self.call(tok)
            # a reference to a resource, module, data source, each.*, count.*: known only at apply time
            while self.peek() == ".":
                self.take(".")
                self.take()
            return UNKNOWN
        raise ValueError(tok)

    def skip_to(self, closer: str) -> Any:
        depth = 1
        while depth:
            tok = self.take()[1]
            depth += tok in "([{"
            depth -= tok in ")]}"
        return UNKNOWN

    def call(self, name: str) -> Any:
        self.take("(")
        args = []
        while self.peek() != ")":
            args.append(self.cond())
            if self.peek() == ",":
                self.take()
            elif self.peek() == "...":
                self.take()
        self.take(")")
        return _call(name, args)


def _truthy(v: Any) -> bool:
    if isinstance(v, str):
        return v.lower() == "true"
    return bool(v)


def _apply(op: str, a: Any, b: Any) -> Any:
    if op in ("&&", "||"):  # short-circuit on a known side
        if op == "&&" and (a is not UNKNOWN and not _truthy(a) or b is not UNKNOWN and not _truthy(b)):
            return False
        if op == "||" and (a is not UNKNOWN and _truthy(a) or b is not UNKNOWN and _truthy(b)):
            return True
        if a is UNKNOWN or b is UNKNOWN:
            return UNKNOWN
        return _truthy(a) and _truthy(b) if op == "&&" else _truthy(a) or _truthy(b)
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    try:
        if op == "==":
            return a == b
        if op == "!=":
            return a != b
        if op in (">", "<", ">=", "<="):
            return {">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b}[op]
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        return a / b if op == "/" else a % b
    except Exception:
        return UNKNOWN


def _call(name: str, args: list[Any]) -> Any:
    if name == "try" or name == "coalesce":
        for a in args:
            if a is UNKNOWN:
                return UNKNOWN
            if a is not None and a != "":
                return a
        return UNKNOWN if name == "try" else None
    if any(a is UNKNOWN for a in args):
        return UNKNOWN
    if name == "length" and len(args) == 1 and isinstance(args[0], (list, dict, str)):
        return len(args[0])
    if name in ("toset", "tolist") and len(args) == 1 and isinstance(args[0], (list, dict)):
        return list(dict.fromkeys(args[0])) if isinstance(args[0], list) else list(args[0].values())
    if name == "tomap" and len(args) == 1 and isinstance(args[0], dict):
        return args[0]
    if name in ("keys", "values") and len(args) == 1 and isinstance(args[0], dict):
        return list(args[0].keys() if name == "keys" else args[0].values())
    if name == "tobool" and len(args) == 1:
        return _truthy(args[0])
    if name == "tonumber" and len(args) == 1:
        try:
            return int(args[0])
        except (TypeError, ValueError):
            return UNKNOWN
    return UNKNOWN


def evaluate(value: Any, lookup: Callable[[str, str], Any]) -> Any:
    """The value of an attribute as python-hcl2 gives it: a literal, or `${expression}`."""
    if isinstance(value, str):
        text = value
        if text.startswith("${") and text.endswith("}"):
            text = text[2:-1]
        elif len(text) >= 2 and text[0] == text[-1] == '"':
            inner = text[1:-1]
            return UNKNOWN if "${" in inner else inner
        else:
            return text if "${" not in text else UNKNOWN
        try:
            return _Parser(text, lookup).parse()
        except (ValueError, IndexError, RecursionError):
            return UNKNOWN
    if isinstance(value, list):
        items = [evaluate(v, lookup) for v in value]
        return UNKNOWN if any(v is UNKNOWN for v in items) else items
    if isinstance(value, Mapping):
        out = {k.strip('"'): evaluate(v, lookup) for k, v in value.items() if k != "__is_block__"}
        return UNKNOWN if any(v is UNKNOWN for v in out.values()) else out
    return value


def instances(count: Any, for_each: Any) -> bool | None:
    """Whether a block with this (evaluated) count / for_each creates anything: None = unknown."""
    if count is not None:
        if count is UNKNOWN:
            return None
        if isinstance(count, bool):
            return count
        if isinstance(count, (int, float)):
            return count > 0
        return None
    if for_each is not None:
        if for_each is UNKNOWN:
            return None
        if isinstance(for_each, (list, dict, str)):
            return len(for_each) > 0
        return None
    return True
