"""The engine: three-valued logic, dating, layers, explanations."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pytest
from pydantic import TypeAdapter

from helper.answers import Answers, parse_answers
from helper.engine import evaluate
from helper.result import ProgrammeResult, Result
from helper.rules import schema
from helper.rules.compiler import Compiler, Origin, Symbols
from helper.rules.loader import RuleBase, fact_types, item_types
from helper.rules.logic import Context, Unknown

EXPR = TypeAdapter(schema.Expr)


def run(expr: Any, **facts: Any) -> Any:
    compiler = Compiler(Symbols(fact_types(), item_types(), {}, {}, {}))
    node = compiler.expr(EXPR.validate_python(expr), Origin("t", ()), ())
    return node.fn(Context({f"person.{k}": v for k, v in facts.items()}, dt.date(2026, 11, 29), None))


T = {"eq": [{"fact": "person.pregnant"}, True]}  # true when pregnant=True
F = {"eq": [{"fact": "person.pregnant"}, False]}
U = {"eq": [{"fact": "person.disability_certificate"}, True]}  # unknown: the fact is never given


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ({"all": [T, T]}, True), ({"all": [T, F]}, False), ({"all": [U, F]}, False), ({"all": [T, U]}, "U"),
        ({"any": [F, F]}, False), ({"any": [U, T]}, True), ({"any": [F, U]}, "U"),
        ({"not": T}, False), ({"not": U}, "U"),
        ({"known": {"fact": "person.disability_certificate"}}, False),
        ({"in": [{"fact": "person.residence_status"}, ["student", "work"]]}, "U"),
    ],
)
def test_kleene_logic(expr: Any, expected: Any) -> None:
    value = run(expr, pregnant=True)
    if expected == "U":
        assert isinstance(value, Unknown)
    else:
        assert value is expected


def test_an_unknown_names_the_facts_that_would_settle_it() -> None:
    value = run({"all": [U, {"lt": [{"fact": "person.age"}, 75]}]}, pregnant=True)
    assert isinstance(value, Unknown)
    assert value.facts == {"person.disability_certificate", "person.age"}


def test_a_false_branch_makes_the_missing_fact_irrelevant() -> None:
    value = run({"all": [U, F]}, pregnant=True)
    assert value is False


def test_cases_stop_at_an_unknown_when() -> None:
    expr = {"cases": [{"when": U, "then": 1}, {"when": T, "then": 2}, {"else": 3}]}
    assert isinstance(run(expr, pregnant=True), Unknown)
    expr = {"cases": [{"when": F, "then": 1}, {"when": T, "then": 2}, {"else": 3}]}
    assert run(expr, pregnant=True) == 2


def test_uncertain_carries_its_note() -> None:
    value = run({"any": [F, {"uncertain": "left to the office"}]}, pregnant=True)
    assert isinstance(value, Unknown) and value.notes == ("left to the office",)


def run_household(expr: Any, members: list[dict[str, Any]], size: int | None, **person: Any) -> Any:
    """An expression over the household's members (records), as the engine builds them."""
    from helper.household import subjects

    a = Answers.model_validate({"version": 1, "person": person,
                                "household": {"members": members, **({"size": size} if size else {})}})
    ctx = Context(subjects(a)[0].facts, dt.date(2026, 11, 29), None)
    return Compiler(Symbols(fact_types(), item_types(), {}, {}, {})).expr(
        EXPR.validate_python(expr), Origin("t", ()), ()).fn(ctx)


CHILD_UNDER_6 = {"exists": {"in": {"fact": "household.members"}, "where": {"lt": [{"item": "age"}, 6]}}}


@pytest.mark.parametrize(("members", "size", "expected"), [
    ([{"age": 4}], 2, True),  # one described child under 6
    ([{"age": 9}], 2, False),  # everyone described, nobody under 6
    ([{"age": 9}], 3, "U"),  # a third member is not described: could be under 6
    ([{"age": 9}], None, "U"),  # the size is unknown: there may be others
    ([{}, {"age": 3}], 3, True),  # an age unknown does not matter once one is known to be under 6
    ([{}, {"age": 9}], 3, "U"),
])
def test_exists_is_three_valued_over_members_and_undescribed_ones(members: list[dict[str, Any]], size: int | None,
                                                                  expected: Any) -> None:
    value = run_household(CHILD_UNDER_6, members, size)
    assert isinstance(value, Unknown) if expected == "U" else value is expected


def test_an_unknown_member_field_and_an_undescribed_member_name_what_to_ask() -> None:
    value = run_household(CHILD_UNDER_6, [{}], 3)
    assert isinstance(value, Unknown) and value.facts == {"household.members.age", "household.members"}
    value = run_household({"pluck": {"in": {"fact": "household.everyone"}, "field": "age"}}, [{"age": 3}], 2)
    assert isinstance(value, Unknown) and value.facts == {"person.age"}  # the person's own age is missing


