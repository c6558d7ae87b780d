"""The YAML test cases beside the rules, one pytest item each, and their coverage."""

from __future__ import annotations

import dataclasses

import pytest

from helper.rules.loader import RuleBase, load_rules
from helper.ruletests import run_tests
from tests.conftest import RULES


def _case_names() -> list[str]:
    return [case.name for case, _ in load_rules(RULES).tests]


def test_every_condition_has_a_passing_and_a_failing_case(rules: RuleBase) -> None:
    assert run_tests(rules).coverage_gaps == []


@pytest.mark.parametrize("name", _case_names())
def test_rule_case(rules: RuleBase, name: str) -> None:
    single = dataclasses.replace(rules, tests=[t for t in rules.tests if t[0].name == name])
    single._rulesets = rules._rulesets
    report = run_tests(single)
    assert report.failures == [] and report.passed == 1
