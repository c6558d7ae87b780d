"""Evaluate the rules' expressions over the columns of a batch, one numpy operation per expression.

This mirrors helper/rules/compiler.py node for node, from the same rule set (a municipality's layers
applied): the conditions, values and parameters are those the compiler used (``rs.compiler.sym``), and
the expressions are the very models it compiled. Each scalar closure's behaviour on a known or unknown
input is written here as masks; whatever is not (yet) written raises :class:`Unsupported`, and the caller
evaluates that programme with the scalar engine instead.

A value here is either a constant (a Python value, the same for every row: literals and parameters, which
depend only on the date and the rule set) or an array value from :mod:`helper.vector.masks`.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from ..rules import schema as s
from ..rules.compiler import MAX_MAGNITUDE, param_value
from ..rules.logic import Context, Unknown
from .columns import Columns
from .masks import (
    Lst,
    Num,
    Rec,
    Tri,
    Txt,
    Unsupported,
    segment_any,
    segment_count,
    segment_sum,
    tri_all,
    tri_any,
    tri_const,
    tri_not,
)

ARRAY = (Tri, Num, Txt, Lst, Rec)
UNKNOWN = Unknown()
_CMP: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
}


class Frame:
    """Where an expression is evaluated: the rows of the batch, or the items of a ``where`` (``seg`` maps
    each item to its row, ``rec`` holds the records looked at), with the arguments of a value being applied."""

    __slots__ = ("n", "seg", "rec", "args", "row", "hide_records", "memo", "named")

    def __init__(self, n: int, *, seg: np.ndarray | None = None, rec: Rec | None = None,
                 args: dict[str, Any] | None = None, row: Frame | None = None, hide_records: bool = False) -> None:
        self.n = n
        self.seg = seg
        self.rec = rec
        self.args = args
        self.row = row if row is not None else self  # the row-level frame named items are memoised in
        self.hide_records = hide_records
        self.memo: dict[int, Any] = {}  # values of expressions at row level, by the expression's identity
        self.named: dict[tuple[str, str], Any] = {}  # named conditions and values at row level


def take(v: Any, idx: np.ndarray) -> Any:
    if not isinstance(v, ARRAY):
        return v
    if isinstance(v, (Lst, Rec)):
        raise Unsupported("a list inside a where")
    return v.take(idx)


def is_const(v: Any) -> bool:
    return not isinstance(v, ARRAY)


class Evaluator:
    def __init__(self, rs: Any, as_of: dt.date, cols: Columns) -> None:
        self.rs = rs
        self.sym = rs.compiler.sym
        self.cols = cols
        self.codes = cols.codes
        self.ctx = Context({}, as_of, rs)  # for parameters only: their values depend on the date alone
        self.main = Frame(cols.n)
        # The rules' on_members values are computed from each member's own facts, without the lists of
        # members (helper.engine.with_member_values).
        self.own = Frame(cols.n, hide_records=True)
        self.member_value_ids = {vid for vid, _ in rs.member_values}
        self._decoded: dict[int, str] | None = None

    # -- conversions -------------------------------------------------------------------------------
    def tri(self, e: Any, fr: Frame) -> Tri:
        return self.as_tri(self.value(e, fr), fr.n)

    @staticmethod
    def as_tri(v: Any, n: int) -> Tri:
        if isinstance(v, Tri):
            return v
        if v is True or v is False:
            return tri_const(v, n)
        if isinstance(v, Unknown):
            return tri_const(None, n)
        raise Unsupported(f"a yes/no expected, found {type(v).__name__}")

    @staticmethod
    def as_num(v: Any, n: int) -> Num:
        if isinstance(v, Num):
            return v
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return Num(np.full(n, float(v)), np.ones(n, bool))
        if isinstance(v, Unknown):
            return Num(np.full(n, np.nan), np.zeros(n, bool))
        raise Unsupported(f"a number expected, found {type(v).__name__}")

    def known(self, v: Any, n: int) -> np.ndarray:
        if isinstance(v, (Tri, Num, Txt)):
            return v.known
        if isinstance(v, (Lst, Rec)):
            return ~v.unknown
        return np.full(n, not isinstance(v, Unknown))

    def text_of(self, code: int) -> str:
        if self._decoded is None or len(self._decoded) != len(self.codes._codes):
            self._decoded = {c: t for t, c in self.codes._codes.items()}
        return self._decoded[code]

    # -- dispatch ----------------------------------------------------------------------------------
    def value(self, e: Any, fr: Frame) -> Any:
        if fr.seg is None and fr.args is None:
            key = id(e)
            try:
                return fr.memo[key]
            except KeyError:
                v = fr.memo[key] = self._value(e, fr)
                return v
        return self._value(e, fr)

    def _value(self, e: Any, fr: Frame) -> Any:
        if isinstance(e, (bool, int, float, str)):
            return e
        if isinstance(e, tuple):
            return self._list(e, fr)
        method = getattr(self, "_" + type(e).__name__.lower().rstrip("_"), None)
        if method is None:
            raise Unsupported(type(e).__name__)
        return method(e, fr)

    # -- logic -------------------------------------------------------------------------------------
    def _all(self, e: s.All, fr: Frame) -> Tri:
        return tri_all([self.tri(x, fr) for x in e.all])

    def _any(self, e: s.Any_, fr: Frame) -> Tri:
        return tri_any([self.tri(x, fr) for x in e.any])

    def _not(self, e: s.Not, fr: Frame) -> Tri:
        return tri_not(self.tri(e.not_, fr))

    def _named(self, kind: str, name: str, expr: Any, fr: Frame) -> Any:
        # Named conditions and values are compiled in a fresh scope: they never depend on an item or an
        # argument, so they are computed once at row level and carried to the items of a where.
        row = fr.row
        key = (kind, name)
        try:
            v = row.named[key]
        except KeyError:
            v = row.named[key] = self.value(expr, row)
        return v if fr.seg is None else take(v, fr.seg)

    def _conditionref(self, e: s.ConditionRef, fr: Frame) -> Tri:
        return self.as_tri(self._named("condition", e.condition, self.sym.conditions[e.condition][0].test, fr), fr.n)

    def _valueref(self, e: s.ValueRef, fr: Frame) -> Any:
        return self._named("value", e.value, self.sym.values[e.value][0].expr, fr)

    def _known(self, e: s.Known, fr: Frame) -> Tri:
        k = self.known(self.value(e.known, fr), fr.n)
        return Tri(k, ~k)

    def _uncertain(self, e: s.Uncertain, fr: Frame) -> Any:
        return UNKNOWN

    # -- facts and parameters ----------------------------------------------------------------------
    def _fact(self, e: s.Fact, fr: Frame) -> Any:
        name = e.fact
        if fr.seg is not None:
            return take(self._fact(e, fr.row), fr.seg)
        if name in self.cols.records:
            return UNKNOWN if fr.hide_records else self.cols.records[name]
        return self.cols.facts.get(name, UNKNOWN)

    def _param(self, e: s.Param, fr: Frame) -> Any:
        return param_value(self.ctx, e.param)

    def _calendar(self, e: s.Calendar, fr: Frame) -> Num:
        v = self.cols.month if e.calendar == "month" else self.cols.year
        return v if fr.seg is None else v.take(fr.seg)

    # -- comparisons -------------------------------------------------------------------------------
    def _compare(self, e: s.Compare, fr: Frame) -> Any:
        (op, pair), = ((k, v) for k, v in e if v is not None)
        return self.compare(op, self.value(pair[0], fr), self.value(pair[1], fr), fr.n)

    def compare(self, op: str, a: Any, b: Any, n: int) -> Any:
        if isinstance(a, Unknown) or isinstance(b, Unknown):
            return UNKNOWN
        if is_const(a) and is_const(b):
            return _CMP[op](a, b)
        ka, kb = _kind(a), _kind(b)
        if ka == "b" and kb == "n" or ka == "n" and kb == "b":
            if op not in ("eq", "ne"):
                raise Unsupported("ordering a yes/no")
            ka = kb = "n"
            a, b = self._bool_as_num(a, n), self._bool_as_num(b, n)
        known = self.known(a, n) & self.known(b, n)
        if ka != kb:
            if op not in ("eq", "ne"):
                raise Unsupported("ordering values of different kinds")
            return Tri(known, np.zeros(n, bool)) if op == "ne" else Tri(np.zeros(n, bool), known)
        if ka == "n":
            x, y = self._num_values(a), self._num_values(b)
        elif ka == "t":
            if op not in ("eq", "ne"):
                raise Unsupported("ordering texts")
            x, y = self._codes_of(a), self._codes_of(b)
        elif ka == "b":
            if op not in ("eq", "ne"):
                raise Unsupported("ordering yes/no values")
            x = a.t if isinstance(a, Tri) else a
            y = b.t if isinstance(b, Tri) else b
        else:
            raise Unsupported(f"comparing {ka}")
        with np.errstate(invalid="ignore"):
            res = np.asarray(_CMP[op](x, y), bool)
        res = np.broadcast_to(res, (n,))
        return Tri(known & res, known & ~res)

    def _bool_as_num(self, v: Any, n: int) -> Any:
        if isinstance(v, Tri):
            return Num(v.t.astype(float), v.known)
        if v is True or v is False:
            return float(v)
        return v

    @staticmethod
    def _num_values(v: Any) -> Any:
        return v.v if isinstance(v, Num) else float(v)

    def _codes_of(self, v: Any) -> Any:
        return v.c if isinstance(v, Txt) else self.codes.code(v)

    def _in(self, e: s.In, fr: Frame) -> Any:
        x, xs = self.value(e.in_[0], fr), self.value(e.in_[1], fr)
        n = fr.n
        if isinstance(x, Unknown) or isinstance(xs, Unknown):
            return UNKNOWN
        if isinstance(xs, tuple):
            if is_const(x):
                return x in xs
            if isinstance(x, Txt):
                hit = np.isin(x.c, [self.codes.code(m) for m in xs if isinstance(m, str)])
            elif isinstance(x, Num):
                hit = np.isin(x.v, [float(m) for m in xs if isinstance(m, (int, float))])
            elif isinstance(x, Tri):
                hit = np.where(x.t, True in xs, False in xs)
            else:
                raise Unsupported("membership of a list")
            return Tri(x.known & hit, x.known & ~hit)
        if isinstance(xs, Lst):
            if isinstance(x, (Lst, Rec)):
                raise Unsupported("a list in a list")
            eq = self.compare("eq", xs.items, take(x, xs.seg), len(xs.seg))
            eq = self.as_tri(eq, len(xs.seg))
            hit = segment_any(eq.t, xs.seg, n)
            known = self.known(x, n) & ~xs.unknown
            return Tri(known & hit, known & ~hit)
        raise Unsupported("membership of a non-list")

    # -- numbers -----------------------------------------------------------------------------------
    def _arith(self, e: s.Arith, fr: Frame) -> Any:
        (op, args), = ((k, v) for k, v in e if v is not None)
        vals = [self.value(x, fr) for x in args]
        if any(isinstance(v, Unknown) for v in vals):
            return UNKNOWN
        n = fr.n
        if all(is_const(v) for v in vals):
            nums = [self.as_num(v, 1) for v in vals]  # the same arithmetic as for arrays, on one row
        else:
            nums = [self.as_num(v, n) for v in vals]
        known = np.logical_and.reduce([x.k for x in nums])
        xs = [x.v for x in nums]
        with np.errstate(all="ignore"):
            if op == "add":
                out = 0.0 + xs[0]
                for x in xs[1:]:
                    out = out + x
            elif op == "sub":
                out = xs[0] - xs[1]
            elif op == "mul":
                out = np.ones_like(xs[0])
                for x in xs:
                    out = out * x
                    bad = ~(np.abs(out) < MAX_MAGNITUDE)
                    known = known & ~bad
                    out = np.where(bad, 0.0, out)
            elif op == "div":
                zero = xs[1] == 0
                known = known & ~zero
                out = xs[0] / np.where(zero, 1.0, xs[1])
            elif op == "min":
                out = np.minimum.reduce(xs)
            elif op == "max":
                out = np.maximum.reduce(xs)
            else:  # pragma: no cover - the schema allows no other operator
                raise Unsupported(op)
            known = known & (-MAX_MAGNITUDE < out) & (out < MAX_MAGNITUDE)
        result = Num(out, known)
        if all(is_const(v) for v in vals):
            return float(out[0]) if known[0] else UNKNOWN
        return result

    def _brackets(self, table: tuple[s.Bracket, ...], key: Num, column: Num | None) -> Num:
        n = len(key.v)
        out = np.full(n, np.nan)
        known = np.zeros(n, bool)
        left = key.k.copy() if column is None else key.k & column.k
        with np.errstate(invalid="ignore"):
            for row in table:
                m = left.copy()
                if row.min is not None:
                    m &= row.min <= key.v
                if row.max is not None:
                    m &= key.v <= row.max
                if not m.any():
                    continue
                left &= ~m
                if row.values is None:
                    out[m] = row.value
                    known |= m
                elif column is not None:
                    c = np.where(column.k, column.v, 1.0)
                    idx = np.clip(np.trunc(c), 1, len(row.values)).astype(np.int64) - 1
                    out[m] = np.asarray(row.values, float)[idx[m]]
                    known |= m
        return Num(out, known)

    def _lookup(self, e: s.Lookup, fr: Frame) -> Any:
        table = param_value(self.ctx, e.lookup.table)
        key = self.value(e.lookup.key, fr)
        column = None if e.lookup.column is None else self.value(e.lookup.column, fr)
        if any(isinstance(v, Unknown) for v in (table, key, column)):
            return UNKNOWN
        n = fr.n
        return self._brackets(table, self.as_num(key, n), None if column is None else self.as_num(column, n))

    def _sumlookup(self, e: s.SumLookup, fr: Frame) -> Any:
        spec = e.sum_lookup
        table = param_value(self.ctx, spec.table)
        keys = self.value(spec.keys, fr)
        column = None if spec.column is None else self.value(spec.column, fr)
        if any(isinstance(v, Unknown) for v in (table, keys, column)):
            return UNKNOWN
        n = fr.n
        keys = self.as_lst(keys, n)
        if not isinstance(keys.items, Num):
            raise Unsupported("sum_lookup of texts")
        col = None if column is None else self.as_num(column, n).take(keys.seg)
        per_item = self._brackets(table, keys.items, col)
        known = ~(segment_any(~per_item.k, keys.seg, n) | keys.unknown)
        if column is not None:
            known &= self.as_num(column, n).k
        total = segment_sum(np.where(per_item.k, per_item.v, 0.0), np.ones(len(keys.seg), bool), keys.seg, n)
        return Num(total, known)

    def _tablemin(self, e: s.TableMin, fr: Frame) -> Any:
        table = param_value(self.ctx, e.table_min)
        return table if isinstance(table, Unknown) else min(v for row in table for v in (row.values or (row.value,)))

    def _tablemax(self, e: s.TableMax, fr: Frame) -> Any:
        table = param_value(self.ctx, e.table_max)
        return table if isinstance(table, Unknown) else max(v for row in table for v in (row.values or (row.value,)))

    def _pick(self, e: s.Pick, fr: Frame) -> Any:
        spec = e.pick
        pdef = self.sym.params[spec.table]
        table = param_value(self.ctx, spec.table)
        if isinstance(table, Unknown):
            return table
        n = fr.n
        key_exprs = (spec.key,) if spec.key is not None else tuple(spec.keys or ())
        keys = [self.value(k, fr) for k in key_exprs]
        if any(isinstance(k, Unknown) for k in keys):
            return UNKNOWN
        names = list(pdef.columns)
        if spec.column is not None:
            col: Any = names.index(spec.column)
            kind = pdef.columns[spec.column]
        else:
            numeric = [i for i, name in enumerate(names) if pdef.columns[name] == "number"]
            nth = self.value(spec.nth, fr)
            if isinstance(nth, Unknown):
                return UNKNOWN
            nth = self.as_num(nth, n)
            c = np.clip(np.trunc(np.where(nth.k, nth.v, 1.0)), 1, len(numeric)).astype(np.int64) - 1
            col = Num(np.asarray(numeric, float)[c], nth.k)
            kind = "number"
        # Each distinct combination of keys (and column) is looked up once, as the scalar engine does.
        parts: list[tuple[str, Any]] = []  # ("t"|"n", an array) or ("c", a constant key)
        known = np.ones(n, bool)
        for k in keys:
            if isinstance(k, Txt):
                parts.append(("t", np.where(k.k, k.c, -1).astype(float)))
                known &= k.k
            elif isinstance(k, Num):
                parts.append(("n", np.where(k.k, k.v, 0.0)))
                known &= k.k
            elif isinstance(k, (str, int, float)) and not isinstance(k, bool):
                parts.append(("c", k))
            else:
                raise Unsupported("a pick key of this kind")
        if isinstance(col, Num):
            known &= col.k
            cols_arr = col.v
        else:
            cols_arr = np.full(n, float(col))
        arrays = [p[1] for p in parts if p[0] != "c"] + [cols_arr]
        stacked = np.stack([np.broadcast_to(a, (n,)) for a in arrays], axis=1) if n else np.zeros((0, len(arrays)))
        uniq, inverse = np.unique(stacked, axis=0, return_inverse=True)
        inverse = np.asarray(inverse).reshape(-1)
        values = np.full(len(uniq), np.nan) if kind == "number" else np.full(len(uniq), -1, np.int64)
        found = np.zeros(len(uniq), bool)
        for u, combo in enumerate(uniq):
            it = iter(combo[:-1])
            key: list[str] | None = []
            for tag, const in parts:
                if tag == "c":
                    k = const
                elif tag == "t":
                    code = int(next(it))
                    if code < 0:
                        key = None
                        break
                    k = self.text_of(code)
                else:
                    k = float(next(it))
                key.append(k if isinstance(k, str) else str(int(k)) if float(k).is_integer() else str(k))  # type: ignore[union-attr]
            if key is None:
                continue
            row = table.row(tuple(key))
            if row is None:
                continue
            value = row[int(combo[-1])]
            if value is None:
                continue
            found[u] = True
            if kind == "number":
                if not isinstance(value, (int, float)) or isinstance(value, bool):
                    raise Unsupported("a number column holding a text")
                values[u] = float(value)
            else:
                values[u] = self.codes.code(str(value)) if isinstance(value, str) else -2
                if not isinstance(value, str):
                    raise Unsupported("a text column holding a number")
        known &= found[inverse]
        if kind == "number":
            return Num(values[inverse], known)
        return Txt(values[inverse], known)

    # -- lists ---------------------------------------------------------------------------------------
    def as_lst(self, v: Any, n: int) -> Lst:
        """A list for each row; a constant list is the same list on every row."""
        if isinstance(v, Lst):
            return v
        if isinstance(v, tuple):
            return self._concat_values([v], n)
        raise Unsupported(f"a list expected, found {type(v).__name__}")

    def _concat_values(self, parts: list[Any], n: int, flatten: bool = True) -> Lst:
        items: list[Any] = []
        segs: list[np.ndarray] = []
        unknown = np.zeros(n, bool)
        rows = np.arange(n)

        def scalar(p: Any) -> None:
            nonlocal unknown
            if isinstance(p, Unknown):
                unknown = unknown | True
                return
            if isinstance(p, (Tri, Num, Txt)):
                unknown = unknown | ~p.known
                items.append(p)
            elif isinstance(p, bool):
                items.append(tri_const(p, n))
            elif isinstance(p, (int, float)):
                items.append(Num(np.full(n, float(p)), np.ones(n, bool)))
            elif isinstance(p, str):
                items.append(Txt(np.full(n, self.codes.code(p)), np.ones(n, bool)))
            else:
                raise Unsupported("a list of this kind")
            segs.append(rows)

        for p in parts:
            if isinstance(p, Lst) and flatten:
                unknown = unknown | p.unknown
                items.append(p.items)
                segs.append(p.seg)
            elif isinstance(p, tuple) and flatten:
                for x in p:
                    scalar(x)
            else:
                scalar(p)
        kinds = {type(x) for x in items}
        if len(kinds) > 1:
            raise Unsupported("a list of values of different kinds")
        seg = np.concatenate(segs) if segs else np.zeros(0, np.int64)
        if not items:
            return Lst(Num(np.zeros(0), np.zeros(0, bool)), seg, unknown)
        kind = kinds.pop()
        if kind is Tri:
            merged: Any = Tri(np.concatenate([x.t for x in items]), np.concatenate([x.f for x in items]))
        elif kind is Num:
            merged = Num(np.concatenate([x.v for x in items]), np.concatenate([x.k for x in items]))
        else:
            merged = Txt(np.concatenate([x.c for x in items]), np.concatenate([x.k for x in items]))
        return Lst(merged, seg, unknown)

    def _list(self, items: tuple[Any, ...], fr: Frame) -> Any:
        vals = [self.value(x, fr) for x in items]
        if all(isinstance(x, (bool, int, float, str)) for x in items):
            return tuple(vals)
        if any(isinstance(v, Unknown) for v in vals):
            return UNKNOWN
        if all(is_const(v) for v in vals):
            return tuple(vals)
        if fr.seg is not None:
            raise Unsupported("a list inside a where")
        return self._concat_values(vals, fr.n, flatten=False)

    def _concat(self, e: s.Concat, fr: Frame) -> Any:
        vals = [self.value(x, fr) for x in e.concat]
        if any(isinstance(v, Unknown) for v in vals):
            return UNKNOWN
        if all(is_const(v) for v in vals):
            out: list[Any] = []
            for p in vals:
                out.extend(p) if isinstance(p, (list, tuple)) else out.append(p)
            return tuple(out)
        if fr.seg is not None:
            raise Unsupported("a list inside a where")
        return self._concat_values(vals, fr.n)

    def _count(self, e: s.Count, fr: Frame) -> Any:
        v = self.value(e.count, fr)
        if isinstance(v, Unknown):
            return v
        if isinstance(v, tuple):
            return len(v)
        n = fr.n
        if isinstance(v, Rec):
            return Num(segment_count(v.alive, v.seg, n).astype(float), ~v.unknown & ~v.gap)
        if isinstance(v, Lst):
            return Num(segment_count(np.ones(len(v.seg), bool), v.seg, n).astype(float), ~v.unknown)
        raise Unsupported("count of this kind")

    def _some(self, e: s.Some, fr: Frame) -> Any:
        spec = e.some
        xs, than = self.value(spec.list, fr), self.value(spec.than, fr)
        if isinstance(xs, Unknown) or isinstance(than, Unknown):
            return UNKNOWN
        if is_const(xs) and is_const(than):
            if spec.op == "between":
                return any(than[0] <= x <= than[1] for x in xs)
            return any(_CMP[spec.op](x, than) for x in xs)
        n = fr.n
        lst = self.as_lst(xs, n)
        m = len(lst.seg)
        if spec.op == "between":
            if not (isinstance(than, tuple) and len(than) == 2):
                raise Unsupported("between a computed range")
            lo = self.as_tri(self.compare("le", than[0], lst.items, m), m)
            hi = self.as_tri(self.compare("le", lst.items, than[1], m), m)
            hit_items = lo.t & hi.t
            known = ~lst.unknown
        else:
            if isinstance(than, (Lst, Rec)):
                raise Unsupported("comparing with a list")
            c = self.as_tri(self.compare(spec.op, lst.items, take(than, lst.seg), m), m)
            hit_items = c.t
            known = ~lst.unknown & self.known(than, n)
        hit = segment_any(hit_items, lst.seg, n)
        return Tri(known & hit, known & ~hit)

    # -- records -------------------------------------------------------------------------------------
    def _records(self, e: Any, fr: Frame) -> Any:
        if fr.seg is not None:
            raise Unsupported("a where inside a where")
        recs = self.value(e, fr)
        if isinstance(recs, Unknown):
            return recs
        if not isinstance(recs, Rec):
            raise Unsupported("records of this kind")
        return recs

    def _where(self, spec: s.WhereSpec, fr: Frame) -> tuple[Any, Tri | None]:
        recs = self._records(spec.in_, fr)
        if isinstance(recs, Unknown):
            return recs, None
        if spec.described_only:
            recs = Rec(recs.seg, recs.subject, recs.fields, recs.alive, np.zeros(fr.n, bool), recs.unknown,
                       recs.extra)
        items = Frame(len(recs.seg), seg=recs.seg, rec=recs, row=fr.row)
        return recs, self.tri(spec.where, items)

    def _exists(self, e: s.Exists, fr: Frame) -> Any:
        recs, cond = self._where(e.exists, fr)
        if cond is None:
            return recs
        n = fr.n
        hit = segment_any(recs.alive & cond.t, recs.seg, n)
        open_ = segment_any(recs.alive & cond.unknown, recs.seg, n) | recs.gap
        ok = ~recs.unknown
        return Tri(ok & hit, ok & ~hit & ~open_)

    def _filter(self, e: s.Filter, fr: Frame) -> Any:
        recs, cond = self._where(e.filter, fr)
        if cond is None:
            return recs
        undecided = segment_any(recs.alive & cond.unknown, recs.seg, fr.n)
        return Rec(recs.seg, recs.subject, recs.fields, recs.alive & cond.t, recs.gap, recs.unknown | undecided,
                   recs.extra)

    def field_of(self, recs: Rec, name: str) -> Any:
        """A field of every item of ``recs``: a member's own answer, or an on_members value of the rules."""
        # The rules' values come after the answers in each record (helper.engine.with_member_values): a value
        # named as a field (resident_record) replaces the member's own answer, which it takes into account.
        if name not in self.member_value_ids:
            return recs.fields.get(name, UNKNOWN)
        v = recs.extra.get(name)
        if v is None:
            own = self._named("value", name, self.sym.values[name][0].expr, self.own)
            v = recs.extra[name] = take(own, recs.subject)
        return v

    def _pluck(self, e: s.Pluck, fr: Frame) -> Any:
        recs = self._records(e.pluck.in_, fr)
        if isinstance(recs, Unknown):
            return recs
        v = self.field_of(recs, e.pluck.field)
        n = fr.n
        m = len(recs.seg)
        if is_const(v):
            if isinstance(v, Unknown):
                missing = segment_any(recs.alive, recs.seg, n)
                return Lst(Num(np.zeros(0), np.zeros(0, bool)), np.zeros(0, np.int64),
                           recs.unknown | recs.gap | missing)
            raise Unsupported("a constant field")
        missing = segment_any(recs.alive & ~v.known, recs.seg, n)
        idx = np.flatnonzero(recs.alive) if m else np.zeros(0, np.int64)
        return Lst(v.take(idx), recs.seg[idx], recs.unknown | recs.gap | missing)

    def _item(self, e: s.Item, fr: Frame) -> Any:
        if fr.rec is None:
            raise Unsupported("an item outside a where")
        return self.field_of(fr.rec, e.item)

    # -- formulas and choices ------------------------------------------------------------------------
    def _apply(self, e: s.Apply, fr: Frame) -> Any:
        vid = e.apply.value
        bound = {name: self.value(x, fr) for name, x in e.apply.with_.items()}
        inner = Frame(fr.n, seg=fr.seg, rec=None, args=bound, row=fr.row, hide_records=fr.hide_records)
        return self.value(self.sym.values[vid][0].expr, inner)

    def _arg(self, e: s.Arg, fr: Frame) -> Any:
        assert fr.args is not None
        return fr.args[e.arg]

    def _cases(self, e: s.Cases, fr: Frame) -> Any:
        n = fr.n
        left = np.ones(n, bool)
        picked: list[tuple[np.ndarray, Any]] = []
        for c in e.cases:
            if isinstance(c, s.Else):
                picked.append((left, self.value(c.else_, fr)))
                break
            w = self.value(c.when, fr)
            if is_const(w):
                if w is True:
                    picked.append((left, self.value(c.then, fr)))
                    left = np.zeros(n, bool)
                    break
                if w is not False:
                    picked.append((left, w))  # an unknown when: the result is that unknown
                    left = np.zeros(n, bool)
                    break
                continue
            w = self.as_tri(w, n)
            take_ = left & w.t
            if take_.any():
                picked.append((take_, self.value(c.then, fr)))
            left = left & w.f
            if not left.any():
                break
        return self.select(picked, n)

    def _coalesce(self, e: s.Coalesce, fr: Frame) -> Any:
        n = fr.n
        left = np.ones(n, bool)
        picked: list[tuple[np.ndarray, Any]] = []
        for x in e.coalesce:
            v = self.value(x, fr)
            if isinstance(v, (Lst, Rec)):
                raise Unsupported("coalesce of lists")
            here = left & self.known(v, n)
            if here.any():
                picked.append((here, v))
            left = left & ~here
            if not left.any():
                break
        return self.select(picked, n)

    def select(self, picked: list[tuple[np.ndarray, Any]], n: int) -> Any:
        """One value from several, each where its mask holds; unknown where none does."""
        picked = [(m, v) for m, v in picked if not isinstance(v, Unknown)]
        if not picked:
            return UNKNOWN
        if len(picked) == 1 and is_const(picked[0][1]) and picked[0][0].all():
            return picked[0][1]
        kinds = {_kind(v) for _, v in picked}
        if len(kinds) != 1 or kinds & {"l", "r", "?"}:
            raise Unsupported("a choice between values of different kinds")
        kind = kinds.pop()
        if kind == "b":
            t, f = np.zeros(n, bool), np.zeros(n, bool)
            for m, v in picked:
                v = self.as_tri(v, n)
                t |= m & v.t
                f |= m & v.f
            return Tri(t, f)
        if kind == "n":
            out, known = np.full(n, np.nan), np.zeros(n, bool)
            for m, v in picked:
                v = self.as_num(v, n)
                out = np.where(m, v.v, out)
                known |= m & v.k
            return Num(out, known)
        codes, known = np.full(n, -1, np.int64), np.zeros(n, bool)
        for m, v in picked:
            if isinstance(v, Txt):
                codes = np.where(m, v.c, codes)
                known |= m & v.k
            else:
                codes = np.where(m, self.codes.code(v), codes)
                known |= m
        return Txt(codes, known)


def _kind(v: Any) -> str:
    if isinstance(v, Tri) or v is True or v is False:
        return "b"
    if isinstance(v, Num) or isinstance(v, (int, float)):
        return "n"
    if isinstance(v, Txt) or isinstance(v, str):
        return "t"
    if isinstance(v, Lst) or isinstance(v, tuple):
        return "l"
    if isinstance(v, Rec):
        return "r"
    return "?"
