"""International standards on exclusions: marked breach or argued for the person concerned, none where the
exclusion is no gap, cited by treaty, article, UN document and paragraph (a paragraph only where it was read),
on the UN's own site, and carried into the result's JSON and the campaigners' table."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from helper.answers import Answers
from helper.engine import applicable_standards, context_for, evaluate
from helper.gaps import gap_table
from helper.rules.loader import RuleBase, RulesInvalid, load_rules
from tests.layers import EXAMPLES, ROOT, cli

AS_OF = dt.date(2026, 11, 29)


@cache
def base() -> RuleBase:
    return load_rules(include_tests=False)


def answers(**person: Any) -> Answers:
    return Answers.model_validate({
        "version": 1, "as_of": AS_OF, "person": {"age": 30, **person},
        "household": {"size": 1, "monthly_income": 0, "savings": 0, "receiving_welfare": False},
    })


def marks(condition: str, **person: Any) -> dict[str, str]:
    """Standard id -> mark, for an exclusion by ``condition`` of this person."""
    rs = base().ruleset_for(None)
    a = answers(**person)
    return {s.id: s.mark for s in applicable_standards(rs, condition, context_for(rs, a, AS_OF))}


def standards_of(condition: str, **person: Any) -> dict[str, Any]:
    rs = base().ruleset_for(None)
    a = answers(**person)
    return {s.id: s for s in applicable_standards(rs, condition, context_for(rs, a, AS_OF))}


STUDENT = {"residence_status": "student", "period_of_stay_months": 24}
APPLICANT = {"residence_status": "designated_activities", "designated_activity": "refugee_applicant",
             "period_of_stay_months": 6, "refugee_procedure": "applicant", "refugee_application_number": 1}


def test_a_recognised_refugee_excluded_from_public_relief_is_a_breach_of_article_23() -> None:
    got = marks("welfare.status_in_scope", **STUDENT, refugee_procedure="recognised")
    assert got["refugee_convention_23"] == "breach"
    assert got["icescr_9"] == "argued"  # the Covenant's reading stays an argument


def test_for_an_applicant_article_23_is_an_argument_and_the_text_says_why() -> None:
    std = standards_of("welfare.status_in_scope", **APPLICANT)["refugee_convention_23"]
    assert std.mark == "argued"
    assert "lawfully staying" in (std.because or "") and "applicant" in (std.because or "")


def test_complementary_protection_is_argued_by_analogy() -> None:
    std = standards_of("welfare.status_in_scope", **STUDENT,
                       refugee_procedure="complementary_protection")["refugee_convention_23"]
    assert std.mark == "argued" and "analogy" in (std.because or "")


def test_a_breach_is_never_claimed_on_a_guess() -> None:
    # Whether the person was recognised is not known: the Refugee Convention is shown, as an argument only.
    got = marks("welfare.status_in_scope", **STUDENT)
    assert got.get("refugee_convention_23") == "argued"
    assert "breach" not in got.values()


def test_a_recognised_refugee_out_of_health_insurance_is_a_breach_of_article_24() -> None:
    got = marks("nhi.resident_record", residence_status="provisional_release", refugee_procedure="recognised")
    assert got["refugee_convention_24"] == "breach"
    assert marks("nhi.resident_record", residence_status="provisional_release",
                 refugee_procedure="applicant")["refugee_convention_24"] == "argued"


def test_article_21_asks_only_for_the_treatment_of_aliens_generally_so_it_is_argued_for_everyone() -> None:
    for procedure in ("recognised", "applicant"):
        std = standards_of("public_housing.status_admitted", **STUDENT, refugee_procedure=procedure)
        assert std["refugee_convention_21"].mark == "argued"


def test_a_repeat_applicant_who_may_not_work_has_neither_assistance_nor_work() -> None:
    repeat = {"residence_status": "provisional_release", "refugee_procedure": "applicant",
              "refugee_application_number": 2}
    assert marks("rhq.first_application", **repeat)["ccpr_jpn_5_25"] == "breach"
    allowed = {**repeat, "residence_status": "designated_activities", "designated_activity": "refugee_applicant",
               "period_of_stay_months": 6, "work_permitted": True}
    assert marks("rhq.first_application", **allowed)["ccpr_jpn_5_25"] == "argued"


@pytest.mark.parametrize("person", [
    {"residence_status": "diplomat_or_official", "period_of_stay_months": 36, "refugee_procedure": "none"},
    {"residence_status": "temporary_visitor", "period_of_stay_months": 3, "refugee_procedure": "none"},
], ids=["diplomat", "visitor"])
def test_no_standard_where_the_exclusion_is_no_gap(person: dict[str, Any]) -> None:
    result = evaluate(answers(**person), base())
    excluded = [r for p in result.results for r in p.reasons if r.result == "fail"]
    assert excluded, "the person is excluded from something"
    assert all(not r.standards for r in excluded)


def test_a_visitor_who_seeks_protection_keeps_the_standards_on_applicants() -> None:
    got = marks("welfare.status_in_scope", residence_status="temporary_visitor", period_of_stay_months=3,
                refugee_procedure="applicant", refugee_application_number=1)
    assert got["refugee_convention_23"] == "argued" and "ccpr_jpn_5_25" in got


def test_an_age_or_income_limit_carries_no_standard() -> None:
    rs = base().ruleset_for(None)
    for cid in ("school.school_age_child", "vaccination.child_in_household", "high_school.age",
                "maternity.low_income", "clinic.financial_hardship", "child_rearing.child", "wayfarer.needs_care",
                "wayfarer.no_means_no_helper"):
        assert not rs.condition_standards[cid], cid  # (a KeyError if the condition were renamed)


def test_the_gap_table_marks_every_standard_and_attaches_none_to_diplomats() -> None:
    table = gap_table(base(), "27100", AS_OF)
    rows = [r for r in table["rows"] if r["outcome"] == "not_eligible"]
    assert all(s["mark"] in ("breach", "argued") for r in rows for s in r["standards"])
    assert all(not r["standards"] for r in table["rows"] if r["residence_status"] == "diplomat_or_official")
    release = [r for r in rows if r["residence_status"] == "provisional_release"]
    assert {r["programme"] for r in release if r["standards"]} >= {"welfare", "nhi", "public_housing"}


def test_the_text_table_says_argued_and_never_shows_an_unconfirmed_paragraph_as_fact() -> None:
    proc = cli("gaps", "--municipality", "27100", "--as-of", "2026-11-29")
    assert proc.returncode == 0, proc.stderr
    assert "Refugee Convention art. 23 [argued]" in proc.stdout
    assert "E/C.12/GC/19 para. 37-38 (unconfirmed)" in proc.stdout
    assert "CERD/C/JPN/CO/10-11 para. 35-36 [argued]" in proc.stdout  # a paragraph read beside its passage


def test_the_result_json_carries_mark_document_and_paragraph() -> None:
    proc = cli("evaluate", str(EXAMPLES / "provisional-release.yaml"), "--json")
    assert proc.returncode == 0, proc.stderr
    found = [s for p in json.loads(proc.stdout)["results"] for r in p["reasons"] for s in r.get("standards", [])]
    assert found
    for s in found:
        assert s["mark"] in ("breach", "argued") and "paragraph" in s and "paragraph_unconfirmed" in s
        assert s["mark"] == "breach" or s["because"]
        assert s["document"] is None or s["document_url"].startswith("https://docs.un.org/")
    assert any(s["document"] == "CCPR/C/JPN/CO/7" and s["paragraph"] is None and s["paragraph_unconfirmed"]
               for s in found)


def test_every_catalogued_paragraph_says_where_it_was_read() -> None:
    for sid, (std, _) in base().standards.items():
        assert (std.paragraph is None) == (std.paragraph_read_at is None), sid
        assert std.document is None or std.document_url, sid
        assert std.mark == "breach" or std.because, sid


# ---------------------------------------------------------------- the rule files are checked


def _rules_with(tmp_path: Path, file: str, old: str, new: str) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return rules


def _problems(rules: Path) -> list[Any]:
    with pytest.raises(RulesInvalid) as err:
        load_rules(rules, include_tests=False)
    return err.value.problems


def _line_of(rules: Path, file: str, needle: str) -> int:
    lines = (rules / file).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_a_bad_mark_in_the_catalogue_is_reported_with_file_line_and_field(tmp_path: Path) -> None:
    rules = _rules_with(tmp_path, "standards.yaml", "    mark: breach\n", "    mark: violation\n")
    problems = _problems(rules)
    bad = [p for p in problems if p.field == "standards.refugee_convention_23.mark"]
    assert bad, [str(p) for p in problems]
    assert bad[0].file.endswith("standards.yaml")
    assert bad[0].line == _line_of(rules, "standards.yaml", "mark: violation")
    assert "breach" in bad[0].message and "argued" in bad[0].message


def test_a_bad_mark_on_a_reference_is_reported_where_it_is_written(tmp_path: Path) -> None:
    rules = _rules_with(tmp_path, "programmes/welfare.yaml", "          mark: argued\n", "          mark: maybe\n")
    problems = _problems(rules)
    bad = [p for p in problems if p.file.endswith("welfare.yaml") and p.field.endswith(".mark")]
    assert bad, [str(p) for p in problems]
    assert bad[0].field.startswith("conditions.welfare.status_in_scope.standards[")
    assert bad[0].line == _line_of(rules, "programmes/welfare.yaml", "mark: maybe")


def test_an_argued_standard_must_say_why(tmp_path: Path) -> None:
    rules = _rules_with(tmp_path, "standards.yaml",
                        "    mark: argued\n    because: Article 11 names no group", "    mark: argued\n    note_: x")
    problems = _problems(rules)
    assert any(p.field.startswith("standards.icescr_11") for p in problems), [str(p) for p in problems]


def test_a_paragraph_not_read_beside_its_passage_is_refused(tmp_path: Path) -> None:
    rules = _rules_with(tmp_path, "standards.yaml", '    paragraph_unconfirmed: "37-38"\n', '    paragraph: "37-38"\n')
    problems = _problems(rules)
    bad = [p for p in problems if p.field == "standards.icescr_9"]
    assert bad and "paragraph_read_at" in bad[0].message, [str(p) for p in problems]


def test_a_committee_document_off_the_un_site_is_refused(tmp_path: Path) -> None:
    rules = _rules_with(tmp_path, "standards.yaml", "    document_url: https://docs.un.org/en/E/C.12/GC/19\n",
                        "    document_url: https://www.yumpu.com/en/document/view/30359974\n")
    problems = _problems(rules)
    bad = [p for p in problems if p.field == "standards.icescr_9.document_url"]
    assert bad and "UN's own site" in bad[0].message, [str(p) for p in problems]
    assert bad[0].line == _line_of(rules, "standards.yaml", "document_url: https://www.yumpu.com")


def test_a_treaty_text_off_the_un_site_is_still_refused(tmp_path: Path) -> None:
    old = "    source: https://www.ohchr.org/en/instruments-mechanisms/instruments/convention-rights-child\n"
    rules = _rules_with(tmp_path, "standards.yaml", old, "    source: https://example.org/crc\n")
    problems = _problems(rules)
    assert any(p.field.endswith(".source") and "example.org" in p.message for p in problems)
