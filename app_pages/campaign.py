"""Campaign workspace: who is excluded from what, where, since when, on what basis and who can change it —
for the people who petition assemblies. Shows public rule data only: nothing a person entered is read."""

from __future__ import annotations

import streamlit as st

from helper.ui import campaign, session

# A desk page: tables need the width the questionnaire's centred column leaves unused.
WIDE_CSS = "<style>[data-testid='stMainBlockContainer']{max-width:min(1600px,98vw)}</style>"


def page() -> None:
    # The page runs in a function like the others: nothing it computes outlives the run in module globals.
    _ = session.t()
    st.html(WIDE_CSS)
    st.title(_("Campaign workspace"))
    st.caption(_("Who is excluded from what, where, on what legal basis, and who can change it: national law or "
                 "notice, or local practice. From the rules of this app, for campaigners; not legal advice."))
    with st.container(key="k_controls"):
        choice = campaign.controls()
    tabs = st.tabs([_(title) for title, _render in campaign.TABS])
    for tab, (_title, render) in zip(tabs, campaign.TABS, strict=True):
        with tab:
            render(choice)


page()
