"""Widgets for one question, seeded from the answers so that nothing is lost when a widget is not shown.

``widget(question, prefix)`` renders the input for a question and returns ``(value, valid)``: the
value the user gave (``None`` for "I don't know" or nothing), and whether it can be stored.
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from .. import bidi, postal
from .. import municipality as muni
from ..i18n import LANGUAGES, format_number, format_yen
from ..questionnaire import get_value, question_for
from ..rules import schema as s
from ..text import N_
from . import session
from .results import md

DONT_KNOW = "__dont_know__"
UNKNOWN = "—"
RELATIONS = {"spouse": N_("Husband, wife or partner"), "child": N_("Child"), "parent": N_("Parent"),
             "sibling": N_("Brother or sister"), "other": N_("Someone else")}
NATIONALITIES = {"foreign": N_("Not Japanese"), "japanese": N_("Japanese")}
YES_NO = {True: N_("Yes"), False: N_("No")}


def _member_rows() -> tuple[int, list[dict[str, Any]]]:
    """How many other members to describe, and what is known of them (members with only an age included)."""
    answers = session.answers()
    known = list(get_value(answers, "household.members") or [])
    known += [{"age": a} for a in get_value(answers, "household.member_ages") or []]
    size = get_value(answers, "household.size")
    rows = size - 1 if isinstance(size, int) else max(len(known), 1)
    return max(rows, 0), known


def _member_choices(field: str) -> dict[Any, str]:
    _ = session.t()
    if field == "relation":
        return {k: _(v) for k, v in RELATIONS.items()}
    if field == "nationality":
        return {k: _(v) for k, v in NATIONALITIES.items()}
    if field == "residence_status":
        q = question_for(session.rules(), "person.residence_status")
        return {o.value: _(o.label) for o in q.options} if q else {}
    return {k: _(v) for k, v in YES_NO.items()}


MEMBER_WIDGETS = ("age", "relation", "nationality", "residence_status", "pregnant", "disability_certificate")
MEMBER_LABELS = {"age": N_("Age"), "relation": N_("Relation to you"), "nationality": N_("Nationality"),
                 "residence_status": N_("Residence status"), "pregnant": N_("Pregnant"),
                 "disability_certificate": N_("Disability certificate")}


def members_widget(question: s.Question, prefix: str, *, label_hidden: bool = False) -> tuple[Any, bool]:
    _ = session.t()
    rows, known = _member_rows()
    _label(question, label_hidden)
    with st.container(key=f"{prefix}{question.fact}"):  # one handle for the whole question, as other widgets have
        for i in range(rows):
            _member_row(prefix, i, known[i] if i < len(known) else {})
    return read_members(prefix), True


def _member_row(prefix: str, i: int, current: dict[str, Any]) -> None:
    _ = session.t()
    with st.container(border=True):
        heading = _("Person {n}").replace("{n}", str(i + 2))
        st.markdown(f"**{heading}**")
        left, right = st.columns(2)
        left.number_input(_(MEMBER_LABELS["age"]), min_value=0, max_value=130, value=current.get("age"), step=1,
                          key=f"{prefix}m{i}.age", placeholder=_("Leave empty if you don't know"))
        for col, field in ((right, "relation"), (left, "nationality"), (right, "residence_status"),
                           (left, "pregnant"), (right, "disability_certificate")):
            choices = _member_choices(field)
            options = [UNKNOWN, *choices]
            labels = {UNKNOWN: _("I don't know"), **choices}
            value = current.get(field, UNKNOWN)
            col.selectbox(_(MEMBER_LABELS[field]), options, index=options.index(value) if value in options else 0,
                          format_func=labels.__getitem__, key=f"{prefix}m{i}.{field}")


def read_members(prefix: str) -> list[dict[str, Any]] | None:
    ss = st.session_state
    rows, known = _member_rows()
    out = []
    for i in range(rows):
        member: dict[str, Any] = dict(known[i]) if i < len(known) else {}
        for field in MEMBER_WIDGETS:
            key = f"{prefix}m{i}.{field}"
            if key not in ss:
                continue
            raw = ss[key]
            if raw is None or raw == UNKNOWN:
                member.pop(field, None)
            else:
                member[field] = int(raw) if field == "age" else raw
        if member.get("residence_status") is not None and member.get("nationality") == "japanese":
            member.pop("residence_status")  # a Japanese national holds no residence status
        out.append(member)
    return out or None


# The lists are public data, the same for every session: built once per process, not on every rerun.
@functools.cache
def _prefectures() -> tuple[muni.Municipality, ...]:
    return tuple(m for m in muni.all_municipalities() if m.level == "prefecture")


@functools.cache
def _places(prefecture: str) -> tuple[muni.Municipality, ...]:
    # Wards of designated cities are listed instead of the city: each ward has its own office.
    divided = {w.parent for w in _wards(prefecture)}
    return tuple(m for m in muni.all_municipalities()
                 if m.code[:2] == prefecture[:2] and m.level in ("city", "ward") and m.code not in divided)


@functools.cache
def _wards(prefecture: str) -> tuple[muni.Municipality, ...]:
    return tuple(m for m in muni.all_municipalities() if m.code[:2] == prefecture[:2] and m.level == "ward")


def place_script(lang: str) -> str:
    """How the city list is written: Japanese as it is, やさしい日本語 with readings, other languages with romaji."""
    return "kanji" if lang == "ja" else "kana" if lang.startswith("ja") else "latin"


def municipality_widget(question: s.Question, prefix: str) -> tuple[Any, bool]:
    _ = session.t()
    script = place_script(session.lang())
    current = get_value(session.answers(), "municipality")
    postal_code = st.text_input(_("Postal code"), key=f"{prefix}postal", placeholder="532-0023", max_chars=10,
                                autocomplete="postal-code")
    found = postal.lookup(postal_code) if postal_code else None
    if postal_code and found is None:
        st.error(_("This postal code was not found. Check it, or choose the place below."))
    with st.expander(_("Or choose the prefecture and city"), expanded=bool(current and not postal_code)):
        prefs = _prefectures()
        pref_default = next((i for i, p in enumerate(prefs) if current and p.code[:2] == current[:2]), 26)
        pref = st.selectbox(_("Prefecture"), prefs, index=pref_default,
                            format_func=lambda m: muni.label(m, script),
                            key=f"{prefix}pref")
        places = _places(pref.code)
        place_default = next((i for i, p in enumerate(places) if p.code == current), None)
        chosen = st.selectbox(_("City, town or ward"), places, index=place_default,
                              format_func=lambda m: muni.label(m, script),
                              key=f"{prefix}place", placeholder=_("Choose"))
    value = found.code if found else (chosen.code if chosen else current)
    place = muni.get(value) if value else None
    if place is not None:
        name = muni.label(place, script).replace(place.name, place.full_name, 1)
        st.success(_("Place: {name}").replace("{name}", bidi.isolate(name)))
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
    if question.widget == "members":
        return read_members(prefix), True
    raise ValueError(f"unknown widget {question.widget}")  # pragma: no cover


def _label(question: s.Question, label_hidden: bool) -> str:
    """Show the question (unless the page shows it) and its hint under it, never behind a "?" icon.

    Returns the label for the widget itself, which is then hidden from sight but kept for screen readers.
    """
    _ = session.t()
    label = _(question.prompt)
    if not label_hidden:
        st.markdown(f"**{md(label)}**")
    if question.help and not label_hidden:
        st.caption(md(_(question.help)))
    return label


def widget(question: s.Question, prefix: str, *, allow_dont_know: bool = False,
           label_hidden: bool = False) -> tuple[Any, bool]:
    """Render the input of ``question``. With ``allow_dont_know`` choices offer "I don't know".

    The question and its hint are shown above the input once; with ``label_hidden`` the page has
    already shown them (guided mode's heading) and only the input follows.
    """
    _ = session.t()
    key = f"{prefix}{question.fact}"
    current = get_value(session.answers(), question.fact)
    rtl = LANGUAGES[session.lang()].rtl
    w = question.widget
    if w == "municipality":
        return municipality_widget(question, prefix)
    if w == "members":
        return members_widget(question, prefix, label_hidden=label_hidden)
    label = _label(question, label_hidden)
    if w in ("choice", "yes_no"):
        if w == "yes_no":
            options: list[Any] = [True, False]
            labels: dict[Any, str] = {True: _("Yes"), False: _("No")}
        else:
            options = [o.value for o in question.options]
            # Options such as "Permanent resident (永住者)": the Japanese term keeps its place in Arabic.
            labels = {o.value: bidi.for_language(_(o.label), rtl) for o in question.options}
        if allow_dont_know:
            options = [*options, DONT_KNOW]
            labels[DONT_KNOW] = _("I don't know")
        index = options.index(current) if current in options else None
        choice = st.radio(label, options, index=index, format_func=lambda v: labels[v], key=key,
                          horizontal=w == "yes_no", label_visibility="collapsed")
        return (None if choice == DONT_KNOW else choice), True
    if w in ("number", "yen"):
        step = 1000 if w == "yen" else 1
        value = st.number_input(label, min_value=question.min if question.min is not None else 0,
                                max_value=question.max if question.max is not None else 1_000_000_000,
                                value=current, step=step, key=key, label_visibility="collapsed",
                                placeholder=_("Leave empty if you don't know"))
        return (None if value is None else int(value)), True
    raise ValueError(f"unknown widget {w}")  # pragma: no cover - the schema allows no other


def answer_text(question: s.Question) -> str | None:
    """The current answer to ``question`` as the person would read it, or None if it has none."""
    _ = session.t()
    code = session.lang()
    value = get_value(session.answers(), question.fact)
    if value is None:
        return None
    w = question.widget
    if w == "municipality":
        place = muni.get(value)
        return muni.label(place, place_script(code)).replace(place.name, place.full_name, 1) if place else value
    if w == "yes_no":
        return _(YES_NO[bool(value)])
    if w == "choice":
        return next((_(o.label) for o in question.options if o.value == value), str(value))
    if w == "yen":
        return format_yen(value, code)
    if w == "number":
        return format_number(value, code)
    if w == "members":
        return "; ".join(_member_text(i, m) for i, m in enumerate(value)) or None
    return str(value)  # pragma: no cover


def _member_text(i: int, member: dict[str, Any]) -> str:
    _ = session.t()
    parts = [_("Person {n}").replace("{n}", str(i + 2))]
    if "age" in member:
        parts.append(f"{_(MEMBER_LABELS['age'])} {format_number(member['age'], session.lang())}")
    for field in MEMBER_WIDGETS[1:]:
        if field in member:
            parts.append(_member_choices(field).get(member[field], str(member[field])))
    return ", ".join(parts)
