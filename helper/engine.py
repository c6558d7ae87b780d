"""Evaluate an answers file against the rules: pure, deterministic, as of a date.

The engine knows no programme by name. For each programme it evaluates the ``eligible_when``
tree in three-valued logic, then explains the outcome by the named conditions that decided it,
the facts that would settle an ``uncertain``, the next steps and warnings that apply, and the
alternatives when a door is closed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Set as AbstractSet
from typing import Any, NamedTuple

from . import municipality as muni
from .answers import Answers
from .household import Subject, subjects
from .offices import office_for
from .result import (
    Advisory,
    Alternative,
    Citation,
    ConditionResult,
    Contact,
    Guidance,
    Layer,
    MemberResult,
    Outcome,
    Place,
    ProgrammeResult,
    Reason,
    Result,
    StaleParameter,
    Standard,
)
from .rules.compiler import Node
from .rules.loader import STALE_AFTER_DAYS, RuleBase
from .rules.logic import Context, Records, Unknown
from .rules.ruleset import RuleSet, resolve_sources
from .text import N_

NO_MUNICIPALITY = N_("No municipality given: national rules only, and counters are described in general terms.")
NO_LOCAL_RULES = N_("No local rules are encoded for {place}: national rules only.")
STALE_PARAMETER = N_("The rules hold no value of '{parameter}' for {date}; results that depend on it are uncertain "
                     "until the rule is updated.")
STALE_SOURCE = N_("The source '{title}' was last verified on {verified}, over a year before {date}: check that the "
                  "rule still holds.")
RESULT: dict[bool, ConditionResult] = {True: "pass", False: "fail"}
OUTCOME: dict[bool, Outcome] = {True: "eligible", False: "not_eligible"}
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def _result(v: Any) -> ConditionResult:
    return RESULT.get(v, "unknown") if isinstance(v, bool) else "unknown"


def _outcome(v: Any) -> Outcome:
    return OUTCOME.get(v, "uncertain") if isinstance(v, bool) else "uncertain"


def format_amount(value: Any, unit: str) -> str:
    """English rendering; translated front ends format ``params`` themselves."""
    if isinstance(value, Unknown):
        return "unknown"
    if unit == "yen":
        return f"¥{round(value):,}"
    if unit == "months":
        return f"{value} months"
    if unit == "years":
        return f"{value} years"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def fill(template: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` placeholders: names only, no attribute or index access."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def value_of(node: Node, ctx: Context) -> Any:
    """``node``'s value, computed once per context: explaining walks the same tree several times.
    Only for nodes outside any ``where`` or ``apply`` (their value depends on nothing else)."""
    memo = ctx.nodes
    key = id(node)
    try:
        return memo[key]
    except KeyError:
        v = memo[key] = node.fn(ctx)
        return v


def deciding(node: Node, ctx: Context, out: dict[str, Any]) -> None:
    """Collect, in order, the named conditions that decided ``node``'s value."""
    kind = node.kind
    if kind == "condition":
        if node.ref in out:  # explained already, with all it depends on: shared conditions are walked once
            return
        out[node.ref] = value_of(node, ctx)  # type: ignore[index]
        deciding(node.children[0], ctx, out)
    elif kind in ("all", "any"):
        v = value_of(node, ctx)
        decisive = False if kind == "all" else True
        narrow = _exception_left(node, ctx) if kind == "all" and isinstance(v, Unknown) else None
        for child in node.children:
            # A decided all/any is explained by the branches that decided it; an undecided one by
            # every branch: the unknown ones, and those that passed (all) or failed (any) around them —
            # except where only an exception is left open (see _exception_left).
            cv = value_of(child, ctx)
            if narrow is not None and isinstance(cv, Unknown) and child is not narrow:
                continue
            if v is not decisive or cv is decisive:
                deciding(child, ctx, out)
    elif kind == "not":
        deciding(node.children[0], ctx, out)


