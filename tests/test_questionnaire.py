"""Questionnaire state and flow, without Streamlit."""

from __future__ import annotations

import pytest

from helper import postal
from helper.questionnaire import empty_state, get_value, next_question, open_questions, set_value
from helper.rules.loader import RuleBase


def test_set_value_returns_a_new_state_and_keeps_the_old() -> None:
    old = empty_state()
    new = set_value(old, "person.age", 30)
    assert old["person"] == {} and new["person"] == {"age": 30}


def test_changing_status_away_from_designated_activities_drops_the_activity() -> None:
    state = set_value(set_value(empty_state(), "person.residence_status", "designated_activities"),
                      "person.designated_activity", "refugee_applicant")
    state = set_value(state, "person.residence_status", "student")
    assert "designated_activity" not in state["person"]


def test_shrinking_the_household_trims_member_ages() -> None:
    state = set_value(set_value(empty_state(), "household.member_ages", [30, 5, 3]), "household.size", 2)
    assert state["household"]["member_ages"] == [30]


def test_shrinking_the_household_trims_members_first_described_then_ages_only() -> None:
    state = set_value(empty_state(), "household.members", [{"age": 4, "relation": "child"}, {"age": 30}])
    state = set_value(set_value(state, "household.member_ages", [9]), "household.size", 2)
    assert state["household"]["members"] == [{"age": 4, "relation": "child"}]
    assert state["household"]["member_ages"] == []


def test_nested_facts_are_set_read_and_removed() -> None:
    state = set_value(empty_state(), "household.income.wages", 150_000)
    assert get_value(state, "household.income.wages") == 150_000
    assert "income" not in set_value(state, "household.income.wages", None)["household"]


def test_describing_members_replaces_the_ages_only_list() -> None:
    state = set_value(set_value(empty_state(), "household.member_ages", [4]), "household.members", [{"age": 4}])
    assert "member_ages" not in state["household"]


@pytest.mark.parametrize(("code", "expected"), [("532-0023", "27123"), ("〒５３２－００２３", "27123"),
                                                ("160 0023", "13104"), ("000-0000", None), ("5320", None),
                                                ("532-0023-1", None)])
def test_postal_codes(code: str, expected: str | None) -> None:
    found = postal.lookup(code)
    assert (found.code if found else None) == expected


def test_the_first_questions_are_place_and_status(rules: RuleBase) -> None:
    assert next_question(rules, empty_state(), []).fact == "municipality"
    state = set_value(empty_state(), "municipality", "27123")
    assert next_question(rules, state, []).fact == "person.residence_status"


def test_designated_activity_is_asked_only_for_designated_activities(rules: RuleBase) -> None:
    state = set_value(set_value(empty_state(), "municipality", "27123"), "person.residence_status", "student")
    assert "person.designated_activity" not in {q.fact for q in open_questions(rules, state, [])}
    state = set_value(state, "person.residence_status", "designated_activities")
    assert open_questions(rules, state, [])[0].fact == "person.designated_activity"


def test_nothing_is_asked_once_every_outcome_is_settled(rules: RuleBase) -> None:
    state = empty_state()
    for fact, value in [("municipality", "27123"), ("person.residence_status", "no_status"),
                        ("person.refugee_procedure", "none"), ("person.pregnant", False), ("household.size", 1),
                        ("person.age", 40),
                        ("household.monthly_income", 0), ("needs.medical_care", False), ("needs.urgent", False),
                        ("household.housing", "homeless")]:
        state = set_value(state, fact, value)
    assert next_question(rules, state, []) is None


def test_step_progress_never_goes_backwards() -> None:
    from helper.questionnaire import step_progress

    step, about, share = step_progress(done=0, remaining=10, step=1)
    assert (step, about, share) == (1, 10, 0.0)
    _s, _a, later = step_progress(done=4, remaining=6, step=5, shown=share)
    assert later == 0.4
    # An answer that opens more questions raises the estimate; the bar stays where it was.
    step, about, grown = step_progress(done=5, remaining=15, step=6, shown=later)
    assert about == 20 and grown == later
    # Back to an earlier question: the step says where the person is, the bar does not move back.
    step, about, back = step_progress(done=6, remaining=14, step=3, shown=grown)
    assert step == 3 and back == grown
    assert step_progress(done=19, remaining=1, step=20, shown=back)[2] < 1.0
