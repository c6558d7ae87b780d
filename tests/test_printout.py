"""The print view, built in-process from the typed result for the people of the app tests (the browser test in
tests/e2e/test_print.py prints it to A4): it renders, and lists the household's members as they were answered."""

from __future__ import annotations

from typing import Any

import pytest

from helper.engine import evaluate
from helper.i18n import translator
from helper.printout import printout
from helper.questionnaire import set_value, to_answers
from helper.rules.loader import RuleBase
from helper.ui.session import empty_state
from tests.test_app import PERMANENT_RESIDENT, PROVISIONAL_RELEASE, REFUGEE_APPLICANT


def _state(flat: dict[str, Any]) -> dict[str, Any]:
    state = empty_state()
    for fact, value in flat.items():
        state = set_value(state, fact, "27123" if fact == "municipality" else value)  # 532-0023 is in 淀川区
    return state


@pytest.mark.parametrize("person", [PERMANENT_RESIDENT, PROVISIONAL_RELEASE, REFUGEE_APPLICANT])
@pytest.mark.parametrize(("lang", "child"), [("en", "Your child \\(7\\)"), ("ja", "あなたの子ども（7歳）")])
def test_the_print_view_renders_with_the_members_as_answered(rules: RuleBase, person: dict[str, Any], lang: str,
                                                             child: str) -> None:
    state = _state(person)
    result = evaluate(to_answers(state), rules)
    body, sources = printout(result, rules, state, [], lang, translator(lang))
    assert sources.strip()
    if person is REFUGEE_APPLICANT:  # the one with a child among the household's members
        assert f"**{child}**" in body, "the answers printed with the results name the child"