def _exception_left(node: Node, ctx: Context) -> Node | None:
    """In an undecided all, a branch whose main route has failed and where only an alternative (an
    exception) is still open: until that is settled, the other open branches do not matter — a status
    that is not covered is told so and asked only about recognition as a refugee, not about income."""
    for child in node.children:
        target = child.children[0] if child.kind == "condition" else child
        if (isinstance(value_of(child, ctx), Unknown) and target.kind == "any"
                and any(value_of(g, ctx) is False for g in target.children)):
            return child
    return None


def asking(node: Node, ctx: Context) -> set[str]:
    """The facts to ask to settle an undecided ``node`` (only the open exception, where one is left)."""
    v = value_of(node, ctx)
    if not isinstance(v, Unknown):
        return set()
    if node.kind == "all":
        narrow = _exception_left(node, ctx)
        if narrow is not None:
            return asking(narrow, ctx)
        return set().union(*(asking(child, ctx) for child in node.children))
    if node.kind == "any":
        return set().union(*(asking(child, ctx) for child in node.children))
    if node.kind == "not":
        return asking(node.children[0], ctx)
    return set(v.facts)


def reachable_conditions(node: Node) -> list[str]:
    """Named conditions in an expression tree, outermost first."""
    out: list[str] = []
    stack = [node]
    while stack:
        n = stack.pop(0)
        if n.kind == "condition":
            if n.ref in out:  # seen, with its subtree: a condition shared by many is walked once
                continue
            out.append(n.ref)  # type: ignore[arg-type]
        stack.extend(n.children)
    return out


def citations(rs: RuleSet, refs: tuple[Any, ...]) -> list[Citation]:
    """The citations of ``refs``, built once per rule set and shared (a result is never changed)."""
    cache: dict[int, tuple[tuple[Any, ...], list[Citation]]] = rs.__dict__.setdefault("_citations", {})
    hit = cache.get(id(refs))
    if hit is None or hit[0] is not refs:
        hit = cache[id(refs)] = (refs, [Citation(**c) for c in resolve_sources(rs, refs)])
    return list(hit[1])


def explain_condition(rs: RuleSet, cid: str, v: Any, ctx: Context) -> Reason:
    cond, _origin, layer = rs.conditions[cid]
    result = _result(v)
    template = {"pass": cond.explain.pass_, "fail": cond.explain.fail, "unknown": cond.explain.unknown}[result]
    notes = list(v.notes) if isinstance(v, Unknown) else []
    if isinstance(v, Unknown) and not v.facts and notes:
        # Nothing is missing: the rule itself leaves it open, and its note says why.
        template = notes.pop(0)
    params: dict[str, Any] = {}
    units: dict[str, str] = {}
    shown: dict[str, str] = {}
    for name, (node, unit) in rs.shows[cid].items():
        value = node.fn(ctx)
        params[name] = None if isinstance(value, Unknown) else value
        units[name] = unit
        shown[name] = format_amount(value, unit)
    cited = citations(rs, cond.sources)
    reason = Reason(cid, result, cond.title, fill(template, shown), template, params, units,
                    [c.url for c in cited], cited, layer)
    if isinstance(v, Unknown):
        reason.missing = sorted(v.facts)
        reason.notes = notes
    if result != "pass":
        reason.standards = applicable_standards(rs, cid, ctx) or None
    return reason


def applicable_standards(rs: RuleSet, cid: str, ctx: Context) -> list[Standard]:
    """The standards an exclusion by ``cid`` falls short of, for this person, each with its mark for them.

    None at all where the exclusion is no gap (the standards file's ``not_a_gap_when`` holds: a diplomat covered by the
    sending state …). A standard whose ``when`` is unknown is kept; a ``breach`` case is taken only where its
    ``when`` is known to hold, an ``argued`` one also where it is unknown."""
    refs = rs.condition_standards[cid]
    if not refs or (rs.not_a_gap is not None and rs.not_a_gap.fn(ctx) is True):
        return []
    out = []
    for ref in refs:
        if ref.when is not None and ref.when.fn(ctx) is False:
            continue
        mark, because = next((m, b) for when, m, b in ref.marks if _mark_applies(when, m, ctx))
        std = rs.standards[ref.id]
        out.append(Standard(ref.id, std.instrument, std.article, std.title, std.source, mark, because, std.kind,
                            std.document, std.document_title, std.document_url, std.paragraph,
                            std.paragraph_unconfirmed))
    return out


