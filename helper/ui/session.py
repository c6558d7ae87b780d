"""Per-session state, translator and shared resources for the Streamlit pages.

Answers live only in this session's memory (``st.session_state``); nothing is written to disk or
logged. Caches hold immutable rules and catalogs only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ..i18n import DEFAULT, LANGUAGES, catalog, translator
from ..questionnaire import empty_state
from ..rules.loader import RuleBase, load_rules

WIDGET_PREFIXES = ("g_", "c_", "m_")
# The save page's own widgets are on screen while a file is resumed: they hold no answer and stay.
SAVE_PAGE_KEYS = ("m_save_mode", "m_save_pass", "m_save_pass2", "m_plain_ok", "m_upload", "m_resume_pass")


@st.cache_resource(show_spinner=False)
def rules() -> RuleBase:
    """One validated rule base per process, shared read-only by every session."""
    return load_rules(compile_all=False, include_tests=False)


@st.cache_resource(show_spinner=False)
def warm_catalogs() -> None:
    for code in LANGUAGES:
        catalog(code)


def _browser_language() -> str | None:
    try:
        locale = (st.context.locale or "").replace("_", "-").lower()
    except Exception:  # noqa: BLE001 - no browser context (tests)
        return None
    base = locale.split("-")[0]
    return base if base in LANGUAGES else None


def init() -> None:
    ss = st.session_state
    if "lang" not in ss:
        requested = st.query_params.get("lang")
        ss.lang = requested if requested in LANGUAGES else (_browser_language() or DEFAULT)
    ss.setdefault("answers", empty_state())
    ss.setdefault("dont_know", [])
    ss.setdefault("history", [])
    ss.setdefault("back_to", None)
    ss.setdefault("side_by_side", False)


def t() -> Callable[[str], str]:
    return translator(st.session_state.get("lang", DEFAULT))


def lang() -> str:
    return st.session_state.get("lang", DEFAULT)


def answers() -> dict[str, Any]:
    return st.session_state.answers


def replace_answers(new: dict[str, Any], dont_know: list[str] | None = None) -> None:
    """Replace every answer (resume from a file) and forget the widgets showing the old ones."""
    ss = st.session_state
    for key in [k for k in ss.keys()
                if isinstance(k, str) and k.startswith(WIDGET_PREFIXES) and k not in SAVE_PAGE_KEYS]:
        del ss[key]
    ss.answers = new
    ss.dont_know = dont_know or []
    ss.history = []
    ss.back_to = None


def erase() -> None:
    """Erase and exit: forget everything this session holds, keeping only the language."""
    keep = st.session_state.get("lang", DEFAULT)
    st.session_state.clear()
    st.session_state.lang = keep
    st.session_state.erased = True
