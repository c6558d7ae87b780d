"""Properties over random answers files: no crash, sourced reasons, deterministic."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helper.answers import DESIGNATED_ACTIVITIES, HOUSING, REFUGEE_PROCEDURES, RESIDENCE_STATUSES, Answers
from helper.engine import evaluate
from helper.rules.loader import RuleBase

CODES = ["27123", "27100", "27203", "13104", "01101", "47201"]


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def answers(draw: st.DrawFn) -> Answers:
    status = draw(optional(st.sampled_from(RESIDENCE_STATUSES)))
    size = draw(optional(st.integers(1, 8)))
    person = {
        "age": draw(optional(st.integers(0, 130))),
        "residence_status": status,
        "designated_activity": draw(optional(st.sampled_from(DESIGNATED_ACTIVITIES)))
        if status in (None, "designated_activities") else None,
        "period_of_stay_months": draw(optional(st.integers(0, 120))),
        "refugee_procedure": draw(optional(st.sampled_from(REFUGEE_PROCEDURES))),
        "refugee_application_number": draw(optional(st.integers(1, 5))),
        **{k: draw(optional(st.booleans())) for k in
           ("resident_record", "employee_insurance", "work_permitted", "pregnant", "disability_certificate")},
    }
    member_ages = draw(optional(st.lists(st.integers(0, 100), max_size=(size - 1) if size else 6)))
    household = {
        "size": size,
        "member_ages": member_ages,
        "monthly_income": draw(optional(st.integers(0, 2_000_000))),
        "savings": draw(optional(st.integers(0, 10_000_000))),
        "monthly_rent": draw(optional(st.integers(0, 300_000))),
        "housing": draw(optional(st.sampled_from(HOUSING))),
        **{k: draw(optional(st.booleans())) for k in
           ("receiving_welfare", "receiving_rhq", "income_declared", "nhi_arrears")},
    }
    data = {
        "version": 1,
        "as_of": draw(optional(st.dates(dt.date(1985, 1, 1), dt.date(2030, 12, 31)))),
        "municipality": draw(optional(st.sampled_from(CODES))),
        "person": {k: v for k, v in person.items() if v is not None},
        "household": {k: v for k, v in household.items() if v is not None},
        "needs": {k: draw(optional(st.booleans())) for k in ("medical_care", "urgent")},
    }
    data["needs"] = {k: v for k, v in data["needs"].items() if v is not None}
    return Answers.model_validate({k: v for k, v in data.items() if v is not None})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers())
def test_any_answers_give_sourced_deterministic_results(rules: RuleBase, a: Answers) -> None:
    first = evaluate(a, rules, today=dt.date(2026, 11, 29))
    second = evaluate(a, rules, today=dt.date(2026, 11, 29))
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert len(first["results"]) == 15
    for r in first["results"]:
        assert r["outcome"] in {"eligible", "not_eligible", "uncertain"}
        assert r["reasons"], r["id"]
        for reason in r["reasons"]:
            assert reason["sources"], reason["rule"]
        if r["outcome"] == "uncertain":
            # Either facts would settle it, or a note says why it is left open.
            assert r["missing_facts"] or r["notes"] or any(x.get("notes") for x in r["reasons"]), r["id"]