def _mark_applies(when: Node | None, mark: str, ctx: Context) -> bool:
    if when is None:
        return True
    held = when.fn(ctx)
    return held is True or (mark == "argued" and isinstance(held, Unknown))


def _contact(rs: RuleSet, cid: str, place: str | None = None) -> Contact:
    """The counter ``cid`` as shown (computed once per rule set and shared); a national counter that no layer
    names is named from the municipality ``place`` and its office, with the office's address."""
    cache: dict[str, tuple[Contact, Any]] = rs.__dict__.setdefault("_contact_results", {})
    hit = cache.get(cid)
    if hit is None:
        hit = cache[cid] = _contact_of(rs, cid)
    contact, local = hit
    named = office_for(place, local["at"]) if place and local else None
    if not named:
        return contact
    assert local is not None
    place_name, office_name, office = named
    names = {"place": place_name, "office": office_name}
    return Contact(local["name"], fill(local["name_ja"], names),
                   office.postal_code if office else contact.postal_code,
                   office.address if office else contact.address,
                   contact.phone, contact.hours, contact.note, contact.id, contact.layer,
                   contact.sources + local["sources"], names)


def _contact_of(rs: RuleSet, cid: str) -> tuple[Contact, dict[str, Any] | None]:
    contact, layer = rs.contacts[cid]
    shown = Contact(contact.name, contact.name_ja, contact.postal_code, contact.address, contact.phone,
                    contact.hours, contact.note, cid, layer, [x.url for x in citations(rs, contact.sources)])
    local = None
    if contact.local is not None:
        local = {"name": contact.local.name, "name_ja": contact.local.name_ja, "at": contact.local.at,
                 "sources": [x.url for x in citations(rs, contact.local.sources)]}
    return shown, local


def _guidance_items(rs: RuleSet, items: list[Any], outcomes: AbstractSet[str], ctx: Context) -> list[Guidance]:
    """The steps or warnings shown for any of ``outcomes`` whose condition may hold."""
    out = []
    for g in items:
        m = g.model
        if outcomes.isdisjoint(m.outcomes):
            continue
        if (m.from_ and ctx.as_of < m.from_) or (m.until and ctx.as_of > m.until):
            continue
        maybe = False
        if g.when is not None:
            w = g.when.fn(ctx)
            if w is False:
                continue
            maybe = w is not True
        cited = citations(rs, m.sources)
        out.append(Guidance(m.id, m.kind, m.text, m.ja or None, "maybe" if maybe else None,
                            m.if_text if maybe else None,
                            _contact(rs, m.contact, ctx.facts.get("municipality")) if m.contact else None,
                            None, None, [x.url for x in cited], cited))
    return out


def _explain(rs: RuleSet, prog: Any, v: Any, ctx: Context) -> list[Reason]:
    decided: dict[str, Any] = {}
    deciding(prog.top, ctx, decided)
    if not decided:  # e.g. a decisive comparison written inline: show every condition involved
        decided = {cid: rs.compiled[cid].fn(ctx) for cid in reachable_conditions(prog.top)}
    return [explain_condition(rs, cid, cv, ctx) for cid, cv in decided.items()]


