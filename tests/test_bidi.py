"""Unicode isolates keep Japanese terms, dates, phone numbers and postal codes in order in Arabic text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from helper.bidi import FSI, PDI, balance, for_language, isolate, isolate_runs, strip


def runs(text: str) -> list[str]:
    """The isolated runs of a text, in order."""
    out, depth, current = [], 0, ""
    for ch in text:
        if ch == FSI:
            depth += 1
            if depth == 1:
                current = ""
                continue
        elif ch == PDI:
            depth -= 1
            if depth == 0:
                out.append(current)
                continue
        if depth:
            current += ch
    return out


def test_isolate_wraps_once() -> None:
    assert isolate("淀川区") == f"{FSI}淀川区{PDI}"
    assert isolate(isolate("淀川区")) == f"{FSI}淀川区{PDI}"
    assert isolate("") == ""


def test_japanese_terms_dates_phones_and_postal_codes_are_isolated() -> None:
    text = "اذهب إلى 淀川区保健福祉センター في 〒532-8501 واتصل بالرقم 06-6308-9833 قبل 2026-12-04."
    assert runs(isolate_runs(text)) == ["淀川区保健福祉センター", "〒532-8501", "06-6308-9833", "2026-12-04"]
    assert strip(isolate_runs(text)) == text


def test_a_japanese_address_with_its_numbers_is_one_run() -> None:
    assert runs(isolate_runs("العنوان: 東三国4-9-13 (RAFIQ)")) == ["東三国4-9-13"]
    assert runs(isolate_runs("يوم 2026年12月4日 أو 令和8年12月4日")) == ["2026年12月4日", "令和8年12月4日"]
    # Two terms joined by a space stay one run; the Arabic after them is not taken in.
    assert runs(isolate_runs("مكتب 淀川区役所 保険年金担当 هنا")) == ["淀川区役所 保険年金担当"]


def test_brackets_around_a_japanese_term_stay_a_pair() -> None:
    # inside the isolate, the closing bracket would not be mirrored with its opening one outside it
    assert isolate_runs("التظلم (審査請求) ممكن") == f"التظلم ({FSI}審査請求{PDI}) ممكن"
    assert isolate_runs("(العلاقة: 支援者)") == f"(العلاقة: {FSI}支援者{PDI})"
    assert runs(isolate_runs("العنوان: 大阪市（淀川区） هنا")) == ["大阪市（淀川区）"]  # a pair inside stays inside


def test_a_latin_word_written_on_to_a_japanese_term_is_part_of_it() -> None:
    assert runs(isolate_runs("منظمة NPO法人 共生サポート大阪 هنا")) == ["NPO法人 共生サポート大阪"]
    assert runs(isolate_runs("رقم AB12345678CD فقط")) == []  # no Japanese: left alone


def test_plain_numbers_and_latin_text_are_left_alone() -> None:
    text = "عمرك 34 سنة و NHI"
    assert isolate_runs(text) == text


def test_left_to_right_languages_are_unchanged() -> None:
    text = "Go to 淀川区役所 at 06-6308-9833."
    assert for_language(text, rtl=False) == text
    assert runs(for_language(text, rtl=True)) == ["淀川区役所", "06-6308-9833"]


@given(st.text(alphabet="اب 淀川区センター0123-/〒.\u2068\u2069", max_size=40))
def test_idempotent_and_invisible(text: str) -> None:
    once = isolate_runs(text)
    assert isolate_runs(once) == once
    assert strip(once) == strip(text)


def test_balance_closes_an_isolate_at_a_line_break_and_opens_it_again() -> None:
    text = isolate_runs("الهاتف: +81 6 6308 9833 أو البريد")
    assert runs(text) == ["+81 6 6308 9833"]
    cut = text.index("6308")
    lines = balance([text[:cut], text[cut:]])
    assert lines == [text[:cut] + PDI, FSI + text[cut:]]
    assert [runs(line) for line in lines] == [["+81 6 "], ["6308 9833"]]
    assert strip("".join(lines)) == strip(text)


@given(st.text(alphabet="ab 12-〒大阪" + FSI + PDI, max_size=40), st.lists(st.integers(0, 40), max_size=4))
def test_balanced_lines_each_close_what_they_open(text: str, cuts: list[int]) -> None:
    text = isolate_runs(strip(text))
    points = sorted({min(c, len(text)) for c in cuts})
    pieces = [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]
    for line in balance(pieces):
        depth = 0
        for ch in line:
            depth += ch == FSI
            depth -= ch == PDI
            assert depth >= 0, line
        assert depth == 0, line
    assert strip("".join(balance(pieces))) == strip(text)
