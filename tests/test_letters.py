"""Request letters (issue 4): content, disclosure, PDF and DOCX output, scripts, hostile input, line breaking."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import subprocess
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from helper import letters
from helper.answers import Answers
from helper.letters import templates as tpl
from helper.letters.linebreak import NO_LINE_END, NO_LINE_START, atoms, wrap
from helper.letters.pdf import LetterTooLong
from tests.conftest import ROOT
from tests.layers import cli

AS_OF = dt.date(2026, 11, 29)
TODAY = dt.date(2026, 11, 29)


def yodogawa(**changes: Any) -> dict[str, Any]:
    """A 永住者 in 淀川区 who lost her job, with a supporter who writes the letter."""
    data: dict[str, Any] = {
        "version": 1,
        "as_of": AS_OF,
        "municipality": "27123",
        "person": {"age": 34, "residence_status": "permanent_resident", "refugee_procedure": "none"},
        "household": {"size": 1, "monthly_income": 0, "savings": 20000, "monthly_rent": 35000, "housing": "renting"},
        "needs": {"urgent": True, "medical_care": False},
        "applicant": {
            "name": "ဒေါ်အေးအေးမောင်", "name_kana": "エー エー マウン", "birth_date": dt.date(1992, 4, 1),
            "sex": "female", "nationality": "ミャンマー", "postal_code": "532-0023",
            "address": "大阪市淀川区十三東1-2-3 ハイツ十三201号", "phone": "090-1234-5678",
            "residence_card_number": "AB12345678CD",
        },
        "supporter": {"name": "山田 花子", "organisation": "NPO法人 共生サポート大阪", "phone": "06-6308-1234",
                      "relation": "支援者"},
        "letter": {
            "reasons": ["job_loss", "savings_exhausted"], "cash": 5000, "deposits": 15000, "work": "job_seeking",
            "relatives": "abroad", "relatives_no_contact_years": 5, "receives_other_benefits": False,
            "no_income": True,
            "no_family_inquiry": True, "no_home_state_contact": True, "interpreter_language": "my",
            "supporter_accompanies": True, "attachments": ["bankbook", "separation_notice"],
            "nhi_number": "大阪 12-345678", "fiscal_year": 2026,
            "living_costs": "支援団体からの食料支援と知人からの援助",
            "reduction_reason": "income_loss", "event_date": dt.date(2026, 9, 30),
            "circumstances": "2026年9月に勤務先の閉鎖により失業し、収入がなくなりました。現在、求職中です。",
            "previous_income": 1800000, "expected_income": 600000, "arrears": 84000, "instalment": 3000,
            "request_reduction_review": True, "housing_operator": "city", "housing_name": "市営十三住宅",
            "guarantor_reason": "no_relatives",
            "decision": "premium", "decision_date": dt.date(2026, 10, 1), "decision_known_date": dt.date(2026, 10, 5),
            "appeal_grounds": "前年の所得を誤って算定しています。前年は無収入でした。",
            "copayment_measure": "reduction_or_exemption",
            "refusal_date": dt.date(2026, 11, 27), "refusal_kind": "consultation_only", "application_enclosed": True,
        },
    }
    for path, value in changes.items():
        cur = data
        parts = path.split("__")
        for part in parts[:-1]:
            cur = cur.setdefault(part, {})
        if value is None:
            cur.pop(parts[-1], None)
        else:
            cur[parts[-1]] = value
    return data


# what a kind needs beyond the shared answers (the 一部負担金 letter is about medical care)
KIND_CHANGES: dict[str, dict[str, Any]] = {"nhi_copayment_reduction": {"needs__medical_care": True}}


def answers_for(kind: str, **changes: Any) -> dict[str, Any]:
    return yodogawa(**{**KIND_CHANGES.get(kind, {}), **changes})


@pytest.fixture(scope="module")
def welfare(rules: Any) -> letters.Letter:
    return letters.build_letter("welfare_application", yodogawa(), rules=rules, today=TODAY)


def pdf_text(data: bytes, pages: slice | None = None) -> str:
    """The text of the PDF. fpdf2 gives all the characters of a shaped cluster (e.g. Burmese ေါ်) to its first
    glyph; the renderer maps the cluster's other glyphs to U+200B, which is dropped here (it is never part
    of a value: the validators strip it from input)."""
    reader = PdfReader(io.BytesIO(data))
    chosen = reader.pages[pages] if pages is not None else reader.pages
    text = "\n".join(page.extract_text() for page in chosen)
    text = re.sub(r"(?m)^\s*\d+/\d+\s*$", "", text)  # page numbers, which split a paragraph across pages
    return text.replace("\u200b", "")


def squash(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", s))


# Real sentences (not machine noise) for the translation tests; a gettext catalogue does the same in the app.
BURMESE = {
    "Translation for your understanding only. Do not hand in this page: hand in the Japanese letter.":
        "ဤဘာသာပြန်သည် နားလည်ရန်အတွက်သာ ဖြစ်သည်။ ဤစာမျက်နှာကို မတင်ပြပါနှင့်။ ဂျပန်ဘာသာစာကိုသာ တင်ပြပါ။",
    "Application to start public assistance (seikatsu hogo)":
        "လူမှုဖူလုံရေး ထောက်ပံ့ကြေး (seikatsu hogo) စတင်ရန် လျှောက်လွှာ",
    "I apply for the start of protection under the Public Assistance Act.":
        "ပြည်သူ့ထောက်ပံ့ရေးဥပဒေအရ အကာအကွယ် စတင်ပေးရန် ကျွန်ုပ် လျှောက်ထားပါသည်။",
    "Name": "အမည်",
    "Date of birth": "မွေးနေ့",
    "Nationality": "နိုင်ငံသား",
    "female": "အမျိုးသမီး",
    "Permanent Resident": "အမြဲတမ်းနေထိုင်ခွင့်ရသူ",
    "Please notify me of the decision in writing, with reasons, within 14 days of the date of application.":
        "လျှောက်ထားသည့်နေ့မှ ၁၄ ရက်အတွင်း ဆုံးဖြတ်ချက်ကို အကြောင်းပြချက်နှင့်တကွ စာဖြင့် အကြောင်းကြားပေးပါ။",
    "Income: the household's income is {household.monthly_income} a month. ⟦{letter.income_detail}⟧":
        "ဝင်ငွေ - အိမ်ထောင်စု၏ လစဉ်ဝင်ငွေမှာ {household.monthly_income} ဖြစ်သည်။ ⟦{letter.income_detail}⟧",
    "Make two copies of this application. Hand one in at the counter and ask the staff to stamp the other (your "
    "copy) with the date of receipt (uketsuke-in). Keep it.":
        "ဤလျှောက်လွှာကို မိတ္တူ နှစ်စောင် လုပ်ပါ။ တစ်စောင်ကို ကောင်တာတွင် တင်ပြပြီး ကျန်တစ်စောင်ပေါ်တွင် လက်ခံရရှိကြောင်း "
        "တံဆိပ်တုံး ရိုက်ခိုင်းပါ။ ၎င်းကို သိမ်းထားပါ။",
}
ARABIC = {
    "Translation for your understanding only. Do not hand in this page: hand in the Japanese letter.":
        "هذه الترجمة لفهم المحتوى فقط. لا تقدّم هذه الصفحة، بل قدّم الرسالة المكتوبة باليابانية.",
    "Application to start public assistance (seikatsu hogo)": "طلب بدء المساعدة العامة (سيكاتسو هوغو)",
    "I apply for the start of protection under the Public Assistance Act.":
        "أتقدّم بطلب بدء الحماية بموجب قانون المساعدة العامة.",
    "Name": "الاسم",
    "Date of birth": "تاريخ الميلاد",
    "Nationality": "الجنسية",
    "female": "أنثى",
    "Permanent Resident": "مقيم دائم",
    "Please notify me of the decision in writing, with reasons, within 14 days of the date of application.":
        "يرجى إخطاري بالقرار كتابةً مع ذكر الأسباب خلال أربعة عشر يومًا من تاريخ تقديم الطلب.",
    "Income: the household's income is {household.monthly_income} a month. ⟦{letter.income_detail}⟧":
        "الدخل: دخل الأسرة الشهري {household.monthly_income}. ⟦{letter.income_detail}⟧",
}


def translator(table: dict[str, str]):
    return lambda msgid: table.get(msgid, msgid)


def arabic_words(s: str) -> list[str]:
    return [w for w in re.split(r"[^\u0600-\u06ff\u200c]+", s) if re.search(r"[\u0600-\u06ff]", w)]


# -- the welfare application: every item the law and the 1954 notice require -----------------------------------


def test_welfare_application_states_every_required_item(welfare: letters.Letter) -> None:
    text = welfare.japanese_text
    required = [
        "生活保護開始申請書",
        "令和8年11月29日",  # the application date, in 和暦
        "大阪市淀川区保健福祉センター所長　様",
        "私は、生活保護法による保護の開始を申請します。",
        "氏名　ဒေါ်အေးအေးမောင်",  # 24条1項1号: name (the applicant is the person in need)
        "保護を必要とする者（申請者本人）",
        "住所（居所）　〒532-0023　大阪市淀川区十三東1-2-3 ハイツ十三201号",  # and 住所 or 居所
        "生年月日　平成4年4月1日（34歳）",  # 施行規則1条: date of birth
        "性別　女",  # and sex
        "国籍　ミャンマー",  # 1954 notice: nationality
        "在留資格　永住者",  # residence card items
        "在留期間　無期限",
        "在留カード番号　AB12345678CD",
        "世帯員",
        "申請者のみの単身世帯です。",
        "保護を受けようとする理由",  # 3号
        "失業により収入がなくなりました。",
        "資産及び収入の状況",  # 4号
        "現金 5,000円、預貯金 15,000円（合計 20,000円）",
        "世帯の収入は月額0円です。",
        "就労・求職の状況　求職活動をしていますが、まだ就職できていません。",  # work or job seeking
        "扶養の状況　扶養義務者は国外に居住しており、援助は期待できません。5年以上連絡がありません。",  # relatives
        "他の法律・制度による給付　年金・手当等の給付は受けていません。",  # other benefits
        "家賃 月額35,000円",
        "急迫の事情",
        "申請日から14日以内に、理由を付した書面で決定を通知してください。",
        "扶養照会は行わないよう求めます。",
        "本国政府・在日公館等への照会や連絡は、本人の安全に関わるため行わないでください。",
        "面接にはビルマ語（ミャンマー語）の通訳の同席を希望します。",
        "代筆者　山田 花子（関係：支援者）　NPO法人 共生サポート大阪　電話 06-6308-1234",
        "添付書類",
        "(1) 在留カードの写し（原本は窓口で提示します）　(2) 預貯金通帳の写し　(3) 離職票の写し",
        "以上",
    ]
    for item in required:
        assert item in text, item
    assert text.rstrip().endswith("以上")
    assert text.index("私は、生活保護法による保護の開始を申請します。") < text.index("記")


def test_welfare_pdf_text_contains_every_required_field(welfare: letters.Letter) -> None:
    data = letters.render_pdf(welfare, "ja")
    assert data.startswith(b"%PDF-")
    text = squash(pdf_text(data))
    for p in welfare.paragraphs:
        if p.ja_line:
            assert squash(p.ja_line) in text, p.ja_line
    assert len(PdfReader(io.BytesIO(data)).pages) <= 2 + 1  # letter (at most 2) + guidance


def test_optional_clauses_only_when_asked(rules: Any) -> None:
    plain = letters.build_letter("welfare_application", yodogawa(
        letter__no_family_inquiry=None, letter__no_home_state_contact=None, letter__interpreter_language=None,
        letter__supporter_accompanies=None, needs__urgent=False, letter__written_decision=False, supporter=None),
        rules=rules, today=TODAY)
    text = plain.japanese_text
    for clause in ("扶養照会は行わない", "本国政府", "通訳", "同行", "急迫", "14日以内", "代筆者", "要望事項"):
        assert clause not in text, clause
    assert "以上" in text


def test_urgent_medical_clause_asks_for_a_medical_ticket(rules: Any) -> None:
    letter = letters.build_letter("welfare_application", yodogawa(needs__medical_care=True), rules=rules, today=TODAY)
    assert "速やかな保護の実施と医療券の発行を求めます。" in letter.japanese_text


def test_household_members_each_with_nationality_and_status(rules: Any) -> None:
    members = [
        {"name": "Mohammed Ali", "relation": "spouse", "birth_date": dt.date(1988, 1, 7), "sex": "male",
         "nationality": "スーダン", "residence_status": "long_term_resident", "residence_expiry": dt.date(2027, 3, 31)},
        {"name": "山田 太郎", "relation": "child", "birth_date": dt.date(2019, 5, 1), "sex": "male",
         "nationality": "日本"},
    ]
    letter = letters.build_letter("welfare_application", yodogawa(household__size=3, letter__members=members),
                                  rules=rules, today=TODAY)
    text = letter.japanese_text
    assert ("(1) Mohammed Ali（配偶者）　昭和63年1月7日生（38歳）　男　国籍：スーダン　"
            "在留資格：定住者（令和9年3月31日まで）") in text
    assert "(2) 山田 太郎（子）　令和元年5月1日生（7歳）　男　国籍：日本" in text
    assert "単身世帯" not in text


def test_a_member_who_is_a_japanese_national_shows_no_status_or_card(rules: Any) -> None:
    """An answers file may still carry a status for a member who is Japanese: never printed, no card to copy."""
    members = [{"name": "佐藤 恵", "relation": "spouse", "birth_date": dt.date(1990, 2, 3), "sex": "female",
                "nationality": "日本", "residence_status": "permanent_resident"}]
    letter = letters.build_letter("welfare_application", yodogawa(household__size=2, letter__members=members),
                                  rules=rules, today=TODAY)
    line = next(p.ja_line for p in letter.paragraphs if "佐藤 恵" in p.ja_line)
    assert line.endswith("国籍：日本") and "在留資格" not in line
    assert "世帯員(1)" not in letter.japanese_text
    assert "在留カードの写し" in letter.japanese_text  # the applicant's own card is still attached


def test_members_must_match_the_household_size(rules: Any) -> None:
    with pytest.raises(letters.MissingFacts) as err:
        letters.build_letter("welfare_application", yodogawa(household__size=2), rules=rules, today=TODAY)
    assert "letter.members" in err.value.fields
    member = {"name": "A B", "relation": "child", "birth_date": dt.date(2015, 1, 1), "sex": "female",
              "nationality": "ミャンマー"}
    with pytest.raises(letters.MissingFacts) as err:  # a foreign member needs a status
        letters.build_letter("welfare_application", yodogawa(household__size=2, letter__members=[member]),
                             rules=rules, today=TODAY)
    assert err.value.fields == ["letter.members.0.residence_status"]
    with pytest.raises(letters.LetterInputError) as bad:
        letters.build_letter("welfare_application", yodogawa(household__size=3, letter__members=[
            {**member, "residence_status": "dependent"}]), rules=rules, today=TODAY)
    assert bad.value.field == "letter.members"


def test_missing_facts_are_all_named(rules: Any) -> None:
    with pytest.raises(letters.MissingFacts) as err:
        letters.build_letter("welfare_application", {"version": 1, "municipality": "27123",
                                                     "person": {"residence_status": "designated_activities"}},
                             rules=rules, today=TODAY)
    for field in ("applicant.name", "applicant.address", "applicant.birth_date", "applicant.sex",
                  "applicant.nationality", "household.monthly_income", "household.savings", "letter.reasons",
                  "letter.work", "letter.relatives", "letter.receives_other_benefits", "household.housing",
                  "applicant.residence_expiry", "applicant.residence_card_number"):
        assert field in err.value.fields, field


def test_statuses_without_a_card(rules: Any) -> None:
    letter = letters.build_letter("welfare_application", yodogawa(
        person__residence_status="provisional_release", applicant__residence_card_number=None,
        applicant__residence_expiry=dt.date(2027, 1, 31)), rules=rules, today=TODAY)
    text = letter.japanese_text
    assert "在留資格　なし（仮放免中）" in text
    assert "在留カード番号" not in text
    assert "(1) 仮放免許可書の写し（原本は窓口で提示します）" in text
    assert any("probably refuse" in w.text for w in letter.warnings)


def test_no_status_gets_a_warning_before_submission(rules: Any) -> None:
    letter = letters.build_letter("welfare_application", yodogawa(
        person__residence_status="no_status", applicant__residence_card_number=None), rules=rules, today=TODAY)
    assert any("report people without status" in w.text for w in letter.warnings)
    assert "在留カードの写し" not in letter.japanese_text


def test_work_status_needs_the_exact_name(rules: Any) -> None:
    with pytest.raises(letters.MissingFacts) as err:
        letters.build_letter("welfare_application", yodogawa(person__residence_status="work",
                                                             applicant__residence_expiry=dt.date(2027, 4, 1)),
                             rules=rules, today=TODAY)
    assert err.value.fields == ["applicant.residence_status_name"]
    letter = letters.build_letter("welfare_application", yodogawa(
        person__residence_status="work", applicant__residence_expiry=dt.date(2027, 4, 1),
        applicant__residence_status_name="技術・人文知識・国際業務"), rules=rules, today=TODAY)
    assert "在留資格　技術・人文知識・国際業務" in letter.japanese_text
    assert "在留期間の満了日　令和9年4月1日" in letter.japanese_text


# -- disclosure: only what the request needs -----------------------------------------------------------------


def test_disclosures_state_what_the_letter_tells(welfare: letters.Letter) -> None:
    d = welfare.disclosures
    for item in ("your name", "your address", "your nationality", "your residence status",
                 "your residence card number", "your date of birth and age", "why you need help",
                 "your money, savings and income", "whether relatives support you"):
        assert item in d
    assert "anything about persecution or why you left your country" in welfare.withheld


def test_refugee_procedure_is_never_printed(rules: Any) -> None:
    letter = letters.build_letter("welfare_application", yodogawa(
        person__residence_status="designated_activities", person__designated_activity="refugee_applicant",
        person__refugee_procedure="applicant", applicant__residence_expiry=dt.date(2027, 5, 31)),
        rules=rules, today=TODAY)
    text = letter.japanese_text + "\n".join(letter.translation())
    assert "在留資格　特定活動" in text
    for word in ("難民", "refugee", "Refugee", "迫害", "persecution"):
        assert word not in text, word


@pytest.mark.parametrize("kind", [k for k in tpl.kinds() if tpl.template(k).status == "never"])
def test_status_free_services_never_print_status_or_nationality(kind: str, rules: Any) -> None:
    letter = letters.build_letter(kind, answers_for(kind), rules=rules, today=TODAY)
    text = letter.japanese_text + "\n".join(letter.translation())
    for word in ("在留", "永住者", "ミャンマー", "国籍", "AB12345678CD", "Permanent", "residence status",
                 "nationality"):
        assert word not in text, word
    guidance = "\n".join(p.ja for p in letter.guidance)  # not submitted, and general: no personal facts
    for word in ("永住者", "ミャンマー", "AB12345678CD"):
        assert word not in guidance, word
    assert not {f.id for f in letter.fields} & tpl.STATUS_FIELDS
    assert not any("status" in d or "nationality" in d for d in letter.disclosures)


def test_a_status_free_template_cannot_use_a_status_field(tmp_path: Any, monkeypatch: Any) -> None:
    source = (tpl.LETTERS_DIR / "nhi_instalment.yaml").read_text(encoding="utf-8")
    leaky = source.replace("uses:\n", "uses:\n  - applicant.nationality\n", 1)
    for name in ("fields.yaml", "vocabulary.yaml", "addressees.yaml", "eras.yaml"):
        (tmp_path / name).write_text((tpl.LETTERS_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "nhi_instalment.yaml").write_text(leaky, encoding="utf-8")
    monkeypatch.setattr(tpl, "LETTERS_DIR", tmp_path)
    for fn in (tpl.template, tpl.kinds, tpl.field_catalogue, tpl.vocabulary, tpl.addressees):
        fn.cache_clear()
    try:
        with pytest.raises(tpl.TemplateError, match="status: never"):
            tpl.template("nhi_instalment")
    finally:
        monkeypatch.undo()
        for fn in (tpl.template, tpl.kinds, tpl.field_catalogue, tpl.vocabulary, tpl.addressees):
            fn.cache_clear()


def test_housing_inquiry_asks_about_a_status_without_saying_whose(rules: Any) -> None:
    answers = yodogawa(person__residence_status="designated_activities", person__period_of_stay_months=6,
                       person__resident_record=True)
    letter = letters.build_letter("housing_eligibility_inquiry", answers, rules=rules, today=TODAY)
    text = letter.japanese_text
    assert "在留資格　特定活動" in text and "在留期間（月）　6か月" in text
    assert "照会者" in text and "NPO法人 共生サポート大阪" in text  # sent by the supporter by default
    for word in ("ဒေါ်အေးအေးမောင်", "十三東1-2-3", "ミャンマー", "国籍", "AB12345678CD", "難民"):
        assert word not in text, word
    assert any("do not say they are yours" in d or "does not say they are yours" in d for d in letter.disclosures)
    mine = letters.build_letter("housing_eligibility_inquiry", answers, {"letter.sender": "applicant"}, rules=rules,
                                today=TODAY)
    assert "ဒေါ်အေးအေးမောင်" in mine.japanese_text
    assert mine.warnings


# -- addressee ------------------------------------------------------------------------------------------------


def test_addressee_is_preset_from_the_ward_and_editable(welfare: letters.Letter, rules: Any) -> None:
    a = welfare.addressee
    assert a.name == "大阪市淀川区保健福祉センター所長　様"
    assert a.office == "淀川区保健福祉センター 生活支援担当・生活保護（淀川区役所内）"
    assert a.postal_code == "532-8501" and a.address == "大阪市淀川区十三東2-3-3"
    assert any("提出先：淀川区保健福祉センター" in g.ja for g in welfare.guidance)
    edited = letters.build_letter("welfare_application", yodogawa(), {"letter.addressee": "淀川区福祉事務所長 様"},
                                  rules=rules, today=TODAY)
    assert edited.paragraphs[1].ja == "淀川区福祉事務所長 様"
    assert edited.addressee.preset == a.name


@pytest.mark.parametrize(("code", "kind", "expected"), [
    ("27140", "welfare_application", "堺市福祉事務所長　様"),
    ("27141", "welfare_application", "堺市堺区福祉事務所長　様"),
    ("27301", "welfare_application", "島本町長　様"),
    ("13104", "welfare_application", "新宿区福祉事務所長　様"),
    ("27123", "nhi_instalment", "大阪市長　様"),
    ("13104", "nhi_instalment", "新宿区長　様"),
    ("27123", "housing_guarantor_waiver", "大阪市長　様"),
])
def test_addressee_presets(code: str, kind: str, expected: str, rules: Any) -> None:
    letter = letters.build_letter(kind, yodogawa(municipality=code), rules=rules, today=TODAY)
    assert letter.addressee.name == expected


# -- review: fields, overrides, validators ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", tpl.kinds())
def test_every_kind_lists_editable_fields_with_validators(kind: str) -> None:
    specs = letters.editable_fields(kind)
    assert specs and all(s.label and s.label_ja for s in specs)
    ids = [s.id for s in specs]
    assert len(ids) == len(set(ids))
    assert "letter.date" in ids and "letter.addressee" in ids
    date = next(s for s in specs if s.id == "letter.date")
    assert date.validate("令和元年5月1日") == dt.date(2019, 5, 1)


def test_overrides_are_validated_and_applied(rules: Any) -> None:
    letter = letters.build_letter("welfare_application", yodogawa(), {
        "applicant.phone": "０８０ー１１１１ー２２２２", "letter.date": "令和8年12月1日",
        "applicant.postal_code": "5320023",
        "letter.reasons": "illness,savings_exhausted"}, rules=rules, today=TODAY)
    text = letter.japanese_text
    assert "電話　080-1111-2222" in text
    assert text.startswith("令和8年12月1日")
    assert "〒532-0023" in text
    assert "病気又はけがのため働くことができません。" in text and "失業" not in text
    assert letter.field("applicant.phone").value == "080-1111-2222"
    assert letter.field("applicant.phone").printed
    with pytest.raises(letters.LetterInputError) as err:
        letters.build_letter("welfare_application", yodogawa(), {"applicant.phone": "12345"}, rules=rules, today=TODAY)
    assert err.value.field == "applicant.phone"
    with pytest.raises(letters.LetterInputError) as err:
        letters.build_letter("welfare_application", yodogawa(), {"applicant.name": "Ali\u202egnp"}, rules=rules,
                             today=TODAY)
    assert err.value.field == "applicant.name"
    with pytest.raises(letters.LetterInputError):
        letters.build_letter("nhi_instalment", yodogawa(), {"applicant.nationality": "x"}, rules=rules, today=TODAY)


def test_clearing_a_field_by_override(rules: Any) -> None:
    letter = letters.build_letter("welfare_application", yodogawa(), {"applicant.phone": ""}, rules=rules,
                                  today=TODAY)
    assert "090-1234-5678" not in letter.japanese_text
    assert "your phone number" not in letter.disclosures


def test_values_from_the_answers_file_pass_the_same_checks(rules: Any) -> None:
    with pytest.raises(letters.LetterInputError) as err:
        letters.build_letter("welfare_application", yodogawa(applicant__postal_code="12-34"), rules=rules, today=TODAY)
    assert err.value.field == "applicant.postal_code"
    with pytest.raises(letters.LetterInputError) as err:
        letters.build_letter("welfare_application", yodogawa(applicant__residence_card_number="X1"), rules=rules,
                             today=TODAY)
    assert err.value.field == "applicant.residence_card_number"


# -- every kind builds and renders ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", tpl.kinds())
def test_every_kind_renders_pdf_and_docx(kind: str, rules: Any) -> None:
    letter = letters.build_letter(kind, answers_for(kind), rules=rules, today=TODAY)
    assert letter.japanese_text.rstrip().endswith("以上")
    data = letters.render_pdf(letter, "my", translator(BURMESE))
    text = squash(pdf_text(data))
    for p in letter.paragraphs:
        if p.ja_line:
            assert squash(p.ja_line) in text, p.ja_line
    assert squash(letter.title_ja) in text
    doc = letters.render_docx(letter)
    assert_docx_holds(letter, doc)


def assert_docx_holds(letter: letters.Letter, data: bytes) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(data))
    text = squash("\n".join(p.text for p in doc.paragraphs))
    for p in letter.paragraphs:
        expected = f"{p.label_ja}{p.ja}" if p.label_ja and p.style in ("field", "sender") else p.ja_line
        if expected:
            assert squash(expected) in text, expected
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia"))


def test_nhi_letters_content(rules: Any) -> None:
    decl = letters.build_letter("nhi_income_declaration", yodogawa(), rules=rules, today=TODAY).japanese_text
    assert "令和7年中（1月1日から12月31日まで）の世帯の所得について、下記のとおり申告します。" in decl
    assert "いずれも令和7年中の収入がなく、所得はありません。" in decl
    assert "大阪市長　様" in decl
    red = letters.build_letter("nhi_reduction", yodogawa(), rules=rules, today=TODAY).japanese_text
    assert ("令和8年9月30日に失業、廃業又は休業等により収入が著しく減少し、保険料を納付することが困難となったため、"
            "大阪市国民健康保険条例に基づき、令和8年度の国民健康保険料の減免を申請します。") in red
    assert "前年の所得　1,800,000円（年額）" in red and "本年の見込み収入　600,000円（年額）" in red
    inst = letters.build_letter("nhi_instalment", yodogawa(), rules=rules, today=TODAY).japanese_text
    assert "月額3,000円の分割納付を希望します。" in inst and "（84,000円）" in inst
    assert "減免の適用についても検討" in inst


def test_guarantor_waiver_content(rules: Any) -> None:
    text = letters.build_letter("housing_guarantor_waiver", yodogawa(), rules=rules, today=TODAY).japanese_text
    assert "大阪市営住宅（市営十三住宅）への入居を申し込んでいます" in text
    assert "連帯保証人を依頼できる親族や知人がいません。" in text
    assert "書面でご回答ください" in text


# -- the translation -----------------------------------------------------------------------------------------


def test_burmese_translation_is_printed_and_marked(welfare: letters.Letter) -> None:
    data = letters.render_pdf(welfare, "my", translator(BURMESE))
    reader = PdfReader(io.BytesIO(data))
    n = len(reader.pages)
    japanese = squash(pdf_text(data, slice(0, 2)))
    assert squash("私は、生活保護法による保護の開始を申請します。") in japanese
    rest = pdf_text(data, slice(2, n))
    for sentence in (BURMESE["I apply for the start of protection under the Public Assistance Act."],
                     BURMESE["Translation for your understanding only. Do not hand in this page: hand in the "
                             "Japanese letter."],
                     BURMESE["Please notify me of the decision in writing, with reasons, within 14 days of the date "
                             "of application."],
                     "ဝင်ငွေ - အိမ်ထောင်စု၏ လစဉ်ဝင်ငွေမှာ ¥0 ဖြစ်သည်။",
                     "အမည်: ဒေါ်အေးအေးမောင်"):
        assert squash(sentence) in squash(rest), sentence
    # every translation page says it is a translation, in the reader's language and in Japanese
    for page in reader.pages[2:]:
        t = squash(page.extract_text().replace("\u200b", ""))
        assert squash(BURMESE["Translation for your understanding only. Do not hand in this page: hand in the "
                              "Japanese letter."]) in t or "提出の手引き（この用紙は提出しないでください）" in t
        assert "参考訳" in t or "提出しないでください" in t
    assert squash("受付印") in squash(rest)  # the guidance, with its Japanese


def test_arabic_translation_is_printed_right_to_left(welfare: letters.Letter) -> None:
    data = letters.render_pdf(welfare, "ar", translator(ARABIC))
    rest = pdf_text(data, slice(2, None))
    for sentence in (ARABIC["I apply for the start of protection under the Public Assistance Act."],
                     ARABIC["Translation for your understanding only. Do not hand in this page: hand in the "
                            "Japanese letter."]):
        for word in arabic_words(sentence):
            assert word in rest, word
    assert "الجنسية" in rest and "أنثى" in rest and "مقيم دائم" in rest


def test_a_broken_catalogue_entry_falls_back_to_english(welfare: letters.Letter) -> None:
    broken = {"Income: the household's income is {household.monthly_income} a month. ⟦{letter.income_detail}⟧":
              "ingreso {monthly_income}"}  # a translator renamed the placeholder
    lines = welfare.translation(translator(broken))
    assert "(2) Income: the household's income is ¥0 a month." in lines


def test_translated_values_are_never_reinterpreted(rules: Any) -> None:
    letter = letters.build_letter("welfare_application", yodogawa(letter__other_assets="{applicant.name} {date}"),
                                  rules=rules, today=TODAY)
    assert "その他の資産　{applicant.name} {date}" in letter.japanese_text
    assert "(2) Other assets: {applicant.name} {date}" in letter.translation()


# -- names in twelve scripts round-trip into the PDF text -----------------------------------------------------

from tests.scripts import NAMES  # noqa: E402


@pytest.mark.parametrize("script", sorted(NAMES))
def test_names_round_trip_into_the_pdf(script: str, rules: Any) -> None:
    name = NAMES[script]
    letter = letters.build_letter("nhi_instalment", yodogawa(applicant__name=name), rules=rules, today=TODAY)
    assert f"氏名　{name}" in letter.japanese_text
    text = pdf_text(letters.render_pdf(letter, "ja"), slice(0, 1))
    if re.search(r"[\u0600-\u06ff]", name):  # right-to-left: compare the words (extraction order is visual)
        for word in re.split(r"[\s\u200c]+", name):
            assert word in text, word
        if "\u200c" in name:
            assert "\u200c" in text
    else:
        assert squash(name) in squash(text)


def test_pdf_embeds_subset_fonts_only_from_the_repository(welfare: letters.Letter) -> None:
    data = letters.render_pdf(welfare, "my", translator(BURMESE))
    reader = PdfReader(io.BytesIO(data))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]  # embedded
            assert re.match(r"/[A-Z]{6}\+", font["/BaseFont"])  # subset tag
            seen.add(font["/BaseFont"].split("+")[1])
    assert {"IPAexMincho", "NotoSansMyanmar"} <= seen
    assert len(data) < 400_000


def test_fonts_and_licences_are_vendored() -> None:
    fonts = ROOT / "fonts"
    assert (fonts / "ipaexm.ttf").exists() and (fonts / "IPA_Font_License_Agreement_v1.0.txt").exists()
    assert (fonts / "OFL.txt").exists()
    total = sum(p.stat().st_size for p in fonts.iterdir())
    assert total < 15 * 1024 * 1024
    assert all(p.stat().st_size < 10 * 1024 * 1024 for p in fonts.iterdir())


# -- thirty hostile strings appear literally and change nothing else ------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>", "<b>bold</b><i>x</i>", "&amp; &lt; &#x202E; &#0;", "**bold** __under__ ~~gone~~",
    "[link](http://example.com)", "--strike-- ++ins++", "{applicant.name}", "{{7*7}} {% if x %}y{% endif %}",
    "${7*7} #{7*7} <%= 7*7 %>", "[[date]] {{{date}}} [% raw %]", "%s %d %n %x", "{0} {__class__} {!r}",
    ") Tj ET BT (", "\\\\ \\( \\)",
    "endstream endobj trailer", "%PDF-1.7 %%EOF", "/JavaScript /OpenAction << /S /Launch >>", "<< /Type /Page >>",
    "'; DROP TABLE letters; --", "=cmd|' /C calc'!A0", "$(rm -rf /) `id`", "../../etc/passwd", "\\u202e \\x00",
    "<w:t>docx</w:t><w:br/>", "<?xml version='1.0'?>", "{{ config.items() }}", "@import url(x.css);",
    "javascript:alert(document.cookie)", "\" onmouseover=\"alert(1)", "|ls| ;ls; &&ls",
]


def test_there_are_thirty_hostile_strings() -> None:
    assert len(HOSTILE) == 30 and len(set(HOSTILE)) == 30


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_strings_appear_literally_and_change_nothing_else(value: str, rules: Any) -> None:
    benign = letters.build_letter("welfare_application", yodogawa(letter__other_assets="BENIGN"), rules=rules,
                                  today=TODAY)
    hostile = letters.build_letter("welfare_application", yodogawa(letter__other_assets=value), rules=rules,
                                   today=TODAY)
    assert f"その他の資産　{value}" in hostile.japanese_text
    assert hostile.japanese_text.replace(value, "BENIGN") == benign.japanese_text
    assert [t.replace(value, "BENIGN") for t in hostile.translation()] == benign.translation()


@pytest.mark.parametrize("batch", range(5))
def test_hostile_strings_in_the_pdf_and_docx(batch: int, rules: Any) -> None:
    values = HOSTILE[batch * 6:(batch + 1) * 6]
    letter = letters.build_letter("welfare_application", yodogawa(
        letter__reason_detail="\n".join(values[:4]), letter__income_detail=values[4], letter__work_detail=values[5]),
        rules=rules, today=TODAY)
    data = letters.render_pdf(letter, "ja")
    text = squash(pdf_text(data))
    for v in values:
        assert squash(v) in text, v
    for fixed in ("私は、生活保護法による保護の開始を申請します。", "以上", "在留カード番号AB12345678CD"):
        assert squash(fixed) in text
    for name in (b"/JavaScript", b"/JS", b"/Launch", b"/AA", b"/URI", b"/EmbeddedFile"):
        assert name not in data, name  # user text is inside content streams as glyph codes, never PDF syntax
    from docx import Document

    doc_text = "\n".join(p.text for p in Document(io.BytesIO(letters.render_docx(letter))).paragraphs)
    for v in values:
        assert v in doc_text, v


# -- Japanese line breaking (禁則) ----------------------------------------------------------------------------


def test_no_line_of_the_japanese_pdf_starts_with_a_forbidden_character(rules: Any) -> None:
    # sentences whose punctuation falls at every position of a line
    detail = "\n".join(("あ" * k + "、「い」。（う）ー" + "っ" * 2 + "ゃ。")[:50] for k in range(1, 5))
    letter = letters.build_letter("welfare_application", yodogawa(
        letter__reason_detail=detail,
        letter__relatives_detail="親族は" + "遠く、" * 12 + "連絡できません。",
        letter__work_detail="「" + "仕事」、" * 10 + "以上です。",
    ), rules=rules, today=TODAY)
    data = letters.render_pdf(letter, "ja")
    lines = [ln.strip() for ln in pdf_text(data, slice(0, 2)).splitlines() if ln.strip()]
    assert len(lines) > 40
    starts = [ln for ln in lines if ln[0] in NO_LINE_START]
    ends = [ln for ln in lines if ln[-1] in NO_LINE_END]
    assert not starts, starts
    assert not ends, ends


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="あいうえおかき漢字、。」（）「ーっゃAB12 ,.", min_size=1, max_size=120),
       width=st.integers(min_value=3, max_value=30))
def test_wrap_obeys_kinsoku_and_keeps_every_character(text: str, width: int) -> None:
    def measure(s: str) -> float:
        return sum(1.0 if ord(c) > 0x2000 else 0.5 for c in s)

    lines = wrap(text, width, measure)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for prev, line in zip(lines, lines[1:], strict=False):
        if line and len(atoms(prev)) > 1:  # a line of one unit cannot give anything away
            assert line[0] not in NO_LINE_START, (prev, line)
            assert prev.rstrip()[-1:] not in NO_LINE_END, (prev, line)


# -- page budget ---------------------------------------------------------------------------------------------


def test_the_longest_welfare_application_fits_two_pages(rules: Any) -> None:
    name_bound = tpl.field_catalogue()["letter.members.*.name"].max_length or 40
    members = [{"name": "あ" * name_bound, "relation": "other_relative", "birth_date": dt.date(1950, 1, 1),
                "sex": "other",
                "nationality": "ア" * 20, "residence_status": "spouse_of_permanent_resident",
                "residence_expiry": dt.date(2030, 1, 1)} for _ in range(9)]
    cat = tpl.field_catalogue()

    def longest(fid: str, unit: str = "長") -> str:
        n = cat[fid].max_length or 100
        lines = cat[fid].max_lines or 1
        if lines > 1:
            per = n // lines
            return "\n".join(unit * (per - 1) for _ in range(lines))
        return unit * n

    answers = yodogawa(
        household__size=10, letter__members=members, applicant__name=longest("applicant.name"),
        applicant__name_kana="ア" * 60, applicant__address=longest("applicant.address"),
        applicant__nationality=longest("applicant.nationality"), supporter__name=longest("supporter.name"),
        supporter__organisation=longest("supporter.organisation"), supporter__relation=longest("supporter.relation"),
        letter__reasons=[r for r in tpl.vocabulary()["reason"] if r != "other"],
        letter__reason_detail=longest("letter.reason_detail"), letter__other_assets=longest("letter.other_assets"),
        letter__income_detail=longest("letter.income_detail"), letter__work_detail=longest("letter.work_detail"),
        letter__relatives_detail=longest("letter.relatives_detail"), letter__receives_other_benefits=True,
        letter__other_benefits=longest("letter.other_benefits"), needs__medical_care=True,
        letter__attachments=list(tpl.vocabulary()["attachment"]),
        letter__attachments_other=["添" * 30] * 3, applicant__individual_number="123456789018",
        letter__relatives_no_contact_years=10, letter__family_inquiry_grounds=list(tpl.vocabulary()[
            "family_inquiry_ground"]), letter__filer_name=longest("letter.filer_name"),
        letter__filer_relation="other_relative", letter__filer_cohabits=True, letter__filer_postal_code="532-0023",
        letter__filer_address=longest("letter.filer_address"), letter__filer_phone="06-6308-1234",
    )
    letter = letters.build_letter("welfare_application", answers, rules=rules, today=TODAY)
    data = letters.render_pdf(letter, "ja")  # raises LetterTooLong beyond two pages
    assert len(PdfReader(io.BytesIO(data)).pages) >= 2


def test_too_long_fails_visibly(welfare: letters.Letter) -> None:
    padded = welfare.model_copy(update={"paragraphs": welfare.paragraphs * 4})
    with pytest.raises(LetterTooLong):
        letters.render_pdf(padded, "ja")


# -- command line ----------------------------------------------------------------------------------------------


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return cli(*args, stdin=stdin)  # in-process; test_cli.py keeps a few real processes


def _yaml(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, default=str)


def test_cli_writes_the_letter(tmp_path: Any) -> None:
    src = tmp_path / "answers.json"
    src.write_text(_yaml(yodogawa()), encoding="utf-8")
    out = tmp_path / "letter.pdf"
    r = _cli("letter", "welfare_application", str(src), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert "私は、生活保護法による保護の開始を申請します。" in squash(pdf_text(out.read_bytes()))
    docx = tmp_path / "letter.docx"
    assert _cli("letter", "welfare_application", str(src), "--out", str(docx)).returncode == 0
    assert docx.read_bytes()[:2] == b"PK"


def test_cli_names_missing_facts_and_writes_nothing(tmp_path: Any) -> None:
    src = tmp_path / "answers.json"
    data = yodogawa()
    del data["applicant"]["nationality"]
    del data["letter"]["work"]
    src.write_text(_yaml(data), encoding="utf-8")
    out = tmp_path / "letter.pdf"
    r = _cli("letter", "welfare_application", str(src), "--out", str(out))
    assert r.returncode == 2
    assert "applicant.nationality" in r.stderr and "letter.work" in r.stderr
    assert r.stdout == ""
    assert not out.exists() and not list(tmp_path.glob("*.partial"))


def test_cli_invalid_answers_exit_2(tmp_path: Any) -> None:
    src = tmp_path / "answers.json"
    data = yodogawa()
    data["applicant"]["favourite_colour"] = "blue"
    src.write_text(_yaml(data), encoding="utf-8")
    out = tmp_path / "letter.pdf"
    r = _cli("letter", "welfare_application", str(src), "--out", str(out))
    assert r.returncode == 2 and "applicant.favourite_colour" in r.stderr and not out.exists()
    bad = copy.deepcopy(yodogawa())
    bad["applicant"]["phone"] = "12"
    src.write_text(_yaml(bad), encoding="utf-8")
    r = _cli("letter", "welfare_application", str(src), "--out", str(out))
    assert r.returncode == 2 and "applicant.phone" in r.stderr and not out.exists()
    r = _cli("letter", "welfare_application", str(src), "--out", str(tmp_path / "letter.txt"))
    assert r.returncode == 2
    src.write_text(_yaml(yodogawa()), encoding="utf-8")
    r = _cli("letter", "welfare_application", str(src), "--out", str(out), "--lang", "xx")
    assert r.returncode == 2 and "lang" in r.stderr and not out.exists()
    r = _cli("letter", "welfare_application", str(src), "--out", str(out), "--lang", "my")
    assert r.returncode == 0 and out.exists()


def test_answers_model_accepts_the_letter_section() -> None:
    a = Answers.model_validate(yodogawa())
    assert a.letter is not None and a.letter.interpreter_language == "my"
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Answers.model_validate(yodogawa(letter__reasons=["job_loss", "job_loss"]))


# -- minimal answers and every coded value -----------------------------------------------------------------------

MINIMAL = {
    "welfare_application": {
        "person": {"residence_status": "permanent_resident"},
        "household": {"size": 1, "monthly_income": 0, "savings": 0, "housing": "homeless"},
        "applicant": {"name": "Ana Lee", "address": "大阪市淀川区十三東1-2-3", "birth_date": "1990-01-01",
                      "sex": "other", "nationality": "無国籍", "residence_card_number": "AB12345678CD"},
        "letter": {"reasons": ["other"], "reason_detail": "仕事がありません。", "work": "other",
                   "work_detail": "求職中です。", "relatives": "none", "receives_other_benefits": False},
    },
    "nhi_income_declaration": {
        "applicant": {"name": "Ana Lee", "address": "大阪市淀川区十三東1-2-3", "birth_date": "1990-01-01"},
        "letter": {"living_costs": "貯金の取り崩し", "no_income": True},
    },
    "nhi_reduction": {
        "applicant": {"name": "Ana Lee", "address": "大阪市淀川区十三東1-2-3"},
        "letter": {"fiscal_year": 2026, "reduction_reason": "other", "event_date": "2026-10-01",
                   "circumstances": "病気で働けなくなりました。", "previous_income": 0, "expected_income": 0},
    },
    "nhi_instalment": {"applicant": {"name": "Ana Lee", "address": "大阪市淀川区十三東1-2-3"},
                       "letter": {"instalment": 1000}},
    "housing_guarantor_waiver": {
        "applicant": {"name": "Ana Lee", "address": "大阪市淀川区十三東1-2-3"},
        "letter": {"housing_operator": "prefecture", "guarantor_reason": "other",
                   "guarantor_detail": "頼める人がいません。"},
    },
    "nhi_appeal": {
        "applicant": {"name": "Ana Lee", "address": "大阪市淀川区十三東1-2-3"},
        "letter": {"decision": "other", "decision_detail": "被保険者証の返還を求める処分",
                   "decision_known_date": "2026-11-01", "appeal_grounds": "在留期間は3か月を超えています。"},
    },
    "nhi_copayment_reduction": {
        "applicant": {"name": "Ana Lee", "address": "大阪市淀川区十三東1-2-3"},
        "letter": {"copayment_measure": "deferral", "reduction_reason": "disaster", "event_date": "2026-10-01",
                   "circumstances": "火災で家財を失いました。"},
    },
    "welfare_acceptance": {
        "applicant": {"name": "Ana Lee", "address": "大阪市淀川区十三東1-2-3"},
        "letter": {"refusal_date": "2026-11-28", "refusal_kind": "no_form", "application_enclosed": False},
    },
    "housing_eligibility_inquiry": {
        "person": {"residence_status": "designated_activities"},
        "applicant": {"name": "Ana Lee", "address": "大阪市淀川区十三東1-2-3"},
        "letter": {"housing_operator": "city"},
    },
}


@pytest.mark.parametrize("kind", sorted(MINIMAL))
def test_every_kind_with_only_the_facts_it_needs(kind: str, rules: Any) -> None:
    answers = {"version": 1, "municipality": "27123", **MINIMAL[kind]}
    letter = letters.build_letter(kind, answers, rules=rules, today=TODAY)
    assert letter.japanese_text.rstrip().endswith("以上")
    letters.render_pdf(letter, "ja")
    for key in list(MINIMAL[kind].get("letter", {})) + list(MINIMAL[kind].get("applicant", {})):
        section = "letter" if key in MINIMAL[kind].get("letter", {}) else "applicant"
        reduced = copy.deepcopy(answers)
        del reduced[section][key]
        try:
            letters.build_letter(kind, reduced, rules=rules, today=TODAY)
        except letters.MissingFacts as exc:
            assert exc.fields  # named
    assert set(MINIMAL) == set(tpl.kinds())


@pytest.mark.parametrize("kind", tpl.kinds())
def test_every_coded_value_prints(kind: str, rules: Any) -> None:
    base = answers_for(kind)
    for spec in letters.editable_fields(kind):
        if spec.check != "choice" or "*" in spec.id or spec.id == "letter.sender":
            continue
        section, name = spec.id.split(".", 1)
        for option in spec.choices or ():
            answers = copy.deepcopy(base)
            answers.setdefault(section, {})[name] = option.code
            if spec.id == "person.residence_status":
                answers["applicant"]["residence_expiry"] = dt.date(2027, 1, 1)
                answers["applicant"]["residence_status_name"] = "技術・人文知識・国際業務"
            answers["letter"].update(work_detail="詳細。", guarantor_detail="詳細。", decision_detail="詳細。")
            letter = letters.build_letter(kind, answers, rules=rules, today=TODAY)
            assert letter.japanese_text.rstrip().endswith("以上"), (spec.id, option.code)
            assert all(t is not None for t in letter.translation())


def test_flags_say_what_the_letter_assumes() -> None:
    spec = letters.field_spec("welfare_application", "letter.written_decision")
    assert spec.default is True


def test_parallel_renders_give_the_same_letter(welfare: letters.Letter) -> None:
    """Sessions render in threads; the parsed fonts are shared, each document has its own subset and shaper."""
    from concurrent.futures import ThreadPoolExecutor

    expected = pdf_text(letters.render_pdf(welfare, "my", translator(BURMESE)))
    with ThreadPoolExecutor(max_workers=4) as pool:
        outputs = list(pool.map(lambda lang: letters.render_pdf(welfare, lang, translator(
            BURMESE if lang == "my" else ARABIC)), ["my", "ar", "my", "ar", "my", "my"]))
    for lang, data in zip(["my", "ar", "my", "ar", "my", "my"], outputs, strict=True):
        if lang == "my":
            assert pdf_text(data) == expected


def test_japanese_catalogue_entries_come_from_the_templates() -> None:
    glosses = tpl.japanese_glosses()
    assert glosses["I apply for the start of protection under the Public Assistance Act."] == \
        "私は、生活保護法による保護の開始を申請します。"
    assert glosses["Name"] == "氏名"


def test_addressee_without_a_local_layer_has_the_municipal_offices_address(rules: Any) -> None:
    letter = letters.build_letter("welfare_application", yodogawa(municipality="40216"), rules=rules, today=TODAY)
    a = letter.addressee  # 福岡県小郡市: no layer
    assert a.name == "小郡市福祉事務所長　様"
    assert (a.postal_code, a.address) == ("838-0198", "福岡県小郡市小郡255-1")
    assert "https://www.post.japanpost.jp/zipcode/dl/jigyosyo/index-zip.html" in a.sources


# -- new kinds (issue 8 item 13): each rendered to PDF and its text checked --------------------------------------


def _pdf_lines(letter: letters.Letter) -> str:
    return squash(pdf_text(letters.render_pdf(letter, "ja")))


def test_nhi_appeal_states_the_items_of_article_19(rules: Any) -> None:
    letter = letters.build_letter("nhi_appeal", answers_for("nhi_appeal", letter__instruction_given=True,
                                                            letter__attachments=["decision_notice"]),
                                  rules=rules, today=TODAY)
    assert letter.addressee.name == "大阪府国民健康保険審査会　御中"  # the prefecture's board (国保法92条)
    expected = [
        "審査請求書", "審査請求人", "氏名　ဒေါ်အေးအေးမောင်", "大阪市淀川区十三東1-2-3",  # 19条2項1号
        "国民健康保険法第91条第1項の規定により、次のとおり審査請求をします。",
        "大阪市長が令和8年10月1日付けで行った国民健康保険料の賦課決定（保険料額の決定）",  # 2号
        "審査請求に係る処分があったことを知った年月日", "令和8年10月5日",  # 3号
        "上記の処分を取り消すとの裁決を求めます。", "前年の所得を誤って算定しています。前年は無収入でした。",  # 4号
        "処分庁の教示の有無及びその内容", "教示がありました（処分の通知書に記載のとおり）。",  # 5号
        "令和8年11月29日",  # 6号
        "(1) 処分の通知書の写し", "以上",
    ]
    text = letter.japanese_text
    pdf = _pdf_lines(letter)
    for item in expected:
        assert item in text, item
        assert squash(item) in pdf, item
    assert squash("令和9年1月5日が期限です。") in pdf  # the guidance: 3 months from the day after learning of it
    assert "提出先：淀川区役所 保険年金担当" in "\n".join(g.ja for g in letter.guidance)  # 行審法21条: via the city
    english = "\n".join(letter.translation())
    assert "the decision on the amount of my National Health Insurance premium, made by the mayor of 大阪市 on " \
           "2026-10-01" in english


def test_nhi_copayment_reduction_cites_article_44(rules: Any) -> None:
    letter = letters.build_letter("nhi_copayment_reduction", answers_for(
        "nhi_copayment_reduction", letter__medical_institution="淀川キリスト教病院", letter__treatment="inpatient"),
        rules=rules, today=TODAY)
    assert letter.addressee.name == "大阪市長　様"
    pdf = _pdf_lines(letter)
    for item in ("国民健康保険一部負担金減免等申請書",
                 "令和8年9月30日に失業、廃業又は休業等により収入が著しく減少し、保険医療機関等に一部負担金を支払うことが困難となったため、"
                 "国民健康保険法第44条第1項に基づき、一部負担金の減額又は免除を申請します。",
                 "保険医療機関等の名称　淀川キリスト教病院", "入院・通院の別　入院", "前年の所得　1,800,000円（年額）",
                 "世帯の収入（月額）　0円", "上記のとおり申請します。"):
        assert squash(item) in pdf, item
    plain = letters.build_letter("nhi_copayment_reduction", answers_for(
        "nhi_copayment_reduction", letter__previous_income=None, letter__expected_income=None,
        household__monthly_income=None, household__savings=None), rules=rules, today=TODAY).japanese_text
    assert "収入等の状況" not in plain  # no empty heading


def test_welfare_acceptance_demands_that_the_application_be_examined(rules: Any) -> None:
    letter = letters.build_letter("welfare_acceptance", answers_for(
        "welfare_acceptance", letter__official_name="田中", letter__official_section="生活支援担当",
        letter__refusal_detail="「まず仕事を探してください」と言われました。"), rules=rules, today=TODAY)
    assert letter.addressee.name == "大阪市淀川区保健福祉センター所長　様"
    pdf = _pdf_lines(letter)
    for item in ("生活保護開始申請の受理についての申入書",
                 "私は、令和8年11月27日、貴所の窓口において、保護の開始を申請する意思を示しましたが、相談として扱われ、"
                 "申請として受け付けてもらえませんでした。",
                 "対応した職員の所属　生活支援担当", "対応した職員の氏名　田中",
                 "「まず仕事を探してください」と言われました。",
                 "本書とともに生活保護開始申請書を提出します。", "（生活保護法第7条）", "（行政手続法第7条）",
                 "生活保護法第24条第3項及び第5項の期間内に、理由を付した書面で決定を通知するよう求めます。"):
        assert squash(item) in pdf, item
    for word in ("在留", "国籍", "永住者", "ミャンマー"):
        assert word not in letter.japanese_text
    bare = letters.build_letter("welfare_acceptance", answers_for(
        "welfare_acceptance", letter__application_enclosed=False), rules=rules, today=TODAY).japanese_text
    assert "職員" not in bare  # the official's name and section only as the person gives them
    assert "本書をもって、生活保護法による保護の開始を申請する意思を書面で表明します。" in bare
    assert "申請書を提出します" not in bare


# -- other kinds fixed (issue 8 item 12) -------------------------------------------------------------------------


def _headings_have_content(letter: letters.Letter) -> None:
    ps = letter.paragraphs
    numbers = []
    for i, p in enumerate(ps):
        if p.style == "heading":
            assert i + 1 < len(ps) and ps[i + 1].style in ("field", "detail", "item"), (letter.kind, p.ja)
            numbers.append(p.number)
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)], (letter.kind, numbers)


@pytest.mark.parametrize("kind", sorted(MINIMAL))
def test_no_kind_prints_a_heading_with_nothing_under_it(kind: str, rules: Any) -> None:
    _headings_have_content(letters.build_letter(kind, {"version": 1, "municipality": "27123", **MINIMAL[kind]},
                                                rules=rules, today=TODAY))
    _headings_have_content(letters.build_letter(kind, answers_for(kind), rules=rules, today=TODAY))


def test_an_empty_heading_is_left_out_and_the_others_renumbered() -> None:
    from helper.letters.builder import _without_empty_headings
    from helper.letters.model import Paragraph

    ps = [Paragraph(style="heading", ja="一", number="1"), Paragraph(style="detail", ja="a"),
          Paragraph(style="heading", ja="二", number="2"), Paragraph(style="heading", ja="三", number="3"),
          Paragraph(style="item", ja="b", number="(1)"), Paragraph(style="heading", ja="四", number="4"),
          Paragraph(style="end", ja="以上")]
    out = _without_empty_headings(ps)
    assert [(p.ja, p.number) for p in out] == [("一", "1"), ("a", None), ("三", "2"), ("b", "(1)"), ("以上", None)]


def test_prefectural_housing_prints_the_address_the_prefecture_gives(rules: Any) -> None:
    letter = letters.build_letter("housing_guarantor_waiver", yodogawa(letter__housing_operator="prefecture",
                                                                       letter__housing_name=None),
                                  rules=rules, today=TODAY)
    assert letter.addressee.address and "大阪府営住宅入居申込担当窓口あて" in letter.addressee.address
    where = next(g.ja for g in letter.guidance if g.ja.startswith("提出先："))
    assert "〒559-8555" in where and "窓口への持参は受付不可" in where
    assert squash(where) in squash(pdf_text(letters.render_pdf(letter, "ja")))


def test_labels_on_paper_fit_the_letter(rules: Any) -> None:
    for kind in tpl.kinds():
        letter = letters.build_letter(kind, answers_for(kind, letter__medical_institution="病院"), rules=rules,
                                      today=TODAY)
        for p in letter.paragraphs:
            label = p.translated_label() or ""
            assert "(in Japanese)" not in label and " your " not in f" {label} ", (kind, label)
    inquiry = letters.build_letter("housing_eligibility_inquiry", yodogawa(), rules=rules, today=TODAY)
    assert "氏名　山田 花子" in inquiry.japanese_text and "所属　NPO法人 共生サポート大阪" in inquiry.japanese_text
    assert "代筆者・支援者の氏名" not in inquiry.japanese_text
