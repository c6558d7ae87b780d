"""Consultation mode for volunteers: every question on one page, results updating as answers change."""

from __future__ import annotations

import streamlit as st

from helper.questionnaire import get_value, relevant_questions, set_value
from helper.ui import results, session
from helper.ui.ask import widget


def page() -> None:
    # The whole page runs in a function: what it holds about the person (answers, the letter's text) are
    # locals that end with the run. A page's module namespace can outlive its session, kept by the widgets'
    # callbacks and format functions, and with it anything assigned at its top level.
    _ = session.t()
    ss = st.session_state
    base = session.rules()

    st.title(_("Consultation"))
    results.unreviewed_note()
    form, summary = st.columns([3, 2], gap="medium")

    with form:
        shown = {q.fact for q in relevant_questions(base, ss.answers)}
        for section in base.sections:
            questions = [q for q in base.questions if q.section == section.id and q.fact in shown]
            if not questions:
                continue
            st.subheader(_(section.title))
            for q in questions:
                value, valid = widget(q, "c_", allow_dont_know=True)
                if valid and value != get_value(ss.answers, q.fact):
                    ss.answers = set_value(ss.answers, q.fact, value)
                    st.rerun()

    with summary:
        st.subheader(_("Results"))
        result = results.evaluate_current()
        from helper.present import OUTCOME_ICON, present

        for card in present(result, base, session.lang(), _):
            first = next((r.text for r in card.reasons if r.result != "pass"), card.reasons[0].text)
            st.markdown(f"{OUTCOME_ICON[card.outcome]} **{results.md(card.title)}** — {results.md(card.badge)}  \n"
                        f"{results.md(first)}")
        st.page_link("app_pages/results.py", label=_("Full results, next steps and print view"), icon="📄")


page()
