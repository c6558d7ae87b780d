"""The strict YAML reader: what it refuses, and the lines it remembers."""

from __future__ import annotations

import datetime as dt

import pytest

from helper import strict_yaml
from helper.strict_yaml import YamlError, parse


def test_plain_values_keep_their_types_and_yes_stays_text() -> None:
    doc = parse("a: 1\nb: 1.5\nc: true\nd: no\ne: 2026-11-29\nf: '2026-11-29'\ng: ~\nh: 01101\n")
    assert doc.data == {"a": 1, "b": 1.5, "c": True, "d": "no", "e": dt.date(2026, 11, 29), "f": "2026-11-29",
                        "g": None, "h": 1101}


def test_lines_are_remembered_for_nested_paths() -> None:
    doc = parse("top:\n  items:\n    - x: 1\n    - x: 2\n      y: 3\n")
    assert doc.line_of(("top", "items", 1, "y")) == 5
    assert doc.line_of(("top", "items", 0)) == 3
    assert doc.line_of(("top", "missing", "deeper")) == 2  # the value of "top" starts on line 2


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key"),
        ("a: &x 1\nb: 2\n", 1, "anchors"),
        ("a: [1]\nb: *x\n", 2, "alias"),
        ("a: !!python/object/new:os.system [echo hi]\n", 1, "python tags"),
        ("a: !!str 1\n", 1, "tags"),
        ("a: 1\n---\nb: 2\n", 2, "one YAML document"),
        ("a: [1, 2\n", 1, "YAML syntax"),  # where the bracket opened
        ("a: 2026-02-30\n", 1, "invalid date"),
        ("a: x\u202ey\n", 1, "bidirectional"),
        ("ok: 1\nb\u200bad: 2\n", 2, "invisible"),
    ],
)
def test_refuses_with_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlError) as err:
        parse(text)
    assert err.value.line == line
    assert message in err.value.message


def test_refuses_deep_nesting() -> None:
    text = "a: " + "[" * 25 + "]" * 25 + "\n"
    with pytest.raises(YamlError, match="nesting deeper"):
        parse(text)


def test_refuses_files_over_the_size_limit(tmp_path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: '" + "x" * (strict_yaml.MAX_BYTES + 10) + "'\n", encoding="utf-8")
    with pytest.raises(YamlError, match="limit"):
        strict_yaml.read(big)


def test_format_path() -> None:
    assert strict_yaml.format_path(("conditions", "x.y", "all", 0, "eq")) == "conditions.x.y.all[0].eq"
