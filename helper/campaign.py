"""The campaigners' workspace, as data: gap tables compared between places, an overview of every
municipality for one status and programme, a timeline of the dated rules, and flat rows for CSV.

Pure functions over the rules (no Streamlit): the campaign page and ``python -m helper gaps`` show
what these return.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from . import basis
from . import municipality as muni
from .engine import _explain, _member_result, value_of, with_member_values
from .gaps import NOT_A_GAP, RANK, VARIANTS, baseline_answers, cell, gap_table, statuses_in_force, variant_answers
from .household import place_facts, subjects
from .result import Outcome, ProgrammeResult
from .rules import schema as s
from .rules.loader import RuleBase
from .rules.logic import Context
from .rules.ruleset import RuleSet

CORE = ("welfare", "nhi", "public_housing")


def variant_labels() -> list[str]:
    return [label for label, _, _ in VARIANTS]


def _variant(label: str) -> tuple[str, str, dict[str, Any]]:
    for v in VARIANTS:
        if v[0] == label:
            return v
    raise KeyError(label)


# ---------------------------------------------------------------- comparison


def compare(base: RuleBase, codes: Sequence[str | None], as_of: dt.date,
            programmes: Sequence[str] | None = None) -> dict[str, Any]:
    """The gap tables of several places side by side: one row per variant × programme, a cell per place,
    and ``differs`` where the places' outcomes (or the layers deciding them) are not the same."""
    tables = [gap_table(base, code, as_of, programmes) for code in codes]
    places = [t["municipality"] for t in tables]
    rows = []
    for i, first in enumerate(tables[0]["rows"]):
        cells = [t["rows"][i] for t in tables]
        outcomes = {c["outcome"] for c in cells}
        layers = {(c["layer"] or {}).get("code") for c in cells}
        rows.append({
            "label": first["label"],
            "programme": first["programme"],
            "programme_title": first["programme_title"],
            "exists": first["exists"],
            "cells": [{"outcome": c["outcome"], "gap": c["gap"], "basis": c["basis"], "layer": c["layer"],
                       "rule": c["rule"], "standards": c["standards"], "citations": c["citations"]} for c in cells],
            "differs": len(outcomes) > 1,
            # Same outcome, but decided by different rules or layers (a city's rule against a prefecture's).
            "basis_differs": len(outcomes) == 1 and (len({c["basis"] for c in cells}) > 1 or len(layers) > 1),
        })
    return {"version": 1, "as_of": as_of.isoformat(), "places": places, "programmes": tables[0]["programmes"],
            "rows": rows, "differences": sum(r["differs"] for r in rows)}


# ---------------------------------------------------------------- overview of every municipality


def overview_places() -> list[muni.Municipality]:
    """Every city, town and village (the 23 special wards of Tokyo and the designated cities as a whole:
    their wards share the city's rules and differ only in their counters)."""
    return [m for m in muni.all_municipalities() if m.level == "city"]


@dataclass(frozen=True)
class _Plan:
    """What one programme reads in one rule set, and how to tell which places it treats the same."""

    reads: basis.Reads
    # (fact, table, key position, columns read) for each place fact read through a table; table "" for
    # a place fact read as it is.
    projections: tuple[tuple[str, str, int, tuple[str, ...]], ...]


def _plan(base: RuleBase, rs: RuleSet, pid: str) -> _Plan:
    cache: dict[str, _Plan] = rs.__dict__.setdefault("_campaign_plans", {})
    if pid not in cache:
        prog = rs.programme(pid)
        exprs: list[Any] = [prog.model.eligible_when]
        if prog.model.members_when is not None:
            exprs.append(prog.model.members_when)
        if prog.model.concerns_when is not None:
            exprs.append(prog.model.concerns_when)
        r = basis.reads(base, rs, exprs)
        columns: dict[tuple[str, str, int], set[str]] = {}
        for fact, table, position, column in r.place_keys:
            columns.setdefault((fact, table, position), set()).add(column)
        cache[pid] = _Plan(r, tuple(sorted((f, t, p, tuple(sorted(c))) for (f, t, p), c in columns.items())))
    return cache[pid]


