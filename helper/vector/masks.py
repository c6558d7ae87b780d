"""Column values for the vectorised path: three-valued logic as masks, numbers and codes with a known mask.

The scalar engine (helper/rules/compiler.py) works on one value at a time: a bool, a number, a text, or
:class:`~helper.rules.logic.Unknown`. Here one array holds the value for every row of a batch, with masks
saying where it is known. Outcomes depend only on whether a value is true, false or unknown, never on which
facts made it unknown, so the masks need not carry the missing facts or notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

Bools = np.ndarray  # a bool array, one entry a row (or an item)


class Unsupported(Exception):  # noqa: N818 - a signal to fall back, not an error shown to anyone
    """An expression the vectorised path does not handle: the programme is evaluated by the scalar engine."""


@dataclass(slots=True)
class Tri:
    """A yes/no: ``t`` where known true, ``f`` where known false, unknown elsewhere (never both)."""

    t: Bools
    f: Bools

    @property
    def unknown(self) -> Bools:
        return ~(self.t | self.f)

    @property
    def known(self) -> Bools:
        return self.t | self.f

    def take(self, idx: np.ndarray) -> Tri:
        return Tri(self.t[idx], self.f[idx])


@dataclass(slots=True)
class Num:
    """A number (float64 holds every amount below 2**53 exactly) and where it is known."""

    v: np.ndarray
    k: Bools

    @property
    def known(self) -> Bools:
        return self.k

    def take(self, idx: np.ndarray) -> Num:
        return Num(self.v[idx], self.k[idx])


@dataclass(slots=True)
class Txt:
    """A text as an integer code (see :class:`Codes`) and where it is known."""

    c: np.ndarray
    k: Bools

    @property
    def known(self) -> Bools:
        return self.k

    def take(self, idx: np.ndarray) -> Txt:
        return Txt(self.c[idx], self.k[idx])


Scalar = Tri | Num | Txt


@dataclass(slots=True)
class Lst:
    """A list for each row: flattened items (``seg`` gives each item's row), unknown rows as a whole."""

    items: Scalar
    seg: np.ndarray
    unknown: Bools


@dataclass(slots=True)
class Rec:
    """Member records for each row, flattened: ``seg`` gives each item's row, ``subject`` the batch row of
    the member it describes; ``alive`` the items kept by a filter; ``gap`` the rows whose list may be
    incomplete; ``unknown`` the rows where the list itself is unknown (a filter that could not decide)."""

    seg: np.ndarray
    subject: np.ndarray
    fields: dict[str, Scalar]
    alive: Bools
    gap: Bools
    unknown: Bools
    extra: dict[str, Scalar] = field(default_factory=dict)  # the rules' on_members values, by member


class Codes:
    """Texts as small integers, shared by the columns and the rules' constants of one batch."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {}

    def code(self, text: str) -> int:
        c = self._codes.get(text)
        if c is None:
            c = self._codes[text] = len(self._codes)
        return c


# -- three-valued logic ------------------------------------------------------------------------------


def tri_const(value: bool | None, n: int) -> Tri:
    """True, false, or (None) unknown for every row."""
    return Tri(np.full(n, value is True), np.full(n, value is False))


def tri_all(parts: list[Tri]) -> Tri:
    """Scalar ``all``: false as soon as one is false, true when all are true, else unknown."""
    t, f = parts[0].t.copy(), parts[0].f.copy()
    for p in parts[1:]:
        t &= p.t
        f |= p.f
    return Tri(t & ~f, f)


def tri_any(parts: list[Tri]) -> Tri:
    """Scalar ``any``: true as soon as one is true, false when all are false, else unknown."""
    t, f = parts[0].t.copy(), parts[0].f.copy()
    for p in parts[1:]:
        t |= p.t
        f &= p.f
    return Tri(t, f & ~t)


def tri_not(x: Tri) -> Tri:
    return Tri(x.f, x.t)


def segment_any(mask: Bools, seg: np.ndarray, n: int) -> Bools:
    """For each of ``n`` rows: is ``mask`` true for some item of that row."""
    if not len(seg):
        return np.zeros(n, bool)
    return np.bincount(seg[mask], minlength=n) > 0


def segment_count(mask: Bools, seg: np.ndarray, n: int) -> np.ndarray:
    if not len(seg):
        return np.zeros(n, np.int64)
    return np.bincount(seg[mask], minlength=n)


def segment_sum(values: np.ndarray, mask: Bools, seg: np.ndarray, n: int) -> np.ndarray:
    if not len(seg):
        return np.zeros(n)
    return np.bincount(seg[mask], weights=values[mask], minlength=n)
