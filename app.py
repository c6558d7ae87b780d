"""kyosei-helper — Streamlit entry point: language, layout and navigation. The pages ask and show;
the rules in ``rules/`` decide."""

from __future__ import annotations

import streamlit as st

from helper import server_guard
from helper.i18n import LANGUAGES
from helper.ui import guard, navigation, session, style

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

pages = st.navigation(navigation.pages())
guard.run_page(pages)  # a failing page shows a translated message, never a traceback