def test_described_only_ignores_members_who_are_not_described() -> None:
    expr = {"exists": {"in": {"fact": "household.members"}, "described_only": True,
                       "where": {"all": [{"known": {"item": "age"}}, {"lt": [{"item": "age"}, 6]}]}}}
    assert run_household(expr, [{"age": 9}, {}], None) is False


def test_pluck_filter_and_count_over_members() -> None:
    ages = {"pluck": {"in": {"fact": "household.everyone"}, "field": "age"}}
    assert run_household(ages, [{"age": 4}, {"age": 60}], 3, age=35) == (35, 4, 60)
    children = {"count": {"filter": {"in": {"fact": "household.everyone"}, "where": {"lt": [{"item": "age"}, 18]}}}}
    assert run_household(children, [{"age": 4}, {"age": 60}], 3, age=35) == 1
    assert isinstance(run_household(children, [{"age": 4}], 3, age=35), Unknown)  # one member undescribed


def answers(text: str) -> Answers:
    return parse_answers(text)


def by_id(result: Result) -> dict[str, ProgrammeResult]:
    return {r.id: r for r in result.results}


PR = """version: 1
municipality: "27123"
person: {age: 34, residence_status: permanent_resident, refugee_procedure: none, employee_insurance: false}
household: {size: 1, monthly_income: 0, savings: 0, monthly_rent: 35000, housing: renting, receiving_welfare: false}
"""


def test_same_input_same_output(rules: RuleBase) -> None:
    a = answers(PR + "as_of: 2026-11-29\n")
    assert json.dumps(evaluate(a, rules).to_json()) == json.dumps(evaluate(a, rules).to_json())


def test_every_reason_names_its_rule_and_sources(rules: RuleBase) -> None:
    result = evaluate(answers(PR + "as_of: 2026-11-29\n"), rules)
    for r in result.results:
        assert r.reasons, r.id
        for reason in r.reasons:
            assert reason.rule and reason.sources and all(u.startswith("http") for u in reason.sources)


def test_amounts_follow_the_date(rules: RuleBase) -> None:
    def minimum(day: str) -> int:
        result = by_id(evaluate(answers(PR + f"as_of: {day}\n"), rules))
        means = next(r for r in result["welfare"].reasons if r.rule == "welfare.means_test")
        return means.params["minimum"]

    # 46,930 + 27,790 + rent 35,000, plus the special addition (特例加算) and transitional addition (経過的加算) of
    # the day: 1,000; then 1,500 + 200; then 2,500 + 0 (告示第245号 cut the transitional addition as it rose)
    base = 109720
    assert minimum("2024-06-01") == base + 1000
    assert minimum("2025-10-01") == base + 1500 + 200
    assert minimum("2026-10-01") == base + 2500
    # Osaka is 冬季加算 区分Ⅵ: November to March 2,630 yen for one person; December adds 期末一時扶助 14,500
    assert minimum("2026-11-29") == base + 2500 + 2630
    assert minimum("2026-12-01") == base + 2500 + 2630 + 14500
    assert minimum("2027-04-01") == base + 2500


def test_a_date_without_a_value_is_flagged_as_stale_law(rules: RuleBase) -> None:
    result = evaluate(answers(PR + "as_of: 1989-12-01\n"), rules)
    assert by_id(result)["welfare"].outcome == "uncertain"
    stale = {w.parameter for w in result.warnings if w.kind == "stale_parameter"}
    assert "welfare.covered_statuses" in stale


def test_sources_not_verified_for_a_year_are_flagged(rules: RuleBase) -> None:
    result = evaluate(answers(PR + "as_of: 2028-06-01\n"), rules)
    stale = [w for w in by_id(result)["welfare"].warnings if w.kind == "stale"]
    assert stale and all("over a year" in w.text for w in stale)
    fresh = evaluate(answers(PR + "as_of: 2026-11-29\n"), rules)
    assert not [w for w in by_id(fresh)["welfare"].warnings if w.kind == "stale"]


def test_ward_counter_and_layers(rules: RuleBase) -> None:
    result = evaluate(answers(PR + "as_of: 2026-11-29\n"), rules)
    assert [layer.code for layer in result.municipality.layers] == ["00000", "27000", "27100", "27123"]
    assert result.municipality.local_rules is True
    step = next(s for s in by_id(result)["welfare"].next_steps if s.id == "welfare.apply_at_office")
    assert step.contact.address == "大阪市淀川区十三東2-3-3"
    assert step.contact.layer == "27123"


