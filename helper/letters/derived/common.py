"""Derived values shared by several letters: the sender and the 代筆者, the applicant's age, the residence
status, the household and its members, the attachments, the place (insurer, housing operator), the reply date
and whether the household already receives 生活保護 or RHQ payments."""

from __future__ import annotations

from typing import Any

from ... import municipality as muni
from .. import templates as tpl
from ..model import N_
from ..text import fill
from ..values import EMPTY, V, age, choice, city_of, date, is_japanese_national, lit
from ..wareki import to_wareki
from . import Facts, derives


@derives("postal", "sender_is_applicant", "sender_is_supporter", "writer", "writer_relation",
         "writer_missing_relation")
def sender(f: Facts) -> None:
    """The applicant's 〒, who sends the letter and, when a supporter writes it for the applicant, the 代筆者
    line (relationship 支援者 when none is given, with a warning)."""
    c = f.ctx
    if "applicant.postal_code" in f.values:
        code = f.values["applicant.postal_code"]
        c["postal"] = V(f"〒{code}　", f"{code} ", False, ("applicant.postal_code",))
    else:
        c["postal"] = EMPTY
    supporter_named = "supporter.name" in f.values
    who = f.values.get("letter.sender")
    if who is None:
        default = f.t.default_sender
        who = default if (default == "applicant" or supporter_named) else "applicant"
    c["sender_is_applicant"] = who == "applicant"
    c["sender_is_supporter"] = who == "supporter"
    c["writer"] = supporter_named and who == "applicant"
    if "supporter.relation" in f.values:
        c["writer_relation"] = lit(f.values["supporter.relation"], "supporter.relation")
    else:
        c["writer_relation"] = V("支援者", N_("supporter"), True)
    c["writer_missing_relation"] = c["writer"] and "supporter.relation" not in f.values


@derives("age")
def applicant_age(f: Facts) -> None:
    """The applicant's age on the letter's date."""
    if "applicant.birth_date" in f.values:
        f.ctx["age"] = lit(str(age(f.values["applicant.birth_date"], f.day)), "applicant.birth_date")


@derives("status", "status_needs_name", "status_indefinite", "status_has_card_number", "status_has_expiry",
         "status_none", "card_name", "status_outside_scope")
def status(f: Facts) -> None:
    """The residence status as printed, what it implies (card, period) and whether the rules put it outside
    the scope of 準用 (生活保護 only). Never run for a letter with ``status: never``."""
    c = f.ctx
    code = f.values.get("person.residence_status")
    if code is None:
        return
    entry = tpl.vocabulary()["status"][code]
    name = f.values.get("applicant.residence_status_name")
    if name:
        c["status"] = lit(name, "person.residence_status", "applicant.residence_status_name")
    else:
        c["status"] = V(entry.ja, entry.text, True, ("person.residence_status",))
    c["status_needs_name"] = entry.needs_name
    c["status_indefinite"] = entry.period == "indefinite"
    c["status_has_card_number"] = entry.card in ("residence_card", "special")
    c["status_has_expiry"] = entry.card == "residence_card" and entry.period != "indefinite"
    c["status_none"] = code == "no_status"
    if entry.card and entry.card != "none":
        card = tpl.vocabulary()["card"][entry.card]
        c["card_name"] = V(card.ja, card.text, True, ("person.residence_status",))
    c["status_outside_scope"] = _welfare_outcome(f) == "not_eligible"


def _welfare_outcome(f: Facts) -> str | None:
    result = f.evaluation() if f.t.id == "welfare_application" else None
    if result is None:
        return None
    welfare = result.programme("welfare")
    return welfare.outcome if welfare else None


@derives("has_members", "household_has_others", "household_size", "lives_alone", "members")
def household(f: Facts) -> None:
    """The household: its size (printed only when known: given, or counted from the members listed) and
    each member listed (``each: members``)."""
    c = f.ctx
    size = f.values.get("household.size")
    n_members = len(f.members)
    c["has_members"] = n_members > 0
    c["household_has_others"] = (size or 1) > 1 or n_members > 0
    if size is not None or n_members:
        c["household_size"] = lit(str(size or 1 + n_members), "household.size")
    c["lives_alone"] = size == 1 and n_members == 0
    c["members"] = [_member(f, i, m) for i, m in enumerate(f.members)]


