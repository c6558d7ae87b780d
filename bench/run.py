"""Benchmarks for the rules engine. Prints one ``name: value unit`` line per figure.

Targets (issue 2, kept by issue 9 with every layer loaded): rules_load_ms < 200, evaluate_one_us < 1000
(median, one household, all programmes) and evaluate_places_us < 1000 (the same household in each place with
local layers and in one without), cli_evaluate_ms < 500 (wall time of one ``evaluate`` process); the batch figure
and result_json_us (the typed result turned into the JSON of ``evaluate --json``, issue 11) are reported.
Run: ``python bench/run.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helper.answers import RESIDENCE_STATUSES, Answers, parse_answers, read_answers  # noqa: E402
from helper.engine import evaluate, evaluate_ruleset  # noqa: E402
from helper.household import subjects  # noqa: E402
from helper.rules.loader import load_rules  # noqa: E402

EXAMPLE = ROOT / "examples" / "refugee-applicant-6-months.yaml"
AS_OF = dt.date(2026, 11, 29)


def rules_load_ms(runs: int = 7, *, check: bool = False) -> float:
    """Loading the rules as the app and ``evaluate`` do (every file read and checked, the national rule set
    compiled, a place's layers when first asked for); with ``check``, as ``check`` does (every layer's rule set
    compiled and the rule tests read)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        load_rules(ROOT / "rules", compile_all=check, include_tests=check)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def evaluate_one_us(runs: int = 2000) -> float:
    base = load_rules(ROOT / "rules")
    answers = read_answers(EXAMPLE)
    evaluate(answers, base)  # warm the rule set for this municipality
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        evaluate(answers, base)
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


# A place in each of the seven areas with local layers (ward, city and prefecture), and one with none.
PLACES = ["27123", "11203", "11223", "13104", "14104", "23106", "28110", "08219", "40216"]


def evaluate_places_us(runs: int = 300) -> float:
    """One evaluation of the example household moved to each place, every layer loaded (median)."""
    base = load_rules(ROOT / "rules")
    text = EXAMPLE.read_text(encoding="utf-8")
    variants = [parse_answers(text.replace('"27123"', f'"{code}"')) for code in PLACES]
    for a in variants:
        evaluate(a, base)  # build each place's rule set once, as the app does on first use
    times = []
    for _ in range(runs):
        for a in variants:
            start = time.perf_counter()
            evaluate(a, base)
            times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def result_json_us(runs: int = 500) -> float:
    """Turning one result into the JSON values ``evaluate --json`` prints (the model's ``to_json``; median)."""
    base = load_rules(ROOT / "rules")
    result = evaluate(read_answers(EXAMPLE), base)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result.to_json()
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def scalar_households_per_s(n: int = 5000) -> float:
    """The scalar engine, one household at a time (bench/batch.py measures the vectorised path)."""
    base = load_rules(ROOT / "rules")
    rng = random.Random(7)
    rs = base.ruleset_for("27123")
    batch = []
    for _ in range(n):
        status = rng.choice(RESIDENCE_STATUSES)
        size = rng.randint(1, 5)
        a = Answers.model_validate({
            "version": 1, "municipality": "27123",
            "person": {"age": rng.randint(18, 90), "residence_status": status,
                       "period_of_stay_months": rng.choice([0, 3, 6, 12, 36]), "refugee_procedure": "none",
                       "employee_insurance": rng.random() < 0.3},
            "household": {"size": size, "member_ages": [rng.randint(0, 70) for _ in range(size - 1)],
                          "monthly_income": rng.randint(0, 400_000), "savings": rng.randint(0, 1_000_000),
                          "monthly_rent": rng.randint(0, 90_000), "housing": "renting", "receiving_welfare": False},
        })
        batch.append(subjects(a))
    start = time.perf_counter()
    for facts in batch:
        evaluate_ruleset(rs, facts, AS_OF)
    return n / (time.perf_counter() - start)


def cli_evaluate_ms(runs: int = 5) -> float:
    cmd = [sys.executable, "-m", "helper", "evaluate", str(EXAMPLE), "--json"]
    subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)  # warm the OS file cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine_load_1min: {load:.2f} processes")
    start_cpu = time.process_time()
    print(f"rules_load_ms: {rules_load_ms():.1f} ms")
    print(f"rules_check_ms: {rules_load_ms(check=True):.1f} ms")
    print(f"evaluate_one_us: {evaluate_one_us():.0f} us")
    print(f"evaluate_places_us: {evaluate_places_us():.0f} us")
    print(f"result_json_us: {result_json_us():.0f} us")
    print(f"scalar_households_per_s: {scalar_households_per_s():.0f} households/s")
    print(f"cli_evaluate_ms: {cli_evaluate_ms():.0f} ms")
    print(f"bench_cpu_s: {time.process_time() - start_cpu:.1f} s")