def _member_result(rs: RuleSet, prog: Any, subject: Subject, ctx: Context) -> MemberResult:
    """A member assessed in their own right: outcome and reasons, with what is missing about them."""
    v = value_of(prog.top, ctx)
    out = MemberResult(subject.index, subject.relation, subject.age, _outcome(v), _explain(rs, prog, v, ctx))
    if isinstance(v, Unknown):
        # What is unknown about the member is asked through the household's members, not as "you".
        out.missing_facts = sorted({f"household.members.{f[7:]}" if f.startswith("person.") else f
                                    for f in asking(prog.top, ctx)})
        out.notes = list(v.notes)
    return out


_RANK = {"not_eligible": 0, "uncertain": 1, "eligible": 2}


_RECORD_FACTS = ("household.members", "household.everyone")


def with_member_values(rs: RuleSet, people: list[Subject], as_of: dt.date, params: dict[str, Any],
                       stale: set[str]) -> list[Subject]:
    """The subjects, with each member record carrying the rules' ``on_members`` values for that member
    (resident record, Japanese national, …), computed from the member's own facts only."""
    if not rs.member_values:
        return people
    by_member: dict[int, dict[str, Any]] = {}
    for subj in people:
        own = {k: v for k, v in subj.facts.items() if k not in _RECORD_FACTS}
        c = Context(own, as_of, rs, params, stale)
        values = {}
        for vid, node in rs.member_values:
            v = node.fn(c)
            if isinstance(v, Unknown) and subj.index:
                v = Unknown(frozenset(f"household.members.{f[7:]}" if f.startswith("person.") else f
                                      for f in v.facts), v.notes)
            values[vid] = v
        by_member[subj.index] = values
    out = []
    for subj in people:
        facts = dict(subj.facts)
        for key in _RECORD_FACTS:
            if key not in facts:
                continue
            recs = facts[key]
            facts[key] = Records(tuple({**rec, **by_member[rec["member"]]} for rec in recs.items), recs.gap)
        out.append(Subject(subj.index, subj.relation, subj.age, facts))
    return out


def context_for(rs: RuleSet, answers: Answers, as_of: dt.date) -> Context:
    """The evaluation context of the person of the answers (members' values filled in)."""
    return Context(with_member_values(rs, subjects(answers), as_of, {}, set())[0].facts, as_of, rs)


class Evaluation(NamedTuple):
    results: list[ProgrammeResult]
    advisories: list[Advisory]
    ctx: Context


def evaluate_ruleset(rs: RuleSet, people: dict[str, Any] | list[Subject], as_of: dt.date) -> Evaluation:
    """Evaluate every programme of a compiled rule set for the person, and each programme with
    ``members_when`` for the members it concerns too. Pure: same input, same output.

    ``people`` is the list of :func:`helper.household.subjects` (or the person's facts alone)."""
    subjects_ = people if isinstance(people, list) else [Subject(0, None, None, people)]
    params: dict[str, Any] = {}
    stale: set[str] = set()
    subjects_ = with_member_values(rs, subjects_, as_of, params, stale)
    ctx = Context(subjects_[0].facts, as_of, rs, params, stale)
    member_ctxs = [(m, Context(m.facts, as_of, rs, params, stale)) for m in subjects_[1:]]
    tops = [(p, value_of(p.top, ctx)) for p in rs.programmes]
    outcomes = {p.model.id: _outcome(v) for p, v in tops}
    advisories = evaluate_advisories(rs, ctx)
    results = []
    stale_before = as_of - dt.timedelta(days=STALE_AFTER_DAYS)
    for prog, v in tops:
        m = prog.model
        outcome = outcomes[m.id]
        reasons = _explain(rs, prog, v, ctx)
        result = ProgrammeResult(m.id, m.title, m.title_ja, m.group, m.summary, outcome, reasons)
        if isinstance(v, Unknown):
            result.missing_facts = sorted(asking(prog.top, ctx))
            result.notes = list(v.notes)
        if prog.members_when is not None and member_ctxs:
            members = [_member_result(rs, prog, subj, mctx) for subj, mctx in member_ctxs
                       if prog.members_when.fn(mctx) is True]
            result.members = members
            result.household_outcome = max([outcome, *(x.outcome for x in members)], key=_RANK.__getitem__)
        else:
            result.household_outcome = outcome
        if prog.concerns_when is not None:
            c = value_of(prog.concerns_when, ctx)
            result.concerns = "yes" if c is True else "no" if c is False else "maybe"
        # A member who can get it in their own right (a child at school) needs the steps to get it too.
        shown_for = {outcome, result.household_outcome}
        result.next_steps = _guidance_items(rs, prog.next_steps, shown_for, ctx)
        warnings = _guidance_items(rs, prog.warnings, shown_for, ctx)
        stale_sources = sorted({c.id for r in reasons for c in r.citations if c.verified < stale_before.isoformat()})
        for sid in stale_sources:
            said = {"title": rs.sources[sid].title, "verified": rs.sources[sid].verified.isoformat(),
                    "date": as_of.isoformat()}
            warnings.append(Guidance(f"stale_source.{sid}", "stale", fill(STALE_SOURCE, said),
                                     template=STALE_SOURCE, params=said, sources=[rs.sources[sid].url]))
        result.warnings = warnings
        result.advisories = [a.id for a in advisories if m.id in a.concerns]
        if outcome != "eligible" and m.alternatives:
            result.alternatives = [Alternative(a, outcomes[a]) for a in m.alternatives]
        results.append(result)
    return Evaluation(results, advisories, ctx)


