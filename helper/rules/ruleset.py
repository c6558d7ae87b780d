"""A compiled rule set: the national rules with one municipality's layers applied on top.

Layers apply outermost first (national, prefecture, designated city, ward); a layer replaces
parameters' dated values and whole conditions by id, adds counters and adds next steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import municipality as muni
from . import schema as s
from .compiler import BOOL, CompileError, Compiler, Node, Origin, ParamDef, Symbols
from .loader import NATIONAL, RuleBase, fact_types, item_types


@dataclass
class CompiledGuidance:
    model: s.Guidance
    when: Node | None
    layer: str


@dataclass
class CompiledProgramme:
    model: s.Programme
    top: Node
    next_steps: list[CompiledGuidance]
    warnings: list[CompiledGuidance]
    members_when: Node | None = None
    concerns_when: Node | None = None


@dataclass
class CompiledAdvisory:
    id: str
    model: s.Advisory
    when: Node


@dataclass(frozen=True)
class CompiledStandardRef:
    """A standard on a condition: for whom (``when``, None for everyone) and its marks, tried in order: a case
    ``(when, mark, because)`` with ``when`` None always applies, so the last one is the default."""

    id: str
    when: Node | None
    marks: tuple[tuple[Node | None, s.Mark, str | None], ...]


@dataclass
class RuleSet:
    compiler: Compiler
    relevance: dict[str, Node]  # question fact -> when the question matters
    chain: list[tuple[str, s.Layer]]
    params: dict[str, ParamDef]
    conditions: dict[str, tuple[s.Condition, Origin, str]]
    compiled: dict[str, Node]
    shows: dict[str, dict[str, tuple[Node, str]]]
    condition_standards: dict[str, list[CompiledStandardRef]]
    programmes: list[CompiledProgramme]
    contacts: dict[str, tuple[s.Contact, str]]
    sources: dict[str, s.Source]
    standards: dict[str, s.Standard]
    advisories: list[CompiledAdvisory] = field(default_factory=list)
    member_values: list[tuple[str, Node]] = field(default_factory=list)  # values with on_members
    layer_names: dict[str, str] = field(default_factory=dict)
    not_a_gap: Node | None = None  # where no standard is attached (the standards file's not_a_gap_when)
    # Resolved citations and contacts, by the identity of the tuple of references (they never change).
    _resolved: dict[int, tuple[tuple[Any, ...], list[dict[str, Any]]]] = field(default_factory=dict, repr=False)
    _contacts: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def local(self) -> bool:
        return len(self.chain) > 1

    def programme(self, pid: str) -> CompiledProgramme:
        return next(p for p in self.programmes if p.model.id == pid)


def layer_chain(base: RuleBase, code: str | None) -> list[tuple[str, s.Layer]]:
    """National layer, then the layers that exist for the municipality's prefecture, city and ward."""
    chain = [(NATIONAL, base.layers[NATIONAL][0])]
    if code:
        for m in muni.chain(code):
            if m.code in base.layers and m.code != NATIONAL:
                chain.append((m.code, base.layers[m.code][0]))
    return chain


