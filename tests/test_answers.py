"""The answers file contract: version 1, unknown keys refused, every fact optional."""

from __future__ import annotations

from typing import Any

import pytest

from helper.answers import AnswersError, parse_answers
from helper.household import facts_of


def scalars(answers: Any) -> dict[str, Any]:
    return {k: v for k, v in facts_of(answers).items() if k not in ("household.members", "household.everyone")}


def test_minimal_file_has_no_facts() -> None:
    answers = parse_answers("version: 1\n")
    assert scalars(answers) == {}
    members = facts_of(answers)["household.members"]
    assert members.items == () and members.gap is not None  # nobody described, and the size is unknown


def test_json_and_yaml_give_the_same_answers() -> None:
    y = parse_answers("version: 1\nmunicipality: '27123'\nperson: {age: 34, residence_status: permanent_resident}\n")
    j = parse_answers('{"version": 1, "municipality": "27123", "person": {"age": 34, '
                      '"residence_status": "permanent_resident"}}')
    assert y == j
    assert scalars(y) == {"person.age": 34, "person.residence_status": "permanent_resident",
                          # where the person lives, as the rules' tables are keyed: ward, city, prefecture
                          "municipality": "27123", "municipality.city": "27100", "municipality.prefecture": "27000"}


def test_unquoted_municipality_code_keeps_its_leading_zero() -> None:
    assert parse_answers("version: 1\nmunicipality: 01101\n").municipality == "01101"


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("version: 2\n", "version", "1"),
        ("version: true\n", "version", "integer 1"),
        ("version: 1.0\n", "version", "integer 1"),
        ('{"version": true}', "version", "integer 1"),
        ("version: 1\nhousehold: {size: 2, members: [{age: 3}], member_ages: [5]}\n", "household", "members"),
        ("version: 1\nhousehold: {members: [{age: 3, relation: cousin}]}\n", "household.members.0.relation", "spouse"),
        ("version: 1\nhousehold: {members: [{agee: 3}]}\n", "household.members.0.agee", "unknown key"),
        ("version: 1\nhousehold: {monthly_income: 100, income: {wages: 150}}\n", "household", "more than"),
        ("version: 1\nhousehold: {monthly_income: 100, income: {wages: 50, pensions: 0, benefits: 0, other: 0}}\n",
         "household", "not monthly_income"),
        ("version: 1\nperson: {nationality: french}\n", "person.nationality", "japanese"),
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


def test_members_with_only_an_age_join_the_described_members() -> None:
    answers = parse_answers("version: 1\n"
                            "household: {size: 4, members: [{age: 4, relation: child}], member_ages: [70]}\n")
    members = facts_of(answers)["household.members"]
    assert [m["age"] for m in members.items] == [4, 70]
    assert members.gap is not None  # one of the three others is not described at all


def test_a_member_assessed_in_their_own_right_sees_the_person_as_a_relative() -> None:
    from helper.household import subjects

    answers = parse_answers("version: 1\nperson: {age: 35, residence_status: provisional_release}\n"
                            "household: {size: 3, members: [{age: 4, relation: child, nationality: japanese},"
                            " {age: 36, relation: spouse}]}\n")
    child = subjects(answers)[1]
    assert child.facts["person.age"] == 4 and child.facts["person.nationality"] == "japanese"
    assert "person.residence_status" not in child.facts  # the parent's status is not the child's
    others = child.facts["household.members"]
    assert [(m.get("relation"), m.get("age")) for m in others.items] == [("parent", 35), ("parent", 36)]
    assert others.gap is None
