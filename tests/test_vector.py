"""The vectorised batch path gives exactly the scalar engine's outcomes, and its masks are three-valued logic."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import numpy as np
import pytest

from helper import batch
from helper.answers import Answers
from helper.engine import evaluate
from helper.rules.loader import RuleBase
from helper.vector import Stats, evaluate_answers, evaluate_rows
from helper.vector.masks import Tri, segment_any, tri_all, tri_any, tri_not
from helper.vector.sample import Households

TODAY = dt.date(2026, 11, 29)


# -- three-valued masks --------------------------------------------------------------------------

T, F, U = True, False, None
VALUES = (T, F, U)


def tri(*values: bool | None) -> Tri:
    return Tri(np.array([v is True for v in values]), np.array([v is False for v in values]))


def as_values(x: Tri) -> list[bool | None]:
    return [True if t else False if f else None for t, f in zip(x.t, x.f, strict=True)]


def test_and_or_not_follow_kleene_logic_as_the_scalar_engine_does() -> None:
    pairs = [(a, b) for a in VALUES for b in VALUES]
    left, right = tri(*(a for a, _ in pairs)), tri(*(b for _, b in pairs))
    expected_and = [F if F in (a, b) else T if (a, b) == (T, T) else U for a, b in pairs]
    expected_or = [T if T in (a, b) else F if (a, b) == (F, F) else U for a, b in pairs]
    assert as_values(tri_all([left, right])) == expected_and
    assert as_values(tri_any([left, right])) == expected_or
    assert as_values(tri_not(tri(T, F, U))) == [F, T, U]
    # unknown and false is false; unknown or true is true; unknown either way stays unknown
    assert as_values(tri_all([tri(U), tri(F)])) == [F]
    assert as_values(tri_any([tri(U), tri(T)])) == [T]
    assert as_values(tri_all([tri(U), tri(T)])) == [U]
    assert as_values(tri_any([tri(U), tri(F)])) == [U]


def test_masks_are_never_both_true_and_false() -> None:
    rng = np.random.default_rng(7)
    parts = []
    for _ in range(4):
        code = rng.integers(0, 3, 500)
        parts.append(Tri(code == 0, code == 1))
    for combined in (tri_all(parts), tri_any(parts), tri_not(parts[0])):
        assert not (combined.t & combined.f).any()


def test_segment_reductions_leave_empty_rows_false() -> None:
    seg = np.array([0, 0, 2])
    assert segment_any(np.array([False, True, False]), seg, 4).tolist() == [True, False, False, False]
    assert segment_any(np.zeros(0, bool), np.zeros(0, np.int64), 2).tolist() == [False, False]


def scalar_outcomes(a: Answers, rules: RuleBase) -> tuple[batch.Outcome, ...]:
    return batch._outcomes(evaluate(a, rules, today=TODAY))


def test_ten_thousand_random_households_give_the_scalar_engines_outcomes(rules: RuleBase) -> None:
    households = Households(rules, seed=20261204).many(10_000)
    stats = Stats()
    vector = evaluate_answers(households, rules, TODAY, stats)
    assert stats.households == 10_000
    mismatches = []
    for i, a in enumerate(households):
        scalar = scalar_outcomes(a, rules)
        if vector[i] != scalar:
            mismatches.extend((i, v, s) for v, s in zip(vector[i], scalar, strict=True) if v != s)
    assert not mismatches, mismatches[:5]
    # The test means something only if the margins were reached: every outcome, and deciding lists that differ.
    seen = {(o.programme, o.outcome) for row in vector for o in row}
    outcomes = {o for _, o in seen}
    assert outcomes == {"eligible", "not_eligible", "uncertain"}
    programmes = {o.programme for o in vector[0]}
    assert sum(1 for p in programmes if {(p, "eligible"), (p, "not_eligible")} <= seen) >= len(programmes) // 2
    assert len({o.deciding for row in vector for o in row}) > 100
    assert any(o.household_outcome != o.outcome for row in vector for o in row)
    # Nothing went to the scalar engine with the bundled rules: the figure in bench/batch.py is honest.
    assert stats.fallback_cells == 0, stats.unsupported


def test_a_programme_the_vector_path_cannot_evaluate_goes_through_the_scalar_engine(
        rules: RuleBase, monkeypatch: pytest.MonkeyPatch) -> None:
    from helper.vector import evaluator
    from helper.vector.masks import Unsupported

    def refuse(self: Any, e: Any, fr: Any) -> Any:
        raise Unsupported("lookup (refused for the test)")

    monkeypatch.setattr(evaluator.Evaluator, "_lookup", refuse)
    households = Households(rules, seed=5).many(200)
    stats = Stats()
    vector = evaluate_answers(households, rules, TODAY, stats)
    assert stats.fallback_cells > 0 and stats.fallback_households > 0
    assert any("lookup (refused" in why for why in stats.unsupported)
    assert vector == [scalar_outcomes(a, rules) for a in households]


def test_the_outcomes_csv_is_the_same_through_either_path(rules: RuleBase) -> None:
    survey = ("municipality,as_of,person.residence_status,person.refugee_procedure,person.refugee_application_number,"
              "person.age,household.size,household.monthly_income,household.members.0.age,"
              "household.members.0.relation,household.members.0.nationality\n"
              "27100,2026-11-02,provisional_release,applicant,3,34,2,0,4,child,japanese\n"
              "11203,2026-08-01,provisional_release,applicant,x,40,1,0,,,\n"
              "13104,,long_term_resident,none,,34,3,150000,7,child,foreign\n")
    rows = list(batch.read_rows(survey, "survey.csv"))
    scalar, vector = io.StringIO(), io.StringIO()
    batch.write_outcomes(batch.evaluate_rows(rows, rules, today=TODAY), scalar)
    batch.write_outcomes(evaluate_rows(rows, rules, today=TODAY), vector)
    assert vector.getvalue() == scalar.getvalue()
    assert "person.refugee_application_number" in vector.getvalue()  # the bad row is reported as before


def test_evaluate_batch_writes_the_same_file_with_either_engine(rules: RuleBase, tmp_path: Any) -> None:
    from helper.cli import main

    lines = [a.model_dump_json(exclude_none=True) for a in Households(rules, seed=11).many(60)]
    survey = tmp_path / "survey.jsonl"
    survey.write_text("\n".join([*lines, '{"version": 1, "person": {"age": -3}}']) + "\n", encoding="utf-8")
    outputs = {}
    for engine in ("vector", "scalar"):
        out, err = io.StringIO(), io.StringIO()
        code = main(["evaluate-batch", str(survey), "--engine", engine, "--counts", str(tmp_path / f"{engine}.csv")],
                    stdout=out, stderr=err)
        assert code == 1 and "row 61: person.age" in err.getvalue()
        outputs[engine] = (out.getvalue(), (tmp_path / f"{engine}.csv").read_text(encoding="utf-8"))
    assert outputs["vector"] == outputs["scalar"]
    assert len(outputs["vector"][0].splitlines()) == 62
