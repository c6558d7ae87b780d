"""The results in the order a person needs them: what helps first, what is closed with its reason
and alternatives, and what does not concern them listed apart — never as a refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from helper.answers import Answers
from helper.engine import evaluate
from helper.i18n import translator
from helper.present import arrange, present
from helper.questionnaire import empty_state, set_value
from helper.questionnaire import to_answers as _to_answers
from helper.rules.loader import RuleBase
from tests.test_app import PERMANENT_RESIDENT, PROVISIONAL_RELEASE, REFUGEE_APPLICANT

FOR_CHILDREN = {"child_vaccination", "school_enrolment", "high_school_support", "child_allowance"}
FOR_PREGNANCY = {"childbirth_lump_sum", "maternity_hospitalization", "maternal_child_handbook"}


def to_answers(flat: dict[str, Any]) -> Answers:
    """The app's answers for the people of the app tests (their postal code is in 淀川区)."""
    state = empty_state()
    for fact, value in flat.items():
        state = set_value(state, fact, "27123" if fact == "municipality" else value)
    return _to_answers(state)


def _arranged(rules: RuleBase, answers: Answers, lang: str = "en") -> Any:
    result = evaluate(answers, rules, today=dt.date(2026, 12, 3))
    return arrange(present(result, rules, lang, translator(lang)))


def _ids(cards: list[Any]) -> list[str]:
    return [c.id for c in cards]


@pytest.mark.parametrize("lang", ["en", "my", "ja"])
def test_a_man_on_provisional_release_sees_the_clinic_and_legal_aid_first(rules: RuleBase, lang: str) -> None:
    parts = _arranged(rules, to_answers(PROVISIONAL_RELEASE), lang)
    now = _ids(parts.now)
    assert now[:1] == ["free_low_cost_clinic"]
    assert "jfba_legal_aid" in now
    # What is eligible comes before what is not sure, and nothing closed is among what helps.
    outcomes = [c.household_outcome for c in parts.now]
    assert outcomes == sorted(outcomes, key=["eligible", "uncertain"].index)
    assert {"welfare", "nhi"} <= set(_ids(parts.closed))
    # Help for children and pregnancy does not concern a man who lives alone: never shown as closed,
    # and never offered as an alternative.
    assert (FOR_CHILDREN | FOR_PREGNANCY) <= set(_ids(parts.not_concerned))
    assert not (FOR_CHILDREN | FOR_PREGNANCY) & set(_ids(parts.closed) + now)
    for card in parts.now + parts.closed:
        assert not {pid for pid, _t, _o in card.alternatives} & (FOR_CHILDREN | FOR_PREGNANCY), card.id


def test_a_refugee_applicants_child_is_shown_school_and_vaccinations_as_help(rules: RuleBase) -> None:
    parts = _arranged(rules, to_answers(REFUGEE_APPLICANT))
    now = {c.id: c for c in parts.now}
    assert {"school_enrolment", "child_vaccination", "rhq_protection"} <= set(now)
    # The parent cannot get school for themself; the child can: the card says so, not "not available".
    school = now["school_enrolment"]
    assert school.outcome == "not_eligible" and school.household_outcome == "eligible"
    assert "school_enrolment" not in _ids(parts.closed) + _ids(parts.not_concerned)


def test_nobody_is_told_a_child_may_not_go_to_school(rules: RuleBase) -> None:
    # Whatever the household, school never appears as a closed door.
    people = [PERMANENT_RESIDENT, PROVISIONAL_RELEASE, REFUGEE_APPLICANT,
              {"municipality": "532-0023"}, {"person.age": 30},
              {"person.age": 12, "person.residence_status": "no_status"}]
    for person in people:
        parts = _arranged(rules, to_answers(person))
        assert "school_enrolment" not in _ids(parts.closed), person


def test_when_the_household_is_not_known_help_for_children_is_only_if_it_concerns_you(rules: RuleBase) -> None:
    parts = _arranged(rules, Answers.model_validate({"version": 1, "person": {"age": 30}}))
    concerned = {c.id: c.concerns for c in parts.not_concerned}
    assert concerned.get("school_enrolment") == "maybe"
    assert concerned.get("later_elderly_medical") == "maybe"
    # Pregnancy not known: the pregnancy programmes stay open as "not sure yet", with the question.
    handbook = next(c for c in parts.now if c.id == "maternal_child_handbook")
    assert handbook.household_outcome == "uncertain" and handbook.settle


def test_japanese_titles_are_not_repeated_in_japanese(rules: RuleBase) -> None:
    parts = _arranged(rules, to_answers(PERMANENT_RESIDENT), "ja")
    cards = parts.now + parts.closed + parts.not_concerned
    welfare = next(c for c in cards if c.id == "welfare")
    assert welfare.title == "生活保護" and welfare.title_ja_shown is None
    en = _arranged(rules, to_answers(PERMANENT_RESIDENT), "en")
    assert next(c for c in en.now + en.closed if c.id == "welfare").title_ja_shown == "生活保護"
