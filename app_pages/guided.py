"""Guided mode: a start page, one question per screen, and an end page to check the answers.

Each question is a form: choosing an answer does nothing until Next, so a phone on a slow line
sends one request per question, and the buttons' callbacks store the answer before the page runs,
so each step is a single run. The place question is not a form: its city list follows the
prefecture chosen.

The start page says what the tool does, how many questions to expect, that nothing is stored and
that a reload starts again; the languages are buttons on it, not hidden in a menu. The end page
lists every answer (each with a Change button) and then the ways on: letter, save, print, results.
"""

from __future__ import annotations

import streamlit as st

from helper import bidi
from helper.i18n import LANGUAGES
from helper.questionnaire import get_value, open_questions, question_for, set_value, step_progress
from helper.result import Result
from helper.rules import schema
from helper.ui import guard, results, session
from helper.ui.ask import answer_text, read, widget


def page() -> None:
    # The whole page runs in a function: what it holds about the person (answers, the letter's text) are
    # locals that end with the run. A page's module namespace can outlive its session, kept by the widgets'
    # callbacks and format functions, and with it anything assigned at its top level.
    _ = session.t()
    ss = st.session_state
    base = session.rules()
    rtl = LANGUAGES[session.lang()].rtl


    def show(text: str) -> str:
        """Markdown-safe text, with Japanese terms, dates and numbers isolated in right-to-left languages."""
        return results.md(bidi.for_language(text, rtl))


    def _asked(fact: str) -> None:
        # A question answered again (Back, or Change on the end page) keeps its one place in the history.
        ss.history = [*(f for f in ss.history if f != fact), fact]
        ss.back_to = None


    @guard.callback
    def go_back() -> None:
        if ss.history:
            ss.back_to = ss.history[-1]
            ss.history = ss.history[:-1]


    @guard.callback
    def change(fact: str) -> None:
        """Change one answer from the end page: the question is shown again, then the end page."""
        ss.back_to = fact
        ss.history = [f for f in ss.history if f != fact]


    @guard.callback
    def dont_know(question: schema.Question) -> None:
        ss.answers = set_value(ss.answers, question.fact, None)
        if question.fact not in ss.dont_know:
            ss.dont_know = [*ss.dont_know, question.fact]
        _asked(question.fact)


    @guard.callback
    def next_pressed(question: schema.Question) -> None:
        value, _valid = read(question, "g_")
        if value is None:
            ss.g_problem = "empty"
        else:
            ss.answers = set_value(ss.answers, question.fact, value)
            ss.dont_know = [f for f in ss.dont_know if f != question.fact]
            _asked(question.fact)


    @guard.callback
    def choose_language() -> None:
        if ss.get("g_start_lang"):
            ss.lang = ss.g_start_lang


    @guard.callback
    def start() -> None:
        ss.g_started = True


    def start_page(remaining: int) -> None:
        st.title(_("What support can you get?"))
        if ss.get("g_start_lang") != session.lang():
            ss.g_start_lang = session.lang()  # follows the sidebar's choice too
        st.pills(_("Language"), list(LANGUAGES), format_func=lambda c: LANGUAGES[c].native, key="g_start_lang",
                 on_change=choose_language)
        results.unreviewed_note()
        st.write(_("This tool asks about your situation and shows which public support you may get in Japan "
                   "(public assistance, health insurance, housing and more), why, where to go and what to bring. "
                   "It is not legal advice; the office decides."))
        st.write(_("About {n} short questions, one at a time. Every question has “I don't know”, and Back keeps "
                   "your answers.").replace("{n}", str(remaining)))
        st.info(_("Nothing is stored. Your answers stay in this browser tab and are not sent anywhere. "
                  "Reloading or closing the page starts again from the beginning: to continue later, save your "
                  "answers to a file at the end."))
        st.button(_("Start"), key="g_start", type="primary", use_container_width=True,
                  on_click=start)


    def end_page(result: Result) -> None:
        st.title(_("Check your answers"))
        st.success(_("That is everything we need. Check your answers, then see what the rules say."))
        shown = [q for q in base.questions if q.fact in ss.dont_know or answer_text(q) is not None]
        for q in shown:
            with st.container(border=True, key=f"g_check_{q.fact}"):
                text, edit = st.columns([4, 1], vertical_alignment="center")
                value = _("I don't know") if q.fact in ss.dont_know else answer_text(q)
                text.markdown(f"{show(_(q.prompt))}  \n**{show(value or '')}**")
                edit.button(_("Change"), key=f"g_change_{q.fact}", on_click=change, args=(q.fact,),
                            use_container_width=True)
        st.caption(_("Reloading the page starts again from the beginning. Save your answers to keep them."))
        letter, save = st.columns(2)
        letter.page_link("app_pages/letter.py", label=_("Write a request letter"), icon="✉")
        save.page_link("app_pages/save.py", label=_("Save your answers"), icon="💾")
        printing, full = st.columns(2)
        if printing.button(_("Print"), key="g_print", icon="🖨", use_container_width=True):
            ss.m_print = True  # the results page opens in its print view
            st.switch_page("app_pages/results.py")
        full.page_link("app_pages/results.py", label=_("Full results"), icon="📄")
        st.subheader(_("What the rules say"))
        results.render(result, compact=True)
        st.button(_("Back"), key="g_back_end", disabled=not ss.history, on_click=go_back)


    result = results.evaluate_current()
    remaining = open_questions(base, ss.answers, ss.dont_know, result=result)
    started = ss.get("g_started") or ss.history or ss.back_to
    if not started:
        start_page(len(remaining))
        st.stop()

    question = question_for(base, ss.back_to) if ss.back_to else (remaining[0] if remaining else None)
    if question is None:
        end_page(result)
        st.stop()

    done = sum(1 for q in base.questions if q.fact in ss.dont_know or get_value(ss.answers, q.fact) is not None)
    step, about, share = step_progress(done, len(remaining), len(ss.history) + 1 if ss.back_to else done + 1,
                                       ss.get("g_progress", 0.0))
    ss.g_progress = share
    st.progress(share, text=_("Step {n} of about {m}").replace("{n}", str(step)).replace("{m}", str(about)))
    results.unreviewed_note()
    st.subheader(show(_(question.prompt)), anchor=False)
    if question.help:
        st.caption(show(_(question.help)))
    in_form = question.widget != "municipality"
    container = st.form(f"g_form_{question.fact}", border=False) if in_form else st.container()
    submit = container.form_submit_button if in_form else st.button
    with container:
        widget(question, "g_", label_hidden=True)
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


page()
