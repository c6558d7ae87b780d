"""The national CSV tables (級地, 住宅扶助 限度額, 冬季加算 地区) cover every municipality, through the rules
themselves; values checked by hand match; and a broken table is rejected with its file, line and column."""

from __future__ import annotations

import datetime as dt
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from helper import municipality as muni
from helper.household import place_facts
from helper.rules.loader import RulesInvalid, load_rules
from helper.rules.logic import Context, Unknown
from tests.conftest import ROOT

DATES = [dt.date(2023, 10, 1), dt.date(2025, 4, 1), dt.date(2026, 12, 4)]
MUNICIPALITIES = [m.code for m in muni.all_municipalities() if m.level != "prefecture"]


@lru_cache(maxsize=1)
def base() -> Any:
    return load_rules(include_tests=False, include_questions=False, compile_all=False)


def value(code: str, name: str, as_of: dt.date, **facts: Any) -> Any:
    """A value of the rules for a household of ``facts`` living in ``code``, as the engine computes it."""
    rs = base().ruleset_for(code)
    ctx = Context({**place_facts(code), **{k.replace("__", "."): v for k, v in facts.items()}}, as_of, rs)
    return rs.compiler.value(name, None, ()).fn(ctx)  # type: ignore[arg-type]


def test_every_municipality_has_a_grade_and_a_rent_cap_on_every_date() -> None:
    assert len(MUNICIPALITIES) > 1900
    unresolved = []
    for as_of in DATES:
        for code in MUNICIPALITIES:
            grade = value(code, "welfare.grade", as_of)
            sub = value(code, "welfare.grade_sub", as_of)
            caps = [value(code, "welfare.housing_cap", as_of, household__size=n) for n in (1, 3, 8)]
            if grade not in (1, 2, 3) or sub not in (1, 2) or any(not isinstance(c, int) for c in caps):
                unresolved.append((as_of.isoformat(), code, grade, sub, caps))
    assert unresolved == []


def test_the_rent_cap_grows_with_the_household_and_the_last_column_holds_for_larger_ones() -> None:
    for code in MUNICIPALITIES[::37]:
        caps = [value(code, "welfare.housing_cap", DATES[-1], household__size=n) for n in range(1, 10)]
        assert caps == sorted(caps), code
        assert caps[6] == caps[7] == caps[8], code  # 7 or more people


# Checked by hand: 大阪市 against the sources the project had before the tables (osaka_grade, osaka_housing_cap,
# read 2026-11-29); the others against the 2015 notice's layout (a core city with its prefecture's 1級地 amounts,
# a designated city with its own) and the well-known 1級地-1 of Tokyo's wards.
HAND_CHECKED_GRADES = {
    "27100": (1, 1), "27123": (1, 1),  # 大阪市, 淀川区
    "13104": (1, 1), "13116": (1, 1), "13117": (1, 1),  # 新宿区, 豊島区, 北区
    "11203": (1, 1), "11223": (1, 2),  # 川口市, 蕨市
    "14100": (1, 1), "23100": (1, 1), "28100": (1, 1),  # 横浜市, 名古屋市, 神戸市
    "01101": (1, 2),  # 札幌市中央区, as its city
    "08219": (3, 1),  # 牛久市
}
HAND_CHECKED_CAPS = {  # household sizes 1, 2, 3, 6, 7
    "27123": (40000, 48000, 52000, 56000, 62000),  # 大阪市 (city amounts)
    "11203": (47700, 57000, 62000, 67000, 74400),  # 川口市 = 埼玉県 1級地
    "11223": (47700, 57000, 62000, 67000, 74400),  # 蕨市: 埼玉県 1級地 (no amounts of its own)
    "13104": (53700, 64000, 69800, 75000, 83800),  # 東京都 1級地
    "14101": (52000, 62000, 68000, 73000, 81000),  # 横浜市 (its wards take the city's)
    "08219": (34000, 41000, 44000, 48000, 53000),  # 茨城県 3級地
}


