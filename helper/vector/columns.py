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
    known = np.fromiter((v is not None for v in values), bool, len(values))
    if kind == "bool":
        return Tri(np.fromiter((v is True for v in values), bool, len(values)),
                   np.fromiter((v is False for v in values), bool, len(values)))
    if kind == "number":
        return Num(np.fromiter((float(v) if v is not None else np.nan for v in values), float, len(values)), known)
    return Txt(np.fromiter((codes.code(v) if v is not None else -1 for v in values), np.int64, len(values)), known)


def build(households: list[tuple[Answers, dt.date]], codes: Codes) -> Columns:
    """The columns of ``households`` (answers and the date each is assessed at)."""
    household: list[int] = []
    person: list[bool] = []
    months: list[int] = []
    years: list[int] = []
    facts: dict[str, list[Any]] = {name: [] for name in SCALAR_FACTS}
    rec_seg: dict[str, list[int]] = {k: [] for k in RECORD_FACTS}
    rec_subject: dict[str, list[int]] = {k: [] for k in RECORD_FACTS}
    rec_gap: dict[str, list[bool]] = {k: [] for k in RECORD_FACTS}
    rec_fields: dict[str, dict[str, list[Any]]] = {k: {f: [] for f in ITEM_FIELDS} for k in RECORD_FACTS}
    row = 0
    for h, (answers, as_of) in enumerate(households):
        first = row
        for subj in subjects(answers):
            household.append(h)
            person.append(subj.index == 0)
            months.append(as_of.month)
            years.append(as_of.year)
            got = subj.facts
            for name in SCALAR_FACTS:
                facts[name].append(got.get(name))
            for key in RECORD_FACTS:
                recs = got.get(key)
                rec_gap[key].append(recs is not None and recs.gap is not None)
                if recs is None:
                    continue
                seg, subject, fields = rec_seg[key], rec_subject[key], rec_fields[key]
                for item in recs.items:
                    seg.append(row)
                    subject.append(first + item["member"])
                    for f, values in fields.items():
                        values.append(item.get(f))
            row += 1
    n = row
    records = {}
    for key in RECORD_FACTS:
        seg = np.asarray(rec_seg[key], np.int64)
        records[key] = Rec(seg, np.asarray(rec_subject[key], np.int64),
                           {f: column(ITEM_FIELDS[f], values, codes) for f, values in rec_fields[key].items()},
                           np.ones(len(seg), bool), np.asarray(rec_gap[key], bool), np.zeros(n, bool))
    return Columns(n, np.asarray(household, np.int64), np.asarray(person, bool),
                   {name: column(FACT_KINDS[name], values, codes) for name, values in facts.items()},
                   records, Num(np.asarray(months, float), np.ones(n, bool)),
                   Num(np.asarray(years, float), np.ones(n, bool)), codes)
