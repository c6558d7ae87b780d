"""The people a refugee-support group actually meets, end to end through the command line: each gets
the right outcome and the advisory that protects them, sourced and dated."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.test_cli import cli

YODOGAWA = "27123"


def evaluate(answers: dict[str, Any], *, text: bool = False) -> Any:
    proc = cli("evaluate", "-", *(() if text else ("--json",)), stdin=json.dumps({"version": 1, "as_of": "2026-12-03",
                                                                                 "municipality": YODOGAWA, **answers}))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout if text else json.loads(proc.stdout)


def by_id(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in result["results"]}


def advisory(result: dict[str, Any], aid: str) -> dict[str, Any]:
    found = [a for a in result["advisories"] if a["id"] == aid]
    assert found, f"{aid} not among {[a['id'] for a in result['advisories']]}"
    return found[0]


def assert_sourced_and_dated(a: dict[str, Any]) -> None:
    assert a["citations"] and all(c["verified"] >= "2026-01-01" for c in a["citations"])
    assert any("e-gov.go.jp" in c["url"] or ".go.jp" in c["url"] for c in a["citations"]), a["citations"]


OVERSTAY = {
    "person": {"age": 38, "residence_status": "no_status", "refugee_procedure": "none"},
    "household": {"size": 1, "monthly_income": 0, "savings": 0, "housing": "staying_with_others"},
    "needs": {"medical_care": True, "urgent": True},
}


def test_a_person_without_status_is_told_of_the_duty_to_report_and_of_the_2003_notice() -> None:
    result = evaluate(OVERSTAY)
    a = advisory(result, "reporting.duty_of_officials")
    assert a["applies"] == "yes"
    assert "62条2項" in a["text"] and "2003" in a["text"]
    assert {"welfare", "free_low_cost_clinic", "school_enrolment"} <= set(a["concerns"])
    assert_sourced_and_dated(a)
    results = by_id(result)
    assert results["welfare"]["outcome"] == "not_eligible"
    assert results["free_low_cost_clinic"]["outcome"] == "eligible"
    assert "reporting.duty_of_officials" in results["welfare"]["advisories"]
    # The advisory is said once in the readable report, before or beside the options it concerns.
    report = evaluate(OVERSTAY, text=True)
    assert report.count("must report it to immigration") == 1


THIRD_APPLICATION = {
    "person": {"age": 45, "residence_status": "provisional_release", "refugee_procedure": "applicant",
               "refugee_application_number": 3},
    "household": {"size": 1, "monthly_income": 0, "savings": 0, "housing": "staying_with_others"},
    "needs": {"medical_care": False, "urgent": True},
}


def test_a_third_application_is_told_first_that_it_no_longer_stops_removal() -> None:
    result = evaluate(THIRD_APPLICATION)
    first = result["advisories"][0]
    assert first["id"] == "removal.third_application" and first["severity"] == "urgent"
    assert first["applies"] == "yes" and "61条の2の9" in first["text"]
    assert any(c["id"] == "bar_association" for c in first["contacts"])
    assert_sourced_and_dated(first)
    results = by_id(result)
    assert results["rhq_protection"]["outcome"] == "not_eligible"
    assert results["jfba_legal_aid"]["outcome"] == "eligible"
    report = evaluate(THIRD_APPLICATION, text=True)
    assert report.index("no longer stops removal") < report.index("Public assistance")


def test_a_refused_second_applicant_is_told_what_a_third_application_would_mean() -> None:
    result = evaluate({**THIRD_APPLICATION, "person": {**THIRD_APPLICATION["person"], "refugee_procedure": "refused",
                                                       "refugee_application_number": 2}})
    a = next(a for a in result["advisories"] if a["id"].startswith("removal."))
    assert "would" in (a["if"] if a["applies"] == "maybe" else a["text"])


PARENT_OF_JAPANESE_CHILD = {
    "person": {"age": 33, "residence_status": "provisional_release", "refugee_procedure": "refused",
               "refugee_application_number": 1, "employee_insurance": False},
    "household": {"size": 2, "members": [{"age": 4, "relation": "child", "nationality": "japanese",
                                          "employee_insurance": False}],
                  "monthly_income": 0, "savings": 0, "housing": "renting", "monthly_rent": 38000,
                  "receiving_welfare": False},
    "needs": {"medical_care": False, "urgent": True},
}


def test_a_parent_on_provisional_release_learns_that_the_japanese_child_has_rights_of_its_own() -> None:
    result = evaluate(PARENT_OF_JAPANESE_CHILD)
    results = by_id(result)
    for pid in ("welfare", "nhi"):
        r = results[pid]
        assert r["outcome"] == "not_eligible", pid
        child = r["members"][0]
        assert (child["member"], child["relation"], child["age"]) == (1, "child", 4)
        assert child["outcome"] == "eligible", (pid, child["reasons"])
        assert r["household_outcome"] == "eligible"
    a = advisory(result, "regularisation.parent_of_japanese_child")
    assert a["applies"] == "yes" and "在留特別許可" in a["text"] and "1996" in a["text"]
    assert_sourced_and_dated(a)
    # Public assistance is decided for the household: the parent is told the office decides how they count.
    mixed = [w for w in results["welfare"]["warnings"] if w["id"] == "welfare.mixed_status_household"]
    assert mixed and "生活保護法10条" in mixed[0]["text"]
    report = evaluate(PARENT_OF_JAPANESE_CHILD, text=True)
    assert "for your child (4): ✔ ELIGIBLE" in report


WORKER = {
    "person": {"age": 34, "residence_status": "permanent_resident", "refugee_procedure": "none",
               "employee_insurance": True},
    "household": {"size": 1, "monthly_income": 150_000, "income": {"wages": 150_000}, "savings": 0,
                  "housing": "renting", "monthly_rent": 40_000, "receiving_welfare": False},
    "needs": {"medical_care": False, "urgent": False},
}


def test_wages_count_after_insurance_tax_and_the_deduction_for_working() -> None:
    welfare = by_id(evaluate(WORKER))["welfare"]
    assert welfare["outcome"] == "eligible", welfare["reasons"]


def test_a_worker_whose_income_kind_is_unknown_is_asked_for_the_wages_not_refused() -> None:
    household = {k: v for k, v in WORKER["household"].items() if k != "income"}
    welfare = by_id(evaluate({**WORKER, "household": household}))["welfare"]
    assert welfare["outcome"] != "not_eligible"
    if welfare["outcome"] == "uncertain":
        assert "household.income.wages" in welfare["missing_facts"]


def test_a_worker_well_above_the_line_is_not_eligible() -> None:
    household = {**WORKER["household"], "monthly_income": 400_000, "income": {"wages": 400_000}}
    assert by_id(evaluate({**WORKER, "household": household}))["welfare"]["outcome"] == "not_eligible"


@pytest.mark.parametrize(("age", "status", "school", "vaccination"), [
    (9, "provisional_release", "eligible", "eligible"),
    (4, "no_status", "not_eligible", "eligible"),
])
def test_a_child_who_is_the_subject_is_seen_by_the_school_and_vaccination_rules(
        age: int, status: str, school: str, vaccination: str) -> None:
    result = evaluate({"person": {"age": age, "residence_status": status, "refugee_procedure": "none"},
                       "household": {"size": 1, "monthly_income": 0, "savings": 0, "housing": "renting"},
                       "needs": {"medical_care": False, "urgent": False}})
    results = by_id(result)
    assert (results["school_enrolment"]["outcome"], results["child_vaccination"]["outcome"]) == (school, vaccination)
    if status == "no_status":
        assert advisory(result, "reporting.duty_of_officials")["applies"] == "yes"


def test_a_worker_just_above_the_line_is_told_to_apply_never_refused(rules: Any) -> None:
    """Gross wages rising from 150,000 yen: eligible, then uncertain near the line, and only then not eligible."""
    from helper.answers import Answers
    from helper.engine import evaluate as evaluate_in_process

    outcomes = []
    for wages in range(150_000, 330_001, 10_000):
        household = {**WORKER["household"], "monthly_income": wages, "income": {"wages": wages}}
        answers = Answers.model_validate({"version": 1, "as_of": "2026-12-03", "municipality": YODOGAWA,
                                          **WORKER, "household": household})
        welfare = evaluate_in_process(answers, rules).programme("welfare")
        assert welfare is not None
        outcomes.append(welfare.outcome)
    first_uncertain = outcomes.index("uncertain")
    first_refusal = outcomes.index("not_eligible")
    assert outcomes[0] == "eligible" and first_uncertain < first_refusal, outcomes
    assert outcomes == sorted(outcomes, key=["eligible", "uncertain", "not_eligible"].index), outcomes
