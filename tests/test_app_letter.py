"""The letter page: a supporter fills in a 生活保護 application for a permanent resident in 淀川区."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from helper.letters import editable_fields, kinds
from helper.letters.templates import review_sections, section_headings
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


# ---- the review form: sections, hints, marks, errors beside the field, no ids (issue 8 item 14)

# an answers path, a member's index, a Python-style name (letter.nhi_number, household.members[1], national_pension)
RAW_ID = re.compile(r"\b(?:letter|applicant|household|person|supporter|needs|municipality)\.[a-z_*]"
                    r"|\[[0-9]+\]|\b[a-z]+_[a-z_]+\b|\bm_letter|\{[a-z_.]+\}")


def page_texts(at: AppTest) -> list[str]:
    """Every text the page shows: headings, paragraphs, messages, labels, options, buttons."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "warning", "error", "info",
                 "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    for kind in ("selectbox", "multiselect", "radio"):
        for w in getattr(at, kind):
            out.append(w.label)
            out += [str(o) for o in w.options]
    for kind in ("text_input", "text_area", "checkbox", "number_input", "button"):
        out += [w.label for w in getattr(at, kind)]
    return out


def in_order(node) -> list:
    """The page's elements as they are shown, top to bottom (inside forms and columns too)."""
    children = getattr(node, "children", None)
    if not children:
        return [node]
    return [e for key in sorted(children) for e in in_order(children[key])]


def plain(value: str) -> str:
    return value.replace("\\", "")


def kind_page(kind: str, lang: str = "en") -> AppTest:
    at = letter_page(lang)
    return at.selectbox(key="m_letter_kind").set_value(kind).run()


@pytest.mark.parametrize("kind", kinds())
def test_every_field_is_in_exactly_one_section(kind: str) -> None:
    grouped = [fid for _section, fids in review_sections(kind) for fid in fids]
    assert sorted(grouped) == sorted(s.id for s in editable_fields(kind))
    assert len(grouped) == len(set(grouped))
    assert [s for s, _f in review_sections(kind)] == [s for s in section_headings()
                                                       if s in {x for x, _f in review_sections(kind)}]


@pytest.mark.parametrize("kind", kinds())
def test_no_raw_id_on_the_page_for_any_letter(kind: str) -> None:
    at = kind_page(kind)
    assert not at.exception, at.exception
    if kind in ("welfare_application", "nhi_income_declaration", "nhi_reduction"):
        # members listed, a value refused, then what the letter still needs
        at = fill(at, kind, {"household.size": "3", "applicant.phone": "call me"} if any(
            w.key == f"m_letter_{kind}_applicant.phone" for w in at.text_input) else {"household.size": "3"}, {})
        assert any(w.key == f"m_letter_{kind}_letter.members.1.name" for w in at.text_input)
    else:
        at = submit(at, kind)
    assert not at.exception, at.exception
    texts = page_texts(at)
    assert [s for s in section_headings().values() if s in [e.value for e in at.subheader]]
    leaked = [t for t in texts if RAW_ID.search(t)]
    assert leaked == [], leaked


def test_sections_hints_and_the_legend_are_shown_and_translated() -> None:
    at = kind_page("welfare_application", "ja")
    subheaders = [e.value for e in at.subheader]
    for heading in ("The person the letter is for", "The household and its members", "Documents attached"):
        assert heading not in subheaders  # translated
    captions = [plain(e.value) for e in at.caption]
    assert any("2026-12-04" in c for c in captions) and any("06-1234-5678" in c for c in captions)
    assert any("532-0023" in c for c in captions) and any("AB12345678CD" in c for c in captions)
    assert any(c.startswith("*") for c in captions)  # the legend of the marks