def test_a_municipality_without_local_rules_says_so(rules: RuleBase) -> None:
    result = evaluate(answers(PR.replace('"27123"', '"40216"') + "as_of: 2026-11-29\n"), rules)  # 福岡県小郡市
    assert result.municipality.local_rules is False
    assert "national rules only" in result.municipality.note
    step = next(s for s in by_id(result)["welfare"].next_steps if s.id == "welfare.apply_at_office")
    # The counter is still named from the place: the city office as Japan Post lists it, nothing more.
    assert step.contact.layer == "00000" and step.contact.name_ja.startswith("小郡市役所")
    assert step.contact.address.startswith("福岡県小郡市") and step.contact.phone is None


def test_closed_doors_offer_alternatives(rules: RuleBase) -> None:
    text = PR.replace("permanent_resident", "provisional_release") + "as_of: 2026-11-29\n"
    welfare = by_id(evaluate(answers(text), rules))["welfare"]
    assert welfare.outcome == "not_eligible"
    alternatives = {a.id: a.outcome for a in welfare.alternatives}
    assert alternatives["free_low_cost_clinic"] == "eligible"
    assert alternatives["jfba_legal_aid"] == "eligible"


def test_warnings_follow_their_dates(rules: RuleBase) -> None:
    before = by_id(evaluate(answers(PR + "as_of: 2026-11-29\n"), rules))["nhi"].warnings
    after = by_id(evaluate(answers(PR + "as_of: 2027-07-01\n"), rules))["nhi"].warnings
    assert "nhi.arrears_planned_checks" in {w.id for w in before}
    assert "nhi.arrears_checks" in {w.id for w in after}
    assert "nhi.arrears_planned_checks" not in {w.id for w in after}


def test_foreigners_welfare_warns_of_no_right_and_residence_effects(rules: RuleBase) -> None:
    text = PR.replace("permanent_resident", "long_term_resident, period_of_stay_months: 36") + "as_of: 2026-11-29\n"
    welfare = by_id(evaluate(answers(text), rules))["welfare"]
    ids = {w.id for w in welfare.warnings}
    assert {"welfare.no_legal_right", "welfare.residence_effects"} <= ids
    assert any("14 July" in w.text or "18 July 2014" in w.text for w in welfare.warnings)


def test_a_status_that_is_not_covered_is_told_so_and_asked_only_about_recognition(rules: RuleBase) -> None:
    text = ("version: 1\nas_of: 2026-12-03\nmunicipality: \"27123\"\n"
            "person: {age: 25, residence_status: student, period_of_stay_months: 24}\nhousehold: {size: 1}\n")
    result = evaluate(answers(text), rules)
    welfare = by_id(result)["welfare"]
    assert welfare.outcome == "uncertain"
    assert welfare.missing_facts == ["person.refugee_procedure"]
    assert [(r.rule, r.result) for r in welfare.reasons] == [
        ("welfare.status_in_scope", "fail"), ("welfare.recognised_refugee", "unknown")]
    # Both residence-effect warnings may apply, so both are said as conditions.
    assert all(w.applies == "maybe" for w in welfare.warnings if w.id.startswith("welfare.residence"))
    # Where no exception is left open, every open requirement is still asked (NHI: age, insurance, …).
    nhi = by_id(evaluate(answers("version: 1\nperson: {residence_status: permanent_resident}\n"), rules))["nhi"]
    assert {"person.age", "person.employee_insurance", "household.receiving_welfare"} <= set(nhi.missing_facts)


@pytest.mark.parametrize("procedure", ["recognised", "complementary_protection"])
def test_protected_people_are_told_of_their_exemption_for_permanent_residence(rules: RuleBase, procedure: str) -> None:
    text = (PR.replace("permanent_resident, refugee_procedure: none",
                       f"long_term_resident, period_of_stay_months: 36, refugee_procedure: {procedure}")
            + "as_of: 2026-11-29\n")
    warnings = by_id(evaluate(answers(text), rules))["welfare"].warnings
    ids = {w.id for w in warnings}
    assert "welfare.residence_effects_recognised_refugee" in ids and "welfare.residence_effects" not in ids
    exemption = next(w for w in warnings if w.id == "welfare.residence_effects_recognised_refugee")
    assert "61条の2の11" not in exemption.text  # the article was renumbered in 2024 and is not verified


def test_evaluation_logs_nothing(rules: RuleBase, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    evaluate(answers(PR + "as_of: 2026-11-29\n"), rules)
    assert caplog.records == []


def test_check_warns_of_sources_and_parameters_that_went_stale() -> None:
    from helper.rules.loader import load_rules
    from tests.conftest import RULES

    now = load_rules(RULES, today=dt.date(2026, 11, 29))
    later = load_rules(RULES, today=dt.date(2027, 3, 1))
    assert now.warnings == []
    stale = [w for w in later.warnings if w.severity == "warning"]
    assert any("sources.notice_1954.verified" == w.field for w in stale)
    assert all(str(w).count(":") >= 3 for w in stale)  # file:line: field: message
