"""The campaigners' workspace (helper/campaign.py, helper/basis.py, ``gaps`` on the command line): who is
excluded where, on what basis, decided by whom, compared between places, across Japan and over time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random

import pytest

from helper import campaign
from helper.gaps import gap_table
from helper.rules.loader import RuleBase
from tests.layers import cli

DAY = dt.date(2026, 12, 1)
CORE = ["welfare", "nhi", "public_housing"]


def _row(table: dict, label: str, programme: str) -> dict:
    return next(r for r in table["rows"] if r["label"] == label and r["programme"] == programme)


def test_osaka_excludes_people_on_provisional_release_from_all_three_with_basis_and_layer(rules: RuleBase) -> None:
    table = gap_table(rules, "27100", DAY, CORE)
    welfare, nhi, housing = (_row(table, "仮放免", p) for p in CORE)
    assert {welfare["outcome"], nhi["outcome"], housing["outcome"]} == {"not_eligible"}
    assert welfare["gap"] and nhi["gap"] and housing["gap"]
    # The basis in words, from the sources' short citations, not rule ids.
    assert "1954年通知" in welfare["basis"] and "1990年口頭指示" in welfare["basis"]
    assert "最判2001-09-25" in welfare["basis"] and "welfare." not in welfare["basis"]
    assert "住基法30条の45" in nhi["basis"]
    assert "大阪市営住宅" in housing["basis"]
    # Who can change it: national rules for the first two, the city's own rule for its housing.
    assert (welfare["layer"]["level"], nhi["layer"]["level"]) == ("national", "national")
    assert welfare["layer"]["changed_by"] == "national law or notice"
    assert housing["layer"]["level"] == "municipality" and housing["layer"]["name"] == "大阪市"
    # Sources with their verified dates, and standards with article.
    assert all(c["verified"] for c in welfare["citations"])
    assert {"notice_1954", "instruction_1990"} <= {c["id"] for c in welfare["citations"]}
    icescr = next(s for s in nhi["standards"] if s["instrument"] == "ICESCR")
    assert icescr["article"].startswith("12") and "mark" in icescr and "paragraph" in icescr
    # Full programme titles come with the table.
    assert welfare["programme_title"] == "Public assistance" and welfare["programme_title_ja"] == "生活保護"


def test_a_programme_no_japanese_household_gets_either_is_no_gap(rules: RuleBase) -> None:
    table = gap_table(rules, "27100", DAY)
    elderly = _row(table, "仮放免", "later_elderly_medical")
    assert elderly["outcome"] == "not_eligible" and not elderly["gap"]
    assert _row(table, "永住者", "welfare")["gap"] is False


def test_a_national_rule_reading_a_local_value_is_marked_ambiguous(rules: RuleBase) -> None:
    from helper.basis import condition_reads, deciding_layer

    rs = rules.ruleset_for("27100")  # 大阪市 sets its own legal aid income limits (1級地 column)
    assert rs.params["legal_aid.income_limit"].layer == "27100"
    cid = next(c for c, (_cond, _o, layer) in rs.conditions.items()
               if layer == "00000" and "legal_aid.income_limit" in condition_reads(rules, rs, c).params)
    layer = deciding_layer(rules, rs, cid)
    assert layer["code"] == "27100" and layer["by"] == "parameter" and layer["ambiguous"] is True
    assert "全国" in layer["note"] and "大阪市" in layer["note"]
    # Nationally the same condition is simply national.
    national = deciding_layer(rules, rules.ruleset_for(None), cid)
    assert national["level"] == "national" and national["ambiguous"] is False


def test_comparison_with_kawaguchi_highlights_the_housing_difference(rules: RuleBase) -> None:
    cmp = campaign.compare(rules, ["27100", "11203"], DAY, CORE)
    assert [p["name"] for p in cmp["places"]] == ["大阪市", "川口市"]
    differing = [r for r in cmp["rows"] if r["differs"]]
    assert cmp["differences"] == len(differing) >= 1
    applicant = next(r for r in differing if r["label"] == "特定活動 (難民申請中, 6か月)")
    assert applicant["programme"] == "public_housing"
    assert [c["outcome"] for c in applicant["cells"]] == ["uncertain", "eligible"]
    # Same outcome, different deciders: 大阪市's own housing rule against 埼玉県's.
    release = next(r for r in cmp["rows"] if r["label"] == "仮放免" and r["programme"] == "public_housing")
    assert not release["differs"] and release["basis_differs"]
    assert [c["layer"]["name"] for c in release["cells"]] == ["大阪市", "埼玉県"]
    # Welfare is national: nothing differs.
    assert not any(r["differs"] for r in cmp["rows"] if r["programme"] == "welfare")


def test_overview_of_every_municipality(rules: RuleBase) -> None:
    ov = campaign.overview(rules, "特定活動 (難民申請中, 6か月)", "public_housing", DAY)
    by_code = {r["code"]: r for r in ov["rows"]}
    assert len(by_code) == len(campaign.overview_places()) > 1700
    assert by_code["11203"]["outcome"] == "eligible"  # Saitama's prefectural housing: mid- to long-term status
    assert by_code["27100"]["outcome"] == "uncertain" and by_code["27100"]["layer"]["name"] == "大阪市"
    assert sum(ov["counts"].values()) == len(by_code)
    assert sum(g["count"] for g in ov["groups"]) == len(by_code)
    # Places that share rules are evaluated once: far fewer evaluations than places.
    assert ov["evaluations"] < len(by_code) / 10


@pytest.mark.parametrize(("label", "programme"), [
    ("仮放免", "welfare"), ("特定活動 (難民申請中, 6か月)", "public_housing"), ("永住者", "welfare"),
    ("仮滞在 (難民申請中)", "nhi")])
def test_overview_gives_each_place_what_its_own_table_gives(rules: RuleBase, label: str, programme: str) -> None:
    rng = random.Random(f"{label}{programme}")
    places = campaign.overview_places()
    sample = [m for m in places if m.code in rules.layers or m.code[:2] + "000" in rules.layers]
    sample = rng.sample(sample, 6) + rng.sample(places, 6)
    ov = campaign.overview(rules, label, programme, DAY, sample)
    for row in ov["rows"]:
        own = _row(gap_table(rules, row["code"], DAY, [programme]), label, programme)
        assert (row["outcome"], row["rule"], row["basis"]) == (own["outcome"], own["rule"], own["basis"]), row["code"]


def test_timeline_has_the_2024_amendment_and_no_stale_flag_before_a_value_existed(rules: RuleBase) -> None:
    tl = campaign.timeline(rules, "27100", DAY)
    june = [e for e in tl["entries"] if e["date"] == "2024-06-10"]
    assert any(e["subject"] == "status.codes_in_force" and "supervision_measures" in e["value"] for e in june)
    addition = [e for e in tl["entries"] if e["subject"] == "welfare.special_addition"]
    assert [(e["date"], e["value"]) for e in addition if e["kind"] != "no_value"] == [
        ("2023-10-01", "1000"), ("2025-10-01", "1500"), ("2026-10-01", "2500")]
    assert next(e for e in addition if e["date"] == "2026-10-01")["status"] == "in_force"
    # The value ends 2027-09-30: after that a scheduled gap, not stale today.
    assert any(e["kind"] == "no_value" and e["date"] == "2027-10-01" and e["status"] == "scheduled" for e in addition)
    # Seen from before 監理措置 existed, nothing about it is stale: it is not yet in force.
    early = campaign.timeline(rules, "27100", dt.date(2020, 1, 1))
    assert early["stale"] == []
    assert "welfare.special_addition" in early["not_yet"]
    assert not any(e["status"] == "stale" for e in early["entries"])
    assert next(e for e in early["entries"] if e["date"] == "2024-06-10")["status"] == "scheduled"
    # Announced reviews appear with their dates.
    assert any(e["subject"] == "welfare.coverage_under_review" for e in tl["entries"])


def test_a_date_after_the_last_value_is_stale(rules: RuleBase) -> None:
    late = campaign.timeline(rules, "27100", dt.date(2027, 11, 1), ["welfare"])
    assert "welfare.special_addition" in late["stale"]
    assert any(e["subject"] == "welfare.special_addition" and e["status"] == "stale" for e in late["entries"])


def test_cli_csv_and_json_parse() -> None:
    proc = cli("gaps", "--municipality", "27100", "--as-of", "2026-12-01", "--csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    row = next(r for r in rows if r["status"] == "仮放免" and r["programme"] == "nhi")
    assert row["outcome"] == "not_eligible" and row["gap"] == "yes" and row["decided_by_level"] == "national"
    assert "住基法30条の45" in row["basis"] and "verified 20" in row["sources"] and "ICESCR" in row["standards"]
    assert row["programme_title"] == "National Health Insurance"
    proc = cli("gaps", "--compare", "27100", "11203", "--as-of", "2026-12-01", "--json",
               "--programme", "public_housing")
    cmp = json.loads(proc.stdout)
    assert cmp["differences"] >= 1 and {r["programme"] for r in cmp["rows"]} == {"public_housing"}
    proc = cli("gaps", "--overview", "仮放免", "--programme", "nhi", "--as-of", "2026-12-01", "--csv")
    overview = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(overview) > 1700 and {r["outcome"] for r in overview} == {"not_eligible"}
    proc = cli("gaps", "--timeline", "--municipality", "27100", "--as-of", "2026-12-01", "--json")
    assert any(e["date"] == "2024-06-10" for e in json.loads(proc.stdout)["entries"])


def test_cli_text_names_programmes_in_full() -> None:
    proc = cli("gaps", "--municipality", "27100", "--as-of", "2026-12-01")
    assert "Public assistance (生活保護)" in proc.stdout and "National Health Insurance (国民健康保険)" in proc.stdout
    assert "decided by 大阪市" in proc.stdout and "1954年通知" in proc.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--compare", "27100"], "compare: give two or more"),
    (["--compare", "27100", "99999"], "unknown municipality code 99999"),
    (["--overview", "nobody"], "overview: unknown status"),
    (["--programme", "nothing"], "programme: unknown programme"),
    (["--overview", "1", "--programme", "nhi", "--programme", "welfare"], "the overview is for one programme"),
])
def test_cli_refuses_bad_options_clearly(args: list[str], message: str) -> None:
    proc = cli("gaps", *args)
    assert proc.returncode == 2 and message in proc.stderr


def test_a_status_that_did_not_exist_yet_is_no_gap(rules: RuleBase) -> None:
    before = gap_table(rules, "27100", dt.date(2022, 1, 1), CORE)
    supervised = [r for r in before["rows"] if r["label"] == "監理措置"]
    assert supervised and all(not r["exists"] and not r["gap"] for r in supervised)
    assert _row(before, "仮放免", "nhi")["exists"] and _row(before, "仮放免", "nhi")["gap"]
    after = gap_table(rules, "27100", DAY, CORE)
    assert all(r["exists"] and r["gap"] for r in after["rows"] if r["label"] == "監理措置")
    ov = campaign.overview(rules, "監理措置", "nhi", dt.date(2022, 1, 1), campaign.overview_places()[:20])
    assert all(not r["exists"] and not r["gap"] for r in ov["rows"])
    proc = cli("gaps", "--municipality", "27100", "--as-of", "2022-01-01", "--csv", "--programme", "nhi")
    row = next(r for r in csv.DictReader(io.StringIO(proc.stdout)) if r["status"] == "監理措置")
    assert row["status_exists"] == "" and row["gap"] == ""


def test_diplomats_excluded_are_not_counted_as_a_gap(rules: RuleBase) -> None:
    table = gap_table(rules, "27100", DAY, CORE)
    diplomats = [r for r in table["rows"] if r["residence_status"] == "diplomat_or_official"]
    assert diplomats and all(r["outcome"] == "not_eligible" and not r["gap"] and "sending state" in r["not_a_gap"]
                             for r in diplomats)
    assert campaign.gap_counts(table)["nhi"] == sum(
        r["gap"] for r in table["rows"] if r["programme"] == "nhi") < sum(
        r["outcome"] != "eligible" for r in table["rows"] if r["programme"] == "nhi")
