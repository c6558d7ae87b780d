"""kyosei-helper — Streamlit entry point: language, layout and navigation. The pages ask and show;
the rules in ``rules/`` decide."""

from __future__ import annotations

import streamlit as st

from helper import server_guard, staff
from helper.i18n import LANGUAGES
from helper.ui import guard, session, style

server_guard.install()  # again, if the server was not started by helper/serve.py (which installs it first)

st.set_page_config(page_title="kyosei-helper 共生", page_icon="🤝", layout="centered")
session.init()
session.warm_catalogs()
ss = st.session_state

with st.sidebar:
    st.selectbox("Language / 言語", list(LANGUAGES), format_func=lambda c: LANGUAGES[c].native, key="lang")
_ = session.t()
st.query_params["lang"] = ss.lang  # only the language: never an answer in the URL
style.apply(LANGUAGES[ss.lang].rtl, ss.lang)

with st.sidebar:
    if not ss.lang.startswith("ja"):
        st.toggle(_("Show Japanese alongside"), key="side_by_side")
    if st.button(_("Erase and exit"), key="sidebar_erase"):
        session.erase()
        st.rerun()

if ss.pop("erased", False):
    st.success(_("Everything you entered has been erased from this session."))

person_pages = [
    st.Page("app_pages/guided.py", title=_("Guided questions"), icon="🧭", default=True),
    st.Page("app_pages/consultation.py", title=_("Consultation"), icon="🗂", url_path="consultation"),
    st.Page("app_pages/results.py", title=_("Results"), icon="📄", url_path="results"),
    st.Page("app_pages/letter.py", title=_("Request letter"), icon="✉", url_path="letter"),
    st.Page("app_pages/save.py", title=_("Save or resume"), icon="💾", url_path="save"),
    st.Page("app_pages/about.py", title=_("About"), icon="ℹ", url_path="about"),
]
# Staff pages exist only where the operator has created staff accounts (consultation records are opt-in).
staff_pages = [st.Page("app_pages/staff.py", title=_("Staff login"), icon="🔑", url_path="staff")
               ] if staff.staff_file().exists() else []
pages = st.navigation({"": person_pages, _("Staff"): staff_pages} if staff_pages else person_pages)
guard.run_page(pages)  # a failing page shows a translated message, never a traceback
