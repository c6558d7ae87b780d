"""The print view a volunteer hands over: every programme that can help, in full (where to go, what
to bring, what to say, deadlines, sources with the date they were verified), the risks, what is
closed and why in one line each, and the answers it all rests on — as plain Markdown, no controls.

Pure: the page only shows the Markdown this returns. Texts from the rules and from the person are
escaped, so nothing they contain is read as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from . import municipality as muni
from .i18n import LANGUAGES, format_number, format_yen
from .present import OUTCOME_ICON, STEP_KINDS, Card, advice, arrange, place_note, present
from .result import Result
from .rules.loader import RuleBase
from .text import N_

Translate = Callable[[str], str]
_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]()#+-.!|<>~$"})

TITLE = N_("What you can get, and what to do next")
ANSWERS = N_("The answers these results rest on")
SOURCES = N_("Sources (verified on)")
RISKS = N_("Risks and protections")
IF_APPLIES = N_("If this applies to you")
CLOSED = N_("Closed to you")
NOT_CONCERNED = N_("Not for your situation")
DONT_KNOW = N_("I don't know")
WHAT_TO_DO = N_("What to do")


def md(text: str) -> str:
    return text.translate(_MD_SPECIAL)


class _Refs:
    """Sources numbered in the order they are first cited, so each is listed once at the end."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._index: dict[tuple[str, str | None], int] = {}

    def cite(self, sources: list[dict[str, Any]]) -> str:
        marks = []
        for s in sources:
            key = (s["url"], s.get("article"))
            if key not in self._index:
                self.items.append(s)
                self._index[key] = len(self.items)
            marks.append(str(self._index[key]))
        return f" \\[{','.join(marks)}\\]" if marks else ""


def _contact_line(c: dict[str, Any], lang: str, _: Translate) -> str:
    """On paper the counter's Japanese name (to show at the counter), its address and phone; the step
    above it already says in the reader's language where to go."""
    parts = [f"**{md(c.get('name_ja') or c['name'])}**"]
    if c.get("address"):
        parts.append(md(f"〒{c['postal_code']} {c['address']}" if c.get("postal_code") else c["address"]))
    parts.append(f"☎ {md(c['phone'])}" if c.get("phone") else md(_("No phone number verified")))
    if c.get("hours"):
        parts.append(md(c["hours"]))
    return " · ".join(parts)


def _url(url: str) -> str:
    """A source's address as it can be typed from paper: without the scheme, percent-escapes decoded,
    as code so that nothing in it is read as Markdown."""
    shown = unquote(url.split("://", 1)[-1]).replace("`", "%60")
    return f"`{shown}`"


def _card(card: Card, citations: dict[str, list[dict[str, Any]]], refs: _Refs, lang: str, _: Translate) -> list[str]:
    title = card.title + (f"（{card.title_ja_shown}）" if card.title_ja_shown else "")
    out = [f"### {OUTCOME_ICON[card.household_outcome]} {md(title)}"]
    mark = {"pass": "✔", "fail": "✘", "unknown": "?"}
    for r in card.reasons:
        out.append(f"- {mark[r.result]} {md(r.text)}{refs.cite(r.sources)}")
    for m in card.members:
        out.append(f"- {OUTCOME_ICON[m.outcome]} {md(m.who)}: {md(m.badge)}")
    if card.settle:
        settle = _("These answers would settle it")
        out.append(f"- **{md(settle)}:** " + "; ".join(md(p) for p in card.settle))
    for kind, label in STEP_KINDS:
        steps = card.steps[kind]
        if not steps:
            continue
        out.append(f"\n**{md(_(label))}**\n")
        for step in steps:
            line = f"- {md(step.text)}{refs.cite(citations.get(step.text, []))}"
            if step.ja:
                line += f"  \n  🗣 「{md(step.ja)}」"
            if step.contact:
                line += "  \n  " + _contact_line(step.contact, lang, _)
            out.append(line)
    for w in card.warnings:
        out.append(f"- ⚠ {md(w)}")
    return out


def _value(question: Any, value: Any, lang: str, _: Translate) -> str:
    w = question.widget
    if w == "municipality":
        m = muni.get(value)
        return md(m.full_name if m else str(value))
    if w == "yes_no":
        return md(_("Yes") if value else _("No"))
    if w == "choice":
        labels = {o.value: _(o.label) for o in question.options}
        return md(labels.get(value, str(value)))
    if w == "yen":
        return md(format_yen(value, lang))
    if w == "number":
        return md(format_number(value, lang))
    if w == "members":
        from .present import who_is

        # the members as answered (dicts of the answers), not as the result assessed them
        return md(", ".join(who_is(m.get("relation"), m.get("age"), lang, _) for m in value)) if value \
            else md(_("None"))
    return md(str(value))