def _table_rows(rs: RuleSet, pid: str, position: int, columns: tuple[str, ...],
                as_of: dt.date) -> dict[str, tuple[Any, ...]]:
    """A table parameter's rows on the date, grouped by the value of one key column: the other key cells
    and the cells of the columns the rules read (a row's name is not read and does not count)."""
    cache: dict[tuple[Any, ...], dict[str, tuple[Any, ...]]] = rs.__dict__.setdefault("_campaign_rows", {})
    key = (pid, position, columns, as_of)
    if key not in cache:
        pdef = rs.params[pid]
        names = list(pdef.columns)
        read = sorted({i for c in columns for i, n in enumerate(names)
                       if n == c or (c == "*" and pdef.columns[n] == "number")})
        dated = next((v for v in pdef.values if v.from_ <= as_of and (v.until is None or as_of <= v.until)), None)
        grouped: dict[str, list[Any]] = {}
        if dated is not None and dated.file is not None:
            table = pdef.tables[dated.file]
            for k, row in table.rows.items():
                other = k[:position] + k[position + 1:]
                grouped.setdefault(k[position], []).append((other, tuple(row[i] for i in read)))
        cache[key] = {k: tuple(sorted(v, key=repr)) for k, v in grouped.items()}
    return cache[key]


def _place_key(rs: RuleSet, plan: _Plan, facts: dict[str, Any], as_of: dt.date) -> tuple[Any, ...]:
    """What of a place the programme can see: for a place fact used as a table's key, the table's rows for
    it (two places in the same 級地 and prefecture look alike); for a place fact read otherwise, itself."""
    out: list[Any] = []
    for fact, table, position, columns in plan.projections:
        value = facts.get(fact)
        if not table:
            out.append((fact, value))
        else:
            rows = _table_rows(rs, table, position, columns, as_of).get(value) if value else None
            out.append((fact, table, rows))
    return tuple(out)


def _rules_key(rs: RuleSet, plan: _Plan) -> tuple[Any, ...]:
    """The effective rules a programme reads: each condition's and parameter's definition where it is set."""
    return (tuple(sorted((c, id(rs.conditions[c][0])) for c in plan.reads.conditions)),
            tuple(sorted((p, id(rs.params[p].values)) for p in plan.reads.params)))


def evaluate_programme(rs: RuleSet, answers: Any, as_of: dt.date, pid: str) -> ProgrammeResult:
    """One programme of the engine's evaluation (the same functions, without the other programmes)."""
    people = with_member_values(rs, subjects(answers), as_of, {}, set())
    params: dict[str, Any] = {}
    stale: set[str] = set()
    ctx = Context(people[0].facts, as_of, rs, params, stale)
    prog = rs.programme(pid)
    m = prog.model
    v = value_of(prog.top, ctx)
    outcome: Outcome = "eligible" if v is True else "not_eligible" if v is False else "uncertain"
    result = ProgrammeResult(m.id, m.title, m.title_ja, m.group, m.summary, outcome, _explain(rs, prog, v, ctx))
    result.household_outcome = outcome
    if prog.members_when is not None:
        members = []
        for subj in people[1:]:
            mctx = Context(subj.facts, as_of, rs, params, stale)
            if prog.members_when.fn(mctx) is True:
                members.append(_member_result(rs, prog, subj, mctx))
        result.members = members
        result.household_outcome = max([outcome, *(x.outcome for x in members)], key=RANK.__getitem__)
    if prog.concerns_when is not None:
        c = value_of(prog.concerns_when, ctx)
        result.concerns = "yes" if c is True else "no" if c is False else "maybe"
    return result


