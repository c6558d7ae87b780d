"""Batch evaluation of anonymised survey answers: read rows, evaluate each, count with suppression.

A survey file is CSV (the header names the answers file's dotted paths: ``person.residence_status``,
``household.members.0.age``, ``household.member_ages`` with ``;`` between ages) or JSON Lines (each line
one answers file in JSON). A row that is not a valid answers file is reported with its number and the
field, and the other rows are still evaluated. Columns that would carry who a person is (names,
addresses, letters, free text) are refused for the whole file: a survey holds facts, not people.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .answers import Answers, AnswersError, parse_answers
from .result import Result

MAX_ROWS = 1_000_000
MAX_BATCH_BYTES = 512 * 1024 * 1024  # a survey of a million rows of about 500 bytes
# Facts about who a person is, and the letter's free text: never part of a survey.
NOT_IN_A_SURVEY = ("applicant", "supporter", "letter", "letter_edits", "unknown")
_WHOLE = re.compile(r"^[+-]?[0-9]{1,12}$")
_DECIMAL = re.compile(r"^[+-]?[0-9]{1,12}(\.[0-9]{1,6})?$")


class BatchError(ValueError):
    """The file as a whole cannot be read (a bad header, a refused column): nothing is evaluated."""


@dataclass(frozen=True)
class Row:
    """One survey row: its number (1 = the first row after a CSV header, or the first line), and either
    its answers or what is wrong with it."""

    number: int
    answers: Answers | None = None
    error: AnswersError | None = None


def _unwrap(annotation: Any) -> Any:
    """The type behind ``Optional[Annotated[...]]``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def leaf_type(path: str) -> Any:
    """The Python type of the answers file's field at a dotted path. Raises :class:`BatchError`."""
    parts = path.split(".")
    if parts[0] in NOT_IN_A_SURVEY:
        raise BatchError(f"column {path!r}: a survey holds facts, not who a person is; remove the column")
    current: Any = Answers
    for i, part in enumerate(parts):
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                raise BatchError(f"column {path!r}: unknown field {part!r}")
            current = _unwrap(field.annotation)
        elif typing.get_origin(current) is list:
            if not part.isdigit():
                raise BatchError(f"column {path!r}: {part!r} should be a member's number (0, 1, …)")
            current = _unwrap(typing.get_args(current)[0])
        else:
            raise BatchError(f"column {path!r}: {'.'.join(parts[:i])!r} has no field {part!r}")
    if isinstance(current, type) and issubclass(current, BaseModel):
        raise BatchError(f"column {path!r}: name one of its fields (e.g. {path}.{next(iter(current.model_fields))})")
    return current


def _cell(text: str, kind: Any, path: str) -> Any:
    """A CSV cell as the answers file's value (a typed value, not the text a spreadsheet keeps)."""
    if typing.get_origin(kind) is list:
        item = _unwrap(typing.get_args(kind)[0])
        return [_cell(part.strip(), item, path) for part in text.split(";") if part.strip()]
    if kind is bool:
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise AnswersError(path, "expected true or false")
    if kind is int:
        if _WHOLE.match(text):
            return int(text)
        raise AnswersError(path, "expected a whole number")
    if kind is float:
        if _DECIMAL.match(text):
            return float(text)
        raise AnswersError(path, "expected a number")
    if kind is dt.date:
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise AnswersError(path, "expected a date as YYYY-MM-DD") from None
    return text