def answer_lines(state: dict[str, Any], dont_know: list[str], base: RuleBase, lang: str,
                 _: Translate) -> list[tuple[str, str]]:
    """Each question answered (or answered "I don't know"), as the user reads it: (question, answer)."""
    from .questionnaire import get_value

    out = []
    for q in base.questions:
        value = get_value(state, q.fact)
        if value is None:
            if q.fact in dont_know:
                out.append((_(q.prompt), md(_(DONT_KNOW))))
            continue
        out.append((_(q.prompt), _value(q, value, lang, _)))
    return out


def _citations_by_text(result: Result, _: Translate) -> dict[str, list[dict[str, Any]]]:
    """The sources of each step as shown (steps are matched by their translated text)."""
    from .present import guidance_text

    out: dict[str, list[dict[str, Any]]] = {}
    for r in result.results:
        for step in r.next_steps:
            out[guidance_text(step, _)] = [{"title": c.title, "url": c.url, "article": c.article,
                                            "verified": c.verified} for c in step.citations or []]
    return out


def printout(result: Result, base: RuleBase, state: dict[str, Any], dont_know: list[str], lang: str,
             _: Translate) -> tuple[str, str]:
    """The print view as Markdown: the body, and the numbered sources it cites (printed smaller)."""
    refs = _Refs()
    cards = present(result, base, lang, _)
    citations = _citations_by_text(result, _)
    parts = arrange(cards)
    place = result.municipality
    out = [f"## {md(_(TITLE))}",
           md(_("Rules as of {date}").replace("{date}", result.as_of))
           + (f" · {md(place.name)}" if place.name else "")]
    if not LANGUAGES[lang].reviewed:
        out.append(md("⚠ " + _("This translation has not yet been reviewed by a person. "
                               "The Japanese text is the one that counts.")))
    note = place_note(result, _)
    if note:
        out.append(f"> {md(note)}")
    items = advice(result, _)
    urgent = [a for a in items if a.severity == "urgent" and not a.maybe]
    for a in urgent:
        out.append(f"> **{md(a.label)}: {md(a.title)}** — {md(a.text)} **{md(_(WHAT_TO_DO))}:** {md(a.do)}"
                   + refs.cite(a.sources))
        for c in a.contacts:
            out.append(f"> {_contact_line(c, lang, _)}")
    for card in parts.now:
        out.append("")
        out.extend(_card(card, citations, refs, lang, _))
    rest = [a for a in items if a not in urgent]
    if rest:
        out.append(f"\n### {md(_(RISKS))}\n")
        for a in rest:
            if a.maybe:
                out.append(f"- **{md(a.title)}** ({md(_(IF_APPLIES))}): {md(a.text)}{refs.cite(a.sources)}")
            else:
                out.append(f"- **{md(a.label)}: {md(a.title)}** — {md(a.text)} "
                           f"**{md(_(WHAT_TO_DO))}:** {md(a.do)}{refs.cite(a.sources)}")
    if parts.closed:
        out.append(f"\n### {md(_(CLOSED))}\n")
        for card in parts.closed:
            alts = ", ".join(md(t) for _pid, t, o in card.alternatives if o != "not_eligible")
            line = f"- ⛔ **{md(card.title)}** — " + " ".join(md(t) for t in card.refusals)
            if alts:
                line += f" → {alts}"
            out.append(line)
    if parts.not_concerned:
        out.append(f"\n**{md(_(NOT_CONCERNED))}:** " + ", ".join(md(c.title) for c in parts.not_concerned))
    answers = answer_lines(state, dont_know, base, lang, _)
    if answers:
        out.append(f"\n### {md(_(ANSWERS))}\n")
        out.append(" · ".join(f"{md(q)} **{a}**" for q, a in answers))
    sources = []
    if refs.items:
        sources.append(f"### {md(_(SOURCES))}\n")
        for i, s in enumerate(refs.items, start=1):
            date = s.get("verified")
            article = f" {s['article']}" if s.get("article") and s["article"] not in s["title"] else ""
            sources.append(f"{i}. {md(_(s['title']) + article)} {_url(s['url'])}" + (f" ({md(date)})" if date else ""))
    return "\n".join(out), "\n".join(sources)