def overview(base: RuleBase, label: str, pid: str, as_of: dt.date,
             places: Iterable[muni.Municipality] | None = None) -> dict[str, Any]:
    """One status variant and one programme in every municipality, grouped by outcome and deciding layer.

    Places that read the same effective rules and whose place facts the rules see alike (the same rows
    of the tables keyed by place) get the same outcome: each such group is evaluated once."""
    _, status, extra = _variant(label)
    places = list(places if places is not None else overview_places())
    done: dict[tuple[Any, ...], dict[str, Any]] = {}
    rows = []
    evaluations = 0
    for m in places:
        rs = base.ruleset_for(m.code)
        plan = _plan(base, rs, pid)
        key = (_rules_key(rs, plan), _place_key(rs, plan, place_facts(m.code), as_of))
        found = done.get(key)
        if found is None:
            evaluations += 2
            answers = variant_answers(status, extra, m.code, as_of)
            japanese = evaluate_programme(rs, baseline_answers(m.code, as_of), as_of, pid).household_outcome
            found = done[key] = cell(base, rs, evaluate_programme(rs, answers, as_of, pid), japanese)
            in_force = statuses_in_force(rs, as_of)
            found["exists"] = in_force is None or status in in_force
            found["gap"] = found["gap"] and found["exists"] and status not in NOT_A_GAP
        rows.append({"code": m.code, "name": m.full_name, "prefecture": m.prefecture, **{
            k: found[k] for k in ("outcome", "gap", "exists", "basis", "layer", "rule", "standards")}})
    groups: dict[tuple[str, str | None], list[str]] = {}
    for r in rows:
        groups.setdefault((r["outcome"], (r["layer"] or {}).get("name")), []).append(r["code"])
    counts = {o: sum(r["outcome"] == o for r in rows) for o in RANK}
    return {
        "version": 1, "as_of": as_of.isoformat(), "label": label, "programme": pid,
        "programme_title": base.programmes[pid][0].title, "programme_title_ja": base.programmes[pid][0].title_ja,
        "counts": counts, "evaluations": evaluations,
        "groups": [{"outcome": o, "layer": layer, "count": len(codes), "codes": codes}
                   for (o, layer), codes in sorted(groups.items(), key=lambda kv: (-RANK[kv[0][0]], -len(kv[1])))],
        "rows": sorted(rows, key=lambda r: (-RANK[r["outcome"]], r["code"])),
    }


# ---------------------------------------------------------------- timeline


def _summary(value: Any) -> str:
    if isinstance(value, tuple) and value and isinstance(value[0], s.Bracket):
        return f"{len(value)} rows"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return "none" if value is None else str(value)


def _state(values: tuple[s.DatedValue, ...], day: dt.date) -> str:
    """A parameter on a day: ``not_yet`` before its first value (never stale: it did not exist), ``in_force``,
    ``gap`` between two values, ``expired`` after its last one (stale law until the rules are updated)."""
    if day < min(v.from_ for v in values):
        return "not_yet"
    if any(v.from_ <= day and (v.until is None or day <= v.until) for v in values):
        return "in_force"
    return "gap" if any(v.from_ > day for v in values) else "expired"


def timeline(base: RuleBase, code: str | None, as_of: dt.date,
             programmes: Sequence[str] | None = None) -> dict[str, Any]:
    """What changed when in the rules for the place: every dated parameter value (national, or the
    place's layers' own), advisories and next steps with dates, and the dates of the documents the rules
    cite. Each entry says whether it is past, in force or scheduled on ``as_of``; a parameter is flagged
    stale only after its last value ends, never before its first one begins."""
    rs = base.ruleset_for(code)
    wanted: set[str] | None = None
    if programmes is not None:
        wanted = set()
        for pid in programmes:
            wanted |= _plan(base, rs, pid).reads.params
    names = rs.layer_names
    entries: list[dict[str, Any]] = []

    def status(start: dt.date, end: dt.date | None) -> str:
        if start > as_of:
            return "scheduled"
        return "in_force" if end is None or as_of <= end else "past"

    for pid, pdef in sorted(rs.params.items()):
        if wanted is not None and pid not in wanted:
            continue
        values = sorted(pdef.values, key=lambda v: v.from_)
        cited = basis.citations(rs, pdef.sources)
        previous: s.DatedValue | None = None
        for v in values:
            entries.append({
                "date": v.from_.isoformat(), "kind": "change" if previous else "start", "subject": pid,
                "title": pdef.description, "value": "(table)" if v.file else _summary(v.value),
                "previous": None if previous is None else ("(table)" if previous.file else _summary(previous.value)),
                "until": v.until.isoformat() if v.until else None, "status": status(v.from_, v.until),
                "layer": pdef.layer, "layer_name": names.get(pdef.layer), "note": v.note, "sources": cited,
            })
            nxt = next((w for w in values if w.from_ > v.from_), None)
            if v.until is not None and (nxt is None or nxt.from_ > v.until + dt.timedelta(days=1)):
                end = v.until + dt.timedelta(days=1)
                entries.append({
                    "date": end.isoformat(), "kind": "no_value", "subject": pid, "title": pdef.description,
                    "value": None, "previous": _summary(v.value), "until": None,
                    "status": "scheduled" if end > as_of else "stale", "layer": pdef.layer,
                    "layer_name": names.get(pdef.layer),
                    "note": "No value is encoded from this day: results that depend on it are uncertain until "
                            "the rules are updated.", "sources": cited,
                })
            previous = v
    for adv in rs.advisories:
        a = adv.model
        if a.from_ is None or (programmes is not None and not set(a.concerns) & set(programmes)):
            continue
        entries.append({"date": a.from_.isoformat(), "kind": "advisory", "subject": adv.id, "title": a.title,
                        "value": None, "previous": None, "until": a.until.isoformat() if a.until else None,
                        "status": status(a.from_, a.until), "layer": None, "layer_name": None, "note": None,
                        "sources": basis.citations(rs, a.sources)})
    for prog in rs.programmes:
        if programmes is not None and prog.model.id not in programmes:
            continue
        for g in [*prog.next_steps, *prog.warnings]:
            m = g.model
            if m.from_ is None:
                continue
            entries.append({"date": m.from_.isoformat(), "kind": "guidance", "subject": m.id, "title": m.text,
                            "value": None, "previous": None, "until": m.until.isoformat() if m.until else None,
                            "status": status(m.from_, m.until), "layer": g.layer, "layer_name": names.get(g.layer),
                            "note": None, "sources": basis.citations(rs, m.sources)})
    cited_ids = _cited_sources(base, rs, programmes)
    for sid in sorted(cited_ids):
        src = rs.sources[sid]
        if src.date is None:
            continue
        entries.append({"date": src.date.isoformat(), "kind": "document", "subject": sid,
                        "title": src.short or src.title, "value": None, "previous": None, "until": None,
                        "status": "scheduled" if src.date > as_of else "past", "layer": None, "layer_name": None,
                        "note": src.note, "sources": basis.citations(rs, (sid,))})
    entries.sort(key=lambda e: (e["date"], e["kind"], e["subject"]))
    states = {pid: _state(p.values, as_of) for pid, p in rs.params.items() if wanted is None or pid in wanted}
    return {"version": 1, "as_of": as_of.isoformat(), "municipality": code, "entries": entries,
            "stale": sorted(p for p, st in states.items() if st in ("gap", "expired")),
            "not_yet": sorted(p for p, st in states.items() if st == "not_yet")}