def _put(tree: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path (``household.members.0.age``) in the nested answers, making what is missing."""
    parts = path.split(".")
    node: Any = tree
    for part, nxt in zip(parts, parts[1:], strict=False):
        node = _child(node, part, [] if nxt.isdigit() else {})
    if isinstance(node, list):
        _child(node, parts[-1], {})
        node[int(parts[-1])] = value
    else:
        node[parts[-1]] = value


def _child(node: Any, part: str, empty: Any) -> Any:
    """The member ``part`` of a list (grown with empty members up to it) or the key of a mapping."""
    if isinstance(node, list):
        index = int(part)
        node.extend({} for _ in range(index + 1 - len(node)))
        return node[index]
    return node.setdefault(part, empty)


def _compact(tree: Any) -> Any:
    """Drop members whose every field was empty (a spreadsheet's blank columns for a third child)."""
    if isinstance(tree, dict):
        return {k: _compact(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_compact(v) for v in tree if v != {}]
    return tree


def _known_place(answers: Answers) -> Answers:
    from . import municipality as muni

    if answers.municipality and muni.get(answers.municipality) is None:
        raise AnswersError("municipality", f"unknown municipality code {answers.municipality}")
    return answers


def read_csv(text: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise BatchError("the file is empty: the first line names the columns") from None
    columns = [h.strip() for h in header]
    if len(set(columns)) != len(columns):
        raise BatchError("a column is named twice in the header")
    kinds = {c: leaf_type(c) for c in columns if c != "version"}
    for number, cells in enumerate(reader, start=1):
        if number > MAX_ROWS:
            raise BatchError(f"more than {MAX_ROWS:,} rows")
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            yield Row(number, error=AnswersError("(row)", f"{len(cells)} cells for {len(columns)} columns"))
            continue
        tree: dict[str, Any] = {"version": 1}
        try:
            for column, cell in zip(columns, cells, strict=True):
                cell = cell.strip()
                if column == "version" or not cell:
                    continue
                _put(tree, column, _cell(cell, kinds[column], column))
            yield Row(number, answers=_known_place(parse_answers(json.dumps(_compact(tree), ensure_ascii=False))))
        except AnswersError as exc:
            yield Row(number, error=exc)


def read_jsonl(text: str) -> Iterator[Row]:
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if number > MAX_ROWS:
            raise BatchError(f"more than {MAX_ROWS:,} rows")
        if not line.strip():
            continue
        if not line.lstrip().startswith("{"):
            yield Row(number, error=AnswersError("(row)", "each line should be one answers file in JSON"))
            continue
        try:
            data = json.loads(line)
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict):
            for head in NOT_IN_A_SURVEY:
                if head in data:
                    raise BatchError(f"line {number}: {head!r}: a survey holds facts, not who a person is")
        try:
            yield Row(number, answers=_known_place(parse_answers(line)))
        except AnswersError as exc:
            yield Row(number, error=exc)


def read_rows(text: str, name: str = "") -> Iterator[Row]:
    """Rows of a survey file: JSON Lines when the name ends in .jsonl or the text starts with ``{``."""
    if name.endswith((".jsonl", ".ndjson")) or text.lstrip("\ufeff \t\r\n").startswith("{"):
        return read_jsonl(text)
    return read_csv(text)


# --- Evaluation -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One programme's outcome for one row, and the conditions that decided it (rule ids)."""

    programme: str
    outcome: str
    household_outcome: str
    deciding: tuple[str, ...]


@dataclass(frozen=True)
class Evaluated:
    row: Row
    outcomes: tuple[Outcome, ...] = ()


def _outcomes(result: Result) -> tuple[Outcome, ...]:
    return tuple(Outcome(p.id, p.outcome, p.household_outcome, tuple(r.rule for r in p.reasons))
                 for p in result.results)


def evaluate_rows(rows: Iterable[Row], base: Any, today: dt.date | None = None) -> Iterator[Evaluated]:
    """Evaluate every valid row; invalid rows pass through with their error."""
    from .engine import evaluate

    for row in rows:
        if row.answers is None:
            yield Evaluated(row)
        else:
            yield Evaluated(row, _outcomes(evaluate(row.answers, base, today=today)))


def status_group(answers: Answers) -> str:
    """The status a count is kept under: the residence status, with the refugee procedure where it
    changes what is open (applicants, refused, recognised), and "no status" spelled out."""
    person = answers.person
    status: str = person.residence_status or "unknown"
    if person.designated_activity:
        status += f"/{person.designated_activity}"
    if person.refugee_procedure and person.refugee_procedure != "none":
        status += f"+{person.refugee_procedure}"
    return status


def write_outcomes(evaluated: Iterable[Evaluated], out: Any) -> tuple[int, int]:
    """The outcomes as CSV: one line per row, invalid rows with their field and message. Returns the
    numbers of valid and invalid rows."""
    rows = list(evaluated)
    # The programme columns are those of the first valid row (every valid row has the same programmes).
    ids = next((tuple(o.programme for o in e.outcomes) for e in rows if e.row.error is None), ())
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["row", "error_field", "error",
                     *(f"{p}.{col}" for p in ids for col in ("outcome", "household_outcome", "deciding"))])
    for e in rows:
        if e.row.error is not None:
            writer.writerow([e.row.number, e.row.error.field, e.row.error.message, *([""] * (3 * len(ids)))])
            continue
        by_id = {o.programme: o for o in e.outcomes}
        writer.writerow([e.row.number, "", "", *(v for p in ids for v in (
            by_id[p].outcome, by_id[p].household_outcome, ";".join(by_id[p].deciding)))])
    invalid = sum(e.row.error is not None for e in rows)
    return len(rows) - invalid, invalid


def records(evaluated: Iterable[Evaluated], today: dt.date | None = None) -> Iterator[Any]:
    """The anonymised records counted for campaigners: place, quarter, status group and outcomes.
    Rows without a municipality are counted under "unknown"; the quarter is that of ``as_of``."""
    from .counts import Record, quarter_of

    for e in evaluated:
        a = e.row.answers
        if a is None:
            continue
        day = a.as_of or today or dt.date.today()
        yield Record(a.municipality or "unknown", quarter_of(day), status_group(a),
                     tuple((o.programme, o.outcome) for o in e.outcomes))
