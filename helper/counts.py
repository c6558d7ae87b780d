"""Counts for campaigners: people by status and outcome per programme, per municipality and quarter,
published with small-cell suppression that holds across the linked tables.

Within one municipality and quarter, every person has one outcome in each programme, so the tables of
the programmes share their row totals (people by status) and grand total: they are protected together
(:func:`helper.suppression.protect`). Different municipalities and quarters share no published value,
so each group is protected on its own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from .suppression import TOTAL, System, protect, suppress

OUTCOMES = ("eligible", "not_eligible", "uncertain")


@dataclass(frozen=True)
class Record:
    """One evaluated, anonymised case: where and when, the status group, and an outcome per programme."""

    municipality: str
    quarter: str
    status: str
    outcomes: tuple[tuple[str, str], ...]  # (programme, outcome)


@dataclass(frozen=True)
class Group:
    """The published counts of one municipality and quarter: ``None`` where hidden."""

    municipality: str
    quarter: str
    statuses: tuple[str, ...]
    programmes: tuple[str, ...]
    cells: dict[tuple[str, str, str], int | None]  # (status, programme, outcome)
    people_by_status: dict[str, int | None]
    by_outcome: dict[tuple[str, str], int | None]  # (programme, outcome)
    people: int | None


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _system(statuses: tuple[str, ...], programmes: tuple[str, ...],
            cells: Counter[tuple[str, str, str]]) -> System:
    values: dict[Hashable, int] = {}
    equations: list[dict[Hashable, int]] = []
    people = Counter[str]()
    for s in statuses:
        people[s] = sum(cells[(s, programmes[0], o)] for o in OUTCOMES) if programmes else 0
    for s in statuses:
        for p in programmes:
            eq: dict[Hashable, int] = {("status", s): -1}
            for o in OUTCOMES:
                values[("cell", s, p, o)] = cells[(s, p, o)]
                eq[("cell", s, p, o)] = 1
            equations.append(eq)
        values[("status", s)] = people[s]
    for p in programmes:
        total: dict[Hashable, int] = {("all",): -1}
        for o in OUTCOMES:
            values[("outcome", p, o)] = sum(cells[(s, p, o)] for s in statuses)
            eq = {("outcome", p, o): -1}
            eq.update({("cell", s, p, o): 1 for s in statuses})
            equations.append(eq)
            total[("outcome", p, o)] = 1
        equations.append(total)
    values[("all",)] = sum(people.values())
    equations.append({("all",): -1, **{("status", s): 1 for s in statuses}})
    return System(values, tuple(equations))


def _linked_tables(statuses: tuple[str, ...], programmes: tuple[str, ...],
                   cells: Counter[tuple[str, str, str]]) -> set[Hashable]:
    """A first suppression, table by table (exact and cheap), with the shared totals hidden alike in all of
    them; :func:`protect` then checks the tables together and closes what is left."""
    shared: set[tuple[Hashable, Hashable]] = set()
    while True:
        tables = {p: suppress({(s, o): cells[(s, p, o)] for s in statuses for o in OUTCOMES}, statuses, OUTCOMES,
                              forced=shared) for p in programmes}
        now = {k for t in tables.values() for k in t.hidden() if k[1] == TOTAL}
        if now <= shared:
            break
        shared |= now
    hidden: set[Hashable] = set()
    for p, t in tables.items():
        for s, o in t.hidden():
            if s == TOTAL and o == TOTAL:
                hidden.add(("all",))
            elif o == TOTAL:
                hidden.add(("status", s))
            elif s == TOTAL:
                hidden.add(("outcome", p, o))
            else:
                hidden.add(("cell", s, p, o))
    return hidden


def publish(records: Iterable[Record]) -> list[Group]:
    """The suppressed counts of every municipality and quarter present, sorted."""
    grouped: dict[tuple[str, str], list[Record]] = {}
    for r in records:
        grouped.setdefault((r.municipality, r.quarter), []).append(r)
    groups = []
    for (municipality, quarter), rows in sorted(grouped.items()):
        statuses = tuple(sorted({r.status for r in rows}))
        programmes = tuple(sorted({p for r in rows for p, _ in r.outcomes}))
        if any(sorted(p for p, _ in r.outcomes) != list(programmes) for r in rows):
            raise ValueError("every record of a group needs one outcome in each programme")
        cells: Counter[tuple[str, str, str]] = Counter()
        for r in rows:
            for p, o in r.outcomes:
                cells[(r.status, p, o)] += 1
        system = _system(statuses, programmes, cells)
        hidden = protect(system, _linked_tables(statuses, programmes, cells))

        def shown(key: Hashable, hidden: set[Hashable] = hidden, values: dict[Hashable, int] = system.values
                  ) -> int | None:
            return None if key in hidden else values[key]

        groups.append(Group(
            municipality, quarter, statuses, programmes,
            {(s, p, o): shown(("cell", s, p, o)) for s in statuses for p in programmes for o in OUTCOMES},
            {s: shown(("status", s)) for s in statuses},
            {(p, o): shown(("outcome", p, o)) for p in programmes for o in OUTCOMES},
            shown(("all",))))
    return groups


ALL = "(all)"
HIDDEN = "<10"  # how a suppressed count is written: the reader learns it is small, never how small


def rows(groups: Iterable[Group]) -> Iterable[tuple[str, str, str, str, str, str]]:
    """Long-format lines (municipality, quarter, programme, status, outcome, count), margins as ``(all)``."""
    for g in groups:
        def text(v: int | None) -> str:
            return HIDDEN if v is None else str(v)

        for p in g.programmes:
            for s in g.statuses:
                for o in OUTCOMES:
                    yield g.municipality, g.quarter, p, s, o, text(g.cells[(s, p, o)])
                yield g.municipality, g.quarter, p, s, ALL, text(g.people_by_status[s])
            for o in OUTCOMES:
                yield g.municipality, g.quarter, p, ALL, o, text(g.by_outcome[(p, o)])
            yield g.municipality, g.quarter, p, ALL, ALL, text(g.people)


def write_csv(groups: Iterable[Group], out: object) -> None:
    import csv

    writer = csv.writer(out, lineterminator="\n")  # type: ignore[arg-type]
    writer.writerow(["municipality", "quarter", "programme", "status", "outcome", "people"])
    writer.writerows(rows(groups))
