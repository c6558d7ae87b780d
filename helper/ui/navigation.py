"""The app's pages, built once per session and language.

``st.Page`` resolves its script's path on the disk (a ``realpath`` and a ``stat`` per page) when it is
made; made anew on every rerun, that was about a tenth of the server's time under load. A page object is
marked callable by ``st.navigation`` and unmarked when it runs, so it is kept per session, never shared
between sessions.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from .. import staff
from . import session

_KEY = "nav_pages"


def _build() -> list[Any] | dict[str, list[Any]]:
    _ = session.t()
    person = [
        st.Page("app_pages/guided.py", title=_("Guided questions"), icon="🧭", default=True),
        st.Page("app_pages/consultation.py", title=_("Consultation"), icon="🗂", url_path="consultation"),
        st.Page("app_pages/results.py", title=_("Results"), icon="📄", url_path="results"),
        st.Page("app_pages/letter.py", title=_("Request letter"), icon="✉", url_path="letter"),
        st.Page("app_pages/save.py", title=_("Save or resume"), icon="💾", url_path="save"),
        st.Page("app_pages/campaign.py", title=_("Campaign workspace"), icon="📊", url_path="campaign"),
        st.Page("app_pages/about.py", title=_("About"), icon="ℹ", url_path="about"),
    ]
    if not staff.staff_file().exists():
        return person
    # Staff pages exist only where the operator has created staff accounts (consultation records are opt-in).
    return {"": person, _("Staff"): [
        st.Page("app_pages/staff.py", title=_("Staff login"), icon="🔑", url_path="staff"),
    ]}


def pages() -> list[Any] | dict[str, list[Any]]:
    ss = st.session_state
    key = (session.lang(), staff.staff_file().exists())
    kept = ss.get(_KEY)
    if kept is None or kept[0] != key:
        kept = ss[_KEY] = (key, _build())
    return kept[1]
