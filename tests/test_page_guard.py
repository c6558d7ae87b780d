"""A page that raises: a translated message and a way on, the answers kept, the log told the type only."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest


def failing_app() -> None:
    import streamlit as st

    from helper.ui import guard, session

    session.init()
    st.session_state.lang = st.query_params.get("lang", "en")
    st.session_state.answers["applicant.name"] = "kept"

    class FailingPage:
        def run(self) -> None:
            raise KeyError("ZQX-CANARY-6630")

    guard.run_page(FailingPage())


@pytest.mark.parametrize(("lang", "expected"), [("en", "Something went wrong"), ("ja", "問題")])
def test_a_failing_page_is_caught(lang: str, expected: str, caplog: pytest.LogCaptureFixture) -> None:
    at = AppTest.from_function(failing_app, default_timeout=30)
    at.query_params["lang"] = lang
    with caplog.at_level(logging.DEBUG):
        at.run()
    assert not at.exception
    assert expected in at.error[0].value
    assert at.button(key="m_failure_retry")
    shown = " ".join(str(e.value) for kind in (at.error, at.info, at.markdown) for e in kind)
    assert "ZQX-CANARY-6630" not in shown and "KeyError" not in shown
    assert "ZQX-CANARY-6630" not in caplog.text and "KeyError" in caplog.text
    at.button(key="m_failure_retry").click().run()  # "Try again": the answers are still there
    assert at.session_state.answers["applicant.name"] == "kept"


def failing_callback_app() -> None:
    import streamlit as st

    from helper.ui import guard, session

    session.init()
    st.session_state.lang = st.query_params.get("lang", "en")
    st.session_state.answers["applicant.name"] = "kept"

    @guard.callback
    def fail() -> None:
        raise ValueError("ZQX-CANARY-7741")

    class Page:
        def run(self) -> None:
            st.button("Press", key="press", on_click=fail)

    guard.run_page(Page())


def test_a_failing_callback_is_caught_like_a_page(caplog: pytest.LogCaptureFixture) -> None:
    # Streamlit runs callbacks before the page, outside run_page: without the guard its own error shows.
    at = AppTest.from_function(failing_callback_app, default_timeout=30)
    at.query_params["lang"] = "ja"
    at.run()
    assert not at.error
    with caplog.at_level(logging.DEBUG):
        at.button(key="press").click().run()
    assert not at.exception
    assert "問題" in at.error[0].value
    assert at.button(key="press")  # the page itself still runs under the message
    shown = " ".join(str(e.value) for kind in (at.error, at.info, at.markdown) for e in kind)
    assert "ZQX-CANARY-7741" not in shown and "ValueError" not in shown
    assert "ZQX-CANARY-7741" not in caplog.text and "ValueError" in caplog.text
    at.run()  # the message is shown once, not on every later run
    assert not at.error
    assert at.session_state.answers["applicant.name"] == "kept"
