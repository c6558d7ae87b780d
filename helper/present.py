"""The results as the user reads them: translated and formatted for one language.

The engine returns English texts with their templates and raw numbers; this module translates the
templates with the session's translator and formats numbers for the locale. The page only shows
what this returns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .i18n import format_number, format_yen
from .result import Contact, Guidance, MemberResult, Result, StaleParameter
from .result import Reason as ReasonResult
from .rules.loader import RuleBase
from .text import N_

Translate = Callable[[str], str]
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")

OUTCOME_LABEL = {
    "eligible": N_("You can probably get this"),
    "not_eligible": N_("Not available to you"),
    "uncertain": N_("Not sure yet"),
}
OUTCOME_SHORT = {"eligible": N_("eligible"), "not_eligible": N_("not eligible"), "uncertain": N_("uncertain")}
OUTCOME_ICON = {"eligible": "✅", "not_eligible": "⛔", "uncertain": "❔"}
STEP_KINDS = [
    ("counter", N_("Where to go")),
    ("bring", N_("What to bring")),
    ("say", N_("What to say")),
    ("deadline", N_("Deadlines")),
    ("if_refused", N_("If you are turned away")),
    ("info", N_("Good to know")),
]


def fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def format_param(value: Any, unit: str, lang: str, _: Translate) -> str:
    if value is None:
        return _("unknown")
    if unit == "yen":
        return format_yen(value, lang)
    if unit == "months":
        return fill(_("{n} months"), {"n": format_number(value, lang)})
    if unit == "years":
        # Translators: an age ("aged 75"), never a length of time.
        return fill(_("{n} years"), {"n": format_number(value, lang)})
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value, lang)
    return str(value)


@dataclass
class Step:
    kind: str
    text: str
    ja: str | None = None
    contact: dict[str, Any] | None = None
    sources: list[str] = field(default_factory=list)
    maybe: bool = False


@dataclass
class Reason:
    rule: str
    result: str
    text: str
    notes: list[str]
    sources: list[dict[str, Any]]


RELATION_LABEL = {
    "spouse": N_("Your husband, wife or partner"),
    "child": N_("Your child"),
    "parent": N_("Your parent"),
    "sibling": N_("Your brother or sister"),
    "other": N_("Someone in your household"),
}
WITH_AGE = N_("{who} ({age})")
OWN_RIGHT = N_("{who} can get this in their own right, even though you cannot.")
SEVERITY_LABEL = {"urgent": N_("Urgent"), "important": N_("Important"), "info": N_("Good to know")}


@dataclass
class MemberLine:
    who: str
    outcome: str
    badge: str
    own_right: str | None  # "… can get this in their own right" when the person cannot
    reasons: list[str]  # the reasons that did not pass (or the first one), translated


@dataclass
class Advice:
    id: str
    severity: str
    label: str
    title: str
    text: str  # the advice, or its "if …" form when it only may apply
    maybe: bool
    do: str
    contested: str | None
    contacts: list[dict[str, Any]]
    sources: list[dict[str, Any]]


@dataclass
class Card:
    id: str
    title: str
    title_ja: str
    group: str
    outcome: str
    badge: str
    reasons: list[Reason]
    settle: list[str]  # questions that would settle an uncertain result, as the user reads them
    steps: dict[str, list[Step]]
    warnings: list[str]
    alternatives: list[tuple[str, str, str]]  # (id, title, outcome)
    members: list[MemberLine] = field(default_factory=list)
    advisories: list[str] = field(default_factory=list)  # ids of the advisories shown beside this card
    household_outcome: str = "uncertain"  # the best outcome for anyone in the household
    concerns: str = "yes"  # whether the programme is for the household's situation at all: yes, no, maybe
    title_ja_shown: str | None = None  # the Japanese title, where it differs from the title as read

    @property
    def refusals(self) -> list[str]:
        """What closed the door, as the user reads it (the reasons that failed)."""
        return [r.text for r in self.reasons if r.result == "fail"] or [r.text for r in self.reasons[:1]]


def who(member: MemberResult, lang: str, _: Translate) -> str:
    return who_is(member.relation, member.age, lang, _)


def who_is(relation: str | None, age: int | None, lang: str, _: Translate) -> str:
    """A household member as the user reads it: "Your child (7)"."""
    label = _(RELATION_LABEL.get(relation or "other", RELATION_LABEL["other"]))
    if age is None:
        return label
    return fill(_(WITH_AGE), {"who": label, "age": format_number(age, lang)})


def _contact_view(c: Contact, _: Translate) -> dict[str, Any]:
    return {"name": fill(_(c.name), c.name_params or {}), "name_ja": c.name_ja,
            "address": c.address,
            "postal_code": c.postal_code, "phone": c.phone,
            "hours": _(c.hours) if c.hours else None,
            "note": _(c.note) if c.note else None}


def advice(result: Result, _: Translate) -> list[Advice]:
    """The advisories, translated, most urgent first (those that certainly apply before the others)."""
    out = []
    for a in result.advisories:
        maybe = a.applies == "maybe"
        out.append(Advice(
            id=a.id, severity=a.severity, label=_(SEVERITY_LABEL[a.severity]), title=_(a.title),
            text=_((a.if_ or a.text) if maybe else a.text), maybe=maybe, do=_(a.do),
            contested=_(a.contested) if a.contested else None,
            contacts=[_contact_view(c, _) for c in a.contacts],
            sources=[{"title": c.title, "url": c.url, "article": c.article,
                          "verified": c.verified} for c in a.citations],
        ))
    return out


def _reason_text(reason: ReasonResult, lang: str, _: Translate) -> str:
    units = reason.units
    values = {k: format_param(v, units.get(k, "number"), lang, _) for k, v in reason.params.items()}
    return fill(_(reason.template), values)


IF_IT_APPLIES = N_("if this applies to you")


def guidance_text(item: Guidance | StaleParameter, _: Translate) -> str:
    """A step's or warning's text as the user reads it. One whose condition is not known to hold is
    said as a condition ("If you have unpaid premiums, …"), never as a fact about the person; where
    that wording has no translation yet, the plain text is marked "if this applies to you" instead."""
    if item.template is not None:
        return fill(_(item.template), item.params or {})
    assert isinstance(item, Guidance)  # a stale parameter always has its template
    if item.applies != "maybe":
        return _(item.text)
    conditional = item.if_
    if conditional:
        said = _(conditional)
        if said != conditional or _(item.text) == item.text:
            return said  # translated, or a language (English) where neither is translated
    return f"{_(item.text)} ({_(IF_IT_APPLIES)})"


def present(result: Result, base: RuleBase, lang: str, _: Translate) -> list[Card]:
    titles = {r.id: _(r.title) for r in result.results}
    by_id = {r.id: r for r in result.results}
    prompts = {q.fact: _(q.prompt) for q in base.questions}
    cards = []
    for r in result.results:
        reasons = []
        for reason in r.reasons:
            reasons.append(Reason(
                rule=reason.rule,
                result=reason.result,
                text=_reason_text(reason, lang, _),
                notes=[_(n) for n in reason.notes or []],
                sources=[{"title": c.title, "url": c.url, "article": c.article, "verified": c.verified}
                         for c in reason.citations],
            ))
        steps: dict[str, list[Step]] = {kind: [] for kind, _label in STEP_KINDS}
        for step in r.next_steps:
            contact = _contact_view(step.contact, _) if step.contact is not None else None
            steps[step.kind].append(Step(step.kind, guidance_text(step, _), step.ja, contact,
                                         step.sources, step.applies == "maybe"))
        warnings = [guidance_text(w, _) for w in r.warnings]
        settle = [prompts[f] for f in r.missing_facts or [] if f in prompts]
        # An alternative is offered with what the household can get from it, and not at all where it is
        # for another situation (a pregnancy, a child) than the household's.
        alternatives: list[tuple[str, str, str]] = [(a.id, titles[a.id], by_id[a.id].household_outcome)
                        for a in r.alternatives or [] if by_id[a.id].concerns != "no"]
        members = []
        for m in r.members or []:
            name = who(m, lang, _)
            telling = [x for x in m.reasons if x.result != "pass"] or m.reasons[:1]
            members.append(MemberLine(
                who=name, outcome=m.outcome, badge=_(OUTCOME_LABEL[m.outcome]),
                own_right=fill(_(OWN_RIGHT), {"who": name})
                if m.outcome == "eligible" and r.outcome != "eligible" else None,
                reasons=[_reason_text(x, lang, _) for x in telling],
            ))
        title = titles[r.id]
        cards.append(Card(r.id, title, r.title_ja, r.group, r.outcome,
                          _(OUTCOME_LABEL[r.outcome]), reasons, settle, steps, warnings, alternatives,
                          members, list(r.advisories), r.household_outcome,
                          r.concerns, r.title_ja if r.title_ja != title else None))
    return cards


@dataclass
class Arrangement:
    """The results in the order a person needs them: what helps first, then what is closed, then
    what does not concern them (never shown as a refusal)."""

    now: list[Card]  # eligible or uncertain for someone in the household: opened, with counter and steps
    closed: list[Card]  # not available to anyone in the household, though it is for their situation
    not_concerned: list[Card]  # for another situation (a child, a pregnancy); "maybe" where that is not known


def arrange(cards: list[Card]) -> Arrangement:
    rank = {"eligible": 0, "uncertain": 1}
    now = [c for c in cards if c.concerns != "no" and c.household_outcome in rank]
    # Help that is certain before help that is not, keeping the rules' order (core first) within each.
    now.sort(key=lambda c: rank[c.household_outcome])
    closed = [c for c in cards if c.concerns == "yes" and c.household_outcome == "not_eligible"]
    not_concerned = [c for c in cards if c not in now and c not in closed]
    return Arrangement(now, closed, not_concerned)


def place_note(result: Result, _: Translate) -> str | None:
    place = result.municipality
    if place.note_template is None:
        return None
    return fill(_(place.note_template), place.note_params or {})
