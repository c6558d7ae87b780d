"""Results: what helps first, the risks, what is closed, with reasons and sources; a print view."""

from __future__ import annotations

import streamlit as st

from helper.printout import printout
from helper.ui import results, session

# Printing shows the print view only: the page's own controls are left out.
PRINT_CSS = ("<style>@page{size:A4;margin:9mm}@media print{"
             "[data-testid='stCheckbox'],[data-testid='stToggle'],h1,"
             "[data-testid='stCaptionContainer']{display:none !important}"
             "[data-testid='stMain'] [data-testid='stMarkdownContainer']{font-size:8pt;line-height:1.2;"
             "column-count:2;column-gap:5mm}"
             "[data-testid='stMain'] [data-testid='stMarkdownContainer'] :is(p,li,ul,ol,blockquote){margin:0 0 .15em}"
             "[data-testid='stMain'] [data-testid='stMarkdownContainer'] :is(h2,h3){font-size:9.5pt;"
             "margin:.35em 0 .1em;padding:0;break-after:avoid}"
             ".st-key-print_sources [data-testid='stMarkdownContainer']{font-size:6.8pt;line-height:1.1}}</style>")

def page() -> None:
    # The whole page runs in a function: what it holds about the person (answers, the letter's text) are
    # locals that end with the run. A page's module namespace can outlive its session, kept by the widgets'
    # callbacks and format functions, and with it anything assigned at its top level.
    _ = session.t()
    st.title(_("Results"))
    results.unreviewed_note()
    compact = st.toggle(_("Print view (A4)"), key="m_print")
    if compact:
        st.html(PRINT_CSS)
        st.caption(_("Use your browser's print command; menus and buttons are left out of the printout."))
        result = results.evaluate_current()
        ss = st.session_state
        body, sources = printout(result, session.rules(), session.answers(), list(ss.get("dont_know", [])),
                                 session.lang(), _)
        st.markdown(body)
        with st.container(key="print_sources"):
            st.markdown(sources)
    else:
        results.render(results.evaluate_current())


page()
