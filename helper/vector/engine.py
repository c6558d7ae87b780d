"""The vectorised batch path: many households at once, the scalar engine's outcomes exactly.

Households are grouped by the compiled rules that apply to them (the municipality's layers) and by which
dated value of every parameter holds on their date, so that within a group every parameter is one constant.
Each group becomes columns (helper/vector/columns.py) and each programme is evaluated over them with masks
(helper/vector/evaluator.py): its outcome, the household's outcome (members assessed in their own right),
and the deciding conditions, found as helper.engine.deciding finds them. A programme the vectorised path
cannot evaluate yet goes through the scalar engine for that group's households, and :class:`Stats` counts
them, so that what is measured says how much of the work was really vectorised.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..answers import Answers
from ..batch import Outcome
from ..engine import reachable_conditions
from ..rules import schema as s
from .columns import Columns, build
from .evaluator import Evaluator, Frame
from .masks import Codes, Tri, Unsupported

OUTCOMES = ("not_eligible", "uncertain", "eligible")  # by rank, as helper.engine ranks them


@dataclass
class Stats:
    """What went through which path. A household counts as fallback when at least one of its
    programmes was evaluated by the scalar engine."""

    households: int = 0
    groups: int = 0
    cells: int = 0  # households × programmes
    fallback_households: int = 0
    fallback_cells: int = 0
    unsupported: Counter[str] = field(default_factory=Counter)  # why, by programme
    # Where the time went, in seconds: grouping, building the columns from the answers (household.subjects,
    # in Python), the rules over the columns (numpy), the scalar fallback, and the outcome tuples.
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    @property
    def fallback_share(self) -> float:
        return self.fallback_households / self.households if self.households else 0.0


@dataclass
class ProgrammeColumns:
    """One programme's results for the households of a group (in the group's order)."""

    programme: str
    outcome: np.ndarray  # rank codes, see OUTCOMES
    household: np.ndarray
    pattern: np.ndarray  # index into patterns
    patterns: list[tuple[str, ...]]


# -- deciding conditions --------------------------------------------------------------------------


def decide(ev: Evaluator, e: Any, fr: Frame, mask: np.ndarray, out: list[tuple[str, np.ndarray]],
           visited: dict[str, np.ndarray]) -> None:
    """helper.engine.deciding for every row of ``mask`` at once: appends (condition, rows) in the order the
    scalar walk meets them; a condition already met on a row is not met again there (nor its subtree)."""
    if isinstance(e, s.ConditionRef):
        cid = e.condition
        seen = visited.get(cid)
        here = mask if seen is None else mask & ~seen
        if not here.any():
            return
        visited[cid] = here if seen is None else seen | here
        out.append((cid, here))
        decide(ev, ev.sym.conditions[cid][0].test, fr, here, out, visited)
    elif isinstance(e, (s.All, s.Any_)):
        is_all = isinstance(e, s.All)
        children = e.all if isinstance(e, s.All) else e.any
        v = ev.tri(e, fr)
        values = [ev.tri(c, fr) for c in children]
        # Rows where the node's value is not the decisive one are explained by every branch.
        open_rows = ~v.f if is_all else ~v.t
        narrow = None
        if is_all:
            narrow = _exception_left(ev, children, values, v.unknown & mask, fr)
        for i, (child, cv) in enumerate(zip(children, values, strict=True)):
            m = mask & (open_rows | (cv.f if is_all else cv.t))
            if narrow is not None:
                m &= ~((narrow >= 0) & cv.unknown & (narrow != i))
            if m.any():
                decide(ev, child, fr, m, out, visited)
    elif isinstance(e, s.Not):
        decide(ev, e.not_, fr, mask, out, visited)


def _exception_left(ev: Evaluator, children: Sequence[Any], values: list[Tri], undecided: np.ndarray,
                    fr: Frame) -> np.ndarray | None:
    """helper.engine._exception_left for every row: the index of the first child whose main route has failed
    while an exception is still open (-1 where none)."""
    if not undecided.any():
        return None
    narrow = np.full(fr.n, -1, np.int64)
    for i, (child, cv) in enumerate(zip(children, values, strict=True)):
        target = ev.sym.conditions[child.condition][0].test if isinstance(child, s.ConditionRef) else child
        if not isinstance(target, s.Any_):
            continue
        failed = np.zeros(fr.n, bool)
        for g in target.any:
            failed |= ev.tri(g, fr).f
        narrow[undecided & cv.unknown & failed & (narrow < 0)] = i
    return narrow


def _patterns(positions: list[tuple[str, np.ndarray]], rows: np.ndarray,
              static: tuple[str, ...]) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """For each row, which conditions decided it, in order: an index into a list of distinct tuples."""
    if not positions:
        return np.zeros(len(rows), np.int64), [static]
    bits = np.packbits(np.stack([m[rows] for _, m in positions], axis=1), axis=1)
    keys = np.ascontiguousarray(bits).view(np.dtype((np.void, bits.shape[1]))).reshape(-1)
    uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    patterns = []
    for row in first:
        chosen = tuple(cid for cid, m in positions if m[rows[row]])
        patterns.append(chosen or static)
    return np.asarray(inverse).reshape(-1), patterns


# -- a group --------------------------------------------------------------------------------------


def evaluate_group(rs: Any, as_of: dt.date, cols: Columns, stats: Stats) -> dict[str, ProgrammeColumns]:
    """Every programme the vectorised path can evaluate, for the households of ``cols``; the others are
    left out (and counted in ``stats.unsupported``) for the scalar engine."""
    ev = Evaluator(rs, as_of, cols)
    fr = ev.main
    person_rows = np.flatnonzero(cols.person)
    out: dict[str, ProgrammeColumns] = {}
    with np.errstate(all="ignore"):
        for prog in rs.programmes:
            model = prog.model
            try:
                top = ev.tri(model.eligible_when, fr)
                rank = np.where(top.t, 2, np.where(top.f, 0, 1)).astype(np.int8)
                outcome = rank[person_rows]
                if model.members_when is not None:
                    counted = np.where(cols.person | ev.tri(model.members_when, fr).t, rank, -1).astype(np.int8)
                    household = np.maximum.reduceat(counted, person_rows)
                else:
                    household = outcome
                positions: list[tuple[str, np.ndarray]] = []
                decide(ev, model.eligible_when, fr, cols.person.copy(), positions, {})
                pattern, patterns = _patterns(positions, person_rows, tuple(reachable_conditions(prog.top)))
            except Unsupported as exc:
                stats.unsupported[f"{model.id}: {exc}"] += 1
                continue
            out[model.id] = ProgrammeColumns(model.id, outcome, household, pattern, patterns)
    return out


# -- the whole batch ------------------------------------------------------------------------------


def _signature(rs: Any, day: dt.date) -> tuple[int, ...]:
    """Which dated value of each parameter applies on ``day`` (-1: none)."""
    sig = []
    for pdef in rs.params.values():
        for i, entry in enumerate(pdef.values):
            if entry.from_ <= day and (entry.until is None or day <= entry.until):
                sig.append(i)
                break
        else:
            sig.append(-1)
    return tuple(sig)


def evaluate_answers(answers: Sequence[Answers], base: Any, today: dt.date | None = None,
                     stats: Stats | None = None) -> list[tuple[Outcome, ...]]:
    """The outcomes of every answers file, as helper.batch.evaluate_rows gives them (programme, outcome,
    household outcome, deciding conditions), in the rules' order of programmes."""
    # Building the columns makes millions of small dicts and tuples that hold no cycles: the cyclic
    # garbage collector would scan them over and over (about 40% of the time), so it waits until the end.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _evaluate_answers(answers, base, today, stats)
    finally:
        if was_enabled:
            gc.enable()


