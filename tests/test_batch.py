"""Batch evaluation of survey files: rows read by the answers file's rules, bad rows named, the rest evaluated."""

from __future__ import annotations

import io
import json

import pytest

from helper.batch import BatchError, evaluate_rows, read_rows, status_group, write_outcomes
from helper.rules.loader import load_rules

SURVEY = """municipality,as_of,person.residence_status,person.designated_activity,person.refugee_procedure,person.age,\
household.size,household.monthly_income,household.savings,household.members.0.age,household.members.0.relation,\
household.member_ages,household.housing,household.monthly_rent
27123,2026-11-02,long_term_resident,,none,34,3,150000,20000,4,child,36,renting,50000
11203,2026-08-01,provisional_release,,applicant,x,1,0,0,,,,,
13104,,designated_activities,refugee_applicant,applicant,40,1,0,0,,,,,
"""


@pytest.fixture(scope="module")
def base():
    return load_rules(include_tests=False)


def test_csv_cells_take_the_answers_files_types_and_bad_rows_are_named() -> None:
    rows = list(read_rows(SURVEY, "survey.csv"))
    assert [r.number for r in rows] == [1, 2, 3]
    first = rows[0].answers
    assert first is not None and first.household.members[0].age == 4 and first.household.member_ages == [36]
    assert first.municipality == "27123" and str(first.as_of) == "2026-11-02"
    assert rows[1].answers is None and rows[1].error.field == "person.age"
    assert rows[2].answers is not None and rows[2].answers.person.designated_activity == "refugee_applicant"


@pytest.mark.parametrize("header", ["applicant.name", "supporter.name", "letter.date", "unknown"])
def test_columns_about_who_a_person_is_refuse_the_file(header: str) -> None:
    with pytest.raises(BatchError, match="not who a person is"):
        list(read_rows(f"person.age,{header}\n30,x\n"))


@pytest.mark.parametrize(("header", "words"), [("person.agee", "unknown field"), ("person", "name one of its fields"),
                                               ("household.members.x.age", "member's number")])
def test_a_bad_header_names_the_column(header: str, words: str) -> None:
    with pytest.raises(BatchError, match=words):
        list(read_rows(f"{header}\n1\n"))


def test_cells_are_strict_as_the_answers_file_is() -> None:
    rows = list(read_rows("person.age,person.pregnant,household.monthly_income\n34,yes,1\n34.5,false,1\n"
                          "34,false,-5\n34,TRUE,\n"))
    assert [(r.number, r.error and r.error.field) for r in rows] == [
        (1, "person.pregnant"), (2, "person.age"), (3, "household.monthly_income"), (4, None)]
    assert rows[3].answers.person.pregnant is True


def test_a_short_row_is_reported_not_shifted() -> None:
    (row,) = read_rows("person.age,household.size\n34\n")
    assert row.error.field == "(row)"


def test_json_lines_are_answers_files_and_refuse_names() -> None:
    good = json.dumps({"version": 1, "person": {"age": 30}})
    rows = list(read_rows(f"{good}\n{{\"version\": 2}}\n\nnot json\n", "s.jsonl"))
    assert [(r.number, r.answers is not None) for r in rows] == [(1, True), (2, False), (4, False)]
    with pytest.raises(BatchError):
        list(read_rows(json.dumps({"version": 1, "applicant": {"name": "A"}}) + "\n", "s.jsonl"))


def test_status_groups_keep_the_refugee_procedure() -> None:
    rows = [r.answers for r in read_rows(SURVEY) if r.answers]
    assert [status_group(a) for a in rows] == ["long_term_resident",
                                               "designated_activities/refugee_applicant+applicant"]


def test_outcomes_csv_has_a_line_per_row_and_the_deciding_conditions(base) -> None:
    out = io.StringIO()
    valid, invalid = write_outcomes(evaluate_rows(read_rows(SURVEY), base), out)
    assert (valid, invalid) == (2, 1)
    lines = out.getvalue().splitlines()
    header = lines[0].split(",")
    assert header[:3] == ["row", "error_field", "error"] and "welfare.outcome" in header
    assert lines[2].split(",")[:3] == ["2", "person.age", "expected a whole number"]
    first = dict(zip(header, lines[1].split(","), strict=True))
    assert first["welfare.outcome"] == "eligible"  # 定住者, 3 people, ¥150,000 in 淀川区
    third = dict(zip(header, lines[3].split(","), strict=True))
    assert third["welfare.outcome"] == "not_eligible" and "welfare.status_in_scope" in third["welfare.deciding"]


def test_records_for_counts_carry_place_quarter_status_and_the_persons_outcomes(base) -> None:
    from helper.batch import records

    recs = list(records(evaluate_rows(read_rows(SURVEY), base)))
    assert [(r.municipality, r.quarter, r.status) for r in recs][0] == ("27123", "2026Q4", "long_term_resident")
    assert dict(recs[0].outcomes)["welfare"] == "eligible" and len(recs) == 2


def run_cli(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    from helper.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_evaluate_batch_writes_outcomes_and_suppressed_counts(tmp_path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text(SURVEY + "99999,2026-11-02,long_term_resident,,none,34,1,0,0,,,,,\n", encoding="utf-8")
    counts = tmp_path / "counts.csv"
    code, out, err = run_cli("evaluate-batch", str(survey), "--counts", str(counts))
    assert code == 1  # some rows invalid: named on standard error, the others evaluated
    assert err.splitlines() == ["row 2: person.age: expected a whole number",
                                "row 4: municipality: unknown municipality code 99999",
                                "2 of 4 rows invalid; the others were evaluated"]
    assert len(out.splitlines()) == 5 and out.splitlines()[1].startswith("1,,,")
    lines = counts.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "municipality,quarter,programme,status,outcome,people"
    assert "27123,2026Q4,welfare,long_term_resident,eligible,<10" in lines  # one person: never shown as 1
    assert not [line for line in lines if line.rsplit(",", 1)[1] in {str(n) for n in range(1, 10)}]


def test_evaluate_batch_refuses_a_file_about_people_and_reads_standard_input() -> None:
    code, out, err = run_cli("evaluate-batch", "-", stdin="applicant.name,person.age\nA,30\n")
    assert (code, out) == (2, "") and err.startswith("error: survey file: column 'applicant.name'")
    code, out, _ = run_cli("evaluate-batch", "-", stdin=json.dumps({"version": 1, "person": {"age": 30}}) + "\n")
    assert code == 0 and out.splitlines()[1].startswith("1,,,")