def build_ruleset(base: RuleBase, chain: list[tuple[str, s.Layer]]) -> RuleSet:
    code, layer = chain[-1]
    if len(chain) > 1 and not layer.parameters and not layer.conditions:
        # A layer that only adds counters and next steps (a ward) shares its parent's compiled rules.
        parent_key = tuple(c for c, _ in chain[:-1])
        parent = base._rulesets.get(parent_key)
        if parent is None:
            parent = base._rulesets[parent_key] = build_ruleset(base, chain[:-1])
        return _extend(base, parent, chain)
    params = {
        pid: ParamDef(pid, p.type, p.description, p.sources, p.values, origin, NATIONAL, p.keys, p.columns,
                      base.tables)
        for pid, (p, origin) in base.parameters.items()
    }
    conditions: dict[str, tuple[s.Condition, Origin, str]] = {
        cid: (c, origin, NATIONAL) for cid, (c, origin) in base.conditions.items()
    }
    contacts: dict[str, tuple[s.Contact, str]] = {}
    extra_guidance: dict[str, list[CompiledGuidance]] = {}
    for code, layer in chain:
        lf = base.layers[code][1]
        for pid, override in layer.parameters.items():
            national = params[pid]
            params[pid] = ParamDef(pid, national.type, national.description, override.sources, override.values,
                                   Origin(lf.display, ("parameters", pid)), code, national.keys, national.columns,
                                   base.tables)
        for cid, cond in layer.conditions.items():
            conditions[cid] = (cond, Origin(lf.display, ("conditions", cid)), code)
        for key, contact in layer.contacts.items():
            contacts[key] = (contact, code)

    symbols = Symbols(
        facts=fact_types(),
        item_fields=item_types(),
        params=params,
        conditions={cid: (c, o) for cid, (c, o, _) in conditions.items()},
        values=dict(base.values),
    )
    compiler = Compiler(symbols)
    for cid, (_, origin, _) in conditions.items():
        compiler.condition(cid, origin, origin.path)
    for vid, (val, origin) in base.values.items():
        # Compile every value, used or not, so that a mistake in one is found by `check`.
        (compiler.formula if val.args else compiler.value)(vid, origin, origin.path)

    def guidance(g: s.Guidance, origin: Origin, layer: str) -> CompiledGuidance:
        when = None
        if g.when is not None:
            when = compiler.expr(g.when, origin, origin.path + ("when",))
            compiler.require(when, BOOL, origin, origin.path + ("when",))
        return CompiledGuidance(g, when, layer)

    for code, layer in chain:
        lf = base.layers[code][1]
        for prog_id, items in layer.guidance.items():
            extra_guidance.setdefault(prog_id, []).extend(
                guidance(g, Origin(lf.display, ("guidance", prog_id, i)), code) for i, g in enumerate(items)
            )

    relevance: dict[str, Node] = {}
    for lf in base.files:
        if isinstance(lf.model, s.QuestionsFile):
            for i, q in enumerate(lf.model.questions):
                if q.relevant_when is not None:
                    origin = Origin(lf.display, ("questions", i))
                    node = compiler.expr(q.relevant_when, origin, origin.path + ("relevant_when",))
                    compiler.require(node, BOOL, origin, origin.path + ("relevant_when",))
                    relevance[q.fact] = node

    programmes = []
    for pid, (prog, lf) in base.programmes.items():
        top = compiler.expr(prog.eligible_when, Origin(lf.display, ()), ("eligible_when",))
        compiler.require(top, BOOL, Origin(lf.display, ()), ("eligible_when",))
        if not _refers_to_condition(top):
            raise CompileError(Origin(lf.display, ()), ("eligible_when",),
                               "must refer to at least one condition, so that every outcome has a sourced reason")
        steps = [guidance(g, Origin(lf.display, ("next_steps", i)), NATIONAL) for i, g in enumerate(prog.next_steps)]
        warns = [guidance(g, Origin(lf.display, ("warnings", i)), NATIONAL) for i, g in enumerate(prog.warnings)]
        members_when = None
        if prog.members_when is not None:
            members_when = compiler.expr(prog.members_when, Origin(lf.display, ()), ("members_when",))
            compiler.require(members_when, BOOL, Origin(lf.display, ()), ("members_when",))
        concerns_when = None
        if prog.concerns_when is not None:
            concerns_when = compiler.expr(prog.concerns_when, Origin(lf.display, ()), ("concerns_when",))
            compiler.require(concerns_when, BOOL, Origin(lf.display, ()), ("concerns_when",))
        programmes.append(CompiledProgramme(prog, top, steps + extra_guidance.get(pid, []), warns, members_when,
                                            concerns_when))
    programmes.sort(key=lambda p: (p.model.group != "core", p.model.order, p.model.id))

    shows: dict[str, dict[str, tuple[Node, str]]] = {}
    standards: dict[str, list[CompiledStandardRef]] = {}
    for cid, (cond, origin, _) in conditions.items():
        shows[cid] = {
            name: (compiler.expr(sh.expr, origin, origin.path + ("show", name, "expr")), sh.unit)
            for name, sh in cond.show.items()
        }
        standards[cid] = [_standard_ref(compiler, base, ref, origin, origin.path + ("standards", i))
                          for i, ref in enumerate(cond.standards)]
    not_a_gap = None
    if base.not_a_gap_when is not None:
        expr, origin = base.not_a_gap_when
        not_a_gap = compiler.expr(expr, origin, ("not_a_gap_when",))
        compiler.require(not_a_gap, BOOL, origin, ("not_a_gap_when",))
    advisories = []
    for aid, (adv, origin) in base.advisories.items():
        when = compiler.expr(adv.when, origin, origin.path + ("when",))
        compiler.require(when, BOOL, origin, origin.path + ("when",))
        advisories.append(CompiledAdvisory(aid, adv, when))
    return RuleSet(
        compiler=compiler,
        relevance=relevance,
        chain=chain,
        params=params,
        conditions=conditions,
        compiled=symbols.compiled_conditions,
        shows=shows,
        condition_standards=standards,
        programmes=programmes,
        contacts=contacts,
        sources={sid: src for sid, (src, _) in base.sources.items()},
        standards={sid: std for sid, (std, _) in base.standards.items()},
        advisories=advisories,
        member_values=[(vid, symbols.compiled_values[vid]) for vid, (v, _) in base.values.items() if v.on_members],
        layer_names={code: layer.name for code, layer in chain},
        not_a_gap=not_a_gap,
    )


