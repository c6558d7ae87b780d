"""The 神奈川県 / 横浜市 and 愛知県 / 名古屋市 layers, run from the command line as a user would (see test_cli.py)."""

from __future__ import annotations

import json

import pytest

from tests.layers import cli, moved


def evaluate(example: str, code: str) -> dict:
    proc = cli("evaluate", "-", "--json", stdin=moved(example, code))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def outcomes(result: dict) -> dict[str, str]:
    return {r["id"]: r["outcome"] for r in result["results"]}


def reasons(result: dict, programme: str) -> list[dict]:
    return next(r for r in result["results"] if r["id"] == programme)["reasons"]


@pytest.mark.parametrize("code", ["14100", "23100"])
def test_the_three_people_of_the_brief_moved_to_yokohama_and_nagoya(code: str) -> None:
    pr = outcomes(evaluate("permanent-resident-yodogawa.yaml", code))
    assert (pr["welfare"], pr["nhi"]) == ("eligible", "eligible")
    ra = outcomes(evaluate("refugee-applicant-6-months.yaml", code))
    assert (ra["welfare"], ra["nhi"], ra["rhq_protection"], ra["public_housing"]) == (
        "not_eligible", "eligible", "eligible", "uncertain")
    pf = outcomes(evaluate("provisional-release.yaml", code))
    assert (pf["welfare"], pf["nhi"], pf["public_housing"]) == ("not_eligible",) * 3
    assert (pf["free_low_cost_clinic"], pf["jfba_legal_aid"]) == ("eligible", "eligible")


def test_housing_refusal_in_yokohama_rests_on_the_kanagawa_rule() -> None:
    result = evaluate("provisional-release.yaml", "14100")
    assert result["municipality"]["code"] == "14100"
    texts = " ".join(reason["text"] for reason in reasons(result, "public_housing"))
    assert "Kanagawa prefectural housing" in texts
    sources = {s for reason in reasons(result, "public_housing") for s in reason["sources"]}
    assert any("pref.kanagawa.jp" in str(s) for s in sources)


def test_housing_refusal_in_nagoya_rests_on_the_city_rule() -> None:
    result = evaluate("provisional-release.yaml", "23100")
    texts = " ".join(reason["text"] for reason in reasons(result, "public_housing"))
    assert "Nagoya" in texts and "Kanagawa" not in texts


def test_ward_offices_are_named_with_their_address_in_the_text_output() -> None:
    for code, place, address in [("14104", "横浜市中区", "横浜市中区日本大通35"),
                                 ("14101", "横浜市鶴見区", "横浜市鶴見区鶴見中央三丁目20番1号"),
                                 ("23106", "名古屋市中区", "名古屋市中区栄四丁目1番8号"),
                                 ("23111", "名古屋市港区", "名古屋市港区港明一丁目12番20号")]:
        proc = cli("evaluate", "-", stdin=moved("permanent-resident-yodogawa.yaml", code))
        assert proc.returncode == 0, proc.stderr
        assert place in proc.stdout and address in proc.stdout, code


def test_city_level_counters_are_the_ward_office_sections() -> None:
    yokohama = cli("evaluate", "-", stdin=moved("permanent-resident-yodogawa.yaml", "14100")).stdout
    assert "区役所（区福祉保健センター）生活支援課" in yokohama
    nagoya = cli("evaluate", "-", stdin=moved("permanent-resident-yodogawa.yaml", "23100")).stdout
    assert "区役所 保険年金課・支所 区民福祉課" in nagoya


def gaps(code: str) -> dict:
    proc = cli("gaps", "--municipality", code, "--as-of", "2026-12-04", "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def housing_rows(table: dict, status: str) -> list[dict]:
    return [r for r in table["rows"] if r["programme"] == "public_housing" and r["residence_status"] == status
            and r["refugee_procedure"] == "none"]


def test_gaps_lists_the_layers_of_each_place() -> None:
    assert gaps("14104")["municipality"]["layers"] == ["00000", "14000", "14100", "14104"]
    assert gaps("23111")["municipality"]["layers"] == ["00000", "23000", "23100", "23111"]


def test_gaps_in_aichi_leaves_statuses_outside_the_prefectures_list_uncertain() -> None:
    table = gaps("23000")
    assert [r["outcome"] for r in housing_rows(table, "long_term_resident")] == ["eligible"]
    student = housing_rows(table, "student")
    assert [r["outcome"] for r in student] == ["uncertain"]
    assert student[0]["rule"] == "public_housing.status_admitted"
    assert all(r["outcome"] == "not_eligible" for r in housing_rows(table, "provisional_release"))


def test_gaps_in_nagoya_admits_residents_the_prefectural_list_leaves_out() -> None:
    table = gaps("23100")
    assert [r["outcome"] for r in housing_rows(table, "student")] == ["eligible"]
    refused = housing_rows(table, "provisional_release")
    assert refused and all(r["outcome"] == "not_eligible" and r["rule"] == "public_housing.status_admitted"
                           for r in refused)
    assert any(s["instrument"] == "ICESCR" for r in refused for s in r["standards"])


def test_gaps_in_yokohama_refuses_provisional_stay_under_the_kanagawa_rule() -> None:
    rows = [r for r in gaps("14100")["rows"] if r["programme"] == "public_housing"
            and r["residence_status"] == "provisional_stay"]
    assert rows and all(r["outcome"] == "not_eligible" and r["rule"] == "public_housing.status_admitted" for r in rows)


def test_housing_offices_differ_between_the_prefecture_and_yokohama() -> None:
    prefecture = cli("evaluate", "-", stdin=moved("refugee-applicant-6-months.yaml", "14000")).stdout
    assert "かながわ土地建物保全協会" in prefecture and "045-201-3673" in prefecture
    yokohama = cli("evaluate", "-", stdin=moved("refugee-applicant-6-months.yaml", "14100")).stdout
    assert "横浜市住宅供給公社" in yokohama and "045-201-3673" not in yokohama


def test_refugee_applicants_are_pointed_to_the_regional_support_group() -> None:
    kanagawa = cli("evaluate", "-", stdin=moved("refugee-applicant-6-months.yaml", "14100")).stdout
    assert "アルペなんみんセンター" in kanagawa and "名古屋難民支援室" not in kanagawa
    aichi = cli("evaluate", "-", stdin=moved("refugee-applicant-6-months.yaml", "23111")).stdout
    assert "名古屋難民支援室" in aichi and "アルペなんみんセンター" not in aichi


def test_people_on_provisional_release_are_sent_to_the_local_bar_association() -> None:
    kanagawa = cli("evaluate", "-", stdin=moved("provisional-release.yaml", "14101")).stdout
    assert "神奈川県弁護士会 横浜市中区日本大通9 045-211-7707" in kanagawa
    aichi = cli("evaluate", "-", stdin=moved("provisional-release.yaml", "23106")).stdout
    assert "愛知県弁護士会（愛知県弁護士会館） 名古屋市中区三の丸1-4-2" in aichi
