"""The questionnaire as pure functions: which question comes next, progress, relevance.

The state is a plain dict shaped like the answers file (``{"municipality": ..., "person": {...}}``)
plus the set of facts answered "I don't know". Guided mode asks, in the order of
``rules/questions.yaml``, the questions whose fact could still change an outcome: the facts that
would settle an uncertain result, and the few marked ``always``. No page code decides this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from .answers import Answers, AnswersError
from .engine import context_for, evaluate
from .result import Result
from .rules import schema as s
from .rules.loader import RuleBase

Question = s.Question


def empty_state() -> dict[str, Any]:
    return {"version": 1, "person": {}, "household": {}, "needs": {}}


def _path(fact: str) -> list[str]:
    return ["municipality"] if fact == "municipality" else fact.split(".")


def get_value(state: dict[str, Any], fact: str) -> Any:
    node: Any = state
    for part in _path(fact):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def set_value(state: dict[str, Any], fact: str, value: Any) -> dict[str, Any]:
    """A new state with ``fact`` set (``None`` removes it). The old state is left untouched."""
    new = {k: (dict(v) if isinstance(v, dict) else v) for k, v in state.items()}
    *parents, name = _path(fact)
    part = new
    for key in parents:
        child = dict(part.get(key) or {})
        part[key] = child
        part = child
    if value is None:
        part.pop(name, None)
    else:
        part[name] = value
    if parents and parents[-1] != "household" and not part:  # e.g. household.income with no part left
        new[parents[0]].pop(parents[-1], None)
    if fact == "household.members":
        part.pop("member_ages", None)  # the members widget shows members with only an age as members
    if fact == "person.residence_status" and value != "designated_activities":
        part.pop("designated_activity", None)  # only meaningful with 特定活動
    if fact == "household.size" and isinstance(value, int):
        household = new.get("household", {})
        room = max(value - 1, 0)
        members = household.get("members")
        if isinstance(members, list) and len(members) > room:
            household["members"] = members[:room]
        ages = household.get("member_ages")
        if isinstance(ages, list):
            left = room - len(household.get("members") or [])
            household["member_ages"] = ages[: max(left, 0)]
    return new


def to_answers(state: dict[str, Any]) -> Answers:
    """Validate the state as an answers file (raises :class:`AnswersError`)."""
    try:
        return Answers.model_validate(state)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise AnswersError(".".join(str(p) for p in err["loc"]) or "(top)", err["msg"]) from exc


def _question_fact(fact: str) -> str:
    # Every member's detail is asked by the one question about the household's members.
    return "household.members" if fact.startswith("household.members") else fact


def settling_facts(result: Result) -> set[str]:
    """Facts that would settle at least one uncertain result (the person's, a member's, or an advisory)."""
    out: set[str] = set()
    for r in result.results:
        out.update(_question_fact(f) for f in r.missing_facts or [])
        for m in r.members or []:
            out.update(_question_fact(f) for f in m.missing_facts or [])
    return out


def answered(state: dict[str, Any], question: Question) -> bool:
    return get_value(state, question.fact) is not None


def open_questions(base: RuleBase, state: dict[str, Any], dont_know: Iterable[str],
                   today: dt.date | None = None, result: Result | None = None) -> list[Question]:
    """The questions guided mode would still ask, in order. ``result`` is the state's evaluation, where
    the caller has it already (the end page shows it: evaluating twice was a seventh of its time)."""
    skip = set(dont_know)
    answers = to_answers(state)
    if result is None:
        result = evaluate(answers, base, today=today)
    needed = settling_facts(result)
    rs = base.ruleset_for(state.get("municipality"))
    ctx = context_for(rs, answers, answers.as_of or today or dt.date.today())
    out = []
    for q in base.questions:
        if answered(state, q) or q.fact in skip:
            continue
        if not (q.always or q.fact in needed):
            continue
        if q.fact in rs.relevance and rs.relevance[q.fact].fn(ctx) is False:
            continue
        out.append(q)
    return out


def next_question(base: RuleBase, state: dict[str, Any], dont_know: Iterable[str]) -> Question | None:
    remaining = open_questions(base, state, dont_know)
    return remaining[0] if remaining else None


def progress(asked: int, remaining: int) -> float:
    """Share of the way done, never 1.0 while a question remains."""
    total = asked + remaining
    return 1.0 if remaining == 0 else asked / total


def step_progress(done: int, remaining: int, step: int, shown: float = 0.0) -> tuple[int, int, float]:
    """``(step, about, share)`` for "step N of about M" and its bar, which never goes backwards.

    ``done`` questions are answered (or "I don't know"), ``remaining`` are still to ask (the one on
    screen included when it is new), ``step`` is the place of the question on screen, and ``shown``
    the share the bar showed last. An answer can add questions, so the estimate ``about`` may grow; the
    bar then stays where it was rather than moving back (also after Back), and stays below 1.0.
    """
    about = max(done + remaining, step)
    return step, about, max(shown, (step - 1) / about)


def relevant_questions(base: RuleBase, state: dict[str, Any]) -> list[Question]:
    """Every question consultation mode shows for this state (``relevant_when`` not ruled out)."""
    answers = to_answers(state)
    rs = base.ruleset_for(state.get("municipality"))
    ctx = context_for(rs, answers, answers.as_of or dt.date.today())
    return [q for q in base.questions if q.fact not in rs.relevance or rs.relevance[q.fact].fn(ctx) is not False]


def question_for(base: RuleBase, fact: str) -> Question | None:
    return next((q for q in base.questions if q.fact == fact), None)
