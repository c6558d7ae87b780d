"""Rendering the results: badges, reasons with sources, next steps, warnings, alternatives.

Texts come from the rules (our own, reviewed data) and numbers from the engine; nothing the user
typed is rendered as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import streamlit as st

from ..engine import evaluate
from ..i18n import LANGUAGES, translator
from ..present import OUTCOME_ICON, STEP_KINDS, Advice, Card, advice, arrange, place_note, present
from ..questionnaire import to_answers
from ..result import Result
from . import session

_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]()#+-.!|<>~$"})


def md(text: str) -> str:
    """Escape Markdown so that a text shows literally."""
    return text.translate(_MD_SPECIAL)


def evaluate_current() -> Result:
    return evaluate(to_answers(session.answers()), session.rules())


def _contact(contact: dict[str, Any]) -> None:
    st.markdown(_contact_text(contact))


def _contact_text(contact: dict[str, Any]) -> str:
    _ = session.t()
    lines = [f"**{md(contact['name_ja'] or contact['name'])}**"]
    # Japanese once: the name in the user's language beside the Japanese one, unless they read Japanese.
    if contact.get("name_ja") and contact["name_ja"] != contact["name"] and not session.lang().startswith("ja"):
        lines.append(md(contact["name"]))
    if contact.get("address"):
        lines.append(md(f"〒{contact['postal_code']} {contact['address']}" if contact.get("postal_code")
                        else contact["address"]))
    if contact.get("phone"):
        lines.append(f"☎ [{md(contact['phone'])}](tel:{contact['phone'].replace('-', '')})")
    else:
        unverified = _("No phone number verified")
        lines.append(f"☎ _{md(unverified)}_")
    if contact.get("hours"):
        lines.append(f"🕘 {md(contact['hours'])}")
    if contact.get("note"):
        lines.append(f"_{md(contact['note'])}_")
    return "  \n".join(lines)


def _sources(sources: list[dict[str, Any]]) -> None:
    _ = session.t()
    links = [f"[{md(_(s['title']))}]({s['url']})" + (f" {md(s['article'])}" if s.get("article") else "")
             for s in sources]
    st.caption(" · ".join(links))


def _side_by_side(show: Callable[..., Any], text: str, japanese: str | None) -> None:
    """The user's language, and the Japanese beside it when asked for (same element kind)."""
    if japanese is None:
        show(text)
        return
    left, right = st.columns(2)
    with left:
        show(text)
    with right:
        show(japanese)


SEVERITY_BOX = {"urgent": st.error, "important": st.warning, "info": st.info}


class _Paragraphs:
    """Consecutive Markdown paragraphs of a card, sent as one element. Every element costs the server a
    message and the browser a render: one per line made a full results page several hundred of them."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        if self.parts:
            st.markdown("\n\n".join(self.parts))
            self.parts = []


def _advice(a: Advice, ja: Advice | None, compact: bool) -> None:
    """One advisory: what it means (or "if …"), what to do, who can help, what is contested."""
    _ = session.t()
    what_to_do = _("What to do")
    body = f"**{md(a.label)}: {md(a.title)}**  \n{md(a.text)}  \n**{md(what_to_do)}:** {md(a.do)}"
    ja_body = None
    if ja is not None:
        ja_what_to_do = translator("ja")("What to do")
        ja_body = f"**{md(ja.label)}: {md(ja.title)}**  \n{md(ja.text)}  \n**{md(ja_what_to_do)}:** {md(ja.do)}"
    _side_by_side(SEVERITY_BOX[a.severity], body, ja_body)
    if a.contested:
        contested = _("Contested")
        st.caption(f"{md(contested)}: {md(a.contested)}")
    for contact in a.contacts:
        _contact(contact)
    if not compact:
        _sources(a.sources)


def _card(card: Card, ja: Card | None, compact: bool, advisories: dict[str, tuple[Advice, Advice | None]],
          shown: set[str]) -> None:
    _ = session.t()
    title = card.title + (f"（{card.title_ja_shown}）" if card.title_ja_shown else "")
    st.subheader(f"{OUTCOME_ICON[card.household_outcome]} {title}", anchor=card.id)
    colors: dict[str, Literal["green", "red", "orange"]] = {
        "eligible": "green", "not_eligible": "red", "uncertain": "orange"}
    color = colors[card.household_outcome]
    st.badge(_badge(card), color=color)
    text = _Paragraphs()
    why = _("Why")
    text.add(f"**{md(why)}**")
    for i, reason in enumerate(card.reasons):
        mark = {"pass": "✔", "fail": "✘", "unknown": "?"}[reason.result]
        if ja is None:
            text.add(f"{mark} {md(reason.text)}")
        else:
            text.flush()
            _side_by_side(st.markdown, f"{mark} {md(reason.text)}", f"{mark} {md(ja.reasons[i].text)}")
        if reason.notes or not compact:
            text.flush()
        for note in reason.notes:
            st.caption(md(note))
        if not compact:
            _sources(reason.sources)
    for m in card.members:
        line = f"{OUTCOME_ICON[m.outcome]} **{md(m.who)}** — {md(m.badge)}"
        if m.own_right:
            line += f"  \n{md(m.own_right)}"
        text.add(line)
        if m.reasons:
            text.flush()
        for reason_text in m.reasons:
            st.caption(md(reason_text))
    for aid in card.advisories:
        if aid not in advisories:
            continue
        a, a_ja = advisories[aid]
        if aid in shown:
            see = _("See: {title}").replace("{title}", a.title)
            text.add(f"⚠ {md(see)}")
        else:
            shown.add(aid)
            text.flush()
            _advice(a, a_ja, compact)
    if card.settle:
        settle = _("These answers would settle it")
        text.add(f"**{md(settle)}**")
        text.add("\n".join(f"- {md(p)}" for p in card.settle))
    for kind, label in STEP_KINDS:
        steps = card.steps[kind]
        if not steps:
            continue
        text.add(f"**{md(_(label))}**")
        ja_steps = ja.steps[kind] if ja is not None else None
        for i, step in enumerate(steps):
            if ja_steps is None:
                text.add(f"- {md(step.text)}")
            else:
                text.flush()
                _side_by_side(st.markdown, f"- {md(step.text)}", f"- {md(ja_steps[i].text)}")
            if step.ja:
                text.flush()
                st.info(f"🗣 {step.ja}")
            if step.contact:
                text.add(_contact_text(step.contact))
    text.flush()
    for i, warning in enumerate(card.warnings):
        _side_by_side(st.warning, md(warning), md(ja.warnings[i]) if ja is not None else None)
    if card.alternatives:
        other = _("Other help you can look at")
        text.add(f"**{md(other)}**")
        text.add("\n".join(f"- {OUTCOME_ICON[o]} [{md(title)}](#{pid})" for pid, title, o in card.alternatives))
    text.flush()


def _badge(card: Card) -> str:
    """The person's outcome, or what someone else in the household can get where that is better."""
    _ = session.t()
    if card.household_outcome == card.outcome:
        return card.badge
    if card.household_outcome == "eligible":
        return _("Someone in your household can probably get this")
    return _("Someone in your household may be able to get this")


