"""Three-valued values and the evaluation context.

A value is either known (a bool, number, text, list or date) or :class:`Unknown`. An unknown
remembers which input facts were missing and which notes (discretion, contested law, amounts
not encoded) made it unknown, so an ``uncertain`` outcome can say what would settle it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


class Unknown:
    """An unknown value: the missing facts that would settle it, and the notes that explain it."""

    __slots__ = ("facts", "notes")

    def __init__(self, facts: frozenset[str] = frozenset(), notes: tuple[str, ...] = ()) -> None:
        self.facts = facts
        self.notes = notes

    def merge(self, other: Unknown) -> Unknown:
        if other is self:
            return self
        notes = self.notes + tuple(n for n in other.notes if n not in self.notes)
        return Unknown(self.facts | other.facts, notes)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Unknown(facts={sorted(self.facts)}, notes={list(self.notes)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and self.facts == other.facts and self.notes == other.notes

    def __hash__(self) -> int:
        return hash((self.facts, self.notes))


def merge_unknowns(values: list[Any]) -> Unknown:
    out: Unknown | None = None
    for v in values:
        if isinstance(v, Unknown):
            out = v if out is None else out.merge(v)
    return out if out is not None else Unknown()


class Context:
    """Everything one evaluation needs: the facts, the date, the rule set and memo tables."""

    __slots__ = ("facts", "as_of", "ruleset", "values", "conditions", "params", "stale")

    def __init__(self, facts: dict[str, Any], as_of: dt.date, ruleset: Any) -> None:
        self.facts = facts
        self.as_of = as_of
        self.ruleset = ruleset
        self.values: dict[str, Any] = {}
        self.conditions: dict[str, Any] = {}
        self.params: dict[str, Any] = {}
        self.stale: set[str] = set()  # parameters with no value on as_of