def test_the_relatives_relationship_is_marked_only_when_a_relative_applies() -> None:
    kind = "welfare_application"
    at = kind_page(kind)
    relation = f"m_letter_{kind}_letter.filer_relation"
    assert not at.selectbox(key=relation).label.endswith("*")
    assert at.text_input(key=f"m_letter_{kind}_applicant.name").label.endswith("*")  # always needed
    at = fill(at, kind, {"letter.filer_name": "グエン・ヴァン・ミン"}, {})
    assert at.selectbox(key=relation).label.endswith("*")
    assert any("What the relative who applies is to the person in need" in w.value for w in at.warning)


def test_a_refused_value_is_explained_beside_its_field() -> None:
    kind = "welfare_application"
    at = fill(kind_page(kind), kind, {"applicant.phone": "call me maybe"}, {})
    assert at.text_input(key=f"m_letter_{kind}_applicant.phone").value == "call me maybe"  # kept to correct
    shown = in_order(at.main)
    where = next(i for i, e in enumerate(shown) if getattr(e, "key", None) == f"m_letter_{kind}_applicant.phone")
    after = shown[where + 1:where + 3]  # the hint, then the message
    assert plain(after[0].value).startswith("Digits and hyphens, such as 06-1234-5678")
    assert after[1].type == "error" and "Phone: is not a phone number" in plain(after[1].value), after
    assert any("see the messages under the fields" in e.value for e in at.error)  # and at the top


def test_a_member_who_is_a_japanese_national_has_no_residence_card_line() -> None:
    kind = "welfare_application"
    at = kind_page(kind)
    at = fill(at, kind, {**APPLICANT, "household.size": "3"},
              {**CHOICES, "letter.receives_other_benefits": "no"}, {"letter.reasons": [REASON]})
    members = {
        "letter.members.0.name": "グエン・ヴァン・ミン", "letter.members.0.birth_date": "1990-05-01",
        "letter.members.1.name": "グエン・ティ・ハ", "letter.members.1.birth_date": "2020-06-01",
        "letter.members.1.nationality": "ベトナム",
    }
    for fid, value in members.items():
        at.text_input(key=f"m_letter_{kind}_{fid}").input(value)
    for fid, value in {"letter.members.0.relation": "spouse", "letter.members.0.sex": "male",
                       "letter.members.1.relation": "child", "letter.members.1.sex": "female",
                       "letter.members.1.residence_status": "permanent_resident"}.items():
        at.selectbox(key=f"m_letter_{kind}_{fid}").set_value(value)
    at.selectbox(key=f"m_letter_{kind}_nationality_0").set_value("japanese")
    at.selectbox(key=f"m_letter_{kind}_nationality_1").set_value("foreign")
    at = submit(at, kind)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    japanese = "\n".join(t.value for t in at.text)
    first = next(line for line in japanese.splitlines() if "グエン・ヴァン・ミン" in line)
    assert "国籍：日本" in first and "在留資格" not in first
    second = next(line for line in japanese.splitlines() if "グエン・ティ・ハ" in line)
    assert "国籍：ベトナム" in second and "在留資格" in second
    assert "世帯員(2)の在留カードの写し" in japanese and "世帯員(1)(2)" not in japanese
    # the member's status is not asked once they are a Japanese national
    assert not any(w.key == f"m_letter_{kind}_letter.members.0.residence_status" for w in at.selectbox)


def test_a_member_who_is_no_longer_a_japanese_national_is_asked_their_nationality() -> None:
    kind = "welfare_application"
    at = fill(kind_page(kind), kind, {"household.size": "2"}, {})
    nationality = f"m_letter_{kind}_letter.members.0.nationality"
    at.selectbox(key=f"m_letter_{kind}_nationality_0").set_value("japanese")
    at = submit(at, kind)
    assert at.session_state.letter_overrides[kind]["letter.members.0.nationality"] == "日本"
    assert not any(w.key == nationality for w in at.text_input)  # not asked of a Japanese national
    at.selectbox(key=f"m_letter_{kind}_nationality_0").set_value("foreign")
    at = submit(at, kind)
    assert at.text_input(key=nationality).value == ""
    at = fill(at, kind, {"letter.members.0.nationality": "日本"}, {})
    assert any("Japanese national" in e.value for e in at.error)