def _closed(card: Card, ja: Card | None, compact: bool, advisories: dict[str, tuple[Advice, Advice | None]],
            shown: set[str]) -> None:
    """A closed door: the reason and the alternatives at a glance, the rest (what to do if turned away,
    sources) one click away."""
    _ = session.t()
    title = card.title + (f"（{card.title_ja_shown}）" if card.title_ja_shown else "")
    with st.container(border=True):
        st.markdown(f"{OUTCOME_ICON['not_eligible']} **{md(title)}** — {md(card.badge)}")
        for text in card.refusals:
            st.caption(md(text))
        if card.alternatives:
            other = _("Other help you can look at")
            links = " · ".join(f"{OUTCOME_ICON[o]} [{md(t)}](#{pid})" for pid, t, o in card.alternatives)
            st.markdown(f"{md(other)}: {links}")
        with st.expander(_("Details, what to do if you are turned away, and sources"), expanded=False):
            _card(card, ja, compact, advisories, shown)


def _not_concerned(cards: list[Card]) -> None:
    _ = session.t()
    with st.expander(_("Not for your situation ({n})").replace("{n}", str(len(cards))), expanded=False):
        st.caption(md(_("These are for other situations (a child, a pregnancy, an older person, an illness). "
                        "If one of them is yours, add it to your answers.")))
        for card in cards:
            maybe = _("Only if this concerns you") if card.concerns == "maybe" else None
            line = f"**{md(card.title)}**" + (f" — {md(maybe)}" if maybe else "")
            st.markdown(line)
            st.caption(md(card.refusals[0]) if card.refusals else "")


def render(result: Result, *, compact: bool = False) -> None:
    _ = session.t()
    code = session.lang()
    rules = session.rules()
    cards = present(result, rules, code, _)
    ja_cards: dict[str, Card] | None = None
    if st.session_state.get("side_by_side") and not code.startswith("ja"):
        ja_cards = {c.id: c for c in present(result, rules, "ja", translator("ja"))}
    note = place_note(result, _)
    place = result.municipality
    st.caption(md(_("Rules as of {date}").replace("{date}", result.as_of))
               + (f" · {md(place.name)}" if place.name else ""))
    if note:
        st.info(md(note))
    for w in result.warnings:
        st.warning(md(_(w.template).replace("{parameter}", w.params["parameter"])
                      .replace("{date}", w.params["date"])))
    items = advice(result, _)
    ja_items = advice(result, translator("ja")) if ja_cards else [None] * len(items)
    advisories = {a.id: (a, j) for a, j in zip(items, ja_items, strict=True)}
    shown: set[str] = set()
    first = [a for a in items if a.severity == "urgent" and not a.maybe]
    if first:
        st.header(_("First, for your safety"))
        for a in first:
            shown.add(a.id)
            _advice(a, advisories[a.id][1], compact)
    # Advisories are shown in their own section, once; the cards above it point to them.
    rest = [a for a in items if a.id not in shown]
    shown.update(a.id for a in rest)
    parts = arrange(cards)
    if parts.now:
        st.header(_("What you can get now"))
        for card in parts.now:
            with st.container(border=True):
                _card(card, ja_cards[card.id] if ja_cards else None, compact, advisories, shown)
    certain = [a for a in rest if not a.maybe]
    maybe = [a for a in rest if a.maybe]
    if certain or maybe:
        st.header(_("Risks and protections"))
        for a in certain:
            _advice(a, advisories[a.id][1], compact)
        if maybe:
            with st.expander(_("If one of these applies to you ({n})").replace("{n}", str(len(maybe))),
                             expanded=compact):
                for a in maybe:
                            _advice(a, advisories[a.id][1], compact)
    if parts.closed:
        st.header(_("Closed to you, and what to do instead"))
        for card in parts.closed:
            _closed(card, ja_cards[card.id] if ja_cards else None, compact, advisories, shown)
    if parts.not_concerned:
        _not_concerned(parts.not_concerned)


def unreviewed_note() -> None:
    code = session.lang()
    if not LANGUAGES[code].reviewed:
        _ = session.t()
        st.caption("⚠ " + md(_("This translation has not yet been reviewed by a person. "
                                "The Japanese text is the one that counts.")))