def evaluate_advisories(rs: RuleSet, ctx: Context) -> list[Advisory]:
    """The immigration-risk advisories that apply (``applies: yes``) or may apply (``maybe``), most
    urgent first; each names the programmes beside which it is shown."""
    out = []
    for adv in rs.advisories:
        a = adv.model
        if (a.from_ and ctx.as_of < a.from_) or (a.until and ctx.as_of > a.until):
            continue
        w = adv.when.fn(ctx)
        if w is False:
            continue
        cited = citations(rs, a.sources)
        maybe = w is not True
        out.append(Advisory(adv.id, a.severity, a.title, "maybe" if maybe else "yes", a.text, a.do,
                            list(a.concerns), a.if_text if maybe else None, sorted(w.facts) if maybe else None,
                            a.contested or None,
                            [_contact(rs, cid, ctx.facts.get("municipality")) for cid in a.help],
                            [x.url for x in cited], cited))
    # What certainly applies comes first, most urgent first; what may apply follows.
    out.sort(key=lambda x: (x.applies != "yes", SEVERITY_ORDER[x.severity]))
    return out


SEVERITY_ORDER = {"urgent": 0, "important": 1, "info": 2}


def evaluate(answers: Answers, base: RuleBase, *, today: dt.date | None = None) -> Result:
    """The full result for one answers file, shaped as in the contract (``evaluate --json``)."""
    as_of = answers.as_of or today or dt.date.today()
    code = answers.municipality
    rs = base.ruleset_for(code)
    results, advisories, ctx = evaluate_ruleset(rs, subjects(answers), as_of)
    m = muni.get(code) if code else None
    place = Place(code, m.name if m else None, [Layer(c, layer.name, layer.level) for c, layer in rs.chain],
                  rs.local)
    if not code:
        place.note_template, place.note_params = NO_MUNICIPALITY, {}
    elif not rs.local:
        place.note_template, place.note_params = NO_LOCAL_RULES, {"place": m.full_name if m else code}
    if place.note_template is not None:
        place.note = fill(place.note_template, place.note_params or {})
    warnings = []
    for pid in sorted(ctx.stale):
        params = {"parameter": pid, "date": as_of.isoformat()}
        warnings.append(StaleParameter("stale_parameter", pid, fill(STALE_PARAMETER, params), STALE_PARAMETER,
                                       params))
    return Result(1, as_of.isoformat(), place, advisories, results, warnings)
