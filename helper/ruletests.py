"""Run the YAML test cases that sit beside the rules, and check that every condition is tested.

A case gives an answers file and what it expects: programme outcomes (for the person and for
members assessed in their own right), condition results, conditions that must appear among the
reasons, facts that must be reported as missing, and whether each advisory applies. Every
condition, national or local, needs at least one case where it passes and one where it fails, and
every advisory a case where it applies and one where it does not, and every programme with a
``concerns_when`` a case where it concerns the household and one where it does not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import ValidationError

from .answers import Answers
from .engine import _result, applicable_standards, context_for, evaluate
from .rules.loader import RuleBase

# Test cases without as_of are evaluated at a fixed date, so the suite does not change by itself.
DEFAULT_AS_OF = dt.date(2026, 11, 29)


@dataclass
class Report:
    passed: int = 0
    failures: list[str] = field(default_factory=list)
    coverage_gaps: list[str] = field(default_factory=list)


def run_tests(base: RuleBase) -> Report:
    report = Report()
    seen: dict[tuple[str, str], set[str]] = {}  # (layer code, condition) -> {"pass", "fail"}
    seen_advisories: dict[str, set[str]] = {}  # advisory -> {"applies", "no"}
    seen_concerns: dict[str, set[str]] = {}  # programme -> {"yes", "no", "maybe"}
    for case, origin in base.tests:
        file, line = base.locate(origin)
        where = f"{file}:{line}: {case.name}"
        try:
            answers = Answers.model_validate(case.answers)
        except ValidationError as exc:
            report.failures.append(f"{where}: invalid answers: {exc.errors(include_url=False)[0]['msg']}")
            continue
        if answers.as_of is None:
            answers = answers.model_copy(update={"as_of": DEFAULT_AS_OF})
        result = evaluate(answers, base)
        by_id = {r.id: r for r in result.results}
        problems = []
        for pid, expected in case.expect.items():
            got: str = by_id[pid].outcome
            if got != expected:
                why = "; ".join(f"{r.rule}={r.result}" for r in by_id[pid].reasons)
                problems.append(f"{pid}: expected {expected}, got {got} ({why})")
        for pid, expected_members in case.expect_members.items():
            members = {m.member: m for m in by_id[pid].members or []}
            for no, expected in expected_members.items():
                member = members.get(no)
                assessed = member.outcome if member else "(not assessed)"
                if assessed != expected:
                    why = "; ".join(f"{r.rule}={r.result}" for r in (member.reasons if member else []))
                    problems.append(f"{pid} for member {no}: expected {expected}, got {assessed} ({why})")
        applied = {a.id: a.applies for a in result.advisories}
        for aid, expected in case.advisories.items():
            got = applied.get(aid, "no")
            seen_advisories.setdefault(aid, set()).add("applies" if got != "no" else "no")
            if got != expected:
                problems.append(f"advisory {aid}: expected {expected}, got {got}")
        for pid, expected in case.concerns.items():
            got = by_id[pid].concerns
            seen_concerns.setdefault(pid, set()).add(got)
            if got != expected:
                problems.append(f"{pid}: expected it to concern the household: {expected}, got {got}")
        rs = base.ruleset_for(answers.municipality)
        ctx = context_for(rs, answers, answers.as_of or DEFAULT_AS_OF)
        for cid, expected in case.conditions.items():
            got = _result(rs.compiled[cid].fn(ctx))
            layer = rs.conditions[cid][2]
            seen.setdefault((layer, cid), set()).add(got)
            if got != expected:
                problems.append(f"condition {cid}: expected {expected}, got {got}")
        for cid, expected_marks in case.standards.items():
            if cid not in rs.condition_standards:
                problems.append(f"standards: unknown condition {cid}")
                continue
            marked = {std.id: std.mark for std in applicable_standards(rs, cid, ctx)}
            for sid, want in expected_marks.items():
                if marked.get(sid, "none") != want:
                    problems.append(f"standard {sid} on {cid}: expected {want}, got {marked.get(sid, 'none')}")
        present: set[str]
        for pid, rules in case.reasons_include.items():
            present = {r.rule for r in by_id[pid].reasons}
            for rule in rules:
                if rule not in present:
                    problems.append(f"{pid}: reason {rule} missing (reasons: {', '.join(sorted(present))})")
        for pid, facts in case.missing_include.items():
            present = set(by_id[pid].missing_facts or [])
            for fact in facts:
                if fact not in present:
                    problems.append(f"{pid}: missing fact {fact} not reported (reported: {', '.join(sorted(present))})")
        if problems:
            report.failures.append(f"{where}: " + "; ".join(problems))
        else:
            report.passed += 1
    wanted = [("00000", cid) for cid in base.conditions]
    wanted += [(code, cid) for code, (layer, _) in base.layers.items() for cid in layer.conditions]
    for layer, cid in wanted:
        results = seen.get((layer, cid), set())
        lacking = [r for r in ("pass", "fail") if r not in results]
        if lacking:
            where = "national" if layer == "00000" else f"layer {layer}"
            verbs = " or ".join({"pass": "passes", "fail": "fails"}[r] for r in lacking)
            report.coverage_gaps.append(f"condition {cid} ({where}) has no test case where it {verbs}")
    for aid in base.advisories:
        lacking = [w for w in ("applies", "no") if w not in seen_advisories.get(aid, set())]
        if lacking:
            verbs = " or ".join({"applies": "applies", "no": "does not apply"}[w] for w in lacking)
            report.coverage_gaps.append(f"advisory {aid} has no test case where it {verbs}")
    for pid, (prog, _lf) in base.programmes.items():
        if prog.concerns_when is None:
            continue
        lacking = [w for w in ("yes", "no") if w not in seen_concerns.get(pid, set())]
        if lacking:
            verbs = " or ".join({"yes": "concerns the household", "no": "does not"}[w] for w in lacking)
            report.coverage_gaps.append(f"programme {pid} has no test case where it {verbs}")
    return report
