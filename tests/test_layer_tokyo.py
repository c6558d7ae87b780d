"""The Tokyo layers (東京都 13000; 新宿区 13104, 豊島区 13116, 北区 13117), run through the command line
as a user would run it: the unpaid-medical-bill scheme (外国人未払医療費補てん事業) for people without
insurance, the wards' counters, and metropolitan housing (都営住宅) where it differs from Osaka."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.layers import cli
from tests.layers import moved as _moved

WARDS = {"13104": "新宿区", "13116": "豊島区", "13117": "北区"}
SCHEME = "外国人未払医療費補てん事業"
SCHEME_PAGE = "https://www.hokeniryo.metro.tokyo.lg.jp/iryo/iryo_hoken/gaikokujinmibarai"


def evaluate(text: str) -> dict[str, Any]:
    proc = cli("evaluate", "-", "--json", stdin=text)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def results(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in result["results"]}


def step(result: dict[str, Any], programme: str, step_id: str) -> dict[str, Any] | None:
    r = results(result)[programme]
    return next((s for s in r["next_steps"] + r["warnings"] if s["id"] == step_id), None)


def test_provisional_release_in_shinjuku_is_told_of_the_unpaid_bill_scheme_and_where_to_go() -> None:
    result = evaluate(moved("provisional-release.yaml", "13104"))
    assert [layer["code"] for layer in result["municipality"]["layers"]] == ["00000", "13000", "13104"]
    by_id = results(result)
    assert by_id["nhi"]["outcome"] == "not_eligible"
    assert by_id["free_low_cost_clinic"]["outcome"] == "eligible"
    scheme = step(result, "free_low_cost_clinic", "tokyo.unpaid_medical_bills")
    assert scheme is not None
    assert SCHEME in scheme["text"] and "119" in scheme["text"] and "medical social worker" in scheme["text"]
    assert "not to you" in scheme["text"]  # the money goes to the hospital: the person still owes the bill
    assert scheme["contact"]["id"] == "low_cost_clinic"
    assert SCHEME in scheme["ja"] and "医療ソーシャルワーカー" in scheme["ja"]
    assert SCHEME_PAGE in scheme["sources"]
    no_nhi = step(result, "nhi", "tokyo.unpaid_medical_bills_no_nhi")
    assert no_nhi is not None and SCHEME in no_nhi["text"]


def test_the_scheme_is_shown_on_the_text_output_too() -> None:
    proc = cli("evaluate", "-", stdin=moved("provisional-release.yaml", "13104"))
    assert proc.returncode == 0, proc.stderr
    assert "新宿区 (13104)" in proc.stdout and SCHEME in proc.stdout and "医療ソーシャルワーカー" in proc.stdout


@pytest.mark.parametrize("example", ["permanent-resident-yodogawa.yaml", "refugee-applicant-6-months.yaml"])
def test_people_with_a_resident_record_are_not_sent_to_the_scheme(example: str) -> None:
    result = evaluate(moved(example, "13104"))
    assert step(result, "free_low_cost_clinic", "tokyo.unpaid_medical_bills") is None
    assert step(result, "nhi", "tokyo.unpaid_medical_bills_no_nhi") is None


def test_the_scheme_is_not_offered_to_a_short_term_visitor() -> None:
    text = moved("provisional-release.yaml", "13116").replace("provisional_release", "temporary_visitor")
    result = evaluate(text)
    assert results(result)["nhi"]["outcome"] == "not_eligible"
    assert step(result, "free_low_cost_clinic", "tokyo.unpaid_medical_bills") is None


def test_the_scheme_is_local_to_tokyo() -> None:
    result = evaluate(moved("provisional-release.yaml", "27123"))
    assert step(result, "free_low_cost_clinic", "tokyo.unpaid_medical_bills") is None
    assert SCHEME not in json.dumps(result, ensure_ascii=False)


@pytest.mark.parametrize("code", sorted(WARDS))
def test_the_three_people_in_each_ward(code: str) -> None:
    pr = results(evaluate(moved("permanent-resident-yodogawa.yaml", code)))
    assert (pr["welfare"]["outcome"], pr["nhi"]["outcome"]) == ("eligible", "eligible")
    ra = results(evaluate(moved("refugee-applicant-6-months.yaml", code)))
    assert (ra["welfare"]["outcome"], ra["nhi"]["outcome"], ra["rhq_protection"]["outcome"]) == (
        "not_eligible", "eligible", "eligible")
    assert ra["public_housing"]["outcome"] == "uncertain"
    pf = evaluate(moved("provisional-release.yaml", code))
    assert pf["municipality"]["name"] == WARDS[code]
    by_id = results(pf)
    assert (by_id["welfare"]["outcome"], by_id["nhi"]["outcome"], by_id["public_housing"]["outcome"]) == (
        "not_eligible",) * 3
    assert step(pf, "free_low_cost_clinic", "tokyo.unpaid_medical_bills") is not None


@pytest.mark.parametrize(("code", "name_ja", "address"), [
    ("13104", "新宿区 医療保険年金課 国保資格係", "新宿区歌舞伎町1-4-1"),
    ("13116", "豊島区 国民健康保険課", "豊島区南池袋2-45-1"),
    ("13117", "北区 国保年金課 国保資格係", "北区王子本町1-15-22"),
])
def test_each_ward_names_its_nhi_counter(code: str, name_ja: str, address: str) -> None:
    result = evaluate(moved("permanent-resident-yodogawa.yaml", code))
    join = step(result, "nhi", "nhi.join_at_counter")
    assert join is not None
    assert join["contact"]["name_ja"] == name_ja and join["contact"]["address"] == address
    assert join["contact"]["layer"] == code


def test_toshima_welfare_office_has_its_phone_and_kita_nhi_counter_its_number() -> None:
    toshima = json.dumps(evaluate(moved("permanent-resident-yodogawa.yaml", "13116")), ensure_ascii=False)
    assert "03-3981-1842" in toshima and "Mon–Fri 8:30–17:00" in toshima
    kita = json.dumps(evaluate(moved("permanent-resident-yodogawa.yaml", "13117")), ensure_ascii=False)
    assert "03-3908-1131" in kita


def test_shinjuku_welfare_office_prints_no_unverified_address() -> None:
    result = evaluate(moved("permanent-resident-yodogawa.yaml", "13104"))
    apply = step(result, "welfare", "welfare.apply_at_office")
    assert apply is not None and apply["contact"]["layer"] == "13104"
    assert "address" not in apply["contact"] and "phone" not in apply["contact"]


def gaps(code: str) -> dict[tuple[str, str | None, str, str], str]:
    proc = cli("gaps", "--municipality", code, "--as-of", "2026-12-04", "--json")
    assert proc.returncode == 0, proc.stderr
    table = json.loads(proc.stdout)
    return {(r["residence_status"], r["designated_activity"], r["refugee_procedure"], r["programme"]): r["outcome"]
            for r in table["rows"]}


def test_gaps_for_shinjuku_differ_from_yodogawa_where_metropolitan_housing_asks_a_year_of_stay() -> None:
    proc = cli("gaps", "--municipality", "13104", "--as-of", "2026-12-04", "--json")
    assert json.loads(proc.stdout)["municipality"]["layers"] == ["00000", "13000", "13104"]
    tokyo, osaka = gaps("13104"), gaps("27123")
    assert tokyo.keys() == osaka.keys()
    differ = {key for key in tokyo if tokyo[key] != osaka[key]}
    assert differ and all(key[3] == "public_housing" for key in differ)
    for status in ("student", "work", "technical_intern", "specified_skilled_worker", "dependent"):
        key = next(k for k in tokyo if k[0] == status and k[3] == "public_housing")
        assert (osaka[key], tokyo[key]) == ("eligible", "uncertain")
    for status in ("permanent_resident", "long_term_resident", "spouse_of_japanese"):
        key = next(k for k in tokyo if k[0] == status and k[3] == "public_housing")
        assert tokyo[key] == osaka[key] == "eligible"
    for status in ("provisional_release", "provisional_stay", "no_status"):
        key = next(k for k in tokyo if k[0] == status and k[3] == "public_housing")
        assert tokyo[key] == "not_eligible"


def test_gaps_text_names_the_ward() -> None:
    proc = cli("gaps", "--municipality", "13117", "--as-of", "2026-12-04")
    assert proc.returncode == 0, proc.stderr
    assert "北区 (13117)" in proc.stdout


def test_shinjuku_tells_a_refugee_family_where_to_enrol_the_child_and_about_ward_housing() -> None:
    result = evaluate(moved("refugee-applicant-6-months.yaml", "13104"))
    school = results(result)["school_enrolment"]
    assert school["household_outcome"] == "eligible"  # the child of 7, assessed in its own right
    enrol = step(result, "school_enrolment", "shinjuku.school_application")
    assert enrol is not None and "学校運営課" in enrol["text"] and "residence card" in enrol["text"]
    assert enrol["contact"]["name_ja"].startswith("新宿区教育委員会 学校運営課")
    assert step(result, "public_housing", "shinjuku.ward_housing") is not None
    kita = evaluate(moved("refugee-applicant-6-months.yaml", "13117"))
    assert step(kita, "school_enrolment", "shinjuku.school_application") is None
    assert step(kita, "public_housing", "shinjuku.ward_housing") is None
    assert step(kita, "public_housing", "tokyo.housing_rounds") is not None


def moved(example: str, code: str) -> str:
    """An example person moved from 淀川区 to another municipality, on the date these rules were checked."""
    return _moved(example, code, as_of="2026-12-04")
