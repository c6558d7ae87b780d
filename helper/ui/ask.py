"""Widgets for one question, seeded from the answers so that nothing is lost when a widget is not shown.

``widget(question, prefix)`` renders the input for a question and returns ``(value, valid)``: the
value the user gave (``None`` for "I don't know" or nothing), and whether it can be stored.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from .. import municipality as muni
from .. import postal
from ..questionnaire import get_value, parse_ages
from ..rules import schema as s
from . import session

DONT_KNOW = "__dont_know__"


def _prefectures() -> list[muni.Municipality]:
    return [m for m in muni.all_municipalities() if m.level == "prefecture"]


def _places(prefecture: str) -> list[muni.Municipality]:
    # Wards of designated cities are listed instead of the city: each ward has its own office.
    return [m for m in muni.all_municipalities()
            if m.code[:2] == prefecture[:2] and m.level in ("city", "ward")
            and not any(w.parent == m.code for w in _wards(prefecture))]


def _wards(prefecture: str) -> list[muni.Municipality]:
    return [m for m in muni.all_municipalities() if m.code[:2] == prefecture[:2] and m.level == "ward"]


def municipality_widget(question: s.Question, prefix: str) -> tuple[Any, bool]:
    _ = session.t()
    current = get_value(session.answers(), "municipality")
    postal_code = st.text_input(_("Postal code"), key=f"{prefix}postal", placeholder="532-0023", max_chars=10)
    found = postal.lookup(postal_code) if postal_code else None
    if postal_code and found is None:
        st.error(_("This postal code was not found. Check it, or choose the place below."))
    with st.expander(_("Or choose the prefecture and city"), expanded=bool(current and not postal_code)):
        prefs = _prefectures()
        pref_default = next((i for i, p in enumerate(prefs) if current and p.code[:2] == current[:2]), 26)
        pref = st.selectbox(_("Prefecture"), prefs, index=pref_default, format_func=lambda m: m.name,
                            key=f"{prefix}pref")
        places = _places(pref.code)
        place_default = next((i for i, p in enumerate(places) if p.code == current), None)
        chosen = st.selectbox(_("City, town or ward"), places, index=place_default, format_func=lambda m: m.name,
                              key=f"{prefix}place", placeholder=_("Choose"))
    value = found.code if found else (chosen.code if chosen else current)
    if value:
        st.success(_("Place: {name}").replace("{name}", muni.get(value).full_name))
    return value, True


def read(question: s.Question, prefix: str) -> tuple[Any, bool]:
    """The value a question's widget holds now (in a callback, before the page runs again)."""
    ss = st.session_state
    key = f"{prefix}{question.fact}"
    if question.widget == "municipality":
        found = postal.lookup(ss.get(f"{prefix}postal") or "")
        place = ss.get(f"{prefix}place")
        return (found.code if found else (place.code if place else get_value(session.answers(), "municipality"))), True
    raw = ss.get(key)
    if question.widget in ("choice", "yes_no"):
        return (None if raw == DONT_KNOW else raw), True
    if question.widget in ("number", "yen"):
        return (None if raw is None else int(raw)), True
    if question.widget == "ages":
        if not raw or not str(raw).strip():
            return None, True
        try:
            return parse_ages(str(raw)), True
        except ValueError:
            return None, False
    raise ValueError(f"unknown widget {question.widget}")  # pragma: no cover


def widget(question: s.Question, prefix: str, *, allow_dont_know: bool = False) -> tuple[Any, bool]:
    """Render the input of ``question``. With ``allow_dont_know`` choices offer "I don't know"."""
    _ = session.t()
    key = f"{prefix}{question.fact}"
    current = get_value(session.answers(), question.fact)
    label = _(question.prompt)
    help_text = _(question.help) if question.help else None
    w = question.widget
    if w == "municipality":
        return municipality_widget(question, prefix)
    if w in ("choice", "yes_no"):
        if w == "yes_no":
            options: list[Any] = [True, False]
            labels = {True: _("Yes"), False: _("No")}
        else:
            options = [o.value for o in question.options]
            labels = {o.value: _(o.label) for o in question.options}
        if allow_dont_know:
            options = [*options, DONT_KNOW]
            labels[DONT_KNOW] = _("I don't know")
        index = options.index(current) if current in options else None
        choice = st.radio(label, options, index=index, format_func=lambda v: labels[v], key=key, help=help_text,
                          horizontal=w == "yes_no")
        return (None if choice == DONT_KNOW else choice), True
    if w in ("number", "yen"):
        step = 1000 if w == "yen" else 1
        value = st.number_input(label, min_value=question.min if question.min is not None else 0,
                                max_value=question.max if question.max is not None else 1_000_000_000,
                                value=current, step=step, key=key, help=help_text,
                                placeholder=_("Leave empty if you don't know"))
        return (None if value is None else int(value)), True
    if w == "ages":
        text = st.text_input(label, value=", ".join(str(a) for a in current) if current else "", key=key,
                             help=help_text, placeholder="35, 8, 3", max_chars=120)
        if not text.strip():
            return None, True
        try:
            return parse_ages(text), True
        except ValueError:
            st.error(_("Write each age as a number, separated by commas."))
            return None, False
    raise ValueError(f"unknown widget {w}")  # pragma: no cover - the schema allows no other
