"""The letter page: a supporter fills in a 生活保護 application for a permanent resident in 淀川区."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.apptest_driver import start, walk
from tests.test_app import PERMANENT_RESIDENT

REASON = "job_loss"
APPLICANT = {
    "applicant.name": "グエン・ティ・ラン", "applicant.address": "大阪市淀川区十三本町1-2-3",
    "applicant.birth_date": "1992-04-01",
    "applicant.nationality": "ベトナム", "applicant.phone": "090-1234-5678",
    "applicant.residence_card_number": "AB12345678CD",
}

CHOICES = {"applicant.sex": "female", "letter.work": "job_seeking", "letter.relatives": "abroad"}


def letter_page(lang: str) -> AppTest:
    at = start(lang)
    walk(at, PERMANENT_RESIDENT)
    return at.switch_page("app_pages/letter.py").run()


def fill(at: AppTest, kind: str, values: dict[str, str], choices: dict[str, str],
         many: dict[str, list[str]] | None = None) -> AppTest:
    for fid, value in values.items():
        at.text_input(key=f"m_letter_{kind}_{fid}").input(value)
    for fid, value in choices.items():
        at.selectbox(key=f"m_letter_{kind}_{fid}").set_value(value)
    for fid, value in (many or {}).items():
        at.multiselect(key=f"m_letter_{kind}_{fid}").set_value(value)
    return submit(at, kind)


def submit(at: AppTest, kind: str) -> AppTest:
    buttons = [b for b in at.button if b.proto.form_id == f"m_letter_form_{kind}"]
    return buttons[0].click().run()


def test_welfare_application_for_a_permanent_resident_in_yodogawa() -> None:
    at = letter_page("my")
    assert not at.exception, at.exception
    kind = "welfare_application"
    assert at.selectbox(key="m_letter_kind").value == kind
    at = fill(at, kind, APPLICANT, {**CHOICES, "letter.receives_other_benefits": "no"},
              {"letter.reasons": [REASON]})
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    japanese = "\n".join(t.value for t in at.text)
    assert "生活保護法による保護の開始を申請します" in japanese
    assert "14日以内" in japanese  # the written decision is asked for unless someone unticks it
    assert "淀川区" in japanese and "グエン・ティ・ラン" in japanese and "ベトナム" in japanese
    assert any(m for m in at.markdown if "-" in m.value)  # the disclosures list
    at = at.button(key="m_letter_pdf").click().run()
    assert not at.exception, at.exception
    kind_done, pdf = at.session_state.letter_pdf
    assert kind_done == kind and pdf.startswith(b"%PDF")


def test_a_bad_value_is_refused_with_a_message_and_the_letter_kept() -> None:
    at = letter_page("en")
    kind = "welfare_application"
    at = fill(at, kind, {**APPLICANT, "applicant.phone": "call me maybe"}, {"applicant.sex": "female"})
    assert at.error and any("phone" in e.value.lower() for e in at.error)
    assert "applicant.phone" not in at.session_state.letter_overrides[kind]


def test_an_untouched_fact_states_nothing() -> None:
    """Nobody chose "no other benefits": the letter asks for the answer instead of printing a "no"."""
    at = letter_page("en")
    kind = "welfare_application"
    at = fill(at, kind, APPLICANT, CHOICES, {"letter.reasons": [REASON]})
    assert not at.exception, at.exception
    assert any("Do you receive a pension, allowance or other benefit?" in w.value for w in at.warning)
    assert not any("受けていません" in t.value for t in at.text)
    at = submit(fill(at, kind, {}, {"letter.receives_other_benefits": "no"}), kind)
    assert any("年金・手当等の給付は受けていません" in t.value for t in at.text)


def test_contradicting_answers_are_refused_on_the_page() -> None:
    at = letter_page("en")
    kind = "welfare_application"
    at = fill(at, kind, APPLICANT, {**CHOICES, "letter.receives_other_benefits": "no",
                                    "letter.has_other_assets": "no"},
              {"letter.reasons": [REASON]})
    at = fill(at, kind, {"letter.other_assets": "自動車1台"}, {})
    assert any("cannot be written" in e.value and "no other assets" in e.value for e in at.error)
    assert not any("以上" in t.value for t in at.text)


def test_the_translation_language_is_chosen_on_the_letter_page() -> None:
    at = letter_page("en")
    kind = "welfare_application"
    at = fill(at, kind, APPLICANT, {**CHOICES, "letter.receives_other_benefits": "no"},
              {"letter.reasons": [REASON]})
    assert any("I apply for the start of protection" in t.value for t in at.text)
    at = at.selectbox(key="m_letter_lang").set_value("ja@easy").run()
    assert not at.exception, at.exception
    assert at.session_state.lang == "en"  # the interface stays in English
    assert not any("I apply for the start of protection" in t.value for t in at.text)
