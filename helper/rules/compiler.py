"""Compile validated expression models into closures, checking references and types.

Compiling once per rule set (national rules plus a municipality's layers) keeps evaluation fast:
a closure per node, memo tables for named conditions and derived values. Every problem found
here (unknown condition, parameter, value or fact; a cycle; a number where a yes/no is needed)
is reported with the path inside the rule file, which the loader turns into ``file:line``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..text import N_
from . import schema as s
from .logic import Context, Records, Unknown

Fn = Callable[[Context], Any]
Path_ = tuple[str | int, ...]

BOOL, NUM, TEXT, LIST, TABLE, RECORDS, ANY = "yes/no", "number", "text", "list", "table", "records", "any"

NO_VALUE_HERE = N_("No value of this rule applies here.")
NO_VALUE_ON_DATE = N_("The rules hold no value for this date; the result is uncertain until they are updated.")
NO_TABLE_ROW = N_("The rules' table has no row for this value.")
DIVISION_BY_ZERO = N_("The rules divide by zero here.")
NUMBER_TOO_LARGE = N_("The rules compute a number too large to be an amount here.")

# Named conditions and values may refer to one another at most this deep (docs/rules.md): deeper chains
# are refused when the rules load, before they could exhaust Python's stack while compiling or evaluating.
MAX_NESTING = 50
# No amount, age or count comes near this; a result beyond it (a chain of products) is unknown, so no rule
# can make the arithmetic grow without bound. Every number read is below 10**15 (strict_yaml.MAX_NUMBER).
MAX_MAGNITUDE = 10**18

_CMP = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
}


def _too_deep() -> str:
    return (f"named conditions and values refer to one another more than {MAX_NESTING} levels deep "
            "(the limit keeps evaluation bounded)")


class CompileError(Exception):
    def __init__(self, origin: Origin, path: Path_, message: str) -> None:
        super().__init__(message)
        self.origin = origin
        self.path = path
        self.message = message


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a rule item was written: the file and the path of the item in it."""

    file: str
    path: Path_


@dataclass(slots=True)
class Node:
    """A compiled expression. ``kind`` and ``children`` let the explainer walk all/any/not/condition."""

    kind: str
    fn: Fn
    type: str
    children: tuple[Node, ...] = ()
    ref: str | None = None  # condition id for kind == "condition"


@dataclass
class ParamDef:
    id: str
    type: str
    description: str
    sources: tuple[Any, ...]
    values: tuple[s.DatedValue, ...]
    origin: Origin
    layer: str  # code of the layer that set the values ("00000" national)
    keys: tuple[str, ...] = ()  # a table parameter's key columns
    columns: Mapping[str, str] = field(default_factory=dict)  # and its value columns with their kind
    tables: dict[str, Any] = field(default_factory=dict)  # the loaded CSV tables, by file


@dataclass
class Symbols:
    """What expressions may refer to, for one rule set."""

    facts: dict[str, str]  # fact name -> type
    item_fields: dict[str, str]  # field of a member record -> type
    params: dict[str, ParamDef]
    conditions: dict[str, tuple[s.Condition, Origin]]
    values: dict[str, tuple[s.Value, Origin]]
    compiled_conditions: dict[str, Node] = field(default_factory=dict)
    compiled_values: dict[str, Node] = field(default_factory=dict)
    compiled_formulas: dict[str, Node] = field(default_factory=dict)  # values with args
    _in_progress: set[str] = field(default_factory=set)
    # How deep the chain of named conditions and values below each one is (itself counted), to bound it.
    depths: dict[str, int] = field(default_factory=dict)


_PARAM_TYPES = {"number": NUM, "yen": NUM, "ratio": NUM, "text": TEXT, "codes": LIST, "numbers": LIST,
                "brackets": TABLE, "boolean": BOOL, "table": TABLE}
_COLUMN_TYPES = {"number": NUM, "text": TEXT}


def param_value(ctx: Context, pid: str) -> Any:
    """The value of a parameter on ``ctx.as_of``; unknown (and flagged stale) when none applies."""
    try:
        return ctx.params[pid]
    except KeyError:
        pass
    pdef: ParamDef = ctx.ruleset.params[pid]
    day = ctx.as_of
    result: Any = None
    for entry in pdef.values:
        if entry.from_ <= day and (entry.until is None or day <= entry.until):
            if entry.file is not None:
                result = pdef.tables[entry.file]
            elif entry.value is None:
                result = Unknown(notes=(entry.note or NO_VALUE_HERE,))
            else:
                result = entry.value
            break
    else:
        ctx.stale.add(pid)
        result = Unknown(notes=(NO_VALUE_ON_DATE,))
    ctx.params[pid] = result
    return result


