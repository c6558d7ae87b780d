"""The 埼玉県, 川口市 and 蕨市 layers, run from the command line as a supporter would (contract: docs/cli.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.layers import EXAMPLES, cli, moved

# A 定住者 family (two children) in 川口市 with no income, renting: eligible for public assistance.
TEIJUSHA_FAMILY = """\
version: 1
as_of: 2026-12-04
municipality: "11203"
person: {age: 38, residence_status: long_term_resident, period_of_stay_months: 36, employee_insurance: false,
         pregnant: false, disability_certificate: false}
household: {size: 3, member_ages: [9, 4], monthly_income: 0, savings: 10000, monthly_rent: 60000, housing: renting,
            receiving_welfare: false, income_declared: true, nhi_arrears: false}
needs: {medical_care: false, urgent: true}
"""


def evaluate(text: str) -> dict[str, Any]:
    proc = cli("evaluate", "-", "--json", stdin=text)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def outcomes(result: dict[str, Any]) -> dict[str, str]:
    return {r["id"]: r["outcome"] for r in result["results"]}


def test_kawaguchi_welfare_office_is_named_with_its_address_for_an_eligible_teijusha_family() -> None:
    result = evaluate(TEIJUSHA_FAMILY)
    assert result["municipality"]["code"] == "11203"
    assert outcomes(result)["welfare"] == "eligible"
    proc = cli("evaluate", "-", stdin=TEIJUSHA_FAMILY)
    assert proc.returncode == 0, proc.stderr
    welfare = proc.stdout.split("Public assistance: ELIGIBLE", 1)[1].split("\n✔ ", 1)[0]
    assert "at: 川口市福祉事務所" in welfare and "川口市青木2-1-1" in welfare
    assert "淀川区" not in proc.stdout


@pytest.mark.parametrize("code", ["11203", "11223"])
def test_the_three_people_of_the_brief_in_kawaguchi_and_warabi(code: str) -> None:
    pr = outcomes(evaluate(moved("permanent-resident-yodogawa.yaml", code)))
    assert (pr["welfare"], pr["nhi"]) == ("eligible", "eligible")
    ra = outcomes(evaluate(moved("refugee-applicant-6-months.yaml", code)))
    assert (ra["welfare"], ra["nhi"], ra["rhq_protection"]) == ("not_eligible", "eligible", "eligible")
    # Saitama's prefectural housing admits any mid- to long-term status (Osaka City leaves this open).
    assert ra["public_housing"] == "eligible"
    pf = outcomes(evaluate(moved("provisional-release.yaml", code)))
    assert (pf["welfare"], pf["nhi"], pf["public_housing"]) == ("not_eligible",) * 3
    assert (pf["free_low_cost_clinic"], pf["jfba_legal_aid"], pf["houterasu_legal_aid"]) == (
        "eligible", "eligible", "not_eligible")


def test_provisional_release_in_kawaguchi_gets_the_citys_own_words_on_services() -> None:
    proc = cli("evaluate", "-", stdin=moved("provisional-release.yaml", "11203"))
    assert proc.returncode == 0, proc.stderr
    assert "Kawaguchi City itself says that people on provisional release may not work" in proc.stdout
    elsewhere = cli("evaluate", str(EXAMPLES / "provisional-release.yaml"))
    assert "Kawaguchi City" not in elsewhere.stdout


def gaps(code: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    proc = cli("gaps", "--municipality", code, "--as-of", "2026-12-04", "--json")
    assert proc.returncode == 0, proc.stderr
    table = json.loads(proc.stdout)
    return {(r["label"], r["programme"], r["refugee_procedure"]): r for r in table["rows"]}


def test_gaps_for_kawaguchi_follow_saitamas_housing_rule_not_osakas() -> None:
    proc = cli("gaps", "--municipality", "11203", "--as-of", "2026-12-04", "--json")
    assert json.loads(proc.stdout)["municipality"]["layers"] == ["00000", "11000", "11203"]
    kawaguchi, yodogawa = gaps("11203"), gaps("27123")
    applicant = ("特定活動 (難民申請中, 6か月)", "public_housing", "applicant")
    assert yodogawa[applicant]["outcome"] == "uncertain"
    assert kawaguchi[applicant]["outcome"] == "eligible" and kawaguchi[applicant]["rule"] is None
    release = ("仮放免", "public_housing", "none")
    assert kawaguchi[release]["outcome"] == yodogawa[release]["outcome"] == "not_eligible"
    assert "Prefectural housing requires a mid- to long-term residence status" in kawaguchi[release]["reason"]
    assert "Osaka City" in yodogawa[release]["reason"]
    differing = {k for k in kawaguchi if k in yodogawa and kawaguchi[k]["outcome"] != yodogawa[k]["outcome"]}
    assert applicant in differing


def test_a_child_on_provisional_release_in_kawaguchi_is_told_the_city_helps_with_school_costs() -> None:
    family = ('version: 1\nas_of: 2026-12-04\nmunicipality: "{code}"\n'
              "person: {{age: 36, residence_status: provisional_release, refugee_procedure: refused}}\n"
              "household: {{size: 2, member_ages: [8], monthly_income: 0, savings: 0, housing: renting,"
              " monthly_rent: 50000, receiving_welfare: false}}\n")
    kawaguchi = cli("evaluate", "-", stdin=family.format(code="11203"))
    assert kawaguchi.returncode == 0, kawaguchi.stderr
    school = kawaguchi.stdout.split("Public school for children", 1)[1]
    assert "including children on provisional release without a resident registration" in school
    assert "at: 川口市教育委員会" in school
    warabi = cli("evaluate", "-", stdin=family.format(code="11223"))
    assert "including children on provisional release" not in warabi.stdout
    assert "蕨市教育委員会 学校教育課（蕨市役所3階）" in warabi.stdout


def test_warabis_nhi_counter_is_named_with_the_phone_printed_by_the_city() -> None:
    proc = cli("evaluate", "-", stdin=moved("permanent-resident-yodogawa.yaml", "11223"))
    assert proc.returncode == 0, proc.stderr
    nhi = proc.stdout.split("National Health Insurance: ELIGIBLE", 1)[1].split("\n✔ ", 1)[0]
    assert "蕨市役所 医療保険課（国民健康保険）" in nhi and "048-433-7712" in nhi


@pytest.mark.parametrize(("code", "warned"), [("11203", False), ("11223", True)])
def test_the_unverified_school_costs_warning_is_left_out_where_the_city_says_it_helps(code: str,
                                                                                      warned: bool) -> None:
    # 川口市 says it gives families without status help with school costs; 蕨市 has said nothing found.
    result = evaluate(TEIJUSHA_FAMILY.replace('"11203"', f'"{code}"'))
    school = next(r for r in result["results"] if r["id"] == "school_enrolment")
    assert any(w["id"] == "school.costs_help_unverified" for w in school["warnings"]) is warned
