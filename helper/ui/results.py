"""Rendering the results: badges, reasons with sources, next steps, warnings, alternatives.

Texts come from the rules (our own, reviewed data) and numbers from the engine; nothing the user
typed is rendered as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ..engine import evaluate
from ..i18n import LANGUAGES, translator
from ..present import OUTCOME_ICON, STEP_KINDS, Advice, Card, advice, place_note, present
from ..questionnaire import to_answers
from . import session

_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]()#+-.!|<>~$"})


def md(text: str) -> str:
    """Escape Markdown so that a text shows literally."""
    return text.translate(_MD_SPECIAL)


def evaluate_current() -> dict[str, Any]:
    return evaluate(to_answers(session.answers()), session.rules())


def _contact(contact: dict[str, Any]) -> None:
    _ = session.t()
    lines = [f"**{md(contact['name_ja'] or contact['name'])}**"]
    if contact.get("name_ja") and contact["name_ja"] != contact["name"]:
        lines.append(md(contact["name"]))
    if contact.get("address"):
        lines.append(md(f"〒{contact['postal_code']} {contact['address']}" if contact.get("postal_code")
                        else contact["address"]))
    if contact.get("phone"):
        lines.append(f"☎ [{md(contact['phone'])}](tel:{contact['phone'].replace('-', '')})")
    if contact.get("note"):
        lines.append(f"_{md(contact['note'])}_")
    st.markdown("  \n".join(lines))


def _sources(sources: list[dict[str, Any]]) -> None:
    links = [f"[{md(s['title'])}]({s['url']})" + (f" {md(s['article'])}" if s.get("article") else "")
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
    st.subheader(f"{OUTCOME_ICON[card.outcome]} {card.title}（{card.title_ja}）", anchor=card.id)
    color = {"eligible": "green", "not_eligible": "red", "uncertain": "orange"}[card.outcome]
    st.badge(card.badge, color=color)
    why = _("Why")
    st.markdown(f"**{md(why)}**")
    for i, reason in enumerate(card.reasons):
        mark = {"pass": "✔", "fail": "✘", "unknown": "?"}[reason.result]
        _side_by_side(st.markdown, f"{mark} {md(reason.text)}",
                      f"{mark} {md(ja.reasons[i].text)}" if ja is not None else None)
        for note in reason.notes:
            st.caption(md(note))
        if not compact:
            _sources(reason.sources)
    for m in card.members:
        line = f"{OUTCOME_ICON[m.outcome]} **{md(m.who)}** — {md(m.badge)}"
        if m.own_right:
            line += f"  \n{md(m.own_right)}"
        st.markdown(line)
        for text in m.reasons:
            st.caption(md(text))
    for aid in card.advisories:
        a, a_ja = advisories[aid]
        if aid in shown:
            see_above = _("See above")
            st.markdown(f"⚠ {md(see_above)}: {md(a.title)}")
        else:
            shown.add(aid)
            _advice(a, a_ja, compact)
    if card.settle:
        settle = _("These answers would settle it")
        st.markdown(f"**{md(settle)}**")
        st.markdown("\n".join(f"- {md(p)}" for p in card.settle))
    for kind, label in STEP_KINDS:
        steps = card.steps[kind]
        if not steps:
            continue
        st.markdown(f"**{md(_(label))}**")
        ja_steps = ja.steps[kind] if ja is not None else None
        for i, step in enumerate(steps):
            text = md(step.text)
            _side_by_side(st.markdown, f"- {text}", f"- {md(ja_steps[i].text)}" if ja_steps is not None else None)
            if step.ja:
                st.info(f"🗣 {step.ja}")
            if step.contact:
                _contact(step.contact)
    for i, warning in enumerate(card.warnings):
        _side_by_side(st.warning, md(warning), md(ja.warnings[i]) if ja is not None else None)
    if card.alternatives:
        other = _("Other help you can look at")
        st.markdown(f"**{md(other)}**")
        st.markdown("\n".join(f"- {OUTCOME_ICON[o]} [{md(title)}](#{pid})" for pid, title, o in card.alternatives))


def render(result: dict[str, Any], *, compact: bool = False) -> None:
    _ = session.t()
    code = session.lang()
    cards = present(result, session.rules(), code, _)
    ja_cards = None
    if st.session_state.get("side_by_side") and not code.startswith("ja"):
        ja_cards = present(result, session.rules(), "ja", translator("ja"))
    note = place_note(result, _)
    place = result["municipality"]
    st.caption(md(_("Rules as of {date}").replace("{date}", result["as_of"]))
               + (f" · {md(place['name'])}" if place.get("name") else ""))
    if note:
        st.info(md(note))
    for w in result["warnings"]:
        st.warning(md(_(w["template"]).replace("{parameter}", w["params"]["parameter"])
                      .replace("{date}", w["params"]["date"])))
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
    core = [c for c in cards if c.group == "core"]
    other = [c for c in cards if c.group != "core"]
    for i, card in enumerate(core):
        with st.container(border=True):
            _card(card, ja_cards[i] if ja_cards else None, compact, advisories, shown)
    st.header(_("Other help"))
    offset = len(core)
    for i, card in enumerate(other):
        with st.expander(f"{OUTCOME_ICON[card.outcome]} {card.title} — {card.badge}",
                         expanded=card.outcome == "eligible" and not compact):
            _card(card, ja_cards[offset + i] if ja_cards else None, compact, advisories, shown)


def unreviewed_note() -> None:
    code = session.lang()
    if not LANGUAGES[code].reviewed:
        _ = session.t()
        st.caption("⚠ " + md(_("This translation has not yet been reviewed by a person. "
                                "The Japanese text is the one that counts.")))
