"""The household as the rules see it: flat facts for the person, and the same for each member.

The answers describe one person and, optionally, the other members of the household. The rules
read ``person.*`` facts for whoever is being assessed, ``household.*`` facts shared by everyone,
and two lists of records: ``household.members`` (everyone else, each with ``relation`` to the one
assessed) and ``household.everyone`` (the one assessed first, with relation ``self``).

To assess a member in their own right ("your child can receive … even though you cannot"), the
same facts are built with that member in the place of the person: the person becomes one of the
members, and every relation is turned round (the person's child sees the person as a parent).
Nothing here knows a programme; it only re-arranges the answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import municipality as muni
from .answers import Answers, HouseholdMember, Person
from .rules.logic import Records, Unknown

MEMBER_FIELDS: tuple[str, ...] = tuple(HouseholdMember.model_fields)
# Fields a member shares with the person: these become person.* when the member is assessed.
SHARED_FIELDS: tuple[str, ...] = tuple(f for f in MEMBER_FIELDS if f in Person.model_fields)

# How the person relates to a member, given how the member relates to the person.
_INVERSE = {"spouse": "spouse", "child": "parent", "parent": "child", "sibling": "sibling", "other": "other"}
# How member b relates to member a, given how each relates to the person: (a, b) -> b to a.
# Only what kinship makes clear; anything else is "other" (a step-parent counts as a parent).
_COMPOSE = {
    ("child", "child"): "sibling",
    ("child", "spouse"): "parent",
    ("spouse", "child"): "child",
    ("sibling", "sibling"): "sibling",
    ("sibling", "parent"): "parent",
    ("parent", "sibling"): "child",
    ("parent", "parent"): "other",
}


@dataclass(frozen=True)
class Subject:
    """One person to assess: 0 is the person of the answers, 1… the members in the order given."""

    index: int
    relation: str | None  # the member's relation to the person (None for the person)
    age: int | None
    facts: dict[str, Any]


def _known(model: Any) -> dict[str, Any]:
    return {name: value for name, value in model if value is not None}


def member_records(answers: Answers) -> list[dict[str, Any]]:
    """The other members as records: those described in ``members``, then those with only an age."""
    h = answers.household
    out = [_known(m) for m in h.members or ()]
    out += [{"age": age} for age in h.member_ages or ()]
    for i, rec in enumerate(out, start=1):
        rec["member"] = i
    return out


def _person_record(person: Person) -> dict[str, Any]:
    return {f: getattr(person, f) for f in SHARED_FIELDS if getattr(person, f) is not None}


def _gap(answers: Answers, described: int) -> Unknown | None:
    """Why the member list may be incomplete: the size is unknown, or some members are not described."""
    size = answers.household.size
    if size is None:
        return Unknown(frozenset({"household.size"}))
    if described < size - 1:
        return Unknown(frozenset({"household.members"}))
    return None


def _base_facts(answers: Answers) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in answers.person:
        if value is not None:
            out[f"person.{name}"] = value
    for name, value in answers.household:
        if name in ("members", "member_ages", "income") or value is None:
            continue
        out[f"household.{name}"] = value
    if answers.household.income is not None:
        for name, value in answers.household.income:
            if value is not None:
                out[f"household.income.{name}"] = value
    for name, value in answers.needs:
        if value is not None:
            out[f"needs.{name}"] = value
    out.update(place_facts(answers.municipality))
    return out


def place_facts(code: str | None) -> dict[str, str]:
    """``municipality``, ``municipality.city`` and ``municipality.prefecture`` for a JIS code."""
    m = muni.get(code) if code else None
    if m is None:
        return {}
    if m.level == "prefecture":
        return {"municipality": m.code, "municipality.prefecture": m.code}
    city = m.parent if m.level == "ward" and m.parent else m.code
    return {"municipality": m.code, "municipality.city": city, "municipality.prefecture": m.code[:2] + "000"}


def subjects(answers: Answers) -> list[Subject]:
    """The person, then each member as the one assessed, with the household's facts seen from them."""
    base = _base_facts(answers)
    members = member_records(answers)
    gap = _gap(answers, len(members))
    person = _person_record(answers.person)
    me = {**person, "relation": "self", "member": 0}
    out = [Subject(0, None, answers.person.age, {
        **base,
        "household.members": Records(tuple(members), gap),
        "household.everyone": Records((me, *members), gap),
    })]
    for rec in members:
        i, rel = rec["member"], rec.get("relation")
        facts = {k: v for k, v in base.items() if not k.startswith("person.")}
        for f in SHARED_FIELDS:
            if f in rec:
                facts[f"person.{f}"] = rec[f]
        others = [{**person, "member": 0, **({"relation": _INVERSE[rel]} if rel else {})}]
        for other in members:
            if other is rec:
                continue
            turned = {k: v for k, v in other.items() if k != "relation"}
            if rel and other.get("relation"):
                turned["relation"] = _COMPOSE.get((rel, other["relation"]), "other")
            others.append(turned)
        self_rec = {**{k: v for k, v in rec.items() if k != "relation"}, "relation": "self"}
        facts["household.members"] = Records(tuple(others), gap)
        facts["household.everyone"] = Records((self_rec, *others), gap)
        out.append(Subject(i, rel, rec.get("age"), facts))
    return out


def facts_of(answers: Answers) -> dict[str, Any]:
    """The facts for the person of the answers (``{'person.age': 34, ...}``); unknown facts are absent."""
    return subjects(answers)[0].facts
