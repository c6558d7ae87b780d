"""Random households at the margins the rules care about, for the property test and the benchmark.

Seeded, so that a failure can be replayed: no status, 仮放免 with a first, second or third asylum
application, mixed-status families, a child as the one assessed, amounts one yen around every line the
parameters hold, days around every parameter change, unanswered questions, places with and without layers.
Nothing here is a person: every value is drawn at random.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from .. import municipality
from ..answers import DESIGNATED_ACTIVITIES, HOUSING, REFUGEE_PROCEDURES, RESIDENCE_STATUSES, Answers

RELATIONS = ["spouse", "child", "parent", "sibling", "other"]
MEMBER_FLAGS = ("resident_record", "employee_insurance", "pregnant", "disability_certificate")
PERSON_FLAGS = ("resident_record", "employee_insurance", "work_permitted", "pregnant", "disability_certificate",
                "removal_order", "supervisor_is_supporter", "living_with_spouse")
HOUSEHOLD_FLAGS = ("receiving_welfare", "receiving_rhq", "income_declared", "nhi_arrears")


def _numbers_in_rules(rules: Any) -> list[float]:
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


def _dates_in_rules(rules: Any) -> list[dt.date]:
    """The days parameter values change: the day before, the day and the day after each."""
    days: set[dt.date] = set()
    for p, _ in rules.parameters.values():
        for entry in p.values:
            for d in (entry.from_, entry.until):
                if d is not None:
                    days.update(d + dt.timedelta(days=k) for k in (-1, 0, 1))
    return sorted(d for d in days if dt.date(1980, 1, 1) <= d <= dt.date(2035, 12, 31))


class Households:
    """Seeded random answers files that reach the margins the rules care about."""

    def __init__(self, rules: Any, seed: int) -> None:
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
        out: list[Answers] = []
        while len(out) < n:
            try:
                out.append(self.answers())
            except ValueError:  # a combination the answers file refuses (pydantic): draw again
                continue
        return out
