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

from .answers import Answers, AnswersError, facts_of
from .engine import evaluate
from .rules import schema as s
from .rules.loader import RuleBase
from .rules.logic import Context

Question = s.Question


def empty_state() -> dict[str, Any]:
    return {"version": 1, "person": {}, "household": {}, "needs": {}}


def get_value(state: dict[str, Any], fact: str) -> Any:
    if fact == "municipality":
        return state.get("municipality")
    group, name = fact.split(".")
    return state.get(group, {}).get(name)


def set_value(state: dict[str, Any], fact: str, value: Any) -> dict[str, Any]:
    """A new state with ``fact`` set (``None`` removes it). The old state is left untouched."""
    new = {k: (dict(v) if isinstance(v, dict) else v) for k, v in state.items()}
    if fact == "municipality":
        if value is None:
            new.pop("municipality", None)
        else:
            new["municipality"] = value
        return new
    group, name = fact.split(".")
    part = new.setdefault(group, {})
    if value is None:
        part.pop(name, None)
    else:
        part[name] = value
    if fact == "person.residence_status" and value != "designated_activities":
        part.pop("designated_activity", None)  # only meaningful with 特定活動
    if fact == "household.size" and isinstance(value, int):
        ages = new.get("household", {}).get("member_ages")
        if isinstance(ages, list) and len(ages) > value - 1:
            new["household"]["member_ages"] = ages[: max(value - 1, 0)]
    return new


def to_answers(state: dict[str, Any]) -> Answers:
    """Validate the state as an answers file (raises :class:`AnswersError`)."""
    try:
        return Answers.model_validate(state)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise AnswersError(".".join(str(p) for p in err["loc"]) or "(top)", err["msg"]) from exc


def settling_facts(result: dict[str, Any]) -> set[str]:
    """Facts that would settle at least one uncertain result."""
    out: set[str] = set()
    for r in result["results"]:
        out.update(r.get("missing_facts", []))
    return out


def answered(state: dict[str, Any], question: Question) -> bool:
    return get_value(state, question.fact) is not None


def open_questions(base: RuleBase, state: dict[str, Any], dont_know: Iterable[str],
                   today: dt.date | None = None) -> list[Question]:
    """The questions guided mode would still ask, in order."""
    skip = set(dont_know)
    answers = to_answers(state)
    result = evaluate(answers, base, today=today)
    needed = settling_facts(result)
    rs = base.ruleset_for(state.get("municipality"))
    ctx = Context(facts_of(answers), answers.as_of or today or dt.date.today(), rs)
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


def relevant_questions(base: RuleBase, state: dict[str, Any]) -> list[Question]:
    """Every question consultation mode shows for this state (``relevant_when`` not ruled out)."""
    answers = to_answers(state)
    rs = base.ruleset_for(state.get("municipality"))
    ctx = Context(facts_of(answers), dt.date.today(), rs)
    return [q for q in base.questions if q.fact not in rs.relevance or rs.relevance[q.fact].fn(ctx) is not False]


def question_for(base: RuleBase, fact: str) -> Question | None:
    return next((q for q in base.questions if q.fact == fact), None)


def parse_ages(text: str) -> list[int]:
    """``"35, 8, 3"`` (also with 、 or spaces, full-width digits) -> ``[35, 8, 3]``. Raises ValueError."""
    import unicodedata

    cleaned = unicodedata.normalize("NFKC", text).replace("、", ",").replace(" ", ",")
    parts = [p for p in cleaned.split(",") if p.strip()]
    ages = [int(p) for p in parts]
    if any(a < 0 or a > 130 for a in ages):
        raise ValueError("age out of range")
    return ages