@pytest.mark.parametrize("code", sorted(HAND_CHECKED_GRADES))
def test_hand_checked_grades(code: str) -> None:
    got = (value(code, "welfare.grade", DATES[-1]), value(code, "welfare.grade_sub", DATES[-1]))
    assert got == HAND_CHECKED_GRADES[code]


@pytest.mark.parametrize("code", sorted(HAND_CHECKED_CAPS))
def test_hand_checked_rent_caps(code: str) -> None:
    got = tuple(value(code, "welfare.housing_cap", DATES[-1], household__size=n) for n in (1, 2, 3, 6, 7))
    assert got == HAND_CHECKED_CAPS[code]


def test_winter_months_and_regions() -> None:
    # 北海道 is 地区 I (October to April), 大阪府 地区 VI (November to March).
    assert value("01101", "welfare.winter_region", DATES[-1]) == 1
    assert value("27123", "welfare.winter_region", DATES[-1]) == 6
    for month, winter in [(10, False), (11, True), (3, True), (4, False)]:
        assert value("27123", "welfare.in_winter", dt.date(2026, month, 1)) is winter
    assert value("01101", "welfare.in_winter", dt.date(2026, 4, 15)) is True
    assert value("27123", "welfare.winter_addition", dt.date(2026, 12, 1), household__size=1) == 2630
    # 地区 I amounts were not read: in winter the addition is unknown, never a guess; outside winter, none.
    assert isinstance(value("01101", "welfare.winter_addition", dt.date(2026, 12, 1), household__size=1), Unknown)
    assert value("01101", "welfare.winter_addition", dt.date(2026, 6, 1), household__size=1) == 0


def test_without_a_municipality_the_question_is_where() -> None:
    rs = base().ruleset_for(None)
    ctx = Context({"household.size": 2}, DATES[-1], rs)
    cap = rs.compiler.value("welfare.housing_cap", None, ()).fn(ctx)  # type: ignore[arg-type]
    assert isinstance(cap, Unknown) and cap.facts == frozenset({"municipality"})


# ---------------------------------------------------------------- broken tables


def _rules_with(tmp_path: Path, name: str, text: str) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("tests"))
    (rules / "tables" / name).write_text(text, encoding="utf-8")
    return rules


@pytest.mark.parametrize("text, line, field, message", [
    ("# c\ncode,name,grade,sub\n27100,大阪市,1,x\n", 3, "sub", "'x' is not a whole number"),
    ("code,name,grade\n27100,大阪市,1\n", 1, "(header)", "expected the columns code,name,grade,sub"),
    ("code,name,grade,sub\n27100,大阪市,1,1\n27100,大阪市,1,1\n", 3, "code", "appears twice"),
    ("code,name,grade,sub\n27100,大阪市,1\n", 2, "(row)", "expected 4 cells, found 3"),
])
def test_a_broken_table_names_file_line_and_column(tmp_path: Path, text: str, line: int, field: str,
                                                   message: str) -> None:
    rules = _rules_with(tmp_path, "welfare-grades.csv", text)
    with pytest.raises(RulesInvalid) as exc:
        load_rules(rules, include_tests=False)
    [problem] = exc.value.problems
    assert problem.file.endswith("tables/welfare-grades.csv")
    assert (problem.line, problem.field) == (line, field) and message in problem.message


def test_a_missing_table_file_is_named(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("tests"))
    (rules / "tables" / "welfare-winter-amounts.csv").unlink()
    with pytest.raises(RulesInvalid) as exc:
        load_rules(rules, include_tests=False)
    assert [p.message for p in exc.value.problems] == ["no such table file"]
    assert exc.value.problems[0].file.endswith("welfare-winter-amounts.csv")


def test_a_pick_of_a_column_the_table_lacks_fails_check(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("tests"))
    path = rules / "programmes" / "welfare.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("column: sub}", "column: subb}"), encoding="utf-8")
    with pytest.raises(RulesInvalid) as exc:
        load_rules(rules, include_tests=False)
    assert any("has no column 'subb'" in p.message and p.file.endswith("welfare.yaml") and p.line
               for p in exc.value.problems)