def _member(f: Facts, i: int, m: dict[str, Any]) -> dict[str, V]:
    src = "letter.members"
    # m.no counts the applicant as (1) (the income declaration lists them first); m.index counts the
    # members alone, from (1) (the application's list of household members)
    out: dict[str, V] = {"m.no": lit(str(i + 2)), "m.index": lit(str(i + 1))}
    if "name" in m:
        out["m.name"] = lit(m["name"], src)
    if "relation" in m:
        out["m.relation"] = choice("relation", m["relation"], src)
    if "birth_date" in m:
        out["m.birth_date"] = date(m["birth_date"], src)
        out["m.age"] = lit(str(age(m["birth_date"], f.day)), src)
    if "sex" in m:
        out["m.sex"] = choice("sex", m["sex"], src)
    if "nationality" in m:
        out["m.nationality"] = lit(m["nationality"], src)
    # a Japanese national holds no residence status and no card, whatever an answers file says
    status_printed = ("residence_status" in m and f.t.status == "printed"
                      and not is_japanese_national(m.get("nationality")))
    if status_printed:
        card = tpl.vocabulary()["status"][m["residence_status"]].card
        if card and card != "none":
            entry = tpl.vocabulary()["card"][card]
            out["m.card"] = V(entry.ja, entry.text, True, (src,))
    if status_printed:
        entry = tpl.vocabulary()["status"][m["residence_status"]]
        out["m.status"] = V(entry.ja, entry.text, True, (src,))
        if entry.period == "indefinite":
            out["m.period"] = V("無期限", "no end date", True, (src,))
        elif "residence_expiry" in m:
            expiry = m["residence_expiry"]
            # "until" is a msgid (translated like the coded values), the date a literal inside it
            out["m.period"] = V(f"{to_wareki(expiry)}まで", N_("until {m.expiry}"), True, (src,))
            out["m.expiry"] = lit(expiry.isoformat(), src)
    return out


@derives("attachments", "member_cards", "has_attachments")
def attachments(f: Facts) -> None:
    """The documents attached: the template's defaults (the card's copy only when there is a card), those
    chosen, those typed; and the cards of the members, one line per kind of card numbered as the members are
    (1954 notice: the card of every foreign member is shown, a copy attached: 世帯員(1)(3)の在留カードの写し)."""
    c = f.ctx
    t = f.t
    items: list[dict[str, V]] = []
    codes = list(t.default_attachments) + [x for x in f.values.get("letter.attachments", [])
                                           if x not in t.default_attachments]
    for code in codes:
        if code == "residence_card" and not c.get("card_name"):
            continue  # no card or permit to copy
        items.append({"item": f.choice("attachment", code, "letter.attachments")})
    items += [{"item": x} for x in c.get("letter.attachments_other", [])]
    c["attachments"] = items
    cards: dict[str, list[dict[str, V]]] = {}
    eaches = {b.each for b in t.blocks if b.each}
    for m in c.get("members", []) if "member_cards" in eaches else []:
        if "m.card" in m:
            cards.setdefault(m["m.card"].text, []).append(m)
    c["member_cards"] = [{"m.card": ms[0]["m.card"], "m.numbers": lit(
        "".join(f"({m['m.index'].ja})" for m in ms), "letter.members")} for ms in cards.values()]
    c["has_attachments"] = bool(items) or bool(c["member_cards"])


@derives("reply_by", "reply_by_not_after_date")
def reply_by(f: Facts) -> None:
    """The date a written answer is asked for, and whether it is not after the letter's date (refused)."""
    if "letter.reply_by" in f.values:
        f.ctx["reply_by"] = f.ctx["letter.reply_by"]
    by = f.values.get("letter.reply_by")
    f.ctx["reply_by_not_after_date"] = by is not None and by <= f.day


@derives("receiving_welfare", "receiving_rhq")
def receiving(f: Facts) -> None:
    """Whether the household already receives 生活保護 or RHQ payments (from the whole answers file: never
    printed, only tested by ``refuse``)."""
    hh = f.a.household
    f.ctx["receiving_welfare"] = hh.receiving_welfare is True
    f.ctx["receiving_rhq"] = hh.receiving_rhq is True


@derives("insurer", "housing_kind", "city", "prefecture")
def place(f: Facts) -> None:
    """From the municipality: the NHI insurer (the city of a ward) and, for housing letters, the kind of
    housing by its operator (``{市}営住宅`` or ``{府}営住宅``)."""
    p = muni.get(f.a.municipality) if f.a.municipality else None
    if p is None:
        return
    c = f.ctx
    city = city_of(p)
    c["insurer"] = lit(city.name if city else p.name, "municipality")
    if "letter.housing_operator" in f.values:
        op = f.values["letter.housing_operator"]
        names = {"city": (city.name if city else p.name), "prefecture": p.prefecture}
        entry = tpl.vocabulary()["housing_operator"][op]
        c["housing_kind"] = V(fill(entry.ja, names), entry.text, True, ("letter.housing_operator",))
        c["city"] = lit(names["city"])
        c["prefecture"] = lit(names["prefecture"])
