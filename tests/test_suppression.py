"""Small-cell suppression: nothing from 1 to 9 published, and nothing hidden that the margins give away.

The recoverability check here is independent of the module's graph argument: linear algebra over the
table's equations (each row and column adds up to its total). A hidden cell can be worked out exactly
if and only if its unit vector lies in the row space of the equations restricted to the hidden cells.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from helper.suppression import THRESHOLD, TOTAL, extend, suppress


def recoverable(published, rows, cols) -> list:
    """Hidden cells whose value follows from the published cells and the table's equations."""
    all_rows, all_cols = [*rows, TOTAL], [*cols, TOTAL]
    hidden = sorted(published.hidden(), key=repr)
    if not hidden:
        return []
    index = {cell: i for i, cell in enumerate(hidden)}
    equations = []
    for r in all_rows:  # the cells of a row minus its total are 0 (the total row too)
        eq = np.zeros(len(hidden))
        for c in all_cols:
            if (r, c) in index:
                eq[index[(r, c)]] += -1 if c == TOTAL else 1
        equations.append(eq)
    for c in all_cols:
        eq = np.zeros(len(hidden))
        for r in all_rows:
            if (r, c) in index:
                eq[index[(r, c)]] += -1 if r == TOTAL else 1
        equations.append(eq)
    a = np.array(equations)
    rank = np.linalg.matrix_rank(a)
    found = []
    for cell, i in index.items():
        unit = np.zeros(len(hidden))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(cell)
    return found


def random_table(rng: random.Random) -> tuple[dict, tuple, tuple]:
    rows = tuple(f"status{i}" for i in range(rng.randint(1, 6)))
    cols = tuple(f"programme{j}" for j in range(rng.randint(1, 5)))
    style = rng.random()
    counts = {}
    for r in rows:
        for c in cols:
            x = rng.random()
            if style < 0.3:  # mostly small: a survey in one ward
                counts[(r, c)] = rng.choice([0, 0, 1, 2, 3, 5, 8, 9, 10, 12])
            elif x < 0.25:
                counts[(r, c)] = 0
            elif x < 0.5:
                counts[(r, c)] = rng.randint(1, THRESHOLD - 1)
            else:
                counts[(r, c)] = rng.randint(THRESHOLD, 400)
    return counts, rows, cols


def test_a_thousand_random_tables_publish_no_small_cell_and_leak_no_hidden_one() -> None:
    rng = random.Random(20261204)
    hidden_total = 0
    for _ in range(1000):
        counts, rows, cols = random_table(rng)
        published = suppress(counts, rows, cols)
        full = extend(counts, rows, cols)
        shown = {k: v for k, v in published.cells.items() if v is not None}
        assert not [v for v in shown.values() if 0 < v < THRESHOLD]
        assert all(full[k] == v for k, v in shown.items())  # what is shown is the truth
        assert set(published.cells) == set(full)
        assert recoverable(published, rows, cols) == []
        hidden_total += len(published.hidden())
    assert hidden_total > 1000  # the data sets did contain small cells to hide


def test_one_small_cell_hides_the_fewest_and_smallest_others() -> None:
    counts = {("a", "x"): 3, ("a", "y"): 50, ("b", "x"): 40, ("b", "y"): 60, ("a", "z"): 200, ("b", "z"): 15}
    published = suppress(counts, ("a", "b"), ("x", "y", "z"))
    # 3 alone in row a and column x would be recovered by subtraction; the cheapest cycle through it
    # uses the smallest neighbours: (a, z)=200 is avoided in favour of (a, y)=50 and (b, y), (b, x).
    assert published.hidden() == {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}
    assert published.cells[("a", TOTAL)] == 253 and published.cells[(TOTAL, TOTAL)] == 368


def test_a_small_total_is_hidden_too() -> None:
    counts = {("a", "x"): 0, ("a", "y"): 0, ("b", "x"): 20, ("b", "y"): 30}
    counts[("a", "x")] = 4  # row a's total is 4: hidden, and so is the one cell that makes it up
    published = suppress(counts, ("a", "b"), ("x", "y"))
    assert published.cells[("a", TOTAL)] is None and published.cells[("a", "x")] is None
    assert recoverable(published, ("a", "b"), ("x", "y")) == []


@pytest.mark.parametrize("counts", [{("a", "x"): 0}, {("a", "x"): 25, ("b", "x"): 10}])
def test_tables_with_nothing_small_are_published_whole(counts: dict) -> None:
    rows = tuple(sorted({r for r, _ in counts}))
    published = suppress(counts, rows, ("x",))
    assert published.hidden() == set()
