"""Derived values of the letters: what a template can print or test beyond its fields (issue 8 item 15).

A template names, under ``derived:``, the functions whose values it uses; each function declares the names it
provides. The loader checks every name a template uses (in ``when:``, ``refuse:``, ``required: when`` and the
``{placeholders}`` of its texts) against its fields (``uses``), the names of its derived functions, the
builder's own names (:data:`BUILTIN`) and, inside a block with ``each:``, the names of one item
(:data:`ITEM_NAMES`). A typo is a problem with its file and line.
"""

from __future__ import annotations

# Names every letter has: set by the builder itself.
BUILTIN = frozenset({
    "always",  # true
    "date",  # the letter's date in 和暦 (letter.date, else the answers' as_of, else today)
    "addressee",  # the 宛先 as printed
})

# Inside a block with ``each: <list>``: the names of one item (besides every name of the letter).
ITEM_NAMES: dict[str, frozenset[str]] = {
    "members": frozenset({"m.no", "m.index", "m.name", "m.relation", "m.birth_date", "m.age", "m.sex",
                          "m.nationality", "m.card", "m.status", "m.period", "m.expiry"}),
    "reasons": frozenset({"item"}),
    "attachments": frozenset({"item"}),
    "family_inquiry_grounds": frozenset({"item"}),
    "member_cards": frozenset({"m.card", "m.numbers"}),
}

# The derived functions, in the order they run, each with the names it provides.
PROVIDES: dict[str, frozenset[str]] = {name: frozenset(names) for name, names in {
    "sender": ("postal", "sender_is_applicant", "sender_is_supporter", "writer", "writer_relation",
               "writer_missing_relation"),
    "age": ("age",),
    "status": ("status", "status_needs_name", "status_indefinite", "status_has_card_number", "status_has_expiry",
               "status_none", "card_name", "status_outside_scope"),
    "household": ("has_members", "household_has_others", "household_size", "lives_alone", "members"),
    "welfare_reasons": ("reason_other", "reasons"),
    "welfare_money": ("money_split", "money_total"),
    "work": ("work_other", "work"),
    "relatives": ("relatives",),
    "housing": ("housing",),
    "welfare_requests": ("written_decision", "language", "medical_without_urgency", "has_requests"),
    "attachments": ("attachments", "member_cards", "has_attachments"),
    "welfare_filer": ("filer", "person_applies", "filer_relation", "filer_other_relative", "filer_not_relative",
                      "filer_relative_not_cohabiting", "filer_cohabiting", "filer_postal", "lives_alone_filer",
                      "lives_alone_self", "ground_abroad_contradicts", "ground_no_contact_contradicts",
                      "grounds_without_request"),
    "family_inquiry_grounds": ("family_inquiry_grounds",),
    "nhi_years": ("fiscal_year", "income_year"),
    "nhi_reduction_reason": ("reason",),
    "guarantor": ("guarantor_other", "guarantor_reason"),
    "reply_by": ("reply_by", "reply_by_not_after_date"),
    "nhi_decision": ("decision", "decision_other", "decision_after_date", "known_after_date",
                     "known_before_decision", "appeal_late", "appeal_deadline"),
    "copayment": ("measure", "treatment", "no_medical_need", "has_income_facts"),
    "refusal_at_counter": ("refusal", "refusal_after_date"),
    "receiving": ("receiving_welfare", "receiving_rhq"),
    "income_now": ("income_now", "income_year_not_over"),
    "income_change": ("event_after_date", "income_not_lower", "reason_income_loss"),
    "instalment": ("instalment_zero", "instalment_above_arrears", "no_arrears"),
    "welfare_assets": ("assets_contradict",),
    "other_benefits": ("benefit_income", "benefits_contradict", "results_found_benefits"),
    "place": ("insurer", "housing_kind", "city", "prefecture"),
}.items()}

# Functions that compute the residence status: never in a letter whose service is open whatever the status.
STATUS_DERIVED = frozenset({"status"})


def provided(functions: list[str]) -> frozenset[str]:
    """The names the derived ``functions`` provide (unknown functions provide nothing)."""
    return frozenset().union(*(PROVIDES.get(f, frozenset()) for f in functions))
