"""The located YAML reader: positions, duplicate keys, refused tags, bounded work."""

from __future__ import annotations

import pytest

from tui.kb.errors import DataError
from tui.kb.yamlread import YList, YMap, decode, parse


def problems(text: str) -> list[str]:
    with pytest.raises(DataError) as exc:
        parse(text, "f.yaml")
    return [str(p) for p in exc.value.problems]


def test_positions_of_keys_and_items() -> None:
    doc = parse("a: 1\nb:\n  - x\n  - y\n", "f.yaml")
    assert isinstance(doc, YMap) and doc.key_at("b") == (2, 1)
    assert isinstance(doc["b"], YList) and doc["b"].item_at(1) == (4, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\na: 2\n", "f.yaml:2:1: duplicate key 'a' (first defined on line 1)"),
        ("x:\n  k: 1\n  k: 2\n", "f.yaml:3:3: duplicate key 'k' (first defined on line 2)"),
        ("a: !!python/object/apply:os.system ['echo hi']\n", "f.yaml:1:4: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed (only plain data is read)"),
        ("a: !Ref x\n", "f.yaml:1:4: tag '!Ref' is not allowed (only plain data is read)"),
        ("a: [1, 2\n", "f.yaml:2:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence that starts at line 1, column 4)"),
        ("a:\n\t- b\n", "f.yaml:2:1: YAML syntax error: found character that cannot start any token (a tab: YAML indents with spaces)"),
        ('a: "unclosed\n', "f.yaml:2:1: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar that starts at line 1, column 4)"),
        ("a: 1\n b: 2\n", "f.yaml:2:3: YAML syntax error: mapping values are not allowed in this context"),
    ],
)
def test_bad_yaml_is_located(text: str, expected: str) -> None:
    assert expected in problems(text)


def test_alias_bomb_is_bounded() -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 12):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    msgs = problems("\n".join(lines) + "\n")
    assert any("alias bomb" in m for m in msgs)


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    depth = 1000
    msgs = problems("a: " + "[" * depth + "]" * depth + "\n")
    assert any("nesting" in m for m in msgs)


def test_invalid_utf8_names_line_and_column() -> None:
    with pytest.raises(DataError) as exc:
        decode("f.yaml", b"a: 1\nb: \xff\n")
    assert str(exc.value.problems[0]) == "f.yaml:2:4: not valid UTF-8 (byte 0xff)"


def test_bom_and_crlf_are_accepted() -> None:
    doc = parse(decode("f.yaml", b"\xef\xbb\xbfa: 1\r\nb: two\r\n"), "f.yaml")
    assert doc == {"a": 1, "b": "two"}


def test_empty_document_is_none() -> None:
    assert parse("", "f.yaml") is None
    assert parse("# only a comment\n", "f.yaml") is None


def test_merge_keys_work() -> None:
    doc = parse("base: &b {x: 1}\nchild:\n  <<: *b\n  y: 2\n", "f.yaml")
    assert doc["child"] == {"x": 1, "y": 2}
