"""What a deciding condition rests on, for campaigners: its legal basis in words, the layer that decides
it (who can change it), its sources with their verified dates, and the standards it falls short of.

The layer is read from the rule set itself: where the condition is defined in the chain of layers
(national, prefecture, city, ward), and where the parameters it reads — directly or through the
values and conditions it refers to — get their values. Nothing here knows a programme by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .engine import fill
from .rules import schema as s
from .rules.loader import RuleBase
from .rules.ruleset import RuleSet
from .text import N_

# Who can change a rule decided at each level of the chain.
LEVELS = {"national": "national", "prefecture": "prefecture", "city": "municipality", "ward": "municipality"}
CHANGED_BY = {
    "national": N_("national law or notice"),
    "prefecture": N_("the prefecture's own practice"),
    "municipality": N_("the municipality's own practice"),
}
LEVEL_LABEL = {"national": N_("national"), "prefecture": N_("prefecture"), "municipality": N_("municipality")}
MIXED = N_("{rule_layer}'s rule with {value_layer}'s own value: a change to either could open it.")
# Fact names that hold where the person lives: rules read them only through tables (級地, rent caps).
PLACE_FACTS = ("municipality", "municipality.city", "municipality.prefecture")


@dataclass(frozen=True)
class Reads:
    """What an expression reads, followed through named conditions and values."""

    conditions: frozenset[str]
    params: frozenset[str]
    facts: frozenset[str]
    # (fact, table parameter, key position, column read: a name, or "*" for the number columns by
    # position) for place facts used as a table's key; (fact, "", -1, "") for a place fact read otherwise.
    place_keys: frozenset[tuple[str, str, int, str]]


def _walk(node: Any, base: RuleBase, rs: RuleSet, acc: dict[str, set[Any]], seen: set[str]) -> None:
    if isinstance(node, (tuple, list)):
        for item in node:
            _walk(item, base, rs, acc, seen)
        return
    if isinstance(node, dict):
        for item in node.values():
            _walk(item, base, rs, acc, seen)
        return
    if not isinstance(node, BaseModel):
        return
    if isinstance(node, s.ConditionRef):
        if f"c:{node.condition}" not in seen:
            seen.add(f"c:{node.condition}")
            acc["conditions"].add(node.condition)
            cond = rs.conditions[node.condition][0]
            _walk(cond.test, base, rs, acc, seen)
            _walk([sh.expr for sh in cond.show.values()], base, rs, acc, seen)
        return
    if isinstance(node, (s.ValueRef, s.ApplySpec)):
        vid = node.value
        if f"v:{vid}" not in seen and vid in base.values:
            seen.add(f"v:{vid}")
            _walk(base.values[vid][0].expr, base, rs, acc, seen)
        if isinstance(node, s.ApplySpec):
            _walk(node.with_, base, rs, acc, seen)
        return
    if isinstance(node, s.Param):
        acc["params"].add(node.param)
        return
    if isinstance(node, s.Fact):
        acc["facts"].add(node.fact)
        if node.fact in PLACE_FACTS:
            acc["place"].add((node.fact, "", -1, ""))
        return
    if isinstance(node, (s.PickSpec, s.LookupSpec, s.SumLookupSpec)):
        acc["params"].add(node.table)
        one = getattr(node, "key", None)
        keys = (one,) if one is not None else tuple(getattr(node, "keys", None) or ())
        for i, k in enumerate(keys):
            if isinstance(k, s.Fact) and k.fact in PLACE_FACTS:
                acc["facts"].add(k.fact)
                column = getattr(node, "column", None)
                acc["place"].add((k.fact, node.table, i, column if isinstance(column, str) else "*"))
            else:
                _walk(k, base, rs, acc, seen)
        for name, value in node:
            if name not in ("key", "keys", "table"):
                _walk(value, base, rs, acc, seen)
        return
    if isinstance(node, (s.TableMin, s.TableMax)):
        acc["params"].add(node.table_min if isinstance(node, s.TableMin) else node.table_max)
        return
    for _name, value in node:
        _walk(value, base, rs, acc, seen)


def reads(base: RuleBase, rs: RuleSet, expr: Any) -> Reads:
    """Everything ``expr`` (a condition's test, a programme's ``eligible_when`` …) reads in ``rs``."""
    acc: dict[str, set[Any]] = {"conditions": set(), "params": set(), "facts": set(), "place": set()}
    _walk(expr, base, rs, acc, set())
    return Reads(frozenset(acc["conditions"]), frozenset(acc["params"]), frozenset(acc["facts"]),
                 frozenset(acc["place"]))


def condition_reads(base: RuleBase, rs: RuleSet, cid: str) -> Reads:
    cache: dict[str, Reads] = rs.__dict__.setdefault("_campaign_reads", {})
    if cid not in cache:
        cache[cid] = reads(base, rs, s.ConditionRef(condition=cid))
    return cache[cid]


def _layer_info(rs: RuleSet, code: str) -> dict[str, Any]:
    layer = dict(rs.chain)[code]
    level = LEVELS[layer.level]
    return {"level": level, "code": code, "name": layer.name, "changed_by": CHANGED_BY[level]}


def deciding_layer(base: RuleBase, rs: RuleSet, cid: str) -> dict[str, Any]:
    """The layer that decides condition ``cid`` here: where it is defined, or — more local — where a
    parameter it reads gets its value. When both a national condition and a local value decide, the
    cell says so (``ambiguous``) instead of choosing one."""
    order = [c for c, _ in rs.chain]
    own = rs.conditions[cid][2]
    r = condition_reads(base, rs, cid)
    # Named conditions it refers to count too: a local condition inside a national one is local.
    codes = {own} | {rs.conditions[c][2] for c in r.conditions} | {rs.params[p].layer for p in r.params}
    local = max(codes, key=order.index)
    out = _layer_info(rs, local)
    out["by"] = "condition" if local == own else "parameter"
    # A local rule that reads national lists is still the local rule (the place chose to read them); a
    # national rule that reads a local value is decided by both: say so rather than choose.
    out["ambiguous"] = local != own
    if local != own:
        out["note_params"] = {"rule_layer": _layer_info(rs, own)["name"], "value_layer": out["name"]}
        out["note"] = fill(MIXED, out["note_params"])
    return out


def citations(rs: RuleSet, refs: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Each source with its short citation, document date and verified date."""
    out = []
    for ref in refs:
        sid, article = (ref, None) if isinstance(ref, str) else (ref.id, ref.article)
        src = rs.sources[sid]
        out.append({"id": sid, "short": src.short, "title": src.title, "kind": src.kind, "url": src.url,
                    "article": article or src.article, "date": src.date.isoformat() if src.date else None,
                    "verified": src.verified.isoformat(), "confidence": src.confidence})
    return out


