"""No false statements (issue 8) and warnings on paper (issue 9): each letter kind, given answers that
contradict it, refuses (``Contradiction``) or adapts; an unanswered fact prints nothing; the warnings that
concern the letter are printed in the guidance sheet and in the translation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from helper import letters
from helper.i18n import translator as catalogue
from tests.test_letters import TODAY, pdf_text, squash, yodogawa


def build(kind: str, rules: Any, **changes: Any) -> letters.Letter:
    return letters.build_letter(kind, yodogawa(**changes), rules=rules, today=TODAY)


def refused(kind: str, rules: Any, **changes: Any) -> letters.Contradiction:
    with pytest.raises(letters.Contradiction) as exc:
        build(kind, rules, **changes)
    return exc.value


# -- 生活保護開始申請書 ----------------------------------------------------------------------------------------


def test_other_assets_are_stated_only_when_answered(rules: Any) -> None:
    assert "その他の資産" not in build("welfare_application", rules).japanese_text  # unanswered: no line
    none = build("welfare_application", rules, letter__has_other_assets=False).japanese_text
    assert "その他の資産　ありません。" in none
    some = build("welfare_application", rules, letter__has_other_assets=True, letter__other_assets="自動車1台")
    assert "その他の資産　自動車1台" in some.japanese_text and "その他の資産　ありません" not in some.japanese_text
    with pytest.raises(letters.MissingFacts) as missing:
        build("welfare_application", rules, letter__has_other_assets=True)
    assert missing.value.fields == ["letter.other_assets"]
    exc = refused("welfare_application", rules, letter__has_other_assets=False, letter__other_assets="自動車1台")
    assert exc.field == "letter.other_assets"


def test_living_alone_only_when_the_household_size_says_so(rules: Any) -> None:
    assert "申請者のみの単身世帯です。" in build("welfare_application", rules).japanese_text
    with pytest.raises(letters.MissingFacts) as missing:
        build("welfare_application", rules, household__size=None)
    assert "household.size" in missing.value.fields
    members = [{"name": "マウン", "relation": "child", "birth_date": "2019-05-01", "sex": "male",
                "nationality": "ミャンマー", "residence_status": "permanent_resident"}]
    text = build("welfare_application", rules, household__size=None, letter__members=members).japanese_text
    assert "単身世帯" not in text and "マウン" in text


def test_no_other_benefits_needs_an_answer_and_must_fit_the_income(rules: Any) -> None:
    with pytest.raises(letters.MissingFacts) as missing:
        build("welfare_application", rules, letter__receives_other_benefits=None)
    assert "letter.receives_other_benefits" in missing.value.fields
    exc = refused("welfare_application", rules, household__monthly_income=15000,
                  household__income={"benefits": 15000})
    assert exc.field == "letter.receives_other_benefits" and "¥15,000" in exc.error.text()
    assert refused("welfare_application", rules, household__receiving_rhq=True).field == \
        "letter.receives_other_benefits"
    assert refused("welfare_application", rules, letter__other_benefits="児童手当").field == "letter.other_benefits"
    ok = build("welfare_application", rules, household__monthly_income=15000, household__income={"benefits": 15000},
               letter__receives_other_benefits=True, letter__other_benefits="児童手当 月額15,000円")
    assert "次の給付を受けています。児童手当" in ok.japanese_text and "受けていません" not in ok.japanese_text


def test_a_household_on_public_assistance_gets_no_application_to_start_it(rules: Any) -> None:
    exc = refused("welfare_application", rules, household__receiving_welfare=True)
    assert exc.field == "household.receiving_welfare"
    ja = exc.error.text(catalogue("ja"))
    assert ja != exc.error.message  # the refusal is shown in the reader's language


def test_no_status_warning_is_printed_on_the_guidance_sheet_and_in_the_translation(rules: Any) -> None:
    letter = build("welfare_application", rules, person__residence_status="no_status")
    english = [n.translated() for n in letter.notices]
    assert any("report people without status to immigration" in t for t in english)
    assert any(t.startswith("Other help you can ask about:") and "Free or low-cost medical care" in t
               for t in english)  # likely refusal: the alternatives
    assert not any("Amounts here are estimates" in t for t in english)  # about the results page, not the letter
    japanese_pdf = squash(pdf_text(letters.render_pdf(letter, "ja")))
    assert squash("在留資格のない人を入管に通報することがあります") in japanese_pdf
    assert squash("ほかに相談できる支援：無料低額診療事業") in japanese_pdf
    english_pdf = letters.render_pdf(letter, "en", catalogue("en"))
    pages = pdf_text(english_pdf)
    translation_start = pages.index("Read this before you hand in the letter:")
    assert translation_start < pages.index("I apply for the start of protection")  # before the translated letter
    assert pages.count("report people without status") >= 2  # translation and guidance sheet
    assert "not_eligible" not in pages


def test_maybe_warnings_reach_the_paper_in_their_conditional_form(rules: Any) -> None:
    answers = yodogawa(person__residence_status="designated_activities", household__nhi_arrears=None)
    letter = letters.build_letter("nhi_instalment", answers, rules=rules, today=TODAY)
    from helper.answers import Answers
    from helper.engine import evaluate

    result = evaluate(Answers.model_validate(answers), rules, today=TODAY)
    nhi = result.programme("nhi")
    assert nhi is not None
    maybes = [w for w in nhi.warnings if w.applies == "maybe"]
    assert maybes, "the test needs a conditional warning"
    texts = [n.translated() for n in letter.notices]
    for w in maybes:
        expected = w.if_ or f"{w.text} (if this applies to you)"
        assert expected in texts
        assert w.text not in texts or w.if_ is None


# -- 所得申告 ---------------------------------------------------------------------------------------------------


def test_income_declaration_states_no_income_only_when_the_person_says_so(rules: Any) -> None:
    with pytest.raises(letters.MissingFacts) as missing:
        build("nhi_income_declaration", rules, letter__no_income=None)
    assert missing.value.fields == ["letter.no_income"]
    assert refused("nhi_income_declaration", rules, letter__no_income=False).field == "letter.no_income"
    text = build("nhi_income_declaration", rules).japanese_text
    assert "いずれも令和7年中の収入がなく" in text


def test_income_declaration_refuses_income_this_year_and_warns_about_last_year(rules: Any) -> None:
    exc = refused("nhi_income_declaration", rules, household__monthly_income=80000, letter__income_year=2026)
    assert exc.field == "household.monthly_income" and "¥80,000" in exc.error.text()
    letter = build("nhi_income_declaration", rules, household__monthly_income=80000)  # income year 2025
    assert any("¥80,000 a month now" in n.translated() and "2025" in n.translated() for n in letter.notices)
    assert squash("月80,000円") in squash(pdf_text(letters.render_pdf(letter, "ja")))
    assert "80,000" not in letter.japanese_text  # the letter itself states only the declaration


# -- 減免申請 ---------------------------------------------------------------------------------------------------


def test_reduction_refuses_a_fall_in_income_that_is_not_a_fall(rules: Any) -> None:
    exc = refused("nhi_reduction", rules, letter__previous_income=600000, letter__expected_income=900000)
    assert exc.field == "letter.expected_income" and "¥900,000" in exc.error.text()
    build("nhi_reduction", rules, letter__previous_income=600000, letter__expected_income=900000,
          letter__reduction_reason="other")  # another reason: nothing false


def test_reduction_refuses_an_event_after_the_letter(rules: Any) -> None:
    assert refused("nhi_reduction", rules, letter__event_date=dt.date(2026, 12, 15)).field == "letter.event_date"


def test_reduction_prints_the_household_size_only_when_known(rules: Any) -> None:
    assert "世帯の人数　1人" in build("nhi_reduction", rules).japanese_text
    assert "世帯の人数" not in build("nhi_reduction", rules, household__size=None).japanese_text


# -- 分割納付 ---------------------------------------------------------------------------------------------------


def test_instalment_refuses_contradicting_amounts(rules: Any) -> None:
    assert refused("nhi_instalment", rules, household__nhi_arrears=False).field == "household.nhi_arrears"
    assert refused("nhi_instalment", rules, letter__instalment=0).field == "letter.instalment"
    exc = refused("nhi_instalment", rules, letter__instalment=90000)
    assert "¥90,000" in exc.error.text() and "¥84,000" in exc.error.text()


# -- 公営住宅 ---------------------------------------------------------------------------------------------------


def test_guarantor_waiver_prints_its_reply_date_and_refuses_a_past_one(rules: Any) -> None:
    text = build("housing_guarantor_waiver", rules, letter__reply_by=dt.date(2026, 12, 20)).japanese_text
    assert "令和8年12月20日までにご回答いただけると幸いです。" in text
    assert refused("housing_guarantor_waiver", rules, letter__reply_by=dt.date(2026, 11, 1)).field == "letter.reply_by"


def test_inquiry_refuses_a_period_for_a_status_without_end(rules: Any) -> None:
    exc = refused("housing_eligibility_inquiry", rules, person__period_of_stay_months=6)  # 永住者
    assert exc.field == "person.period_of_stay_months"
    assert refused("housing_eligibility_inquiry", rules, letter__reply_by=TODAY).field == "letter.reply_by"


def test_inquiry_states_the_resident_record_only_as_answered(rules: Any) -> None:
    def line(**changes: Any) -> list[str]:
        text = build("housing_eligibility_inquiry", rules, **changes).japanese_text
        return [x for x in text.splitlines() if x.startswith("住民登録")]

    assert line() == []
    assert line(person__resident_record=True) == ["住民登録　あり（住民票に記載されている）"]
    assert line(person__resident_record=False) == ["住民登録　なし"]
    letter = build("housing_eligibility_inquiry", rules, person__resident_record=True)
    assert "whether you are on the resident register" in letter.disclosures


@pytest.mark.parametrize("kind", letters.kinds())
def test_every_refusal_of_every_kind_is_translated_into_japanese(kind: str) -> None:
    from helper.letters.templates import template

    ja = catalogue("ja")
    easy = catalogue("ja@easy")
    for r in template(kind).refuse:
        assert ja(r.text) != r.text and easy(r.text) != r.text, r.text


def test_no_other_benefits_beside_a_benefit_found_in_the_results_is_flagged_on_paper(rules: Any) -> None:
    family = yodogawa(household__size=2, household__members=[{"age": 4, "relation": "child"}],
                      letter__members=[{"name": "マウン", "relation": "child", "birth_date": "2022-05-01",
                                        "sex": "male", "nationality": "ミャンマー",
                                        "residence_status": "permanent_resident"}])
    from helper.answers import Answers
    from helper.engine import evaluate

    outcome = next(r.outcome for r in evaluate(Answers.model_validate(family), rules, today=TODAY).results
                   if r.id == "child_allowance")
    assert outcome == "eligible", "the test needs a household the rules find eligible for 児童手当"
    letter = letters.build_letter("welfare_application", family, rules=rules, today=TODAY)
    flagged = [n for n in letter.notices if "may be entitled to" in n.text]
    assert flagged and "児童手当" in flagged[0].ja and "Child allowance" in flagged[0].translated()
    family["letter"].update(receives_other_benefits=True, other_benefits="児童手当 月額10,000円")
    letter = letters.build_letter("welfare_application", family, rules=rules, today=TODAY)
    assert not [n for n in letter.notices if "may be entitled to" in n.text]


# -- 生活保護: complete (issue 11) -------------------------------------------------------------------------------


def test_a_medical_need_asks_for_medical_assistance_even_without_urgency(rules: Any) -> None:
    text = build("welfare_application", rules, needs__urgent=False, needs__medical_care=True).japanese_text
    assert "医療扶助の適用（医療券の発行）を求めます。" in text and "急迫" not in text
    urgent = build("welfare_application", rules, needs__urgent=True, needs__medical_care=True).japanese_text
    assert "医療券の発行を求めます" in urgent and "医療扶助の適用" not in urgent  # said once, in the urgent clause
    assert "医療" not in build("welfare_application", rules, needs__urgent=False).japanese_text.split("要望事項")[1]


# -- other kinds (issue 12) --------------------------------------------------------------------------------------


def test_guarantor_waiver_offers_an_emergency_contact_only_when_named(rules: Any) -> None:
    assert "緊急連絡人" not in build("housing_guarantor_waiver", rules).japanese_text  # no empty heading
    letter = build("housing_guarantor_waiver", rules, letter__emergency_contact="山田 花子（支援者）")
    assert "緊急連絡人として山田 花子（支援者）を届け出ることができます。" in letter.japanese_text
    assert "the emergency contact you name" in letter.disclosures


def test_the_period_of_a_member_is_translated_with_its_date(rules: Any) -> None:
    members = [{"name": "Ali", "relation": "spouse", "birth_date": "1988-01-07", "sex": "male",
                "nationality": "スーダン", "residence_status": "long_term_resident", "residence_expiry": "2027-03-31"}]
    letter = build("welfare_application", rules, household__size=2, letter__members=members)
    line = next(p for p in letter.paragraphs if "Ali" in p.ja)
    assert "（令和9年3月31日まで）" in line.ja
    assert "(period of stay: until 2027-03-31)" in line.translated()
    assert "2027-03-31まで" in line.translated(catalogue("ja")) and "until" not in line.translated(catalogue("ja"))


SPOUSE = {"name": "Mohammed Ali", "relation": "spouse", "birth_date": "1988-01-07", "sex": "male",
          "nationality": "スーダン", "residence_status": "long_term_resident", "residence_expiry": "2027-03-31"}
CHILD = {"name": "山田 太郎", "relation": "child", "birth_date": "2019-05-01", "sex": "male", "nationality": "日本"}
DAUGHTER = {"name": "Sara", "relation": "child", "birth_date": "2020-02-02", "sex": "female",
            "nationality": "スーダン", "residence_status": "long_term_resident", "residence_expiry": "2027-03-31"}


def test_the_individual_number_is_optional_and_checked(rules: Any) -> None:
    without = build("welfare_application", rules)
    assert "個人番号" not in without.japanese_text  # left blank: no line
    assert any("空欄のままでもかまいません" in g.ja for g in without.guidance)  # the note that it may be left blank
    letter = build("welfare_application", rules, applicant__individual_number="1234 5678 9018")
    assert "個人番号　123456789018" in letter.japanese_text
    assert "your individual number (My Number)" in letter.disclosures
    assert squash("個人番号　123456789018") in squash(pdf_text(letters.render_pdf(letter, "ja")))
    with pytest.raises(letters.LetterInputError) as bad:  # a typing error: the check digit does not match
        build("welfare_application", rules, applicant__individual_number="123456789012")
    assert bad.value.field == "applicant.individual_number"
    assert "individual_number" not in {f.id.split(".")[-1] for f in build("nhi_instalment", rules).fields}


def test_every_members_card_is_attached_numbered_as_the_members_are(rules: Any) -> None:
    letter = build("welfare_application", rules, household__size=4, letter__members=[SPOUSE, CHILD, DAUGHTER])
    lines = letter.japanese_text.splitlines()
    attached = lines[lines.index("7　添付書類"):]
    assert "世帯員(1)(3)の在留カードの写し" in attached  # a Japanese member, (2), has no residence card
    english = "\n".join(letter.translation())
    assert "Copy of the residence card of each of household members (1)(3)" in english
    special = {**CHILD, "nationality": "韓国", "residence_status": "special_permanent_resident"}
    mixed = build("welfare_application", rules, household__size=4, letter__members=[SPOUSE, special, DAUGHTER])
    assert "世帯員(1)(3)の在留カードの写し\n世帯員(2)の特別永住者証明書の写し" in mixed.japanese_text
    ja = "\n".join(letter.translation(catalogue("ja")))
    assert "Copy of the" not in ja


def test_no_attachments_no_heading(rules: Any) -> None:
    text = build("welfare_application", rules, person__residence_status="no_status",
                 applicant__residence_card_number=None, letter__attachments=None).japanese_text
    assert "添付書類" not in text and text.rstrip().endswith("以上")


def test_grounds_against_the_family_enquiry_are_requests_from_the_2021_notices(rules: Any) -> None:
    letter = build("welfare_application", rules, letter__family_inquiry_grounds=["abroad", "violence"])
    text = letter.japanese_text
    notices = "令和3年2月26日付け事務連絡及び同年3月30日付け社援保発0330第1号"
    line = next(x for x in text.splitlines() if x.startswith(notices))
    assert line.count("として取り扱ってください") == 2  # each ground a request, not a finding
    assert "扶養義務者が国外に居住している者として取り扱ってください。" in line
    assert "照会が真に適当でない事情（暴力・虐待等）がある者として取り扱ってください" in line
    english = "\n".join(letter.translation())
    assert "Please treat me as someone whose relatives live abroad. Please treat me as someone for whom" in english
    assert "why you ask the office not to contact your relatives" in letter.disclosures
    assert "令和3年" not in build("welfare_application", rules).japanese_text  # none chosen: nothing printed


def test_grounds_that_contradict_the_answers_are_refused(rules: Any) -> None:
    exc = refused("welfare_application", rules, letter__relatives="none", letter__family_inquiry_grounds=["abroad"])
    assert exc.field == "letter.family_inquiry_grounds"
    assert refused("welfare_application", rules, letter__family_inquiry_grounds=["no_contact"]).field == \
        "letter.family_inquiry_grounds"  # no contact for 5 years, not about ten
    assert refused("welfare_application", rules, letter__relatives="helping", letter__relatives_no_contact_years=None,
                   letter__family_inquiry_grounds=["no_contact"]).field == "letter.family_inquiry_grounds"
    build("welfare_application", rules, letter__relatives_no_contact_years=12, letter__family_inquiry_grounds=[
        "no_contact"])
    assert refused("welfare_application", rules, letter__no_family_inquiry=None,
                   letter__family_inquiry_grounds=["violence"]).field == "letter.no_family_inquiry"


def test_a_relative_can_apply_for_the_person_in_need(rules: Any) -> None:
    letter = build("welfare_application", rules, letter__filer_name="Mohammed Ali", letter__filer_relation="spouse",
                   letter__filer_cohabits=True, letter__filer_postal_code="532-0023",
                   letter__filer_address="大阪市淀川区十三東1-2-3", household__size=2, letter__members=[SPOUSE])
    text = letter.japanese_text
    head = text.split("私は、")[0]
    assert "氏名　Mohammed Ali（要保護者の配偶者・同居）" in head
    assert "住所　〒532-0023　大阪市淀川区十三東1-2-3" in head
    assert "ဒေါ်အေးအေးမောင်" not in head  # the person in need is not the one who signs
    assert "下記1の者の配偶者として、生活保護法第7条に基づき" in text
    person = text.split("1　保護を必要とする者（要保護者）")[1].split("2　世帯員")[0]
    assert "氏名　ဒေါ်အေးအေးမောင်" in person
    assert "住所（居所）　〒532-0023　大阪市淀川区十三東1-2-3 ハイツ十三201号" in person
    assert "私は、生活保護法による保護の開始を申請します。" not in text and "申請者本人" not in text
    alone = build("welfare_application", rules, letter__filer_name="Mohammed Ali", letter__filer_relation="child",
                  letter__filer_address="東京都新宿区西新宿2-8-1").japanese_text
    assert "要保護者のみの単身世帯です。" in alone and "申請者のみ" not in alone
    assert "the name, address and relationship of the relative who applies" in letter.disclosures


def test_who_may_apply_for_someone_else_follows_article_7(rules: Any) -> None:
    with pytest.raises(letters.MissingFacts) as missing:
        build("welfare_application", rules, letter__filer_name="A B")
    assert set(missing.value.fields) == {"letter.filer_relation", "letter.filer_address"}
    filer = {"letter__filer_name": "A B", "letter__filer_address": "大阪市北区1-1"}
    assert refused("welfare_application", rules, letter__filer_relation="other", **filer).field == \
        "letter.filer_relation"  # not a relative
    with pytest.raises(letters.MissingFacts) as missing:  # another relative: only when living together
        build("welfare_application", rules, letter__filer_relation="other_relative", **filer)
    assert missing.value.fields == ["letter.filer_cohabits"]
    assert refused("welfare_application", rules, letter__filer_relation="other_relative", letter__filer_cohabits=False,
                   **filer).field == "letter.filer_cohabits"
    build("welfare_application", rules, letter__filer_relation="other_relative", letter__filer_cohabits=True, **filer)


# -- new kinds (issue 8 item 13) ------------------------------------------------------------------------------


def test_nhi_appeal_refuses_impossible_dates_and_warns_when_late(rules: Any) -> None:
    assert refused("nhi_appeal", rules, letter__decision_date=dt.date(2026, 12, 1)).field == "letter.decision_date"
    assert refused("nhi_appeal", rules, letter__decision_known_date=dt.date(2026, 12, 1)).field == \
        "letter.decision_known_date"
    exc = refused("nhi_appeal", rules, letter__decision_known_date=dt.date(2026, 9, 1))  # before the decision
    assert exc.field == "letter.decision_known_date" and "2026-10-01" in exc.error.text()
    on_time = build("nhi_appeal", rules, letter__decision_known_date=dt.date(2026, 10, 5))
    assert not any("period ended" in n.translated() for n in on_time.notices)
    late = build("nhi_appeal", rules, letter__decision_date=dt.date(2026, 8, 1),
                 letter__decision_known_date=dt.date(2026, 8, 28))  # the period ended on 28 November
    notice = next(n for n in late.notices if "period ended" in n.translated())
    assert "2026-11-28" in notice.translated() and "令和8年11月28日" in notice.ja
    assert "教示" not in build("nhi_appeal", rules).japanese_text  # not answered: not stated
    assert "教示はありませんでした。" in build("nhi_appeal", rules, letter__instruction_given=False).japanese_text
    with pytest.raises(letters.MissingFacts) as missing:
        build("nhi_appeal", rules, letter__decision="other")
    assert missing.value.fields == ["letter.decision_detail"]


def test_copayment_reduction_refuses_contradicting_answers(rules: Any) -> None:
    ok = {"needs__medical_care": True}
    assert refused("nhi_copayment_reduction", rules).field == "needs.medical_care"  # no medical care needed
    assert "一部負担金" in build("nhi_copayment_reduction", rules, needs__medical_care=None).japanese_text
    assert refused("nhi_copayment_reduction", rules, household__receiving_welfare=True, **ok).field == \
        "household.receiving_welfare"
    assert refused("nhi_copayment_reduction", rules, letter__event_date=dt.date(2026, 12, 15), **ok).field == \
        "letter.event_date"
    assert refused("nhi_copayment_reduction", rules, letter__expected_income=2000000, **ok).field == \
        "letter.expected_income"
    text = build("nhi_copayment_reduction", rules, letter__expected_income=2000000, letter__reduction_reason="disaster",
                 **ok).japanese_text
    assert "災害により損害を受け" in text and "著しく減少" not in text


def test_acceptance_demand_refuses_contradicting_answers(rules: Any) -> None:
    assert refused("welfare_acceptance", rules, letter__refusal_date=dt.date(2026, 12, 2)).field == \
        "letter.refusal_date"
    assert refused("welfare_acceptance", rules, household__receiving_welfare=True).field == \
        "household.receiving_welfare"
    with pytest.raises(letters.MissingFacts) as missing:  # the letter states what happened only as answered
        build("welfare_acceptance", rules, letter__refusal_kind=None, letter__application_enclosed=None)
    assert missing.value.fields == ["letter.refusal_kind", "letter.application_enclosed"]