def _standard_ref(compiler: Compiler, base: RuleBase, ref: str | s.StandardRef, origin: Origin,
                  path: tuple[str | int, ...]) -> CompiledStandardRef:
    std = base.standards[ref if isinstance(ref, str) else ref.id][0]
    default = (None, std.mark, std.because)
    if isinstance(ref, str):
        return CompiledStandardRef(ref, None, (default,))

    def boolean(expr: Any, where: tuple[str | int, ...]) -> Node:
        node = compiler.expr(expr, origin, where)
        compiler.require(node, BOOL, origin, where)
        return node

    when = boolean(ref.when, path + ("when",)) if ref.when is not None else None
    cases = [(boolean(c.when, path + ("marks", i, "when")), c.mark, c.because) for i, c in enumerate(ref.marks)]
    last = (None, ref.mark, ref.because) if ref.mark is not None else default
    return CompiledStandardRef(ref.id, when, (*cases, last))


def _extend(base: RuleBase, parent: RuleSet, chain: list[tuple[str, s.Layer]]) -> RuleSet:
    code, layer = chain[-1]
    lf = base.layers[code][1]
    contacts = dict(parent.contacts)
    for key, contact in layer.contacts.items():
        contacts[key] = (contact, code)
    extra: dict[str, list[CompiledGuidance]] = {}
    for prog, items in layer.guidance.items():
        for i, g in enumerate(items):
            origin = Origin(lf.display, ("guidance", prog, i))
            when = None
            if g.when is not None:
                when = parent.compiler.expr(g.when, origin, origin.path + ("when",))
                parent.compiler.require(when, BOOL, origin, origin.path + ("when",))
            extra.setdefault(prog, []).append(CompiledGuidance(g, when, code))
    programmes = [
        CompiledProgramme(p.model, p.top, p.next_steps + extra.get(p.model.id, []), p.warnings, p.members_when,
                          p.concerns_when)
        for p in parent.programmes
    ]
    return RuleSet(
        compiler=parent.compiler,
        relevance=parent.relevance,
        chain=chain,
        params=parent.params,
        conditions=parent.conditions,
        compiled=parent.compiled,
        shows=parent.shows,
        condition_standards=parent.condition_standards,
        programmes=programmes,
        contacts=contacts,
        sources=parent.sources,
        standards=parent.standards,
        advisories=parent.advisories,
        member_values=parent.member_values,
        layer_names={**parent.layer_names, code: layer.name},
        not_a_gap=parent.not_a_gap,
    )


def _refers_to_condition(node: Node) -> bool:
    return node.kind == "condition" or any(_refers_to_condition(c) for c in node.children)


def resolve_sources(rs: RuleSet, refs: tuple[Any, ...]) -> list[dict[str, Any]]:
    """The citations of ``refs`` (fresh dicts: callers may change them)."""
    hit = rs._resolved.get(id(refs))
    if hit is None or hit[0] is not refs:
        hit = rs._resolved[id(refs)] = (refs, _resolve(rs, refs))
    return [dict(c) for c in hit[1]]


def _resolve(rs: RuleSet, refs: tuple[Any, ...]) -> list[dict[str, Any]]:
    out = []
    for ref in refs:
        sid, article = (ref, None) if isinstance(ref, str) else (ref.id, ref.article)
        src = rs.sources[sid]
        out.append({
            "id": sid,
            "title": src.title,
            "url": src.url,
            "article": article or src.article,
            "verified": src.verified.isoformat(),
            "confidence": src.confidence,
        })
    return out