def _evaluate_answers(answers: Sequence[Answers], base: Any, today: dt.date | None,
                      stats: Stats | None) -> list[tuple[Outcome, ...]]:
    from .. import batch
    from ..engine import evaluate

    stats = stats if stats is not None else Stats()
    clock = time.perf_counter()
    today = today or dt.date.today()
    rulesets: dict[str | None, Any] = {}
    signatures: dict[tuple[int, dt.date], tuple[int, ...]] = {}
    groups: dict[tuple[int, tuple[int, ...]], list[int]] = {}
    days = []
    for i, a in enumerate(answers):
        day = a.as_of or today
        days.append(day)
        rs = rulesets.get(a.municipality)
        if rs is None:
            rs = rulesets[a.municipality] = base.ruleset_for(a.municipality)
        group_key = (id(rs.params), day)
        sig = signatures.get(group_key)
        if sig is None:
            sig = signatures[group_key] = _signature(rs, day)
        groups.setdefault((id(rs.compiler), sig), []).append(i)
    results: list[tuple[Outcome, ...]] = [()] * len(answers)
    interned: dict[tuple[str, int, int, tuple[str, ...]], Outcome] = {}
    codes = Codes()
    clock = _lap(stats, "group", clock)
    for members in groups.values():
        first = answers[members[0]]
        rs = rulesets[first.municipality]
        cols = build([(answers[i], days[i]) for i in members], codes)
        clock = _lap(stats, "columns", clock)
        done = evaluate_group(rs, days[members[0]], cols, stats)
        clock = _lap(stats, "rules", clock)
        stats.groups += 1
        stats.households += len(members)
        ids = [p.model.id for p in rs.programmes]
        stats.cells += len(members) * len(ids)
        missing = [pid for pid in ids if pid not in done]
        if missing:
            stats.fallback_households += len(members)
            stats.fallback_cells += len(members) * len(missing)
        for j, i in enumerate(members):
            scalar = {}
            if missing:
                clock = _lap(stats, "outcomes", clock)
                scalar = {o.programme: o for o in batch._outcomes(evaluate(answers[i], base, today=days[i]))}
                clock = _lap(stats, "fallback", clock)
            row = []
            for pid in ids:
                if pid in scalar:
                    row.append(scalar[pid])
                    continue
                pc = done[pid]
                key = (pid, int(pc.outcome[j]), int(pc.household[j]), pc.patterns[pc.pattern[j]])
                o = interned.get(key)
                if o is None:
                    o = interned[key] = Outcome(pid, OUTCOMES[key[1]], OUTCOMES[key[2]], key[3])
                row.append(o)
            results[i] = tuple(row)
        clock = _lap(stats, "outcomes", clock)
    return results


def _lap(stats: Stats, what: str, since: float) -> float:
    now = time.perf_counter()
    stats.seconds[what] += now - since
    return now


def evaluate_rows(rows: Sequence[Any], base: Any, today: dt.date | None = None,
                  stats: Stats | None = None) -> list[Any]:
    """helper.batch.evaluate_rows, vectorised: valid rows evaluated together, invalid rows passed through."""
    from ..batch import Evaluated

    valid = [r for r in rows if r.answers is not None]
    outcomes = iter(evaluate_answers([r.answers for r in valid], base, today, stats))
    return [Evaluated(r) if r.answers is None else Evaluated(r, next(outcomes)) for r in rows]
