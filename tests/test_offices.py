"""Counters named from the municipality where no layer names them: the office (市役所・区役所・町村役場) from
Japan Post's data, with its address; a layer's own counter always wins."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pytest

from helper.answers import parse_answers
from helper.engine import evaluate
from helper.i18n import translator
from helper.offices import office_of
from helper.present import present
from helper.result import Contact
from helper.rules.loader import load_rules


@lru_cache(maxsize=1)
def rules() -> Any:
    return load_rules(include_tests=False, include_questions=False, compile_all=False)


@pytest.mark.parametrize("code, name, postal_code, address_start", [
    ("11203", "川口市役所", "332-8601", "埼玉県川口市青木"),
    ("08219", "牛久市役所", "300-1292", "茨城県牛久市中央"),
    ("01101", "札幌市中央区役所", "060-8612", "北海道札幌市中央区"),  # the ward's office, not the city hall
    ("28110", "神戸市中央区役所", "651-8570", "兵庫県神戸市中央区"),
    ("01337", "七飯町役場", "041-1192", "北海道亀田郡七飯町"),  # a town in a 郡
])
def test_the_office_of_a_municipality(code: str, name: str, postal_code: str, address_start: str) -> None:
    office = office_of(code)
    assert office is not None
    assert (office.name, office.postal_code) == (name, postal_code)
    assert office.address.startswith(address_start)


def test_a_post_office_box_is_not_given_as_the_address() -> None:
    office = office_of("22138")  # 浜松市役所・中央区役所, listed with 私書箱
    assert office is not None and "私書箱" not in office.address


def test_no_office_for_a_prefecture_or_an_unknown_code() -> None:
    assert office_of("27000") is None and office_of("99999") is None


def _welfare_counter(code: str, lang: str = "en") -> tuple[Contact, Any]:
    answers = parse_answers(f"""version: 1
as_of: 2026-12-04
municipality: "{code}"
person: {{age: 38, residence_status: long_term_resident, refugee_procedure: none}}
household: {{size: 1, monthly_income: 0, savings: 0, housing: renting, monthly_rent: 40000}}
""")
    result = evaluate(answers, rules())
    welfare = result.programme("welfare")
    assert welfare is not None
    contact = next(s.contact for s in welfare.next_steps if s.contact and s.contact.id == "welfare_office")
    return contact, present(result, rules(), lang, translator(lang))


def test_a_municipality_without_a_layer_gets_its_own_office_named_with_its_address() -> None:
    contact, shown = _welfare_counter("40216")  # 福岡県小郡市: no layer
    assert contact.name_ja and contact.name_ja.startswith("小郡市役所")
    assert (contact.postal_code, contact.address) == ("838-0198", "福岡県小郡市小郡255-1")
    assert "https://www.post.japanpost.jp/zipcode/dl/jigyosyo/index-zip.html" in contact.sources
    names = [s.contact["name"] for card in shown for steps in card.steps.values() for s in steps
             if s.contact and (s.contact.get("name_ja") or "").startswith("小郡市役所")]
    assert names and all("{" not in n and "福岡県小郡市" in n for n in names)


def test_a_layers_own_counter_is_kept() -> None:
    contact, _ = _welfare_counter("27123")  # 淀川区 has its own, with the ward centre's section
    assert contact.name_ja and contact.name_ja.startswith("淀川区保健福祉センター")
    assert contact.address == "大阪市淀川区十三東2-3-3"


def _review_board(code: str) -> Contact:
    """The NHI review board that the appeal step names for a single worker living in ``code``."""
    answers = parse_answers(f"""version: 1
as_of: 2026-12-04
municipality: "{code}"
person: {{age: 40, residence_status: long_term_resident, refugee_procedure: none}}
household: {{size: 1, monthly_income: 100000, savings: 0, housing: renting, monthly_rent: 50000}}
""")
    nhi = evaluate(answers, rules()).programme("nhi")
    assert nhi is not None
    contact = next(s.contact for s in nhi.next_steps if s.id == "nhi.review_request")
    assert contact is not None
    return contact


def test_a_prefectures_counter_is_named_from_the_prefecture_with_its_government_office() -> None:
    board = _review_board("13117")
    assert board.name_ja == "東京都国民健康保険審査会（東京都庁内）"  # the prefecture's, though 北区 has a layer
    assert (board.postal_code, board.address) == ("163-8001", "東京都新宿区西新宿2丁目8-1")
    assert board.name_params == {"place": "東京都", "office": "東京都庁"}


def test_without_an_office_in_the_data_the_counter_is_named_but_no_address_is_invented() -> None:
    board = _review_board("11223")
    assert board.name_ja == "埼玉県国民健康保険審査会（埼玉県庁内）"  # Japan Post lists no 埼玉県庁
    assert board.address is None and board.postal_code is None


def test_where_no_layer_names_the_housing_office_the_prefectures_is_named() -> None:
    answers = parse_answers("""version: 1
as_of: 2026-12-04
municipality: "40216"
person: {age: 40, residence_status: permanent_resident, refugee_procedure: none}
household: {size: 3, member_ages: [38, 10], monthly_income: 150000, savings: 0, housing: renting, monthly_rent: 50000}
""")
    housing = evaluate(answers, rules()).programme("public_housing")
    assert housing is not None
    office = next(s.contact for s in housing.next_steps if s.contact and s.contact.id == "public_housing_office")
    assert office.name_ja == "福岡県営住宅の担当（福岡県庁）"
    assert office.address and office.address.startswith("福岡県福岡市博多区")
