"""The Streamlit app, driven headless with AppTest as a person would use it."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from helper.answers import Answers
from helper.savefile import dump
from tests.apptest_driver import answer, current_question, start, walk

PERMANENT_RESIDENT = {
    "municipality": "532-0023", "person.residence_status": "permanent_resident", "person.refugee_procedure": "none",
    "person.age": 34, "person.employee_insurance": False, "person.pregnant": False,
    "person.disability_certificate": False, "household.size": 1, "household.monthly_income": 0,
    "household.savings": 20000, "household.housing": "renting", "household.monthly_rent": 35000,
    "household.receiving_welfare": False, "household.income_declared": False, "household.nhi_arrears": False,
    "needs.medical_care": False, "needs.urgent": True,
}
REFUGEE_APPLICANT = {
    "municipality": "532-0023", "person.residence_status": "designated_activities",
    "person.designated_activity": "refugee_applicant", "person.period_of_stay_months": 6,
    "person.refugee_procedure": "applicant", "person.refugee_application_number": 1, "person.age": 29,
    "person.employee_insurance": False, "person.work_permitted": False, "person.pregnant": False,
    "person.disability_certificate": False, "household.size": 2, "household.members": [{"age": 7, "relation": "child"}],
    "household.monthly_income": 0, "household.savings": 5000, "household.housing": "renting",
    "household.monthly_rent": 30000, "household.receiving_welfare": False, "household.receiving_rhq": False,
    "household.income_declared": False, "household.nhi_arrears": False, "needs.medical_care": True,
    "needs.urgent": True,
}
PROVISIONAL_RELEASE = {
    "municipality": "532-0023", "person.residence_status": "provisional_release", "person.period_of_stay_months": 0,
    "person.refugee_procedure": "refused", "person.age": 41, "person.employee_insurance": False,
    "person.pregnant": False, "household.size": 1, "household.monthly_income": 0, "household.savings": 0,
    "household.housing": "staying_with_others", "household.receiving_welfare": False,
    "needs.medical_care": True, "needs.urgent": True,
}
PEOPLE = {
    "permanent_resident": (PERMANENT_RESIDENT, {"welfare": "eligible", "nhi": "eligible"}),
    "refugee_applicant": (REFUGEE_APPLICANT, {"welfare": "not_eligible", "nhi": "eligible",
                                              "rhq_protection": "eligible"}),
    "provisional_release": (PROVISIONAL_RELEASE, {"welfare": "not_eligible", "nhi": "not_eligible",
                                                  "public_housing": "not_eligible",
                                                  "free_low_cost_clinic": "eligible"}),
}


def outcomes(at: AppTest) -> dict[str, str]:
    from helper.engine import evaluate
    from helper.rules.loader import load_rules

    result = evaluate(Answers.model_validate(at.session_state.answers), load_rules(include_tests=False))
    return {r.id: r.outcome for r in result.results}


def texts(at: AppTest) -> str:
    """Every text on the page as shown (Markdown escapes removed)."""
    raw = "\n".join([m.value for m in at.markdown] + [s.value for s in at.subheader] + [i.value for i in at.info]
                    + [w.value for w in at.warning] + [c.value for c in at.caption])
    return re.sub(r"\\(.)", r"\1", raw)


@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_guided_mode_end_to_end(who: str) -> None:
    person, expected = PEOPLE[who]
    at = start("en")
    asked = walk(at, person)
    assert asked[0] == "municipality" and "person.residence_status" in asked
    assert set(asked) <= set(person), "asked something the person's answers do not cover"
    got = outcomes(at)
    assert {k: got[k] for k in expected} == expected
    page = texts(at)
    assert "淀川区保健福祉センター" in page  # the right counter, with its address
    assert "十三東2-3-3" in page


def test_guided_mode_asks_only_what_can_change_an_outcome() -> None:
    at = start("en")
    asked = walk(at, PROVISIONAL_RELEASE)
    # Without status, rent and savings do not matter: public assistance is closed whatever they are. The
    # age is asked, since the person may be a child (school, vaccinations).
    assert "household.monthly_rent" not in asked and "household.savings" not in asked
    assert "person.age" in asked
    # Housing is asked: without a home, emergency relief for the sick (行旅病人) is the law's own case.
    assert "household.housing" in asked
    assert len(asked) <= 12


def test_back_keeps_the_answers() -> None:
    at = start("en")
    at = answer(at, "municipality", "532-0023")
    at = answer(at, "person.residence_status", "student")
    assert at.session_state.answers["person"]["residence_status"] == "student"
    at = at.button(key="g_back").click().run()
    assert current_question(at) == "person.residence_status"
    assert at.radio(key="g_person.residence_status").value == "student"
    assert at.session_state.answers["municipality"] == "27123"


def test_i_dont_know_is_never_asked_again_and_leaves_the_fact_unknown() -> None:
    at = start("en")
    at = answer(at, "municipality", "532-0023")
    at = answer(at, "person.residence_status", None)
    assert "person.residence_status" in at.session_state.dont_know
    assert current_question(at) != "person.residence_status"
    assert "residence_status" not in at.session_state.answers["person"]


def test_an_unknown_postal_code_is_refused_with_a_message() -> None:
    at = start("en")
    at.text_input(key="g_postal").input("000-0000").run()
    assert at.error and "postal code" in at.error[0].value


def consult(at: AppTest, person: dict[str, Any]) -> AppTest:
    at = at.switch_page("app_pages/consultation.py").run()
    at.text_input(key="c_postal").input(person["municipality"]).run()
    for _ in range(3):  # questions appear as earlier answers make them relevant
        for fact, value in person.items():
            if fact == "municipality":
                continue
            key = f"c_{fact}"
            if any(w.key == key for w in at.radio):
                if at.radio(key=key).value != value:
                    at.radio(key=key).set_value(value).run()
            elif any(w.key == key for w in at.number_input):
                if at.number_input(key=key).value != value:
                    at.number_input(key=key).set_value(value).run()
            elif any(w.key == key for w in at.text_input):
                at.text_input(key=key).input(", ".join(str(a) for a in value)).run()
            assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_consultation_mode_end_to_end(who: str) -> None:
    person, expected = PEOPLE[who]
    at = consult(start("en"), person)
    got = outcomes(at)
    assert {k: got[k] for k in expected} == expected
    summary = "\n".join(m.value for m in at.markdown)
    assert "Public assistance" in summary and ("Not available to you" in summary or "You can probably" in summary)


def test_switching_language_keeps_the_answers() -> None:
    at = start("en")
    at = answer(at, "municipality", "532-0023")
    at = answer(at, "person.residence_status", "permanent_resident")
    before = json.dumps(at.session_state.answers, sort_keys=True)
    at.sidebar.selectbox(key="lang").set_value("ar").run()
    assert not at.exception
    assert at.session_state.lang == "ar"
    assert json.dumps(at.session_state.answers, sort_keys=True) == before
    assert any("direction:rtl" in h.value for h in at.get("html")), "right-to-left layout for Arabic"
    at.sidebar.selectbox(key="lang").set_value("ja").run()
    assert json.dumps(at.session_state.answers, sort_keys=True) == before
    assert not any("direction:rtl" in h.value for h in at.get("html"))


def test_two_sessions_do_not_see_each_other() -> None:
    one, two = start("ja"), start("ar")
    one = answer(one, "municipality", "532-0023")
    one = answer(one, "person.residence_status", "permanent_resident")
    two = two.run()
    assert two.session_state.answers.get("person", {}) == {}
    assert "municipality" not in two.session_state.answers
    one = one.run()
    assert one.session_state.lang == "ja" and two.session_state.lang == "ar"
    assert one.session_state.answers["person"]["residence_status"] == "permanent_resident"


def save_page(at: AppTest) -> AppTest:
    return at.switch_page("app_pages/save.py").run()


def upload(at: AppTest, data: bytes, passphrase: str = "", name: str = "answers.json") -> AppTest:
    at.file_uploader(key="m_upload").set_value((name, data, "application/json")).run()
    if passphrase:
        at.text_input(key="m_resume_pass").input(passphrase).run()
    return at.button(key="m_resume").click().run()


def test_save_and_resume_with_a_passphrase() -> None:
    at = start("en")
    walk(at, REFUGEE_APPLICANT)
    saved = json.dumps(at.session_state.answers, sort_keys=True)
    at = save_page(at)
    at.text_input(key="m_save_pass").input("correct horse battery").run()
    at.text_input(key="m_save_pass2").input("correct horse battery").run()
    at = at.button(key="m_prepare").click().run()
    data = at.session_state.save_bytes
    assert b"refugee_applicant" not in data  # encrypted
    fresh = save_page(start("en"))
    fresh = upload(fresh, data, "correct horse battery")
    assert fresh.success and not fresh.error
    assert json.dumps(fresh.session_state.answers, sort_keys=True) == saved


def test_wrong_passphrase_or_tampered_file_leaves_the_answers_untouched() -> None:
    data = dump(Answers.model_validate({"version": 1, "person": {"age": 30}}), "correct horse battery")
    at = start("en")
    at = answer(at, "municipality", "532-0023")
    before = json.dumps(at.session_state.answers, sort_keys=True)
    at = save_page(at)
    at = upload(at, data, "wrong passphrase!")
    assert at.error and "Nothing was loaded" in at.error[0].value
    tampered = bytearray(data)
    i = data.index(b'"ciphertext": "') + 20
    tampered[i] = ord("A") if tampered[i] != ord("A") else ord("B")
    at = upload(at, bytes(tampered), "correct horse battery")
    assert at.error
    assert json.dumps(at.session_state.answers, sort_keys=True) == before


HOSTILE = [
    ("wrong type", b'{"version": 1, "person": {"age": "thirty"}}'),
    ("unknown key", b'{"version": 1, "person": {"agee": 30}}'),
    ("not json", b"\x89PNG\r\n\x1a\n\x00\x00binary"),
    ("huge", b'{"version": 1, "applicant": {"name": "' + b"A" * 1_100_000 + b'"}}'),
    ("deep", b"[" * 5000 + b"]" * 5000),
    ("yaml tag", b"version: 1\nperson: !!python/object/new:os.system [touch /tmp/kh-pwned]\n"),
    ("alias bomb", b"version: 1\na: &a [1,1]\nb: &b [*a,*a]\nc: [*b,*b]\n"),
    ("html in name", b'{"version": 1, "applicant": {"name": "<script>alert(1)</script>"}}'),
    ("markdown link", b'{"version": 1, "applicant": {"name": "[click](javascript:alert(1))"}}'),
    ("bad municipality", b'{"version": 1, "municipality": "<img src=x onerror=alert(1)>"}'),
]


@pytest.mark.parametrize(("label", "data"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_answers_files_are_refused_or_inert(label: str, data: bytes) -> None:
    at = start("en")
    at = answer(at, "municipality", "532-0023")
    before = json.dumps(at.session_state.answers, sort_keys=True)
    at = upload(save_page(at), data)
    assert not at.exception
    page = "\n".join(m.value for m in at.markdown)
    assert "<script>" not in page and "javascript:" not in page
    if at.error:
        assert json.dumps(at.session_state.answers, sort_keys=True) == before
    else:  # accepted: the text is data, shown nowhere as markup
        assert at.success
    import os

    assert not os.path.exists("/tmp/kh-pwned")


def test_erase_and_exit_forgets_everything() -> None:
    at = start("en")
    at = answer(at, "municipality", "532-0023")
    at = answer(at, "person.residence_status", "permanent_resident")
    at = at.sidebar.button(key="sidebar_erase").click().run()
    assert "municipality" not in at.session_state.answers
    assert at.session_state.answers["person"] == {}
    assert at.success and "erased" in at.success[0].value
    assert any(b.key == "g_start" for b in at.button), "erasing starts again from the start page"


def test_every_page_renders_in_every_language() -> None:
    from helper.i18n import LANGUAGES

    for code in LANGUAGES:
        at = start(code)
        for page in ("app_pages/consultation.py", "app_pages/results.py", "app_pages/save.py",
                     "app_pages/about.py"):
            at = at.switch_page(page).run()
            assert not at.exception, (code, page, at.exception)


def test_side_by_side_shows_japanese_beside_the_users_language() -> None:
    at = start("en")
    walk(at, PERMANENT_RESIDENT)
    at.sidebar.toggle(key="side_by_side").set_value(True).run()
    assert not at.exception
    page = texts(at)
    from helper.rules.loader import load_rules

    english = load_rules(include_tests=False).conditions["welfare.status_in_scope"][0].explain.pass_
    assert english in page
    from helper.i18n import translator

    japanese = translator("ja")(english)
    assert japanese != english and japanese in page


@pytest.mark.parametrize("lang", ["ja", "ja@easy"])
def test_reviewed_japanese_pages_show_no_english_headings(lang: str) -> None:
    at = start(lang)
    walk(at, PERMANENT_RESIDENT)
    headings = [s.value for s in at.subheader] + [e.label for e in at.expander]
    english = [h for h in headings if re.search(r"[A-Za-z]{4,}", h.replace("RHQ", ""))]
    assert english == [], english


def test_start_page_says_what_it_does_that_nothing_is_stored_and_offers_the_languages() -> None:
    from tests.apptest_driver import APP

    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = "en"
    at.run()
    assert current_question(at) is None, "the start page asks nothing yet"
    page = texts(at)
    assert "Nothing is stored" in page and "Reloading or closing the page starts again" in page
    assert re.search(r"About \d+ short questions", page)
    at.button_group(key="g_start_lang").set_value("my").run()  # the languages are on the page, not in a menu
    assert at.session_state.lang == "my" and not at.exception
    assert any(b.key == "g_start" for b in at.button), "still on the start page"
    at = at.button(key="g_start").click().run()
    assert current_question(at) == "municipality"


def progress_of(at: AppTest) -> tuple[float, str]:
    bar = at.get("progress")[0]
    return bar.proto.value, bar.proto.text


def test_progress_says_step_n_of_about_m_and_never_goes_backwards() -> None:
    at = start("en")
    seen = [progress_of(at)]
    assert re.fullmatch(r"Step 1 of about \d+", seen[0][1])
    for fact in ("municipality", "person.residence_status", "person.designated_activity"):
        at = answer(at, fact, REFUGEE_APPLICANT[fact])
        seen.append(progress_of(at))
    at = at.button(key="g_back").click().run()  # Back: the step number goes back, the bar does not
    seen.append(progress_of(at))
    shares = [s for s, _t in seen]
    assert shares == sorted(shares) and shares[-2] > shares[0]
    assert seen[-1][1].startswith("Step 3 of about")


def test_the_hint_is_under_the_question_and_the_question_is_shown_once() -> None:
    at = start("en")
    at = answer(at, "municipality", "532-0023")
    from helper.rules.loader import load_rules

    q = next(q for q in load_rules(include_tests=False).questions if q.fact == "person.residence_status")
    assert q.help
    assert [s.value for s in at.subheader] == [q.prompt]
    assert q.help in texts(at)
    radio = at.radio(key="g_person.residence_status")
    assert radio.help in (None, "") and radio.proto.label_visibility.value == 2  # collapsed: read, not shown twice


def test_end_page_lists_every_answer_each_editable_then_the_ways_on() -> None:
    at = start("en")
    person = {**PERMANENT_RESIDENT, "household.savings": None}  # "I don't know"
    walk(at, person)
    assert current_question(at) is None
    assert at.title[0].value == "Check your answers"
    page = texts(at)
    assert "Permanent resident" in page and "I don't know" in page and "¥35,000" in page
    assert "Ōsaka-shi Yodogawa-ku" in page  # the place readable without kanji
    changes = [b.key for b in at.button if b.key and b.key.startswith("g_change_")]
    assert "g_change_household.savings" in changes and "g_change_municipality" in changes
    labels = [link.proto.label for link in at.get("page_link")]
    assert {"Write a request letter", "Save your answers", "Full results"} <= set(labels)
    at = at.button(key="g_change_household.monthly_rent").click().run()
    assert current_question(at) == "household.monthly_rent"
    at = answer(at, "household.monthly_rent", 40000)
    assert current_question(at) is None and at.title[0].value == "Check your answers"
    assert "¥40,000" in texts(at)
    at = at.button(key="g_print").click().run()
    assert at.session_state.m_print is True and at.toggle(key="m_print").value is True


def test_i_dont_know_answers_are_saved_and_resumed() -> None:
    at = start("en")
    walk(at, {**PERMANENT_RESIDENT, "household.savings": None})
    assert at.session_state.dont_know == ["household.savings"]
    at = save_page(at)
    at.radio(key="m_save_mode").set_value("plain").run()
    at.checkbox(key="m_plain_ok").check().run()
    at = at.button(key="m_prepare").click().run()
    assert json.loads(at.session_state.save_bytes)["unknown"] == ["household.savings"]
    fresh = upload(save_page(start("en")), at.session_state.save_bytes)
    assert fresh.session_state.dont_know == ["household.savings"]
    assert "unknown" not in fresh.session_state.answers
    fresh = fresh.switch_page("app_pages/guided.py").run()
    fresh = fresh.button(key="g_start").click().run()
    assert current_question(fresh) is None, "nothing asked again, the savings included"
    assert "I don't know" in texts(fresh)


def test_a_japanese_reader_sees_source_titles_in_japanese_on_screen_and_in_the_print_view() -> None:
    """A source cited with a title written in English (the 1990 oral instruction) is named in Japanese."""
    from helper.rules.loader import load_rules

    english = load_rules(include_tests=False).sources["instruction_1990"][0].title
    assert re.search(r"[A-Za-z]{4,}", english)
    japanese = "1990年の口頭指示（準用を身分又は地位に基づく在留資格に限定）"
    at = start("ja")
    walk(at, PERMANENT_RESIDENT)
    at.switch_page("app_pages/results.py").run()
    captions = "\n".join(re.sub(r"\\(.)", r"\1", c.value) for c in at.caption)
    assert japanese in captions and english not in captions
    at.toggle(key="m_print").set_value(True).run()
    assert not at.exception
    printed = re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))
    assert japanese in printed and english not in printed
