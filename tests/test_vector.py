"""The vectorised batch path gives exactly the scalar engine's outcomes, and its masks are three-valued logic."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

import numpy as np
import pytest

from helper import batch, municipality
from helper.answers import DESIGNATED_ACTIVITIES, HOUSING, REFUGEE_PROCEDURES, RESIDENCE_STATUSES, Answers
from helper.engine import evaluate
from helper.rules.loader import RuleBase
from helper.vector import Stats, evaluate_answers, evaluate_rows
from helper.vector.masks import Tri, segment_any, tri_all, tri_any, tri_not

TODAY = dt.date(2026, 11, 29)
RELATIONS = ["spouse", "child", "parent", "sibling", "other"]
MEMBER_FLAGS = ("resident_record", "employee_insurance", "pregnant", "disability_certificate")
PERSON_FLAGS = ("resident_record", "employee_insurance", "work_permitted", "pregnant", "disability_certificate",
                "removal_order", "supervisor_is_supporter", "living_with_spouse")
HOUSEHOLD_FLAGS = ("receiving_welfare", "receiving_rhq", "income_declared", "nhi_arrears")


# -- three-valued masks --------------------------------------------------------------------------

T, F, U = True, False, None
VALUES = (T, F, U)


def tri(*values: bool | None) -> Tri:
    return Tri(np.array([v is True for v in values]), np.array([v is False for v in values]))


def as_values(x: Tri) -> list[bool | None]:
    return [True if t else False if f else None for t, f in zip(x.t, x.f, strict=True)]


def test_and_or_not_follow_kleene_logic_as_the_scalar_engine_does() -> None:
    pairs = [(a, b) for a in VALUES for b in VALUES]
    left, right = tri(*(a for a, _ in pairs)), tri(*(b for _, b in pairs))
    expected_and = [F if F in (a, b) else T if (a, b) == (T, T) else U for a, b in pairs]
    expected_or = [T if T in (a, b) else F if (a, b) == (F, F) else U for a, b in pairs]
    assert as_values(tri_all([left, right])) == expected_and
    assert as_values(tri_any([left, right])) == expected_or
    assert as_values(tri_not(tri(T, F, U))) == [F, T, U]
    # unknown and false is false; unknown or true is true; unknown either way stays unknown
    assert as_values(tri_all([tri(U), tri(F)])) == [F]
    assert as_values(tri_any([tri(U), tri(T)])) == [T]
    assert as_values(tri_all([tri(U), tri(T)])) == [U]
    assert as_values(tri_any([tri(U), tri(F)])) == [U]


def test_masks_are_never_both_true_and_false() -> None:
    rng = np.random.default_rng(7)
    parts = []
    for _ in range(4):
        code = rng.integers(0, 3, 500)
        parts.append(Tri(code == 0, code == 1))
    for combined in (tri_all(parts), tri_any(parts), tri_not(parts[0])):
        assert not (combined.t & combined.f).any()


def test_segment_reductions_leave_empty_rows_false() -> None:
    seg = np.array([0, 0, 2])
    assert segment_any(np.array([False, True, False]), seg, 4).tolist() == [True, False, False, False]
    assert segment_any(np.zeros(0, bool), np.zeros(0, np.int64), 2).tolist() == [False, False]


# -- random households at the margins --------------------------------------------------------------


def _numbers_in_rules(rules: RuleBase) -> list[float]:
    """Every amount, age and limit the parameters hold: the lines incomes and ages fall just above or below."""
    out: set[float] = set()
    for p, _ in rules.parameters.values():
        for entry in p.values:
            values = entry.value if isinstance(entry.value, tuple) else (entry.value,)
            for v in values:
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    out.add(v)
                elif hasattr(v, "min"):
                    out.update(x for x in (v.min, v.max, v.value, *(v.values or ())) if x is not None)
    return sorted(out)


def _dates_in_rules(rules: RuleBase) -> list[dt.date]:
    """The days parameter values change: the day before, the day and the day after each."""
    days = set()
    for p, _ in rules.parameters.values():
        for entry in p.values:
            for d in (entry.from_, entry.until):
                if d is not None:
                    days.update(d + dt.timedelta(days=k) for k in (-1, 0, 1))
    return sorted(d for d in days if dt.date(1980, 1, 1) <= d <= dt.date(2035, 12, 31))


class Households:
    """Seeded random answers files that reach the margins the rules care about."""

    def __init__(self, rules: RuleBase, seed: int) -> None:
        self.rng = random.Random(seed)
        self.lines = _numbers_in_rules(rules)
        self.days = _dates_in_rules(rules)
        local = [c for c in rules.layers if c != "00000"]
        # wards without a layer of their own, under a city that has one
        wards = [m.code for m in municipality.all_municipalities() if m.parent in local and m.code not in local][:10]
        # Places with their own layers (prefectures, cities, wards), places without, and no place at all.
        self.places: list[str | None] = [*local, *wards, "01101", "47201", "27203", None]

    def maybe(self, value: Any, p: float = 0.25) -> Any:
        return None if self.rng.random() < p else value

    def amount(self) -> int:
        r = self.rng.random()
        if r < 0.5 and self.lines:
            line = self.rng.choice(self.lines)
            # just below, on or above a line the rules draw (amounts are whole yen)
            return max(0, int(line) + self.rng.choice((-1, 0, 1)))
        if r < 0.6:
            return 0
        return self.rng.randrange(0, 800_000)

    def age(self, child: bool = False) -> int:
        if child or self.rng.random() < 0.3:
            return self.rng.choice((0, 1, 2, 3, 5, 6, 12, 14, 15, 17, 18, 19))
        return self.rng.choice((20, 22, 25, 34, 40, 59, 60, 64, 65, 69, 70, 74, 75, 90))

    def status(self) -> dict[str, Any]:
        rng = self.rng
        r = rng.random()
        if r < 0.15:
            # 仮放免 with a first, second or third asylum application (or none)
            return {"residence_status": "provisional_release", "refugee_procedure": rng.choice(REFUGEE_PROCEDURES),
                    "refugee_application_number": rng.choice((1, 2, 3))}
        if r < 0.22:
            return {}  # no status answered
        status = rng.choice(RESIDENCE_STATUSES)
        out: dict[str, Any] = {"residence_status": status,
                               "refugee_procedure": self.maybe(rng.choice(REFUGEE_PROCEDURES), 0.5)}
        if status == "designated_activities":
            out["designated_activity"] = self.maybe(rng.choice(DESIGNATED_ACTIVITIES))
        if out["refugee_procedure"] and rng.random() < 0.5:
            out["refugee_application_number"] = rng.choice((1, 2, 3))
        return out

    def person(self, complete: bool) -> dict[str, Any]:
        rng = self.rng
        p = 0.0 if complete else 0.3
        child = rng.random() < 0.1  # a child as the one assessed
        out = {"age": self.maybe(self.age(child), p), **self.status(),
               "period_of_stay_months": self.maybe(rng.choice((0, 2, 3, 4, 6, 12, 36, 60)), p),
               "nationality": self.maybe(rng.choice(("japanese", "foreign", "foreign", "foreign")), max(p, 0.5)),
               **{k: self.maybe(rng.random() < 0.5, p) for k in PERSON_FLAGS}}
        return {k: v for k, v in out.items() if v is not None}

    def member(self, complete: bool) -> dict[str, Any]:
        rng = self.rng
        p = 0.0 if complete else 0.3
        out = {"age": self.maybe(self.age(), p), "relation": self.maybe(rng.choice(RELATIONS), p),
               # mixed-status families: a Japanese child, a spouse with another status
               "nationality": self.maybe(rng.choice(("japanese", "foreign")), p),
               **{k: v for k, v in self.status().items() if k != "refugee_application_number"},
               **{k: self.maybe(rng.random() < 0.5, p) for k in MEMBER_FLAGS}}
        if out.get("residence_status") != "designated_activities" and rng.random() < 0.7:
            out.pop("designated_activity", None)
        return {k: v for k, v in out.items() if v is not None}

    def answers(self) -> Answers:
        rng = self.rng
        complete = rng.random() < 0.35
        p = 0.0 if complete else 0.3
        described = [self.member(complete) for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 4)))]
        ages = [self.age() for _ in range(rng.choice((0, 0, 0, 1, 2)))]
        size = 1 + len(described) + len(ages) + (rng.choice((0, 0, 0, 1)) if not complete else 0)
        total = self.amount()
        household = {
            "size": self.maybe(size, p / 2),
            "members": described or None,
            "member_ages": ages or None,
            "monthly_income": self.maybe(total, p),
            "income": self.maybe({"wages": min(total, self.amount())}, 0.6),
            "savings": self.maybe(self.amount(), p),
            "monthly_rent": self.maybe(self.amount() // 4, p),
            "housing": self.maybe(rng.choice(HOUSING), p),
            **{k: self.maybe(rng.random() < 0.3, p) for k in HOUSEHOLD_FLAGS},
        }
        day = rng.choice(self.days) if self.days and rng.random() < 0.4 else \
            dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(0, 700))
        data = {
            "version": 1,
            "as_of": self.maybe(day.isoformat(), 0.1),
            "municipality": rng.choice(self.places),
            "person": self.person(complete),
            "household": {k: v for k, v in household.items() if v is not None},
            "needs": {k: v for k in ("medical_care", "urgent", "domestic_violence")
                      if (v := self.maybe(rng.random() < 0.3, p)) is not None},
        }
        return Answers.model_validate({k: v for k, v in data.items() if v is not None})

    def many(self, n: int) -> list[Answers]:
        out = []
        while len(out) < n:
            try:
                out.append(self.answers())
            except ValueError:  # a combination the answers file refuses (pydantic): draw again
                continue
        return out


def scalar_outcomes(a: Answers, rules: RuleBase) -> tuple[batch.Outcome, ...]:
    return batch._outcomes(evaluate(a, rules, today=TODAY))


def test_ten_thousand_random_households_give_the_scalar_engines_outcomes(rules: RuleBase) -> None:
    households = Households(rules, seed=20261204).many(10_000)
    stats = Stats()
    vector = evaluate_answers(households, rules, TODAY, stats)
    assert stats.households == 10_000
    mismatches = []
    for i, a in enumerate(households):
        scalar = scalar_outcomes(a, rules)
        if vector[i] != scalar:
            mismatches.extend((i, v, s) for v, s in zip(vector[i], scalar, strict=True) if v != s)
    assert not mismatches, mismatches[:5]
    # The test means something only if the margins were reached: every outcome, and deciding lists that differ.
    seen = {(o.programme, o.outcome) for row in vector for o in row}
    outcomes = {o for _, o in seen}
    assert outcomes == {"eligible", "not_eligible", "uncertain"}
    programmes = {o.programme for o in vector[0]}
    assert sum(1 for p in programmes if {(p, "eligible"), (p, "not_eligible")} <= seen) >= len(programmes) // 2
    assert len({o.deciding for row in vector for o in row}) > 100
    assert any(o.household_outcome != o.outcome for row in vector for o in row)
    # Nothing went to the scalar engine with the bundled rules: the figure in bench/batch.py is honest.
    assert stats.fallback_cells == 0, stats.unsupported


def test_a_programme_the_vector_path_cannot_evaluate_goes_through_the_scalar_engine(
        rules: RuleBase, monkeypatch: pytest.MonkeyPatch) -> None:
    from helper.vector import evaluator
    from helper.vector.masks import Unsupported

    def refuse(self: Any, e: Any, fr: Any) -> Any:
        raise Unsupported("lookup (refused for the test)")

    monkeypatch.setattr(evaluator.Evaluator, "_lookup", refuse)
    households = Households(rules, seed=5).many(200)
    stats = Stats()
    vector = evaluate_answers(households, rules, TODAY, stats)
    assert stats.fallback_cells > 0 and stats.fallback_households > 0
    assert any("lookup (refused" in why for why in stats.unsupported)
    assert vector == [scalar_outcomes(a, rules) for a in households]


def test_the_outcomes_csv_is_the_same_through_either_path(rules: RuleBase) -> None:
    survey = ("municipality,as_of,person.residence_status,person.refugee_procedure,person.refugee_application_number,"
              "person.age,household.size,household.monthly_income,household.members.0.age,"
              "household.members.0.relation,household.members.0.nationality\n"
              "27100,2026-11-02,provisional_release,applicant,3,34,2,0,4,child,japanese\n"
              "11203,2026-08-01,provisional_release,applicant,x,40,1,0,,,\n"
              "13104,,long_term_resident,none,,34,3,150000,7,child,foreign\n")
    rows = list(batch.read_rows(survey, "survey.csv"))
    scalar, vector = io.StringIO(), io.StringIO()
    batch.write_outcomes(batch.evaluate_rows(rows, rules, today=TODAY), scalar)
    batch.write_outcomes(evaluate_rows(rows, rules, today=TODAY), vector)
    assert vector.getvalue() == scalar.getvalue()
    assert "person.refugee_application_number" in vector.getvalue()  # the bad row is reported as before
