"""Guided mode: one question per screen, only the questions that can still change an outcome.

Each question is a form: choosing an answer does nothing until Next, so a phone on a slow line
sends one request per question, and the buttons' callbacks store the answer before the page runs,
so each step is a single run. The place question is not a form: its city list follows the
prefecture chosen.
"""

from __future__ import annotations

import streamlit as st

from helper.questionnaire import open_questions, progress, question_for, set_value
from helper.rules import schema
from helper.ui import results, session
from helper.ui.ask import read, widget

_ = session.t()
ss = st.session_state
base = session.rules()


def go_back() -> None:
    if ss.history:
        ss.back_to = ss.history[-1]
        ss.history = ss.history[:-1]


def dont_know(question: schema.Question) -> None:
    ss.answers = set_value(ss.answers, question.fact, None)
    if question.fact not in ss.dont_know:
        ss.dont_know = [*ss.dont_know, question.fact]
    ss.history = [*ss.history, question.fact]
    ss.back_to = None


def next_pressed(question: schema.Question) -> None:
    value, _valid = read(question, "g_")
    if value is None:
        ss.g_problem = "empty"
    else:
        ss.answers = set_value(ss.answers, question.fact, value)
        ss.dont_know = [f for f in ss.dont_know if f != question.fact]
        ss.history = [*ss.history, question.fact]
        ss.back_to = None


st.title(_("What support can you get?"))
results.unreviewed_note()

remaining = open_questions(base, ss.answers, ss.dont_know)
question = question_for(base, ss.back_to) if ss.back_to else (remaining[0] if remaining else None)
asked = len(ss.history)
st.progress(progress(asked, len(remaining)), text=_("{n} questions answered").replace("{n}", str(asked)))

if question is None:
    st.success(_("That is everything we need. Here is what the rules say."))
    results.render(results.evaluate_current(), compact=True)
    st.button(_("Back"), key="g_back_end", disabled=not ss.history, on_click=go_back)
else:
    st.markdown(f"### {results.md(_(question.prompt))}")
    in_form = question.widget != "municipality"
    container = st.form(f"g_form_{question.fact}", border=False) if in_form else st.container()
    submit = container.form_submit_button if in_form else st.button
    with container:
        widget(question, "g_")
        problem = ss.pop("g_problem", None)
        if problem == "empty":
            st.error(_("Choose an answer, or press “I don't know”."))
        back, unknown, nxt = st.columns(3)
        with back:
            submit(_("Back"), key="g_back", disabled=not ss.history, use_container_width=True, on_click=go_back)
        with unknown:
            submit(_("I don't know"), key="g_dont_know", use_container_width=True, on_click=dont_know,
                   args=(question,))
        with nxt:
            submit(_("Next"), key="g_next", type="primary", use_container_width=True, on_click=next_pressed,
                   args=(question,))
