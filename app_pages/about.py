"""About: what the tool is, what it does with data, and where the rules come from."""

from __future__ import annotations

import streamlit as st

from helper.ui import session

_ = session.t()
st.title(_("About kyosei-helper"))
st.write(_("kyosei-helper explains which public support a foreign resident in Japan can get, why, and what to "
           "do next. It is not legal advice; the office decides."))
st.subheader(_("Your data"))
st.write(_("Your answers stay in this browser session only. Nothing is stored on the server, written to logs "
           "or sent anywhere. Closing the page or pressing “Erase and exit” forgets them."))
st.subheader(_("The rules"))
st.write(_("Every result cites the law, notice or official page it rests on, with the date it was last checked. "
           "Where sources disagree, the result says it is uncertain and why."))
