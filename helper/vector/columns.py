"""Columns of a batch: every subject of every household (helper/household.py) as one row of arrays.

The rows are built from the very facts the scalar engine reads (:func:`helper.household.subjects`), so that
both paths see the same household: the person first, then each member assessed in their own right, and the
member records flattened with the row they belong to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..answers import FACT_KINDS, MEMBER_FIELD_KINDS, Answers
from ..household import subjects
from .masks import Codes, Num, Rec, Scalar, Tri, Txt

RECORD_FACTS = tuple(name for name, kind in FACT_KINDS.items() if kind == "records")
SCALAR_FACTS = tuple(name for name, kind in FACT_KINDS.items() if kind != "records")
ITEM_FIELDS: dict[str, str] = {**MEMBER_FIELD_KINDS, "member": "number"}


@dataclass
class Columns:
    """One row per subject. ``household`` is the index (in the batch) of the household a row belongs to,
    ``person`` marks the rows of the person of the answers (subject 0)."""

    n: int
    household: np.ndarray
    person: np.ndarray
    facts: dict[str, Scalar]
    records: dict[str, Rec]
    month: Num
    year: Num
    codes: Codes


def column(kind: str, values: list[Any], codes: Codes) -> Scalar:
    """A typed column from Python values, ``None`` where not known."""
    if kind == "bool":
        tri = np.array([_TRI[v] for v in values], np.int8) if values else np.zeros(0, np.int8)
        return Tri(tri == 1, tri == 0)
    if kind == "number":
        nums = np.array([np.nan if v is None else v for v in values], float) if values else np.zeros(0)
        return Num(nums, ~np.isnan(nums))
    code = codes.code
    ints = np.array([-1 if v is None else code(v) for v in values], np.int64) if values else np.zeros(0, np.int64)
    return Txt(ints, ints >= 0)


_TRI = {True: 1, False: 0, None: -1}


def build(households: list[tuple[Answers, dt.date]], codes: Codes) -> Columns:
    """The columns of ``households`` (answers and the date each is assessed at)."""
    household: list[int] = []
    person: list[bool] = []
    months: list[int] = []
    years: list[int] = []
    rows: list[dict[str, Any]] = []  # each subject's facts
    items: dict[str, list[tuple[int, int, dict[str, Any]]]] = {k: [] for k in RECORD_FACTS}
    gaps: dict[str, list[bool]] = {k: [] for k in RECORD_FACTS}
    for h, (answers, as_of) in enumerate(households):
        first = len(rows)
        for subj in subjects(answers):
            row = len(rows)
            household.append(h)
            person.append(subj.index == 0)
            months.append(as_of.month)
            years.append(as_of.year)
            got = subj.facts
            rows.append(got)
            for key in RECORD_FACTS:
                recs = got.get(key)
                gaps[key].append(recs is not None and recs.gap is not None)
                if recs is not None:
                    items[key].extend((row, first + item["member"], item) for item in recs.items)
    n = len(rows)
    records = {}
    for key in RECORD_FACTS:
        flat = items[key]
        seg = np.array([x[0] for x in flat], np.int64) if flat else np.zeros(0, np.int64)
        subject = np.array([x[1] for x in flat], np.int64) if flat else np.zeros(0, np.int64)
        fields = {f: column(kind, [x[2].get(f) for x in flat], codes) for f, kind in ITEM_FIELDS.items()}
        records[key] = Rec(seg, subject, fields, np.ones(len(seg), bool), np.asarray(gaps[key], bool),
                           np.zeros(n, bool))
    facts = {name: column(FACT_KINDS[name], [r.get(name) for r in rows], codes) for name in SCALAR_FACTS}
    return Columns(n, np.asarray(household, np.int64), np.asarray(person, bool), facts, records,
                   Num(np.asarray(months, float), np.ones(n, bool)), Num(np.asarray(years, float), np.ones(n, bool)),
                   codes)
