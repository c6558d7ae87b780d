"""Input checks for letters (helper/validators.py): offline, strict where a wrong value would harm, lenient
about how people type (full-width digits, hyphen look-alikes, 和暦)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helper import validators as v
from helper.letters.wareki import parse_date, to_wareki

# -- postal codes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["532-0023", "5320023", "〒532-0023", "〒５３２－００２３", "532ー0023", " 532‐0023 ",
                                   "532−0023", 5320023])
def test_postal_code_is_normalised(typed: object) -> None:
    assert v.postal_code(typed) == "532-0023"


@pytest.mark.parametrize("typed", ["53-20023", "532-002", "532-00234", "abc-defg", "", "532 0023 1", "５３２"])
def test_postal_code_rejects_other_shapes(typed: str) -> None:
    with pytest.raises(v.FieldError):
        v.postal_code(typed)


# -- phone numbers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [
    ("06-6308-9956", "06-6308-9956"),
    ("０６－６３０８－９９５６", "06-6308-9956"),
    ("(06) 6308-9956", "06-6308-9956"),
    ("09012345678", "090-1234-5678"),
    ("090-1234-5678", "090-1234-5678"),
    ("+81 90 1234 5678", "090-1234-5678"),
    ("+81-6-6308-9956", "06-6308-9956"),
    ("05012345678", "050-1234-5678"),
    ("0120123456", "0120-123-456"),
    ("08001234567", "0800-123-4567"),
    ("0663089956", "0663089956"),  # a landline without hyphens: the area code's length varies
])
def test_phone_numbers_in_japan(typed: str, expected: str) -> None:
    assert v.phone(typed) == expected


@pytest.mark.parametrize("typed", ["090-1234-567", "06-6308-99567", "6308-9956", "+95 9 123 456 789", "090-abcd-5678",
                                   "00-1234-5678", "", "090--1234"])
def test_phone_rejects_wrong_numbers(typed: str) -> None:
    with pytest.raises(v.FieldError):
        v.phone(typed)


# -- dates ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [
    ("2026-11-29", dt.date(2026, 11, 29)),
    ("2026/11/29", dt.date(2026, 11, 29)),
    ("2026年11月29日", dt.date(2026, 11, 29)),
    ("２０２６年１１月２９日", dt.date(2026, 11, 29)),
    ("令和8年11月29日", dt.date(2026, 11, 29)),
    ("令和８年１１月２９日", dt.date(2026, 11, 29)),
    ("令和八年十一月二十九日", dt.date(2026, 11, 29)),
    ("R8.11.29", dt.date(2026, 11, 29)),
    ("r8/11/29", dt.date(2026, 11, 29)),
    ("令和元年5月1日", dt.date(2019, 5, 1)),
    ("令和1年5月1日", dt.date(2019, 5, 1)),
    ("平成31年4月30日", dt.date(2019, 4, 30)),
    ("平成元年1月8日", dt.date(1989, 1, 8)),
    ("昭和64年1月7日", dt.date(1989, 1, 7)),
    ("H2.4.1", dt.date(1990, 4, 1)),
    ("昭和元年12月25日", dt.date(1926, 12, 25)),
    ("大正15年12月24日", dt.date(1926, 12, 24)),
    (dt.date(2000, 2, 29), dt.date(2000, 2, 29)),
])
def test_dates_gregorian_and_wareki(typed: object, expected: dt.date) -> None:
    assert v.date(typed) == expected


@pytest.mark.parametrize("typed", [
    "平成31年5月1日",  # 令和 began on 2019-05-01
    "平成元年1月7日",  # still 昭和64年
    "昭和64年1月8日",  # already 平成
    "昭和元年12月24日",  # still 大正
    "令和0年1月1日",
    "2026-02-30",
    "令和8年13月1日",
    "X8.1.1",
    "tomorrow",
    "",
])
def test_dates_that_do_not_exist(typed: str) -> None:
    with pytest.raises(v.FieldError):
        v.date(typed)


def test_birth_date_cannot_be_in_the_future() -> None:
    with pytest.raises(v.FieldError):
        v.birth_date("2027-01-01", today=dt.date(2026, 11, 29))
    assert v.birth_date("1990-04-01", today=dt.date(2026, 11, 29)) == dt.date(1990, 4, 1)


@pytest.mark.parametrize(("day", "text"), [
    (dt.date(2026, 11, 29), "令和8年11月29日"),
    (dt.date(2019, 5, 1), "令和元年5月1日"),
    (dt.date(2019, 4, 30), "平成31年4月30日"),
    (dt.date(1989, 1, 8), "平成元年1月8日"),
    (dt.date(1989, 1, 7), "昭和64年1月7日"),
    (dt.date(1926, 12, 25), "昭和元年12月25日"),
])
def test_wareki_formatting(day: dt.date, text: str) -> None:
    assert to_wareki(day) == text


@given(st.dates(min_value=dt.date(1912, 7, 30), max_value=dt.date(2100, 12, 31)))
def test_wareki_round_trip(day: dt.date) -> None:
    assert parse_date(to_wareki(day)) == day


# -- residence card numbers (format only, offline) -----------------------------------------------------------


@pytest.mark.parametrize("typed", ["AB12345678CD", "ab12345678cd", "ＡＢ１２３４５６７８ＣＤ", "AB 1234 5678 CD",
                                   "AB-12345678-CD"])
def test_residence_card_number(typed: str) -> None:
    assert v.residence_card_number(typed) == "AB12345678CD"


@pytest.mark.parametrize("typed", ["A12345678CD", "AB1234567CD", "AB12345678C", "1234567890AB", "AB12345678CDE", ""])
def test_residence_card_number_rejects_other_shapes(typed: str) -> None:
    with pytest.raises(v.FieldError):
        v.residence_card_number(typed)


def test_no_immigration_lookup_is_possible() -> None:
    """The card check is a pure function: it imports nothing that talks to a network."""
    import inspect

    source = inspect.getsource(v)
    for word in ("urllib", "requests", "http", "socket", "moj.go.jp", "isa.go.jp"):
        assert word not in source


# -- names and text: scripts, joiners, bidi controls, lengths --------------------------------------------------

from tests.scripts import NAMES  # noqa: E402


@pytest.mark.parametrize("script", sorted(NAMES))
def test_names_in_any_script_are_kept_exactly(script: str) -> None:
    assert v.name(NAMES[script]) == NAMES[script]


def test_joiners_are_kept_between_letters() -> None:
    assert "\u200c" in v.name("مهدی\u200cزاده")
    assert "\u200d" in v.name("ශ්\u200dරී")


def test_stray_joiners_and_invisible_spaces_are_dropped() -> None:
    assert v.name("\u200dAna\u200b Lee\ufeff") == "Ana Lee"
    assert v.name("Ana \u200cLee") == "Ana Lee"


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068",
                                     "\u2069", "\u200e", "\u200f", "\u061c"])
def test_bidi_controls_are_rejected(control: str) -> None:
    with pytest.raises(v.FieldError) as err:
        v.name(f"Ali{control}gnp.exe")
    assert "direction" in err.value.message
    with pytest.raises(v.FieldError):
        v.text(f"大阪市{control}淀川区")


@pytest.mark.parametrize("bad", ["a\x00b", "a\x07b", "a\x1bb", "a\ue000b", "a\U000e0041b", "a\ufff9b"])
def test_control_private_and_tag_characters_are_rejected(bad: str) -> None:
    with pytest.raises(v.FieldError):
        v.text(bad)


def test_newlines_only_where_allowed() -> None:
    with pytest.raises(v.FieldError):
        v.text("line one\nline two")
    assert v.text("line one\r\nline two", multiline=True) == "line one\nline two"
    with pytest.raises(v.FieldError):
        v.text("\n".join("x" * 13), multiline=True, max_lines=12)


def test_nfc_normalisation() -> None:
    decomposed = "Nguye\u0302\u0303n"
    assert v.name(decomposed) == "Nguyễn"


def test_lengths_are_bounded() -> None:
    assert v.name("あ" * 100) == "あ" * 100
    with pytest.raises(v.FieldError) as err:
        v.name("あ" * 101)
    assert err.value.params == {"max": "100"}
    with pytest.raises(v.FieldError):
        v.text("x" * 201)


def test_characters_no_font_can_print_are_rejected() -> None:
    with pytest.raises(v.FieldError) as err:
        v.name("𠮷田")  # 𠮷 (tsuchi-yoshi) is not in IPAex明朝: it would print as an empty box
    assert "U+20BB7" in err.value.text()
    with pytest.raises(v.FieldError):
        v.text("📄 letter")
    assert v.name("吉田") == "吉田"


def test_a_name_needs_letters() -> None:
    with pytest.raises(v.FieldError):
        v.name("12345")
    with pytest.raises(v.FieldError):
        v.name("   ")


def test_katakana_reading() -> None:
    assert v.kana("ヤマダ ハナコ") == "ヤマダ ハナコ"
    assert v.kana("ｸﾞｴﾝ") == "グエン"
    with pytest.raises(v.FieldError):
        v.kana("Yamada")


# -- amounts, flags -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [(20000, 20000), ("20000", 20000), ("20,000", 20000),
                                                 ("２０，０００円", 20000), ("¥20,000", 20000), ("2万", 20000),
                                                 ("2万5000円", 25000), ("0", 0)])
def test_yen(typed: object, expected: int) -> None:
    assert v.yen(typed) == expected


@pytest.mark.parametrize("typed", ["-5", "20.5", "abc", "", True, 10**10])
def test_yen_rejects(typed: object) -> None:
    with pytest.raises(v.FieldError):
        v.yen(typed)


def test_flags() -> None:
    assert v.flag(True) is True
    assert v.flag("yes") is True
    assert v.flag("false") is False
    with pytest.raises(v.FieldError):
        v.flag("maybe")


def test_error_messages_are_msgids_with_parameters() -> None:
    with pytest.raises(v.FieldError) as err:
        v.text("x" * 201)
    assert err.value.message == "is longer than {max} characters"
    assert err.value.text(lambda s: s.replace("is longer than", "dépasse")) == "dépasse 200 characters"