def _cited_sources(base: RuleBase, rs: RuleSet, programmes: Sequence[str] | None) -> set[str]:
    """The sources the conditions of the programmes (all, by default) cite."""
    out: set[str] = set()
    for prog in rs.programmes:
        if programmes is not None and prog.model.id not in programmes:
            continue
        for cid in _plan(base, rs, prog.model.id).reads.conditions:
            out |= {r if isinstance(r, str) else r.id for r in rs.conditions[cid][0].sources}
    return out


# ---------------------------------------------------------------- flat rows (CSV)


CSV_COLUMNS = ("municipality", "municipality_name", "as_of", "status", "status_exists", "programme",
               "programme_title",
               "programme_title_ja", "outcome", "gap", "basis", "decided_by", "decided_by_level", "changed_by",
               "rule", "sources", "standards")


def csv_rows(table: dict[str, Any]) -> list[dict[str, str]]:
    place = table["municipality"]
    out = []
    for r in table["rows"]:
        layer = r["layer"] or {}
        out.append({
            "municipality": place["code"] or "", "municipality_name": place["name"] or "", "as_of": table["as_of"],
            "status": r["label"], "status_exists": "yes" if r.get("exists", True) else "",
            "programme": r["programme"], "programme_title": r["programme_title"],
            "programme_title_ja": r["programme_title_ja"], "outcome": r["outcome"], "gap": "yes" if r["gap"] else "",
            "basis": r["basis"] or "", "decided_by": layer.get("name", ""), "decided_by_level": layer.get("level", ""),
            "changed_by": layer.get("note") or layer.get("changed_by", ""), "rule": r["rule"] or "",
            "sources": "; ".join(f"{c['short'] or c['title']} (verified {c['verified']})" for c in r["citations"]),
            "standards": "; ".join(basis.cite_standard(s) for s in r["standards"]),
        })
    return out


def write_csv(tables: Iterable[dict[str, Any]], out: TextIO) -> None:
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    for t in tables:
        w.writerows(csv_rows(t))


def gap_counts(table: dict[str, Any]) -> dict[str, int]:
    """How many statuses each programme leaves out (a gap), for the chart."""
    out: dict[str, int] = {}
    for r in table["rows"]:
        out[r["programme"]] = out.get(r["programme"], 0) + (1 if r["gap"] else 0)
    return out

