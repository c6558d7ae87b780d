"""Derived values of the letters: what a template can print or test beyond its fields (issue 8 item 15).

A template names, under ``derived:``, the functions whose values it uses; each function is registered here
with :func:`derives`, which declares the names it provides. The loader checks every name a template uses (in
``when:``, ``refuse:``, ``required: when`` and the ``{placeholders}`` of its texts) against its fields
(``uses``), the builder's own names (:data:`BUILTIN`), the names of its derived functions and, inside a block
with ``each:``, the names of one item (:data:`ITEM_NAMES`). A typo is a problem with its file and line.

The functions are small and grouped by letter: :mod:`.common` (sender, status, household, attachments, the
place), :mod:`.welfare` (生活保護), :mod:`.nhi` (国民健康保険), :mod:`.housing` (公営住宅). Each reads the
letter's checked values (:class:`Facts`) and writes its names into ``facts.ctx``. They run in the order they
are registered (the modules in that order, each in file order), whatever the order of ``derived:``: a
function may read the names of one registered before it (``status`` before every coded answer, for the
name of the card; ``household`` before ``attachments`` and ``welfare_filer``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ...answers import Answers
    from ...result import Result
    from ..templates import Template
    from ..values import V

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


class Facts(Protocol):
    """What a derived function reads (the letter builder): the template, the answers, the checked values of
    the fields it uses, the household members listed, the letter's date; ``ctx`` is where it writes."""

    t: Template
    a: Answers
    values: dict[str, Any]  # field id -> checked, normalised value
    members: list[dict[str, Any]]
    ctx: dict[str, Any]  # name -> V, bool or list
    day: dt.date

    def choice(self, table: str, code: str, *sources: str) -> V: ...

    def evaluation(self) -> Result | None: ...


@dataclass(frozen=True)
class Derivation:
    name: str
    provides: frozenset[str]
    fn: Callable[[Facts], None]


REGISTRY: dict[str, Derivation] = {}

# Functions that compute the residence status: never in a letter whose service is open whatever the status.
STATUS_DERIVED = frozenset({"status"})


def derives(*names: str) -> Callable[[Callable[[Facts], None]], Callable[[Facts], None]]:
    """Register a derived function under its own name, declaring the ``names`` it writes into ``ctx``."""

    def register(fn: Callable[[Facts], None]) -> Callable[[Facts], None]:
        if fn.__name__ in REGISTRY:  # pragma: no cover - a programming error
            raise RuntimeError(f"derived function {fn.__name__} registered twice")
        REGISTRY[fn.__name__] = Derivation(fn.__name__, frozenset(names), fn)
        return fn

    return register


from . import common, welfare, nhi, housing  # noqa: E402,F401,I001  (registers the functions, in this order)

PROVIDES: dict[str, frozenset[str]] = {name: d.provides for name, d in REGISTRY.items()}


def provided(functions: list[str]) -> frozenset[str]:
    """The names the derived ``functions`` provide (unknown functions provide nothing)."""
    return frozenset().union(*(PROVIDES.get(f, frozenset()) for f in functions))


def run(facts: Facts, functions: list[str]) -> None:
    """Run the derived ``functions`` a template names, in the registry's order."""
    wanted = set(functions)
    for d in REGISTRY.values():
        if d.name in wanted and not (d.name in STATUS_DERIVED and facts.t.status == "never"):
            d.fn(facts)