class Compiler:
    def __init__(self, symbols: Symbols) -> None:
        self.sym = symbols
        # Lexical scope of the expression being compiled: inside how many `where`s, and the arguments
        # of the formula being defined. Named conditions and values are memoised per evaluation, so
        # they are compiled in a fresh scope: an item or argument can never leak into a memo.
        self._where_depth = 0
        self._args: frozenset[str] | None = None
        self._below: list[int] = []  # for each named item being compiled: the deepest chain it refers to

    def _fresh_scope(self, args: frozenset[str] | None = None) -> tuple[int, frozenset[str] | None]:
        saved = (self._where_depth, self._args)
        self._where_depth, self._args = 0, args
        return saved

    def _check_nesting(self, origin: Origin, path: Path_) -> None:
        # While compiling: bounds the compiler's own recursion, before the chain is complete.
        if len(self.sym._in_progress) >= MAX_NESTING:
            raise CompileError(origin, path, _too_deep())

    def _enter(self) -> None:
        self._below.append(0)

    def _leave(self, name: str, origin: Origin, path: Path_) -> None:
        """Record how deep ``name`` reaches (1 + the deepest named item it refers to); refuse it beyond the
        limit. Memoised items are compiled once, so the depth must be kept, not found by recursion."""
        depth = self._below.pop() + 1
        if depth > MAX_NESTING:
            raise CompileError(origin, path, _too_deep())
        self.sym.depths[name] = depth
        self._used(name)

    def _used(self, name: str) -> None:
        if self._below:
            self._below[-1] = max(self._below[-1], self.sym.depths.get(name, 0))

    # -- named items ------------------------------------------------------------------
    def condition(self, cid: str, origin: Origin, path: Path_) -> Node:
        if cid in self.sym.compiled_conditions:
            self._used(cid)
            return self.sym.compiled_conditions[cid]
        if cid not in self.sym.conditions:
            raise CompileError(origin, path, f"unknown condition '{cid}'")
        if cid in self.sym._in_progress:
            raise CompileError(origin, path, f"condition '{cid}' refers to itself")
        self._check_nesting(origin, path)
        cond, corigin = self.sym.conditions[cid]
        self.sym._in_progress.add(cid)
        saved = self._fresh_scope()
        self._enter()
        try:
            inner = self.expr(cond.test, corigin, corigin.path + ("test",))
            self.require(inner, BOOL, corigin, corigin.path + ("test",))
            for name, shown in cond.show.items():
                self.expr(shown.expr, corigin, corigin.path + ("show", name, "expr"))
        except BaseException:
            self._below.pop()
            raise
        finally:
            self.sym._in_progress.discard(cid)
            self._where_depth, self._args = saved
        self._leave(cid, corigin, corigin.path + ("test",))
        inner_fn = inner.fn

        def fn(ctx: Context) -> Any:
            memo = ctx.conditions
            try:
                return memo[cid]
            except KeyError:
                result = memo[cid] = inner_fn(ctx)
                return result

        node = Node("condition", fn, BOOL, (inner,), cid)
        self.sym.compiled_conditions[cid] = node
        return node

    def value(self, vid: str, origin: Origin, path: Path_) -> Node:
        if vid in self.sym.compiled_values:
            self._used(vid)
            return self.sym.compiled_values[vid]
        if vid not in self.sym.values:
            raise CompileError(origin, path, f"unknown value '{vid}'")
        if self.sym.values[vid][0].args:
            takes = ", ".join(self.sym.values[vid][0].args)
            raise CompileError(origin, path, f"value '{vid}' takes arguments ({takes}): use apply")
        if vid in self.sym._in_progress:
            raise CompileError(origin, path, f"value '{vid}' refers to itself")
        self._check_nesting(origin, path)
        val, vorigin = self.sym.values[vid]
        self.sym._in_progress.add(vid)
        saved = self._fresh_scope()
        self._enter()
        try:
            inner = self.expr(val.expr, vorigin, vorigin.path + ("expr",))
        except BaseException:
            self._below.pop()
            raise
        finally:
            self.sym._in_progress.discard(vid)
            self._where_depth, self._args = saved
        self._leave(vid, vorigin, vorigin.path + ("expr",))
        inner_fn = inner.fn

        def fn(ctx: Context) -> Any:
            memo = ctx.values
            try:
                return memo[vid]
            except KeyError:
                result = memo[vid] = inner_fn(ctx)
                return result

        node = Node("value", fn, inner.type, (inner,), vid)
        self.sym.compiled_values[vid] = node
        return node

    def formula(self, vid: str, origin: Origin, path: Path_) -> Node:
        """The body of a value with args; not memoised, since it depends on the arguments."""
        if vid in self.sym.compiled_formulas:
            self._used(vid)
            return self.sym.compiled_formulas[vid]
        if vid not in self.sym.values:
            raise CompileError(origin, path, f"unknown value '{vid}'")
        val, vorigin = self.sym.values[vid]
        if not val.args:
            raise CompileError(origin, path, f"value '{vid}' takes no arguments: use {{value: {vid}}}")
        if vid in self.sym._in_progress:
            raise CompileError(origin, path, f"value '{vid}' refers to itself")
        self._check_nesting(origin, path)
        self.sym._in_progress.add(vid)
        saved = self._fresh_scope(frozenset(val.args))
        self._enter()
        try:
            node = self.expr(val.expr, vorigin, vorigin.path + ("expr",))
        except BaseException:
            self._below.pop()
            raise
        finally:
            self.sym._in_progress.discard(vid)
            self._where_depth, self._args = saved
        self._leave(vid, vorigin, vorigin.path + ("expr",))
        self.sym.compiled_formulas[vid] = node
        return node

    @staticmethod
    def require(node: Node, wanted: str, origin: Origin, path: Path_) -> None:
        if node.type not in (wanted, ANY):
            raise CompileError(origin, path, f"expected a {wanted} expression, found a {node.type} one")

    # -- expressions ------------------------------------------------------------------
    def expr(self, e: Any, origin: Origin, path: Path_) -> Node:
        if isinstance(e, bool):
            return Node("literal", lambda ctx, v=e: v, BOOL)
        if isinstance(e, (int, float)):
            return Node("literal", lambda ctx, v=e: v, NUM)
        if isinstance(e, str):
            return Node("literal", lambda ctx, v=e: v, TEXT)
        if isinstance(e, tuple):
            return self._list(e, origin, path)
        method = getattr(self, "_" + type(e).__name__.lower().rstrip("_"))
        return method(e, origin, path)

    def _list(self, items: tuple[Any, ...], origin: Origin, path: Path_) -> Node:
        nodes = [self.expr(x, origin, path + (i,)) for i, x in enumerate(items)]
        if all(n.kind == "literal" for n in nodes):
            const = tuple(n.fn(None) for n in nodes)  # type: ignore[arg-type]
            return Node("literal", lambda ctx: const, LIST)
        fns = [n.fn for n in nodes]

        def fn(ctx: Context) -> Any:
            out = [f(ctx) for f in fns]
            unknown = [v for v in out if isinstance(v, Unknown)]
            if unknown:
                return _merge(unknown)
            return tuple(out)

        return Node("list", fn, LIST)

    def _bool_children(self, items: tuple[Any, ...], origin: Origin, path: Path_) -> list[Node]:
        nodes = []
        for i, x in enumerate(items):
            n = self.expr(x, origin, path + (i,))
            self.require(n, BOOL, origin, path + (i,))
            nodes.append(n)
        return nodes

    def _all(self, e: s.All, origin: Origin, path: Path_) -> Node:
        nodes = self._bool_children(e.all, origin, path + ("all",))
        fns = [n.fn for n in nodes]

        def fn(ctx: Context) -> Any:
            unknown = None
            for f in fns:
                v = f(ctx)
                if v is False:
                    return False
                if v is not True:
                    unknown = v if unknown is None else unknown.merge(v)
            return True if unknown is None else unknown

        return Node("all", fn, BOOL, tuple(nodes))

    def _any(self, e: s.Any_, origin: Origin, path: Path_) -> Node:
        nodes = self._bool_children(e.any, origin, path + ("any",))
        fns = [n.fn for n in nodes]

        def fn(ctx: Context) -> Any:
            unknown = None
            for f in fns:
                v = f(ctx)
                if v is True:
                    return True
                if v is not False:
                    unknown = v if unknown is None else unknown.merge(v)
            return False if unknown is None else unknown

        return Node("any", fn, BOOL, tuple(nodes))

    def _not(self, e: s.Not, origin: Origin, path: Path_) -> Node:
        child = self.expr(e.not_, origin, path + ("not",))
        self.require(child, BOOL, origin, path + ("not",))
        cf = child.fn

        def fn(ctx: Context) -> Any:
            v = cf(ctx)
            if v is True:
                return False
            if v is False:
                return True
            return v

        return Node("not", fn, BOOL, (child,))

    def _conditionref(self, e: s.ConditionRef, origin: Origin, path: Path_) -> Node:
        return self.condition(e.condition, origin, path + ("condition",))

    def _compare(self, e: s.Compare, origin: Origin, path: Path_) -> Node:
        (op, pair), = ((k, v) for k, v in e if v is not None)
        a = self.expr(pair[0], origin, path + (op, 0))
        b = self.expr(pair[1], origin, path + (op, 1))
        if op not in ("eq", "ne"):
            self.require(a, NUM, origin, path + (op, 0))
            self.require(b, NUM, origin, path + (op, 1))
        cmp = _CMP[op]
        af, bf = a.fn, b.fn

        def fn(ctx: Context) -> Any:
            x, y = af(ctx), bf(ctx)
            if isinstance(x, Unknown):
                return x.merge(y) if isinstance(y, Unknown) else x
            if isinstance(y, Unknown):
                return y
            return cmp(x, y)

        return Node("compare", fn, BOOL)

    def _in(self, e: s.In, origin: Origin, path: Path_) -> Node:
        item = self.expr(e.in_[0], origin, path + ("in", 0))
        seq = self.expr(e.in_[1], origin, path + ("in", 1))
        self.require(seq, LIST, origin, path + ("in", 1))
        itf, sf = item.fn, seq.fn

        def fn(ctx: Context) -> Any:
            x, xs = itf(ctx), sf(ctx)
            if isinstance(x, Unknown):
                return x.merge(xs) if isinstance(xs, Unknown) else x
            if isinstance(xs, Unknown):
                return xs
            return x in xs

        return Node("in", fn, BOOL)

    def _known(self, e: s.Known, origin: Origin, path: Path_) -> Node:
        inner = self.expr(e.known, origin, path + ("known",)).fn
        return Node("known", lambda ctx: not isinstance(inner(ctx), Unknown), BOOL)

    def _uncertain(self, e: s.Uncertain, origin: Origin, path: Path_) -> Node:
        const = Unknown(notes=(e.uncertain,))
        return Node("uncertain", lambda ctx: const, BOOL)

    def _fact(self, e: s.Fact, origin: Origin, path: Path_) -> Node:
        name = e.fact
        if name not in self.sym.facts:
            raise CompileError(origin, path + ("fact",), f"unknown fact '{name}'")
        # The facts derived from where the person lives are settled by one question: where.
        missing = Unknown(frozenset(("municipality" if name.startswith("municipality.") else name,)))

        def fn(ctx: Context) -> Any:
            return ctx.facts.get(name, missing)

        return Node("fact", fn, self.sym.facts[name])

    def _valueref(self, e: s.ValueRef, origin: Origin, path: Path_) -> Node:
        return self.value(e.value, origin, path + ("value",))

    def _param_def(self, pid: str, origin: Origin, path: Path_) -> ParamDef:
        if pid not in self.sym.params:
            raise CompileError(origin, path, f"unknown parameter '{pid}'")
        return self.sym.params[pid]

    def _param(self, e: s.Param, origin: Origin, path: Path_) -> Node:
        pdef = self._param_def(e.param, origin, path + ("param",))
        if pdef.type == "brackets":
            raise CompileError(origin, path + ("param",), f"parameter '{e.param}' is a table: use lookup")
        if pdef.type == "table":
            raise CompileError(origin, path + ("param",), f"parameter '{e.param}' is a CSV table: use pick")
        pid = e.param
        return Node("param", lambda ctx: param_value(ctx, pid), _PARAM_TYPES[pdef.type])

    def _table(self, pid: str, origin: Origin, path: Path_) -> str:
        pdef = self._param_def(pid, origin, path)
        if pdef.type != "brackets":
            raise CompileError(origin, path, f"parameter '{pid}' is not a table of brackets")
        return pid

    def _column(self, e: Any, origin: Origin, path: Path_) -> Fn:
        if e is None:
            return lambda ctx: None
        node = self.expr(e, origin, path)
        self.require(node, NUM, origin, path)
        return node.fn

    def _lookup(self, e: s.Lookup, origin: Origin, path: Path_) -> Node:
        pid = self._table(e.lookup.table, origin, path + ("lookup", "table"))
        key = self.expr(e.lookup.key, origin, path + ("lookup", "key"))
        self.require(key, NUM, origin, path + ("lookup", "key"))
        kf = key.fn
        cf = self._column(e.lookup.column, origin, path + ("lookup", "column"))

        def fn(ctx: Context) -> Any:
            table, k, c = param_value(ctx, pid), kf(ctx), cf(ctx)
            for v in (table, k, c):
                if isinstance(v, Unknown):
                    return v
            return _bracket(table, k, pid, c)

        return Node("lookup", fn, NUM)

    def _pick(self, e: s.Pick, origin: Origin, path: Path_) -> Node:
        spec, here = e.pick, path + ("pick",)
        pid = spec.table
        pdef = self._param_def(pid, origin, here + ("table",))
        if pdef.type != "table":
            raise CompileError(origin, here + ("table",), f"parameter '{pid}' is not a CSV table")
        key_exprs = (spec.key,) if spec.key is not None else tuple(spec.keys or ())
        if len(key_exprs) != len(pdef.keys):
            raise CompileError(origin, here, f"the table '{pid}' has {len(pdef.keys)} key column(s): "
                                             f"{', '.join(pdef.keys)}")
        key_fns = []
        for i, k in enumerate(key_exprs):
            node = self.expr(k, origin, here + (("key",) if spec.key is not None else ("keys", i)))
            if node.type not in (TEXT, NUM, ANY):
                raise CompileError(origin, here + ("key",), f"a key is a text or a number, found a {node.type}")
            key_fns.append(node.fn)
        names = list(pdef.columns)
        if spec.column is not None:
            if spec.column not in pdef.columns:
                raise CompileError(origin, here + ("column",), f"the table '{pid}' has no column '{spec.column}' "
                                                               f"(it has {', '.join(names)})")
            index = names.index(spec.column)
            column_fn: Fn = lambda ctx: index  # noqa: E731
            result_type = _COLUMN_TYPES[pdef.columns[spec.column]]
        else:
            numeric = tuple(i for i, name in enumerate(names) if pdef.columns[name] == "number")
            if not numeric:
                raise CompileError(origin, here + ("nth",), f"nth needs number columns; '{pid}' has none")
            nth = self.expr(spec.nth, origin, here + ("nth",))
            self.require(nth, NUM, origin, here + ("nth",))
            nth_fn, last = nth.fn, len(numeric) - 1

            def column_fn(ctx: Context) -> Any:
                n = nth_fn(ctx)  # among the number columns: the name of a row is not a column to count
                return n if isinstance(n, Unknown) else numeric[min(max(int(n), 1) - 1, last)]

            result_type = NUM
        no_row = Unknown(notes=(NO_TABLE_ROW,))
        empty = Unknown(notes=(NO_VALUE_HERE,))

        def fn(ctx: Context) -> Any:
            table = param_value(ctx, pid)
            if isinstance(table, Unknown):
                return table
            key = []
            for f in key_fns:
                k = f(ctx)
                if isinstance(k, Unknown):
                    return k
                key.append(k if isinstance(k, str) else str(int(k)) if float(k).is_integer() else str(k))
            col = column_fn(ctx)
            if isinstance(col, Unknown):
                return col
            row = table.row(tuple(key))
            if row is None:
                return no_row
            value = row[col]
            return empty if value is None else value

        return Node("pick", fn, result_type)

    def _table_extreme(self, pid: str, pick: Callable[..., Any], origin: Origin, path: Path_) -> Node:
        pid = self._table(pid, origin, path)

        def fn(ctx: Context) -> Any:
            table = param_value(ctx, pid)
            if isinstance(table, Unknown):
                return table
            return pick(v for row in table for v in (row.values or (row.value,)))

        return Node("table_extreme", fn, NUM)

    def _tablemin(self, e: s.TableMin, origin: Origin, path: Path_) -> Node:
        return self._table_extreme(e.table_min, min, origin, path + ("table_min",))

    def _tablemax(self, e: s.TableMax, origin: Origin, path: Path_) -> Node:
        return self._table_extreme(e.table_max, max, origin, path + ("table_max",))

    def _calendar(self, e: s.Calendar, origin: Origin, path: Path_) -> Node:
        part = e.calendar
        return Node("calendar", lambda ctx: ctx.as_of.month if part == "month" else ctx.as_of.year, NUM)

    def _sumlookup(self, e: s.SumLookup, origin: Origin, path: Path_) -> Node:
        pid = self._table(e.sum_lookup.table, origin, path + ("sum_lookup", "table"))
        keys = self.expr(e.sum_lookup.keys, origin, path + ("sum_lookup", "keys"))
        self.require(keys, LIST, origin, path + ("sum_lookup", "keys"))
        kf = keys.fn
        cf = self._column(e.sum_lookup.column, origin, path + ("sum_lookup", "column"))

        def fn(ctx: Context) -> Any:
            table, ks, c = param_value(ctx, pid), kf(ctx), cf(ctx)
            for v in (table, ks, c):
                if isinstance(v, Unknown):
                    return v
            total: Any = 0
            for k in ks:
                v = _bracket(table, k, pid, c)
                if isinstance(v, Unknown):
                    return v
                total += v
            return total

        return Node("sum_lookup", fn, NUM)

    def _arith(self, e: s.Arith, origin: Origin, path: Path_) -> Node:
        (op, args), = ((k, v) for k, v in e if v is not None)
        nodes = []
        for i, x in enumerate(args):
            n = self.expr(x, origin, path + (op, i))
            self.require(n, NUM, origin, path + (op, i))
            nodes.append(n)
        fns = [n.fn for n in nodes]
        combine = _ARITH[op]

        def fn(ctx: Context) -> Any:
            vals = [f(ctx) for f in fns]
            for v in vals:
                if isinstance(v, Unknown):
                    return _merge([x for x in vals if isinstance(x, Unknown)])
            result = combine(vals)
            if result.__class__ is not Unknown and not -MAX_MAGNITUDE < result < MAX_MAGNITUDE:  # NaN too
                return _TOO_LARGE
            return result

        return Node("arith", fn, NUM)

    def _count(self, e: s.Count, origin: Origin, path: Path_) -> Node:
        inner = self.expr(e.count, origin, path + ("count",))
        if inner.type != RECORDS:
            self.require(inner, LIST, origin, path + ("count",))
        f = inner.fn

        def fn(ctx: Context) -> Any:
            v = f(ctx)
            if isinstance(v, Unknown):
                return v
            if isinstance(v, Records) and v.gap is not None:
                return v.gap
            return len(v)

        return Node("count", fn, NUM)

    # -- records ------------------------------------------------------------------------
    def _records(self, e: Any, origin: Origin, path: Path_) -> Node:
        node = self.expr(e, origin, path)
        self.require(node, RECORDS, origin, path)
        return node

    def _where(self, spec: s.WhereSpec, origin: Origin, path: Path_) -> tuple[Fn, Fn]:
        seq = self._records(spec.in_, origin, path + ("in",))
        self._where_depth += 1
        try:
            cond = self.expr(spec.where, origin, path + ("where",))
        finally:
            self._where_depth -= 1
        self.require(cond, BOOL, origin, path + ("where",))
        if not spec.described_only:
            return seq.fn, cond.fn
        inner = seq.fn

        def described(ctx: Context) -> Any:
            recs = inner(ctx)
            return recs if isinstance(recs, Unknown) else Records(recs.items, None)

        return described, cond.fn

    def _exists(self, e: s.Exists, origin: Origin, path: Path_) -> Node:
        sf, wf = self._where(e.exists, origin, path + ("exists",))

        def fn(ctx: Context) -> Any:
            recs = sf(ctx)
            if isinstance(recs, Unknown):
                return recs
            unknown = recs.gap
            stack = ctx.items
            for rec in recs.items:
                stack.append(rec)
                try:
                    v = wf(ctx)
                finally:
                    stack.pop()
                if v is True:
                    return True
                if v is not False:
                    unknown = v if unknown is None else unknown.merge(v)
            return False if unknown is None else unknown

        return Node("exists", fn, BOOL)

    def _filter(self, e: s.Filter, origin: Origin, path: Path_) -> Node:
        sf, wf = self._where(e.filter, origin, path + ("filter",))

        def fn(ctx: Context) -> Any:
            recs = sf(ctx)
            if isinstance(recs, Unknown):
                return recs
            kept, unknown = [], None
            stack = ctx.items
            for rec in recs.items:
                stack.append(rec)
                try:
                    v = wf(ctx)
                finally:
                    stack.pop()
                if v is True:
                    kept.append(rec)
                elif v is not False:
                    unknown = v if unknown is None else unknown.merge(v)
            return unknown if unknown is not None else Records(tuple(kept), recs.gap)

        return Node("filter", fn, RECORDS)

    def _pluck(self, e: s.Pluck, origin: Origin, path: Path_) -> Node:
        seq = self._records(e.pluck.in_, origin, path + ("pluck", "in"))
        name = e.pluck.field
        if name not in self.sym.item_fields and not (name in self.sym.values and self.sym.values[name][0].on_members):
            raise CompileError(origin, path + ("pluck", "field"), f"unknown field '{name}' of a member")
        sf = seq.fn

        def fn(ctx: Context) -> Any:
            recs = sf(ctx)
            if isinstance(recs, Unknown):
                return recs
            unknown = recs.gap
            out = []
            for rec in recs.items:
                v = rec[name] if name in rec else _missing_field(rec, name)
                if isinstance(v, Unknown):
                    unknown = v if unknown is None else unknown.merge(v)
                else:
                    out.append(v)
            return tuple(out) if unknown is None else unknown

        return Node("pluck", fn, LIST)

    def _item(self, e: s.Item, origin: Origin, path: Path_) -> Node:
        name = e.item
        if self._where_depth == 0:
            raise CompileError(origin, path + ("item",), "'item' is only meaningful inside a 'where'")
        if name in self.sym.item_fields:
            kind = self.sym.item_fields[name]
        elif name in self.sym.values and self.sym.values[name][0].on_members:
            kind = self.value(name, origin, path + ("item",)).type
        else:
            raise CompileError(origin, path + ("item",), f"unknown field '{name}' of a member (a value needs "
                                                         "on_members: true)")

        def fn(ctx: Context) -> Any:
            rec = ctx.items[-1]
            return rec[name] if name in rec else _missing_field(rec, name)

        return Node("item", fn, kind)

    # -- formulas -----------------------------------------------------------------------
    def _apply(self, e: s.Apply, origin: Origin, path: Path_) -> Node:
        vid = e.apply.value
        body = self.formula(vid, origin, path + ("apply", "value"))
        wanted = set(self.sym.values[vid][0].args)
        given = set(e.apply.with_)
        if given != wanted:
            raise CompileError(origin, path + ("apply", "with"),
                               f"value '{vid}' takes {', '.join(sorted(wanted))}; given {', '.join(sorted(given))}")
        # in the order the value declares them, so that every apply of it shares one memo
        order = self.sym.values[vid][0].args
        args = [(name, self.expr(e.apply.with_[name], origin, path + ("apply", "with", name)).fn) for name in order]
        bf = body.fn

        def fn(ctx: Context) -> Any:
            bound = {name: f(ctx) for name, f in args}
            # A formula's value depends only on the context and its arguments: computed once for each, so
            # that formulas applied to one another cannot multiply the work (a diamond of applies).
            key = (vid, *((v.__class__, v) for v in bound.values()))
            memo = ctx.formulas
            try:
                return memo[key]
            except KeyError:
                pass
            except TypeError:  # an unhashable argument (a list of records): not memoised
                key = None  # type: ignore[assignment]
            ctx.args.append(bound)
            try:
                result = bf(ctx)
            finally:
                ctx.args.pop()
            if key is not None:
                memo[key] = result
            return result

        return Node("apply", fn, body.type)

    def _arg(self, e: s.Arg, origin: Origin, path: Path_) -> Node:
        name = e.arg
        if self._args is None or name not in self._args:
            raise CompileError(origin, path + ("arg",), f"no argument '{name}' here (only inside a value with args)")
        return Node("arg", lambda ctx: ctx.args[-1][name], ANY)

    def _some(self, e: s.Some, origin: Origin, path: Path_) -> Node:
        seq = self.expr(e.some.list, origin, path + ("some", "list"))
        self.require(seq, LIST, origin, path + ("some", "list"))
        than = self.expr(e.some.than, origin, path + ("some", "than"))
        if e.some.op == "between":
            self.require(than, LIST, origin, path + ("some", "than"))
            cmp: Callable[[Any, Any], bool] = lambda x, t: t[0] <= x <= t[1]  # noqa: E731
        else:
            cmp = _CMP[e.some.op]
        sf, tf = seq.fn, than.fn

        def fn(ctx: Context) -> Any:
            xs, t = sf(ctx), tf(ctx)
            if isinstance(xs, Unknown):
                return xs.merge(t) if isinstance(t, Unknown) else xs
            if isinstance(t, Unknown):
                return t
            return any(cmp(x, t) for x in xs)

        return Node("some", fn, BOOL)

    def _concat(self, e: s.Concat, origin: Origin, path: Path_) -> Node:
        fns = [self.expr(x, origin, path + ("concat", i)).fn for i, x in enumerate(e.concat)]

        def fn(ctx: Context) -> Any:
            parts = [f(ctx) for f in fns]
            unknown = [p for p in parts if isinstance(p, Unknown)]
            if unknown:
                return _merge(unknown)
            out: list[Any] = []
            for p in parts:
                if isinstance(p, (list, tuple)):
                    out.extend(p)
                else:
                    out.append(p)
            return tuple(out)

        return Node("concat", fn, LIST)

    def _cases(self, e: s.Cases, origin: Origin, path: Path_) -> Node:
        branches: list[tuple[Fn | None, Fn]] = []
        types: set[str] = set()
        for i, c in enumerate(e.cases):
            base = path + ("cases", i)
            if isinstance(c, s.Else):
                if i != len(e.cases) - 1:
                    raise CompileError(origin, base, "'else' must be the last case")
                then = self.expr(c.else_, origin, base + ("else",))
                branches.append((None, then.fn))
            else:
                when = self.expr(c.when, origin, base + ("when",))
                self.require(when, BOOL, origin, base + ("when",))
                then = self.expr(c.then, origin, base + ("then",))
                branches.append((when.fn, then.fn))
            types.add(then.type)
        if not isinstance(e.cases[-1], s.Else):
            raise CompileError(origin, path + ("cases",), "the last case must be 'else'")
        result_type = types.pop() if len(types) == 1 else ANY

        def fn(ctx: Context) -> Any:
            for when, then in branches:
                if when is None:
                    return then(ctx)
                w = when(ctx)
                if w is True:
                    return then(ctx)
                if w is not False:
                    return w
            raise AssertionError("unreachable: the last case is else")  # pragma: no cover

        return Node("cases", fn, result_type)

    def _coalesce(self, e: s.Coalesce, origin: Origin, path: Path_) -> Node:
        nodes = [self.expr(x, origin, path + ("coalesce", i)) for i, x in enumerate(e.coalesce)]
        fns = [n.fn for n in nodes]
        types = {n.type for n in nodes} - {ANY}
        result_type = types.pop() if len(types) == 1 else ANY

        def fn(ctx: Context) -> Any:
            unknown = None
            for f in fns:
                v = f(ctx)
                if not isinstance(v, Unknown):
                    return v
                unknown = v if unknown is None else unknown.merge(v)
            return unknown

        return Node("coalesce", fn, result_type)


