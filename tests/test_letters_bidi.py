"""Right-to-left text and joiners in the letter PDFs (issue 8, item 10), checked glyph by glyph.

Each test reads the glyphs a page draws, line by line from left to right (``tests/pdfglyphs.py``), and
compares them with HarfBuzz's shaping of the same text written out in visual order here, by hand: the
order of the digit groups of a phone number, the joining forms of Arabic letters, the conjunct glyphs of
Sinhala. A set of words, or the text a PDF reader extracts, would pass with the groups swapped or the
conjuncts broken.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from helper import letters
from helper.letters import fonts as F
from tests.pdfglyphs import PageLine, describe, find_line, page_lines, visual
from tests.test_letters import TODAY, yodogawa

RTL, LTR = "rtl", "ltr"
ARABIC_FONTS = ("arabic", "serif", "mincho")  # a right-to-left line's font, then its fallbacks in order
JA = "mincho"

# Real words, a few per language (a catalogue does the same in the app).
ARABIC = {
    "Name": "الاسم",
    "Phone": "الهاتف",
    "Date: {date}": "التاريخ: {date}",
    "Address (or where I stay)": "العنوان",
    "Number on your health insurance card or certificate": "رقم التأمين",
    "Symbol and number of the health insurance card (or certificate)": "رقم التأمين",  # its label on paper
    "Written by": "كاتب الرسالة",
    "{supporter.name} (relationship: {writer_relation})⟦, {supporter.organisation}⟧⟦, phone {supporter.phone}⟧":
        "{supporter.name} (العلاقة: {writer_relation})⟦، {supporter.organisation}⟧⟦، الهاتف {supporter.phone}⟧",
    "Translation for your understanding only. Do not hand in this page: hand in the Japanese letter.":
        "ترجمة لفهمك فقط. لا تسلّم هذه الصفحة: سلّم الرسالة اليابانية.",
}
PERSIAN = {
    "Name": "نام",
    "Phone": "تلفن",
    "Date: {date}": "تاریخ: {date}",
    "Number on your health insurance card or certificate": "شماره بیمه",
    "Symbol and number of the health insurance card (or certificate)": "شماره بیمه",  # its label on paper
}
SINHALA = {
    "Name": "නම",
    "Sex": "ස්ත්\u200dරී/පුරුෂ භාවය",
    "female": "ස්ත්\u200dරී",
}
SINHALA_NAME = "ශ්\u200dරී ලක්\u200dෂ්මී"  # Sri Lakshmi: the conjuncts ශ්‍ර and ක්‍ෂ, both made with ZWJ


def table(entries: dict[str, str]) -> Any:
    return lambda msgid: entries.get(msgid, msgid)


def lines_of(data: bytes) -> list[PageLine]:
    """Every line of every page (the lines looked for are each on one page only)."""
    from pypdf import PdfReader

    return [ln for p in range(len(PdfReader(io.BytesIO(data)).pages)) for ln in page_lines(data, p)]


def assert_line(lines: list[PageLine], *runs: tuple[str, Any, str]) -> None:
    found = find_line(lines, visual(*runs))
    if found is None:
        pytest.fail(f"no line draws {runs!r}; the pages have:\n{describe(lines)}", pytrace=False)


def welfare(rules: Any, lang: str, entries: dict[str, str], **changes: Any) -> list[PageLine]:
    letter = letters.build_letter("welfare_application", yodogawa(**changes), rules=rules, today=TODAY)
    data = letters.render_pdf(letter, lang, table(entries))
    return lines_of(data)


# -- numbers in right-to-left translations ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def arabic_welfare(rules: Any) -> list[PageLine]:
    return welfare(rules, "ar", ARABIC)


def test_an_arabic_translation_keeps_a_phone_number_in_order(arabic_welfare: list[PageLine]) -> None:
    # without isolates the bidi algorithm shows 5678-1234-090 (digit groups after Arabic letters are
    # "Arabic numbers", which a hyphen does not join)
    assert_line(arabic_welfare, ("090-1234-5678", ARABIC_FONTS, LTR), ("الهاتف: ", ARABIC_FONTS, RTL))


def test_an_arabic_translation_keeps_a_date_in_order(arabic_welfare: list[PageLine]) -> None:
    assert_line(arabic_welfare, ("2026-11-29", ARABIC_FONTS, LTR), ("التاريخ: ", ARABIC_FONTS, RTL))


def test_an_arabic_translation_keeps_postal_code_and_japanese_address_in_order(
        arabic_welfare: list[PageLine]) -> None:
    # read from the right: the label, the postal code, then the address, each left to right inside
    assert_line(arabic_welfare, ("大阪市淀川区十三東1-2-3 ハイツ十三201号", ARABIC_FONTS, LTR),
                (" ", ARABIC_FONTS, RTL), ("532-0023", ARABIC_FONTS, LTR), ("العنوان: ", ARABIC_FONTS, RTL))


def test_brackets_and_an_organisation_name_around_japanese_terms(rules: Any) -> None:
    # read from the right: the writer's name, (relationship: 支援者) with its brackets as a pair, then the
    # organisation with its Latin prefix (NPO法人) in one piece
    lines = welfare(rules, "ar", ARABIC, supporter__phone=None)
    assert_line(lines, ("NPO法人 共生サポート大阪", ARABIC_FONTS, LTR), (")، ", ARABIC_FONTS, RTL),
                ("支援者", ARABIC_FONTS, LTR), (" (العلاقة: ", ARABIC_FONTS, RTL), ("山田 花子", ARABIC_FONTS, LTR),
                ("كاتب الرسالة: ", ARABIC_FONTS, RTL))


@pytest.mark.parametrize(("lang", "entries", "label"), [("ar", ARABIC, "رقم التأمين: "),
                                                        ("fa", PERSIAN, "شماره بیمه: ")])
def test_an_insurance_number_stays_in_order(lang: str, entries: dict[str, str], label: str, rules: Any) -> None:
    letter = letters.build_letter("nhi_instalment", yodogawa(letter__nhi_number="12-345678"), rules=rules,
                                  today=TODAY)
    data = letters.render_pdf(letter, lang, table(entries))
    assert_line(lines_of(data), ("12-345678", ARABIC_FONTS, LTR), (label, ARABIC_FONTS, RTL))


def test_a_persian_translation_keeps_phone_and_date_in_order(rules: Any) -> None:
    lines = welfare(rules, "fa", PERSIAN)
    assert_line(lines, ("090-1234-5678", ARABIC_FONTS, LTR), ("تلفن: ", ARABIC_FONTS, RTL))
    assert_line(lines, ("2026-11-29", ARABIC_FONTS, LTR), ("تاریخ: ", ARABIC_FONTS, RTL))


def test_arabic_letters_join_across_a_shadda(arabic_welfare: list[PageLine]) -> None:
    # تسلّم: the shadda is a combining mark; shaped apart from its letters, ل and م lose their joining
    notice = "Translation for your understanding only. Do not hand in this page: hand in the Japanese letter."
    assert_line(arabic_welfare, (ARABIC[notice], ARABIC_FONTS, RTL))


# -- a Persian name with ZWNJ ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["محمد\u200cرضا", "علی محمد\u200cرضا", "مهدی\u200cزاده"])
def test_a_persian_name_with_zwnj_keeps_its_word_order_on_the_japanese_page(name: str, rules: Any) -> None:
    letter = letters.build_letter("nhi_instalment", yodogawa(applicant__name=name), rules=rules, today=TODAY)
    data = letters.render_pdf(letter, "ja")
    # the name reads right to left as one piece (محمد on the right), after the Japanese label
    assert_line(page_lines(data, 0), ("氏名", JA, LTR), (name, "arabic", RTL))


def test_a_persian_name_with_zwnj_on_the_persian_page(rules: Any) -> None:
    lines = welfare(rules, "fa", PERSIAN, applicant__name="محمد\u200cرضا")
    assert_line(lines, ("نام: محمد\u200cرضا", ARABIC_FONTS, RTL))


# -- Sinhala conjuncts -----------------------------------------------------------------------------------------


def test_sinhala_conjuncts_form_on_the_translation_page(rules: Any) -> None:
    lines = welfare(rules, "si", SINHALA, applicant__name=SINHALA_NAME)
    assert_line(lines, ("නම", "sinhala", LTR), (": ", "serif", LTR), (SINHALA_NAME, "sinhala", LTR))
    assert_line(lines, ("ස්ත්\u200dරී", "sinhala", LTR), ("/", "serif", LTR), ("පුරුෂ භාවය", "sinhala", LTR),
                (": ", "serif", LTR), ("ස්ත්\u200dරී", "sinhala", LTR))


def test_sinhala_conjuncts_form_on_the_japanese_page(rules: Any) -> None:
    letter = letters.build_letter("nhi_instalment", yodogawa(applicant__name=SINHALA_NAME), rules=rules,
                                  today=TODAY)
    assert_line(page_lines(letters.render_pdf(letter, "ja"), 0), ("氏名", JA, LTR), (SINHALA_NAME, "sinhala", LTR))


def test_the_glyph_check_sees_a_broken_conjunct() -> None:
    """The comparison itself: ශ්‍රී shaped whole (a conjunct) is not the same glyphs as its pieces shaped apart."""
    whole = visual(("ශ්\u200dරී", "sinhala", LTR))
    apart = visual(("ශ්", "sinhala", LTR), ("\u200d", "sinhala", LTR), ("රී", "sinhala", LTR))
    assert whole != apart
    assert visual(("090-1234-5678", ARABIC_FONTS, LTR)) != visual(("5678-1234-090", ARABIC_FONTS, LTR))


def contains(glyphs: list[Any], part: list[Any]) -> bool:
    return any(glyphs[i:i + len(part)] == part for i in range(len(glyphs) - len(part) + 1))


def test_a_number_cut_by_a_line_break_keeps_its_order_on_both_lines(rules: Any) -> None:
    """The isolate around 06 6308 9833 is closed at the line break and opened again on the next line: there,
    without it, 6308 and 9833 (digits after the paragraph's start, a space between them) would be swapped."""
    from helper import bidi
    from helper.letters import pdf as P

    msgid = "I apply for the start of protection under the Public Assistance Act."
    layout = P._PDF()
    for key in ("mincho", "serif", "arabic"):
        P._add_font(layout, key, str(F.path(F.BY_KEY[key])))
    layout.set_base("serif")
    layout.direction = RTL
    for n in range(1, 40):  # as many words before the number as put the line break right after "06"
        text = "اتصلوا بنا " * n + "على الرقم 06 6308 9833 في أي وقت."
        cut = [bidi.strip(ln.text) for ln in P._rtl_aware(layout, text, 0, "serif", "R", True, 0)]
        if any(t.rstrip().endswith("06") for t in cut):
            break
    else:
        pytest.fail("no number of words puts the line break inside the number")
    assert any(t.lstrip().startswith("6308 9833") for t in cut), cut
    letter = letters.build_letter("welfare_application", yodogawa(), rules=rules, today=TODAY)
    lines = lines_of(letters.render_pdf(letter, "ar", table({msgid: text})))
    second = visual(("6308 9833", ARABIC_FONTS, LTR))
    swapped = visual(("9833 6308", ARABIC_FONTS, LTR))
    assert any(contains(ln.key, second) for ln in lines), describe(lines)
    assert not any(contains(ln.key, swapped) for ln in lines), describe(lines)
