"""Guided mode: one question per screen, only the questions that can still change an outcome."""

from __future__ import annotations

import streamlit as st

from helper.questionnaire import next_question, open_questions, progress, question_for, set_value
from helper.ui import results, session
from helper.ui.ask import widget

_ = session.t()
ss = st.session_state
base = session.rules()

st.title(_("What support can you get?"))
results.unreviewed_note()

question = question_for(base, ss.back_to) if ss.back_to else next_question(base, ss.answers, ss.dont_know)
remaining = len(open_questions(base, ss.answers, ss.dont_know))
asked = len(ss.history)
st.progress(progress(asked, remaining), text=_("{n} questions answered").replace("{n}", str(asked)))

if question is None:
    st.success(_("That is everything we need. Here is what the rules say."))
    results.render(results.evaluate_current(), compact=True)
    if st.button(_("Back"), key="g_back_end", disabled=not ss.history):
        ss.back_to = ss.history.pop()
        st.rerun()
else:
    st.markdown(f"### {results.md(_(question.prompt))}")
    value, valid = widget(question, "g_")
    back, dont_know, nxt = st.columns(3)
    if back.button(_("Back"), key="g_back", disabled=not ss.history, use_container_width=True):
        ss.back_to = ss.history.pop()
        st.rerun()
    if dont_know.button(_("I don't know"), key="g_dont_know", use_container_width=True):
        ss.answers = set_value(ss.answers, question.fact, None)
        if question.fact not in ss.dont_know:
            ss.dont_know = [*ss.dont_know, question.fact]
        ss.history = [*ss.history, question.fact]
        ss.back_to = None
        st.rerun()
    if nxt.button(_("Next"), key="g_next", type="primary", use_container_width=True, disabled=not valid):
        if value is None:
            st.error(_("Choose an answer, or press “I don't know”."))
        else:
            ss.answers = set_value(ss.answers, question.fact, value)
            ss.dont_know = [f for f in ss.dont_know if f != question.fact]
            ss.history = [*ss.history, question.fact]
            ss.back_to = None
            st.rerun()