def _missing_field(rec: dict[str, Any], name: str) -> Unknown:
    # The one being assessed is asked as "person"; everyone else through the household's members.
    owner = "person" if rec.get("relation") == "self" else "household.members"
    return Unknown(frozenset({f"{owner}.{name}"}))


def _merge(unknowns: list[Unknown]) -> Unknown:
    out = unknowns[0]
    for u in unknowns[1:]:
        out = out.merge(u)
    return out


def _bracket(table: tuple[s.Bracket, ...], key: Any, pid: str, column: Any = None) -> Any:
    for row in table:
        if (row.min is None or row.min <= key) and (row.max is None or key <= row.max):
            if row.values is None:
                return row.value
            if column is None:
                return Unknown(notes=(NO_TABLE_ROW,))
            # the last column stands for every larger one (e.g. 10 or more people)
            return row.values[min(max(int(column), 1), len(row.values)) - 1]
    return Unknown(notes=(NO_TABLE_ROW,))


def _div(vals: list[Any]) -> Any:
    return vals[0] / vals[1] if vals[1] else Unknown(notes=(DIVISION_BY_ZERO,))


_ARITH: dict[str, Callable[[list[Any]], Any]] = {
    "add": sum,
    "sub": lambda v: v[0] - v[1],
    "mul": lambda v: _product(v),
    "div": _div,
    "min": min,
    "max": max,
}


_TOO_LARGE = Unknown(notes=(NUMBER_TOO_LARGE,))


def _product(vals: list[Any]) -> Any:
    out = 1
    for v in vals:
        out *= v
        if not -MAX_MAGNITUDE < out < MAX_MAGNITUDE:  # stop before the product grows any further
            return _TOO_LARGE
    return out
