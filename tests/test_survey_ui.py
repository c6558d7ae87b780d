"""The campaign page's survey and petition sections (helper/ui/survey.py, helper/ui/petition.py), driven headless
with AppTest: a survey of 500 generated anonymised rows gives suppressed counts, a bad row is reported with its
number and field, and the petition citing them downloads as PDF and DOCX."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from tests.survey_data import survey_csv


def _app() -> None:
    import datetime as dt

    import streamlit as st

    from helper.gaps import gap_table
    from helper.ui import session
    from helper.ui.petition import petition_section
    from helper.ui.survey import survey_section

    session.init()
    st.session_state.lang = st.session_state.get("test_lang", "en")
    base = session.rules()
    as_of = dt.date(2026, 12, 4)
    groups = survey_section(base, as_of)
    st.session_state.test_groups = len(groups)
    petition_section(base, gap_table(base, "27100", as_of)["rows"], groups, place="27100")


def start(lang: str = "en") -> AppTest:
    at = AppTest.from_function(_app, default_timeout=60)
    at.session_state.test_lang = lang
    return at.run()


def texts(at: AppTest) -> str:
    shown = "\n".join([m.value for m in at.markdown] + [w.value for w in at.warning] + [e.value for e in at.error]
                       + [i.value for i in at.info] + [c.value for c in at.caption])
    return re.sub(r"\\(.)", r"\1", shown)  # as read on screen: Markdown's escapes removed


def test_a_survey_of_500_rows_gives_suppressed_counts_and_names_the_bad_row() -> None:
    at = start()
    assert not at.exception
    at.file_uploader(key="m_survey_upload").set_value(("survey.csv", survey_csv(500, bad_row=7).encode(), "text/csv"))
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "499 rows evaluated, 1 rows rejected." in shown
    assert re.search(r"Row 7: person\.age: ", shown), shown
    table = at.dataframe[0].value
    people = [str(v) for v in table["People"]]
    assert "<10" in people
    assert not any(v.isdigit() and 1 <= int(v) <= 9 for v in people)
    assert any(v.isdigit() and int(v) >= 10 for v in people)
    assert at.session_state.test_groups == 4
    # the gaps the counts show: 仮放免 excluded from NHI, with a published count
    assert re.search(r"provisional_release excluded from National Health Insurance[^:]*: [0-9]{2,}", shown), shown


def test_the_petition_cites_the_survey_and_downloads(tmp_path: object) -> None:
    at = start()
    at.file_uploader(key="m_survey_upload").set_value(("survey.csv", survey_csv(500).encode(), "text/csv"))
    at.run()
    assert "made public" in texts(at) or "published" in texts(at)
    at.radio(key="m_petition_kind").set_value("chinjo").run()
    assert at.selectbox(key="m_petition_to_chinjo").value == "大阪市会議長　様"
    at.multiselect(key="m_petition_gaps").set_value(["provisional_release:nhi", "provisional_release:welfare"]).run()
    assert not at.exception
    preview = "\n".join(t.value for t in at.text)
    assert "陳情書" in preview and "当会の調査" in preview and "以上" in preview
    assert "公開" not in preview  # the warning is on screen and on the preamble page, not in the body
    at.button(key="m_petition_pdf").click().run()
    assert not at.exception
    pdf = at.session_state.petition_pdf[1]
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert "公開" in pages[0] and "陳情書" in pages[1]
    at.button(key="m_petition_docx").click().run()
    assert at.session_state.petition_docx[1][:2] == b"PK"


def test_a_request_to_the_mayor_and_a_seigan_with_its_introducer_line() -> None:
    at = start("ja")
    at.radio(key="m_petition_kind").set_value("seigan").run()
    assert at.selectbox(key="m_petition_to_seigan").options == ["大阪市会議長　様", "衆議院議長　様", "参議院議長　様"]
    at.multiselect(key="m_petition_gaps").set_value(["provisional_release:nhi"]).run()
    at.text_input(key="m_petition_introducer").set_value("大阪 一郎").run()
    preview = "\n".join(t.value for t in at.text)
    assert "紹介議員　大阪 一郎" in preview and "請願事項" in preview
    assert "公開" in texts(at)  # the warning, in Japanese
    at.radio(key="m_petition_kind").set_value("yobo").run()
    preview = "\n".join(t.value for t in at.text)
    assert "大阪市長　様" in preview and "要望事項" in preview and "紹介議員" not in preview


def test_a_file_that_is_not_a_survey_is_refused_with_a_message() -> None:
    at = start()
    at.file_uploader(key="m_survey_upload").set_value(("names.csv", b"applicant.name,person.age\nx,3\n", "text/csv"))
    at.run()
    assert not at.exception
    assert any("cannot be read as a survey" in e.value for e in at.error)
    at.file_uploader(key="m_survey_upload").set_value(("bad.csv", b"\xff\xfe\x00", "text/csv"))
    at.run()
    assert any("UTF-8" in e.value for e in at.error)
