"""The answers file contract: version 1, unknown keys refused, every fact optional."""

from __future__ import annotations

import pytest

from helper.answers import AnswersError, facts_of, parse_answers


def test_minimal_file_has_no_facts() -> None:
    answers = parse_answers("version: 1\n")
    assert facts_of(answers) == {}


def test_json_and_yaml_give_the_same_answers() -> None:
    y = parse_answers("version: 1\nmunicipality: '27123'\nperson: {age: 34, residence_status: permanent_resident}\n")
    j = parse_answers('{"version": 1, "municipality": "27123", "person": {"age": 34, '
                      '"residence_status": "permanent_resident"}}')
    assert y == j
    assert facts_of(y) == {"person.age": 34, "person.residence_status": "permanent_resident"}


def test_unquoted_municipality_code_keeps_its_leading_zero() -> None:
    assert parse_answers("version: 1\nmunicipality: 01101\n").municipality == "01101"


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("version: 2\n", "version", "1"),
        ("person: {age: 3}\n", "version", "required"),
        ("version: 1\nperson: {agee: 3}\n", "person.agee", "unknown key"),
        ("version: 1\nperson: {age: 131}\n", "person.age", "130"),
        ("version: 1\nperson: {age: '34'}\n", "person.age", "integer"),
        ("version: 1\nperson: {age: true}\n", "person.age", "integer"),
        ("version: 1\nperson: {residence_status: tourist}\n", "person.residence_status", "permanent_resident"),
        ("version: 1\nperson: {pregnant: yes}\n", "person.pregnant", "boolean"),
        ("version: 1\nhousehold: {size: 2, member_ages: [3, 4]}\n", "household", "member_ages"),
        ("version: 1\nperson: {residence_status: student, designated_activity: refugee_applicant}\n", "person",
         "designated_activities"),
        ("version: 1\nmunicipality: '2712'\n", "municipality", "pattern"),
        ("version: 1\nhousehold: {monthly_income: -5}\n", "household.monthly_income", "greater than"),
        ('{"version": 1, "version": 1}', "version", "duplicate"),
        ("{not json", "line 1", "JSON"),
        ("version: 1\nversion: 1\n", "version", "duplicate"),
        ("- 1\n- 2\n", "(top)", "mapping"),
    ],
)
def test_invalid_answers_name_the_field(text: str, field: str, message: str) -> None:
    with pytest.raises(AnswersError) as err:
        parse_answers(text)
    assert err.value.field == field
    assert message in err.value.message


def test_huge_answers_file_is_refused() -> None:
    with pytest.raises(AnswersError, match="larger than"):
        parse_answers("version: 1\n#" + "x" * 2_000_000)


def test_names_keep_their_joiners_but_not_bidi_overrides() -> None:
    persian = "version: 1\napplicant: {name: \"می\u200cخواهم\"}\n"
    assert parse_answers(persian).applicant.name == "می\u200cخواهم"
    with pytest.raises(AnswersError):
        parse_answers("version: 1\napplicant: {name: \"abc\u202edef\"}\n")
