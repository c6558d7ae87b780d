"""The layers of 兵庫県 / 神戸市 (with 中央区 and 長田区) and 茨城県 / 牛久市, through the command line."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.layers import cli, moved

KOBE_HOUSING = "https://www.city.kobe.lg.jp/a28775/kurashi/sumai/jutaku/information/shiei/moushikomi/shikaku/index.html"


def evaluate(example: str, code: str) -> dict[str, Any]:
    proc = cli("evaluate", "-", "--json", stdin=moved(example, code))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def outcomes(result: dict[str, Any]) -> dict[str, str]:
    return {r["id"]: r["outcome"] for r in result["results"]}


def steps(result: dict[str, Any], programme: str) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for r in result["results"] if r["id"] == programme for s in r["next_steps"]}


@pytest.mark.parametrize(("code", "layers"), [
    ("28100", ["00000", "28000", "28100"]),
    ("28110", ["00000", "28000", "28100", "28110"]),
    ("28106", ["00000", "28000", "28100", "28106"]),
    ("08219", ["00000", "08000", "08219"]),
])
def test_the_three_people_moved_to_hyogo_and_ibaraki(code: str, layers: list[str]) -> None:
    pr = evaluate("permanent-resident-yodogawa.yaml", code)
    assert [layer["code"] for layer in pr["municipality"]["layers"]] == layers
    assert (outcomes(pr)["welfare"], outcomes(pr)["nhi"]) == ("eligible", "eligible")
    ra = outcomes(evaluate("refugee-applicant-6-months.yaml", code))
    assert (ra["welfare"], ra["nhi"], ra["rhq_protection"], ra["public_housing"]) == (
        "not_eligible", "eligible", "eligible", "uncertain")
    pf = outcomes(evaluate("provisional-release.yaml", code))
    assert (pf["welfare"], pf["nhi"], pf["public_housing"]) == ("not_eligible",) * 3
    assert (pf["free_low_cost_clinic"], pf["jfba_legal_aid"], pf["houterasu_legal_aid"]) == (
        "eligible", "eligible", "not_eligible")


def test_kobe_city_housing_refusal_cites_the_citys_rule() -> None:
    result = evaluate("provisional-release.yaml", "28100")
    housing = next(r for r in result["results"] if r["id"] == "public_housing")
    reason = next(r for r in housing["reasons"] if r["rule"] == "public_housing.status_admitted")
    assert reason["result"] == "fail" and reason["layer"] == "28100"
    assert KOBE_HOUSING in reason["sources"]


def test_released_in_ushiku_gets_the_local_steps_and_contacts() -> None:
    result = evaluate("provisional-release.yaml", "08219")
    after = steps(result, "free_low_cost_clinic")["ushiku.after_release"]
    assert "仮放免許可書" in after["text"]
    assert after["contact"]["id"] == "refugee_support" and after["contact"]["layer"] == "08219"
    assert after["contact"]["name_ja"] == "牛久入管収容所問題を考える会"
    assert "phone" not in after["contact"] and "address" not in after["contact"]
    bar = steps(result, "jfba_legal_aid")["jfba.contact"]["contact"]
    assert (bar["layer"], bar["name_ja"], bar["phone"]) == ("08000", "茨城県弁護士会", "029-221-3501")


def test_the_ushiku_step_is_only_for_people_on_provisional_release() -> None:
    result = evaluate("permanent-resident-yodogawa.yaml", "08219")
    assert "ushiku.after_release" not in steps(result, "free_low_cost_clinic")


def test_kobe_counters_are_in_the_ward_office_and_have_no_unverified_phone() -> None:
    proc = cli("evaluate", "-", stdin=moved("permanent-resident-yodogawa.yaml", "28100"))
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.splitlines() if "お住まいの区役所の福祉事務所（生活保護）" in x)
    assert not any(ch.isdigit() for ch in line)  # neither an address nor a phone number was verified
    ward = evaluate("permanent-resident-yodogawa.yaml", "28110")
    contacts = [s["contact"] for r in ward["results"] for s in r["next_steps"] if s.get("contact")]
    welfare = next(c for c in contacts if c["id"] == "welfare_office")
    assert (welfare["layer"], welfare["address"]) == ("28110", "神戸市中央区東町115番地")
    assert "phone" not in welfare


def gap_rows(code: str) -> list[dict[str, Any]]:
    proc = cli("gaps", "--municipality", code, "--as-of", "2026-12-04", "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["rows"]


def housing_row(rows: list[dict[str, Any]], status: str) -> dict[str, Any]:
    return next(r for r in rows if r["programme"] == "public_housing" and r["residence_status"] == status
                and r["refugee_procedure"] == "none")


def test_gaps_kobe_admits_registered_workers_where_the_national_rule_only_advises() -> None:
    kobe, ushiku = gap_rows("28100"), gap_rows("08219")
    assert housing_row(kobe, "work")["outcome"] == "eligible"
    assert housing_row(ushiku, "work")["outcome"] == "uncertain"
    released = housing_row(kobe, "provisional_release")
    assert released["outcome"] == "not_eligible" and released["rule"] == "public_housing.status_admitted"
    assert KOBE_HOUSING in released["sources"]
    assert KOBE_HOUSING not in housing_row(ushiku, "provisional_release")["sources"]


def test_in_kobe_the_urgent_help_names_the_local_support_group_and_bar() -> None:
    proc = cli("evaluate", "-", stdin=moved("provisional-release.yaml", "28100"))
    assert proc.returncode == 0, proc.stderr
    urgent = proc.stdout.split("✘", 1)[0]  # the advisories printed before the programmes
    assert "Who can help: NGO神戸外国人救援ネット" in urgent
    assert "at: 兵庫県弁護士会" in proc.stdout and "牛久入管収容所問題を考える会" not in proc.stdout


def test_a_child_without_a_resident_record_in_ushiku_is_told_to_ask_the_board() -> None:
    answers = ('version: 1\nmunicipality: "08219"\n'
               "person: {age: 38, residence_status: provisional_release, period_of_stay_months: 0}\n"
               "household: {size: 2, member_ages: [8], monthly_income: 0, savings: 0, housing: staying_with_others}\n")
    proc = cli("evaluate", "-", "--json", stdin=answers)
    assert proc.returncode == 0, proc.stderr
    step = steps(json.loads(proc.stdout), "school_enrolment")["ushiku.school_without_record"]
    assert "Tsukuba" in step["text"] and step["contact"]["id"] == "school_board"
    registered = evaluate("refugee-applicant-6-months.yaml", "08219")
    assert "school.board" in steps(registered, "school_enrolment")
    assert "ushiku.school_without_record" not in steps(registered, "school_enrolment")
