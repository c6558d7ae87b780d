"""Steps and warnings that only may apply are said as conditions ("If you have unpaid premiums, …"),
never as facts about the person: on screen in every reviewed language and on the command line."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from helper.answers import Answers
from helper.engine import evaluate
from helper.i18n import translator
from helper.present import IF_IT_APPLIES, guidance_text, present
from helper.result import Guidance, Result
from helper.rules.loader import RuleBase
from tests.test_cli import cli

REFUGEE_APPLICANT = {"version": 1, "as_of": "2026-12-03", "municipality": "27123",
                     "person": {"age": 34, "residence_status": "designated_activities",
                                "refugee_procedure": "applicant", "period_of_stay_months": 6,
                                "resident_record": True},
                     "household": {"size": 1, "monthly_income": 60000}}

# People at the margin whose answers leave conditions open in different places.
PEOPLE: list[dict[str, Any]] = [
    {},
    {"person": {"residence_status": "no_status"}},
    {"person": {"refugee_procedure": "applicant"}},
    {"person": {"residence_status": "long_term_resident"}, "household": {"size": 3}},
    {"person": {"residence_status": "permanent_resident", "pregnant": True}},
    {"person": {"age": 80}},
    REFUGEE_APPLICANT,
]


def _maybe_items(result: Result) -> list[Guidance]:
    return [it for r in result.results for it in r.next_steps + r.warnings if it.applies == "maybe"]


def _evaluate(rules: RuleBase, answers: dict[str, Any]) -> Result:
    return evaluate(Answers.model_validate({"version": 1, **answers}), rules, today=dt.date(2026, 12, 3))


def test_the_refugee_applicant_is_not_told_they_have_unpaid_premiums(rules: RuleBase) -> None:
    result = _evaluate(rules, REFUGEE_APPLICANT)
    nhi = result.programme("nhi")
    assert nhi is not None
    arrears = next(w for w in nhi.warnings if w.id == "nhi.in_arrears_now")
    assert arrears.applies == "maybe"
    cards = {c.id: c for c in present(result, rules, "en", translator("en"))}
    assert not any(w.startswith("You have unpaid premiums") for w in cards["nhi"].warnings)
    assert any(w.startswith("If you have unpaid premiums, ") for w in cards["nhi"].warnings)
    ja = {c.id: c for c in present(result, rules, "ja", translator("ja"))}
    assert not any("あなたには未納の保険料があります" in w for w in ja["nhi"].warnings)
    assert any(w.startswith("未納の保険料がある場合は") for w in ja["nhi"].warnings)
    # Once the person says so, it is said as a fact.
    told = _evaluate(rules, {**REFUGEE_APPLICANT, "household": {**REFUGEE_APPLICANT["household"], "nhi_arrears": True}})
    told_nhi = {c.id: c for c in present(told, rules, "en", translator("en"))}["nhi"]
    assert any(w.startswith("You have unpaid premiums.") for w in told_nhi.warnings)


@pytest.mark.parametrize("lang", ["en", "ja", "ja@easy"])
def test_every_step_or_warning_that_may_apply_is_said_as_a_condition(rules: RuleBase, lang: str) -> None:
    _ = translator(lang)
    seen = 0
    for person in PEOPLE:
        for item in _maybe_items(_evaluate(rules, person)):
            seen += 1
            assert item.if_ and item.if_ != item.text, item.id
            shown = guidance_text(item, _)
            assert shown == _(item.if_), item.id
            if lang == "en":
                assert shown.startswith("If "), item.id
    assert seen >= 15  # the people above leave many conditions open


def test_a_language_without_the_conditional_wording_marks_the_plain_text() -> None:
    item = Guidance("x", "info", "You have unpaid premiums.", applies="maybe", if_="If you have unpaid premiums, …")
    catalog = {"You have unpaid premiums.": "Vous avez des impayés.", IF_IT_APPLIES: "si c'est votre cas"}
    shown = guidance_text(item, lambda s: catalog.get(s, s))
    assert shown == "Vous avez des impayés. (si c'est votre cas)"
    plain = Guidance("x", "info", "You have unpaid premiums.", if_="If you have unpaid premiums, …")
    assert guidance_text(plain, lambda s: catalog.get(s, s)) == "Vous avez des impayés."


def test_the_command_line_says_the_conditional_wording() -> None:
    import json

    proc = cli("evaluate", "-", stdin=json.dumps(REFUGEE_APPLICANT))
    assert proc.returncode == 0, proc.stderr
    assert "If you have unpaid premiums, " in proc.stdout
    assert "You have unpaid premiums." not in proc.stdout
