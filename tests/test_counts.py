"""Counts for campaigners: linked tables of one survey leak no small count, alone or combined.

The attacker here knows how the tables hang together (every person has one outcome in each programme)
and checks each hidden value with linear algebra, written independently of helper.suppression.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from helper.counts import OUTCOMES, Group, Record, publish, quarter_of

PROGRAMMES = ("nhi", "public_housing", "welfare")


def attacker_pins(g: Group) -> list[str]:
    """Hidden values of a group that the published ones and the tables' sums determine."""
    names: list[str] = []
    truth_known: dict[str, int] = {}
    unknown: dict[str, int] = {}

    def var(name: str, value: int | None) -> str:
        names.append(name)
        if value is None:
            unknown.setdefault(name, len(unknown))
        else:
            truth_known[name] = value
        return name

    for (s, p, o), v in g.cells.items():
        var(f"{s}|{p}|{o}", v)
    for s, v in g.people_by_status.items():
        var(f"people|{s}", v)
    for (p, o), v in g.by_outcome.items():
        var(f"total|{p}|{o}", v)
    var("people", g.people)
    sums: list[tuple[list[str], str]] = []  # parts add up to whole
    for s in g.statuses:
        for p in g.programmes:
            sums.append(([f"{s}|{p}|{o}" for o in OUTCOMES], f"people|{s}"))
    for p in g.programmes:
        for o in OUTCOMES:
            sums.append(([f"{s}|{p}|{o}" for s in g.statuses], f"total|{p}|{o}"))
        sums.append(([f"total|{p}|{o}" for o in OUTCOMES], "people"))
    sums.append(([f"people|{s}" for s in g.statuses], "people"))
    if not unknown:
        return []
    rows = []
    for parts, whole in sums:
        row = np.zeros(len(unknown))
        for n in parts:
            if n in unknown:
                row[unknown[n]] += 1
        if whole in unknown:
            row[unknown[whole]] -= 1
        rows.append(row)
    a = np.array(rows)
    # e_i lies in the row space of the equations exactly when the projection onto that space keeps it whole.
    projection = np.linalg.pinv(a) @ a
    return [n for n, i in unknown.items() if abs(projection[i, i] - 1) < 1e-6]


def survey(rng: random.Random) -> list[Record]:
    places = rng.sample(["11203", "13104", "27123", "28110"], rng.randint(1, 2))
    statuses = rng.sample(["provisional_release", "designated_activities", "permanent_resident",
                           "long_term_resident", "none", "student"], rng.randint(1, 5))
    records = []
    for _ in range(rng.choice([5, 15, 40, 120, 300])):
        status = rng.choice(statuses)
        excluded = status in ("provisional_release", "none")
        outcomes = tuple((p, "not_eligible" if excluded and rng.random() < 0.8 else rng.choice(OUTCOMES))
                         for p in PROGRAMMES)
        day = dt.date(2026, rng.randint(1, 12), 1)
        records.append(Record(rng.choice(places), quarter_of(day), status, outcomes))
    return records


def test_a_thousand_surveys_publish_no_small_count_and_none_recoverable_from_linked_tables() -> None:
    rng = random.Random(4)
    hidden = 0
    for _ in range(1000):
        records = survey(rng)
        for g in publish(records):
            mine = [r for r in records if (r.municipality, r.quarter) == (g.municipality, g.quarter)]
            truth = {(s, p, o): 0 for s in g.statuses for p in g.programmes for o in OUTCOMES}
            for r in mine:
                for p, o in r.outcomes:
                    truth[(r.status, p, o)] += 1
            shown = [*g.cells.values(), *g.people_by_status.values(), *g.by_outcome.values(), g.people]
            assert not [v for v in shown if v is not None and 0 < v < 10]
            assert all(v is None or v == truth[k] for k, v in g.cells.items())
            assert g.people in (None, len(mine))
            assert attacker_pins(g) == []
            hidden += sum(v is None for v in shown)
    assert hidden > 1000


def test_a_group_of_nine_people_shows_nothing_but_zeros() -> None:
    records = [Record("11203", "2026Q4", "provisional_release", tuple((p, "not_eligible") for p in PROGRAMMES))
               for _ in range(9)]
    (g,) = publish(records)
    assert g.people is None
    assert {v for v in g.cells.values()} == {None, 0}


def test_records_of_a_group_need_every_programme() -> None:
    records = [Record("11203", "2026Q4", "none", (("nhi", "eligible"),)),
               Record("11203", "2026Q4", "none", (("nhi", "eligible"), ("welfare", "uncertain")))]
    with pytest.raises(ValueError, match="each programme"):
        publish(records)


def test_quarters() -> None:
    assert [quarter_of(dt.date(2026, m, 1)) for m in (1, 3, 4, 12)] == ["2026Q1", "2026Q1", "2026Q2", "2026Q4"]


def test_the_csv_writes_hidden_counts_as_small_and_never_their_value() -> None:
    import io

    from helper.counts import write_csv

    records = [Record("11203", "2026Q4", "provisional_release", (("welfare", "not_eligible"),))] * 3
    records += [Record("11203", "2026Q4", "permanent_resident", (("welfare", "eligible"),))] * 40
    out = io.StringIO()
    write_csv(publish(records), out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "municipality,quarter,programme,status,outcome,people"
    assert "11203,2026Q4,welfare,provisional_release,not_eligible,<10" in lines
    assert not [line for line in lines if line.endswith(",3")]
