"""The app's last line of defence: a page that fails shows a friendly message, never a traceback.

An exception can carry what a person typed (a ``ValueError`` quoting a name, a path with a file
name), so neither the browser nor the log gets its message or its stack: the browser gets a
translated sentence and a way on, the log gets the exception's type and nothing else. The session
state is left untouched, so nothing the person entered is lost.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, Protocol

import streamlit as st

from . import session

_LOG = logging.getLogger("kyosei_helper.app")
_FAILED = "m_callback_failed"
P = ParamSpec("P")


class _Page(Protocol):
    def run(self) -> None: ...


def callback(fn: Callable[P, Any]) -> Callable[P, None]:
    """A widget callback that fails like a page does: Streamlit runs callbacks before the page, outside
    :func:`run_page`, and would show its own untranslated error; this one leaves a mark for the page."""

    @functools.wraps(fn)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - as in run_page
            _LOG.error("a callback failed: %s", type(exc).__name__)
            st.session_state[_FAILED] = True

    return guarded


def run_page(page: _Page) -> None:
    """Run the chosen page; on an unexpected error show a translated message instead of the error."""
    if st.session_state.pop(_FAILED, False):
        show_failure()
    try:
        page.run()
    except Exception as exc:  # noqa: BLE001 - Streamlit's rerun/stop are BaseException and pass through
        _LOG.error("a page failed: %s", type(exc).__name__)  # the type only: a message may hold personal data
        show_failure()


def show_failure() -> None:
    _ = session.t()
    st.error(_("Something went wrong on this page. Your answers are still here: nothing you entered is lost."))
    st.info(_("Try again, or choose another page in the menu. If it happens again, save your answers on "
              "the \"Save or resume\" page and tell the people who run this tool."))
    if st.button(_("Try again"), key="m_failure_retry"):
        st.rerun()
