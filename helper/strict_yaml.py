"""A strict, safe YAML reader for rule files and answers files.

Why not ``yaml.safe_load``: it silently accepts duplicate keys, expands aliases (an alias bomb
costs nothing to load but explodes when validated), turns ``no`` into ``False`` and forgets
line numbers. This reader builds plain Python data from the parser's events (libyaml when
available) and keeps a map from each path to its line, so every error names ``file:line``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import reading

try:  # libyaml's parser is several times faster; the events are the same.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - wheels ship libyaml
    _Loader = yaml.SafeLoader

MAX_BYTES = 256 * 1024
MAX_DEPTH = 20
# Numbers and dates are bounded where they are read, so that no arithmetic on them can explode: no
# amount in the rules or the answers comes near 15 digits, and Python refuses ints over 4,300 digits with
# an exception of its own. The calendar's dates run from 1873-01-01 (the Gregorian calendar in Japan,
# the first date the letters can write in 和暦) to the end of 2100.
MAX_DIGITS = 15
MAX_NUMBER = 10**MAX_DIGITS
MIN_DATE = dt.date(1873, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)

Path_ = tuple[str | int, ...]

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}
_NUMERIC_START = frozenset("0123456789+-.")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# Trojan-source controls (CVE-2021-42574) and invisible characters have no place in rules.
_FORBIDDEN_CHARS = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u200c\u200d\u2060\ufeff]")
# Answers files hold names: Persian needs ZWNJ and Sinhala ZWJ inside words, so joiners stay there.
_FORBIDDEN_IN_ANSWERS = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")
# Escapes in double-quoted scalars ("\\u202E", "\\e", "\\x1b") and in JSON strings can write what the
# reader refuses as raw text: the same characters, and control characters other than tab and newline.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029"
_FORBIDDEN_PARSED = re.compile(f"[{_FORBIDDEN_CHARS.pattern[1:-1]}{_CONTROLS}]")
_FORBIDDEN_PARSED_IN_ANSWERS = re.compile(f"[{_FORBIDDEN_IN_ANSWERS.pattern[1:-1]}{_CONTROLS}]")


class YamlError(ValueError):
    """A problem in a YAML file, located by line and field path."""

    def __init__(self, message: str, line: int | None = None, path: Path_ = ()) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.path = path


@dataclass
class Document:
    """Parsed data plus the line of every path in it."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)  # where each value starts
    key_lines: dict[Path_, int] = field(default_factory=dict)  # where each mapping key stands

    def line_of(self, path: Path_, *, key: bool = False) -> int | None:
        """The line of ``path`` (of its key with ``key=True``), or of its nearest ancestor that has one."""
        p = tuple(path)
        if key and p in self.key_lines:
            return self.key_lines[p]
        while True:
            if p in self.lines:
                return self.lines[p]
            if not p:
                return None
            p = p[:-1]


