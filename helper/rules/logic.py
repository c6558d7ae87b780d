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

    __slots__ = ("facts", "as_of", "ruleset", "values", "conditions", "formulas", "params", "stale", "items", "args",
                 "nodes")

    def __init__(self, facts: dict[str, Any], as_of: dt.date, ruleset: Any,
                 params: dict[str, Any] | None = None, stale: set[str] | None = None) -> None:
        self.facts = facts
        self.as_of = as_of
        self.ruleset = ruleset
        self.values: dict[str, Any] = {}
        self.conditions: dict[str, Any] = {}
        self.formulas: dict[tuple[Any, ...], Any] = {}  # values with args, by value and arguments
        # Parameters depend only on the date and the rule set, so members assessed on the same day share them.
        self.params: dict[str, Any] = {} if params is None else params
        self.stale: set[str] = set() if stale is None else stale  # parameters with no value on as_of
        self.items: list[dict[str, Any]] = []  # the record a `where` is looking at, innermost last
        self.args: list[dict[str, Any]] = []  # the arguments of the value being applied, innermost last
        self.nodes: dict[int, Any] = {}  # values of top-level nodes, for explaining (see engine.value_of)


class Records:
    """A list of records (the household's members, each a dict of known fields), and why it may be
    incomplete: ``gap`` is an :class:`Unknown` when members may exist that are not described."""

    __slots__ = ("items", "gap")

    def __init__(self, items: tuple[dict[str, Any], ...], gap: Unknown | None = None) -> None:
        self.items = items
        self.gap = gap

    def __len__(self) -> int:
        return len(self.items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Records) and self.items == other.items and self.gap == other.gap

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Records({list(self.items)}, gap={self.gap!r})"
