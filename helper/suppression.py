"""Small-cell suppression for published counts: no count from 1 to 9, and none recoverable from the margins.

A count table is published with its row totals, column totals and grand total. Every count from 1 to
``THRESHOLD - 1`` (cells and totals alike) is hidden (primary suppression). Hiding is not enough: a
hidden cell that is alone in its row can be recovered by subtracting the row's other cells from the row
total. Complementary suppression hides further cells until no hidden value can be worked out exactly.

Why this works. Put the totals in as an extra row and column; then each row and each column of the
extended table obeys one linear equation (its cells add up to its total). Draw a graph whose nodes are
the rows and the columns and whose edges are the hidden cells. A hidden cell's value is fixed by the
equations exactly when its edge is a bridge of that graph (no cycle runs through it): along a cycle,
adding +1, -1, +1, … to the cells keeps every equation true, so no cell on a cycle can be pinned down.
So the algorithm closes a cycle through each bridge, choosing the cheapest path (hiding already hidden
cells costs nothing, others cost their count plus one, so large cells are hidden only when needed).

Zeros are published: a zero reveals that nobody in a group was counted, not who was.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

THRESHOLD = 10  # counts 1..9 are hidden
TOTAL = "__total__"


@dataclass(frozen=True)
class Published:
    """A suppressed table: ``cells[(row, col)]`` is the count or ``None`` where hidden, totals included
    under the key ``TOTAL``."""

    rows: tuple[Hashable, ...]
    cols: tuple[Hashable, ...]
    cells: dict[tuple[Hashable, Hashable], int | None]

    def hidden(self) -> set[tuple[Hashable, Hashable]]:
        return {k for k, v in self.cells.items() if v is None}


def extend(counts: Mapping[tuple[Hashable, Hashable], int], rows: tuple[Hashable, ...],
           cols: tuple[Hashable, ...]) -> dict[tuple[Hashable, Hashable], int]:
    """The table with its row totals, column totals and grand total (missing cells count 0)."""
    full = {(r, c): int(counts.get((r, c), 0)) for r in rows for c in cols}
    for r in rows:
        full[(r, TOTAL)] = sum(full[(r, c)] for c in cols)
    for c in cols:
        full[(TOTAL, c)] = sum(full[(r, c)] for r in rows)
    full[(TOTAL, TOTAL)] = sum(full[(r, TOTAL)] for r in rows)
    return full


def _bridges(nodes: list[str], edges: list[tuple[str, str]]) -> set[int]:
    """Indices of the edges that are bridges (iterative Tarjan; parallel edges cannot occur here)."""
    adjacent: dict[str, list[tuple[str, int]]] = {n: [] for n in nodes}
    for i, (a, b) in enumerate(edges):
        adjacent[a].append((b, i))
        adjacent[b].append((a, i))
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    found: set[int] = set()
    counter = 0
    for root in nodes:
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack: list[tuple[str, int, int]] = [(root, -1, 0)]  # node, edge we came by, next neighbour index
        while stack:
            node, via, i = stack[-1]
            if i < len(adjacent[node]):
                stack[-1] = (node, via, i + 1)
                nxt, edge = adjacent[node][i]
                if edge == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append((nxt, edge, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.add(via)
    return found


def _row(r: Hashable) -> str:
    return f"r:{r!r}"


def _col(c: Hashable) -> str:
    return f"c:{c!r}"


def _cheapest_cycle(full: dict[tuple[Hashable, Hashable], int], hidden: set[tuple[Hashable, Hashable]],
                    cell: tuple[Hashable, Hashable], rows: list[Hashable], cols: list[Hashable]
                    ) -> list[tuple[Hashable, Hashable]]:
    """The cells to hide so that a cycle runs through ``cell``: the cheapest path from its column back to
    its row that does not use the cell itself (Dijkstra on the complete bipartite graph)."""
    start, goal = ("c", cell[1]), ("r", cell[0])
    dist = {start: 0}
    back: dict[tuple[str, Hashable], tuple[tuple[str, Hashable], tuple[Hashable, Hashable]]] = {}
    heap: list[tuple[int, int, tuple[str, Hashable]]] = [(0, 0, start)]
    tie = 0
    while heap:
        d, _, node = heapq.heappop(heap)
        if node == goal:
            break
        if d > dist.get(node, 1 << 62):
            continue
        side, name = node
        for other in (rows if side == "c" else cols):
            edge = (other, name) if side == "c" else (name, other)
            if edge == cell:
                continue
            cost = 0 if edge in hidden else full[edge] + 1
            nxt = ("r" if side == "c" else "c", other)
            if d + cost < dist.get(nxt, 1 << 62):
                dist[nxt] = d + cost
                back[nxt] = (node, edge)
                tie += 1
                heapq.heappush(heap, (d + cost, tie, nxt))
    path = []
    node = goal
    while node != start:
        node, edge = back[node]
        path.append(edge)
    return path


def suppress(counts: Mapping[tuple[Hashable, Hashable], int], rows: tuple[Hashable, ...],
             cols: tuple[Hashable, ...], forced: set[tuple[Hashable, Hashable]] | None = None) -> Published:
    """Publish ``counts`` (cells by (row, col)) with margins, hiding every small count and enough others;
    ``forced`` cells are hidden whatever their count (a total hidden in a linked table)."""
    full = extend(counts, rows, cols)
    all_rows, all_cols = [*rows, TOTAL], [*cols, TOTAL]
    hidden = {k for k, v in full.items() if 0 < v < THRESHOLD} | set(forced or ())
    nodes = [_row(r) for r in all_rows] + [_col(c) for c in all_cols]
    while True:
        edges = sorted(hidden, key=repr)
        bridges = _bridges(nodes, [(_row(r), _col(c)) for r, c in edges])
        if not bridges:
            break
        # One bridge at a time: closing one cycle often takes others with it.
        cell = edges[min(bridges)]
        hidden.update(_cheapest_cycle(full, hidden, cell, all_rows, all_cols))
    return Published(tuple(rows), tuple(cols), {k: (None if k in hidden else v) for k, v in full.items()})


# --- Linked tables --------------------------------------------------------------------------------------
#
# Counts of one survey by programme share their margins: every person has one outcome in each programme,
# so the number of people with a status is the row total of every programme's table. An attacker who
# knows that can combine tables, so linked tables are protected as one system of linear equations: a
# hidden value is safe when the equations and the published values leave it free to move. That is
# checked exactly (the null space of the equations restricted to the hidden values), and where a hidden
# value is pinned down, the smallest published value it shares an equation with is hidden too.


@dataclass(frozen=True)
class System:
    """Published values and the equations between them (each a map of value key to coefficient, the
    weighted sum being zero)."""

    values: dict[Hashable, int]
    equations: tuple[dict[Hashable, int], ...]


def pinned(system: System, hidden: set[Hashable]) -> list[Hashable]:
    """The hidden values that the equations and the published values determine exactly."""
    import numpy as np

    keys = sorted(hidden, key=repr)
    if not keys:
        return []
    index = {k: i for i, k in enumerate(keys)}
    rows = [eq for eq in system.equations if any(k in index for k in eq)]
    if not rows:  # values in no equation: nothing pins them
        return []
    a = np.zeros((len(rows), len(keys)))
    for i, eq in enumerate(rows):
        for k, coefficient in eq.items():
            if k in index:
                a[i, index[k]] = coefficient
    _, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9 * max(1.0, s.max(initial=0.0))).sum())
    free = vt[rank:].T  # columns span the moves of the hidden values that keep every equation true
    if free.shape[1] == 0:
        return keys
    return [k for k in keys if np.abs(free[index[k]]).max() < 1e-9]


def protect(system: System, hidden: set[Hashable] | None = None) -> set[Hashable]:
    """Hide every value from 1 to 9 and then enough others that no hidden value can be worked out."""
    hidden = set(hidden or ()) | {k for k, v in system.values.items() if 0 < v < THRESHOLD}
    while True:
        found = pinned(system, hidden)
        if not found:
            return hidden
        key = found[0]
        candidates = {j for eq in system.equations if key in eq for j in eq if j not in hidden}
        if not candidates:  # every neighbour is hidden: hide anything left (never reached by tables)
            candidates = set(system.values) - hidden
        hidden.add(min(candidates, key=lambda j: (system.values[j], repr(j))))