# The order a basis is read in: what binds first, then what interprets it.
_KIND_ORDER = {"statute": 0, "notice": 1, "secondary": 1, "government_answer": 2, "ruling": 3, "municipal": 4,
               "operator": 5, "un_document": 6}


def basis_words(cited: list[dict[str, Any]]) -> str:
    """「1954年通知（社発第382号）・1990年口頭指示; 最判2001-09-25」: the sources' short citations, laws and
    notices first (joined by ・), then answers, rulings and local texts (each group after a ;). Sources
    without a short citation are left to the list of sources; with none at all, the first title."""
    groups: dict[int, list[str]] = {}
    for c in cited:
        if c["short"]:
            groups.setdefault(_KIND_ORDER.get(c["kind"], 9), []).append(c["short"])
    if not groups:
        return cited[0]["title"] if cited else ""
    return "; ".join("・".join(dict.fromkeys(groups[k])) for k in sorted(groups))


def cite_standard(std: dict[str, Any]) -> str:
    """ "ICESCR art. 9, E/C.12/GC/19 para. 37-38 (unconfirmed) [argued]": an argued point is never a breach."""
    text = f"{std['instrument']} art. {std['article']}"
    if std.get("document"):
        text += f", {std['document']}"
        if std.get("paragraph"):
            text += f" para. {std['paragraph']}"
        elif std.get("paragraph_unconfirmed"):
            text += f" para. {std['paragraph_unconfirmed']} (unconfirmed)"
    if std.get("mark"):
        text += f" [{std['mark']}]"
    return text
