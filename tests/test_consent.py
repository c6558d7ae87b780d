"""The consent screen: the person's language, both ticks before anything counts, honest about gaps."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from helper import consent


def test_the_points_read_in_japanese_easy_japanese_and_english_with_the_retention_period() -> None:
    for code in ("ja", "ja@easy", "en"):
        assert consent.translated(code)
        points = consent.points(code, 90)
        assert len(points) == len(consent.POINTS) and any("90" in p for p in points)
        assert not any("{days}" in p for p in points)
    assert consent.points("ja")[3] == "最後に変更してから180日たつと、自動的に削除されます。"


def test_a_language_without_the_text_needs_an_interpreter() -> None:
    assert not consent.translated("xx")
    untranslated = [c for c in ("my", "ne", "vi", "si", "tr", "ku", "fr", "ar", "fa", "tl")
                    if not consent.translated(c)]
    assert untranslated  # today only ja, ja@easy and en carry it: the screen must say so for the others
    with pytest.raises(ValueError):
        consent.give("xx", dt.date(2026, 12, 4))


def consent_app() -> None:
    import datetime as dt

    import streamlit as st

    from helper.ui import session
    from helper.ui.consent import consent_section

    session.init()
    st.session_state.lang = "ja"
    st.session_state.result = consent_section(today=dt.date(2026, 12, 4))


def test_nothing_counts_until_the_person_agreed_and_the_staff_member_explained() -> None:
    at = AppTest.from_function(consent_app, default_timeout=30)
    at.run()
    assert at.session_state.result is None
    assert "保存の前に" in at.subheader[0].value
    at.selectbox(key="m_consent_lang").set_value("tr").run()
    assert "通訳" in at.warning[0].value  # Turkish has no consent text yet
    at.selectbox(key="m_consent_lang").set_value("en").run()
    assert not at.warning
    assert "deleted automatically 180 days" in " ".join(m.value for m in at.markdown)
    assert "自動的に削除" in " ".join(c.value for c in at.caption)  # Japanese beside it
    at.checkbox(key="m_consent_agree").check().run()
    assert at.checkbox(key="m_consent_agree").label.startswith("The person agrees")  # in their language
    assert at.session_state.result is None  # the staff member has not confirmed yet
    at.checkbox(key="m_consent_explained").check().run()
    assert at.session_state.result == consent.Consent(consent.VERSION, "en", dt.date(2026, 12, 4), 180)
