"""Guided mode: one question per screen, only the questions that can still change an outcome.

Each question is a form: choosing an answer does nothing until Next, so a phone on a slow line
sends one request per question. The place question is not a form: its city list follows the
prefecture chosen.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from helper.questionnaire import next_question, open_questions, progress, question_for, set_value
from helper.rules import schema
from helper.ui import results, session
from helper.ui.ask import widget

_ = session.t()
ss = st.session_state
base = session.rules()


def go_back() -> None:
    ss.back_to = ss.history.pop()
    st.rerun()


def dont_know(question: schema.Question) -> None:
    ss.answers = set_value(ss.answers, question.fact, None)
    if question.fact not in ss.dont_know:
        ss.dont_know = [*ss.dont_know, question.fact]
    ss.history = [*ss.history, question.fact]
    ss.back_to = None
    st.rerun()


def store(question: schema.Question, value: Any) -> None:
    ss.answers = set_value(ss.answers, question.fact, value)
    ss.dont_know = [f for f in ss.dont_know if f != question.fact]
    ss.history = [*ss.history, question.fact]
    ss.back_to = None
    st.rerun()


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
        go_back()
else:
    st.markdown(f"### {results.md(_(question.prompt))}")
    container = st.container() if question.widget == "municipality" else st.form(f"g_form_{question.fact}",
                                                                                border=False)
    submit = st.button if question.widget == "municipality" else container.form_submit_button
    with container:
        value, valid = widget(question, "g_")
        back, unknown, nxt = st.columns(3)
        with back:
            pressed_back = submit(_("Back"), key="g_back", disabled=not ss.history, use_container_width=True)
        with unknown:
            pressed_unknown = submit(_("I don't know"), key="g_dont_know", use_container_width=True)
        with nxt:
            pressed_next = submit(_("Next"), key="g_next", type="primary", use_container_width=True)
    if pressed_back:
        go_back()
    elif pressed_unknown:
        dont_know(question)
    elif pressed_next:
        if not valid:
            pass  # the widget has shown what is wrong
        elif value is None:
            st.error(_("Choose an answer, or press “I don't know”."))
        else:
            store(question, value)