def format_path(path: Path_) -> str:
    """``('conditions', 'x', 'all', 0)`` -> ``conditions.x.all[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top)"


_SKIP = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def forbidden_character(text: str, *, allow_joiners: bool = False) -> str | None:
    """The first character of ``text`` (a parsed string) that no file may hold, as ``U+XXXX``, or None."""
    bad = (_FORBIDDEN_PARSED_IN_ANSWERS if allow_joiners else _FORBIDDEN_PARSED).search(text)
    return f"U+{ord(bad.group()):04X}" if bad else None


def forbidden_message(code: str) -> str:
    return f"invisible, bidirectional or control character {code}"


def number(text: str) -> int | float:
    """``text`` (an integer or decimal literal) as a number, refused beyond :data:`MAX_NUMBER` or not finite.
    Raises ``ValueError`` with a message that does not repeat the text."""
    if _INT.match(text):
        # int() of over 4,300 digits raises; count first (a short literal cannot be too large)
        if len(text) > MAX_DIGITS and len(text.lstrip("+-").lstrip("0")) > MAX_DIGITS:
            raise ValueError(f"numbers of more than {MAX_DIGITS} digits are not allowed")
        return int(text)
    value = float(text)  # any length: float() has no digit limit
    if not -MAX_NUMBER < value < MAX_NUMBER:  # also false for NaN; 1e999 is infinite
        raise ValueError(f"numbers of more than {MAX_DIGITS} digits are not allowed")
    return value


def check_date(value: dt.date) -> dt.date:
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(f"dates before {MIN_DATE.isoformat()} or after {MAX_DATE.isoformat()} are not allowed")
    return value


def _scalar(event: yaml.ScalarEvent, line: int, allow_joiners: bool = False) -> Any:
    if event.tag not in (None, "!"):
        kind = "python tags are" if "python" in event.tag else f"tags ({event.tag}) are"
        raise YamlError(f"{kind} not allowed", line)
    value = event.value
    if not event.implicit[0]:  # quoted: always text
        if event.style == '"':  # only double quotes process escapes
            bad = forbidden_character(value, allow_joiners=allow_joiners)
            if bad:
                raise YamlError(forbidden_message(bad), line)
        return value
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if value[0] not in _NUMERIC_START:  # most scalars are words: skip the number patterns
        return value
    try:
        if _INT.match(value) or _FLOAT.match(value):
            return number(value)
        if _DATE.match(value):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"invalid date {value!r}") from None
            return check_date(day)
    except ValueError as exc:
        raise YamlError(str(exc), line) from None
    return value


def parse(text: str, *, max_depth: int = MAX_DEPTH, allow_joiners: bool = False) -> Document:
    """Parse one YAML document strictly. Raises :class:`YamlError`. ``allow_joiners`` keeps ZWJ and
    ZWNJ (needed in names); bidirectional controls and other invisible characters are always refused."""
    text = text.removeprefix("\ufeff")
    bad = (_FORBIDDEN_IN_ANSWERS if allow_joiners else _FORBIDDEN_CHARS).search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise YamlError(f"invisible or bidirectional control character U+{ord(bad.group()):04X}", line)
    lines: dict[Path_, int] = {}
    key_lines: dict[Path_, int] = {}
    # Each stack entry: [container, path, pending_key (mappings only)]
    stack: list[list[Any]] = []
    root: Any = None
    have_root = False
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            etype = type(event)
            if etype in _SKIP:
                continue
            line = event.start_mark.line + 1
            if etype is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlError("only one YAML document per file is allowed", line)
                continue
            if etype is yaml.AliasEvent:
                raise YamlError("aliases (*name) are not allowed", line)
            if etype in _ENDS:
                container, path, _ = stack.pop()
                _attach(stack, container, path, lines)
                if not stack:
                    root, have_root = container, True
                continue
            anchor = event.anchor
            if anchor is not None:
                raise YamlError(f"anchors (&{anchor}) are not allowed", line)
            # A new node: find its path in the parent.
            if stack:
                parent, ppath, pending = stack[-1]
                if isinstance(parent, dict):
                    if pending is None:  # this node is a key
                        if etype is not yaml.ScalarEvent:
                            raise YamlError("mapping keys must be plain text", line, ppath)
                        key = _scalar(event, line, allow_joiners)
                        if not isinstance(key, str):
                            key = event.value
                        if key in parent:
                            raise YamlError(f"duplicate key {key!r}", line, ppath + (key,))
                        stack[-1][2] = key
                        lines[ppath + (key,)] = key_lines[ppath + (key,)] = line
                        continue
                    path = ppath + (pending,)
                    lines[path] = line  # a block value starts below its key: point at the value
                else:
                    path = ppath + (len(parent),)
                    lines[path] = line
            else:
                path = ()
                lines[path] = line
            if etype is yaml.ScalarEvent:
                value = _scalar(event, line, allow_joiners)
                if stack:
                    _attach(stack, value, path, lines)
                else:
                    root, have_root = value, True
                continue
            tag = getattr(event, "tag", None)
            if tag not in (None, "!"):
                kind = "python tags are" if "python" in tag else f"tags ({tag}) are"
                raise YamlError(f"{kind} not allowed", line, path)
            if len(stack) >= max_depth:
                raise YamlError(f"nesting deeper than {max_depth} levels", line, path)
            container: Any = {} if etype is yaml.MappingStartEvent else []
            stack.append([container, path, None])
    except yaml.MarkedYAMLError as exc:
        opened = (exc.context or "").startswith(("while parsing a flow", "while scanning a quoted"))
        mark = (exc.context_mark if opened and exc.context_mark else None) or exc.problem_mark or exc.context_mark
        raise YamlError(f"YAML syntax: {exc.problem or exc.context}", mark.line + 1 if mark else None) from exc
    except yaml.reader.ReaderError as exc:  # a raw control character: say which, and where, on one line
        at = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise YamlError(forbidden_message(f"U+{code:04X}"), at) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML syntax: {' '.join(str(exc).split())}") from exc
    return Document(root if have_root else None, lines, key_lines)


def _attach(stack: list[list[Any]], value: Any, path: Path_, lines: dict[Path_, int]) -> None:
    if not stack:
        return
    parent = stack[-1]
    if isinstance(parent[0], dict):
        parent[0][parent[2]] = value
        parent[2] = None
    else:
        parent[0].append(value)


def read(path: Path, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read and parse a file, refusing files over ``max_bytes``."""
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0  # read_file says why
    if size > max_bytes:
        raise YamlError(f"file is {size} bytes; the limit is {max_bytes}", 1)
    try:
        raw = reading.read_file(path, max_bytes)
    except reading.ReadError as exc:
        raise YamlError(exc.message, None) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise YamlError("file is not valid UTF-8", line) from exc
    return parse(text)
