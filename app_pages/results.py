"""Results: every programme with its reasons, sources, next steps and warnings; a print view."""

from __future__ import annotations

import streamlit as st

from helper.ui import results, session

_ = session.t()
st.title(_("Results"))
results.unreviewed_note()
compact = st.toggle(_("Print view (A4)"), key="m_print")
if compact:
    st.caption(_("Use your browser's print command; menus and buttons are left out of the printout."))
results.render(results.evaluate_current(), compact=compact)
