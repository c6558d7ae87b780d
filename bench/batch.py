"""Batch evaluation: the vectorised path against the scalar engine. Prints ``name: value unit`` lines.

- batch_households_per_s: households a second through the vectorised path (helper/vector), from parsed answers
  files to the outcomes of every programme with the deciding conditions (target ≥ 500,000 on this machine);
- batch_rules_households_per_s: the same, counting only the rules over the columns (numpy), not building the
  columns from the answers (household.subjects, in Python) nor the outcome tuples;
- batch_scalar_households_per_s: the scalar engine on a sample of the same households;
- batch_fallback_share: the share of households with at least one programme sent to the scalar engine
  (an expression the vectorised path cannot evaluate), and batch_seconds_*: where the time went.

The households are seeded random ones at the margins (helper/vector/sample.py), in every place with layers
and some without, answered on days of one quarter as a survey is (``--margins``: on days around every
parameter change too, which splits the batch into many more groups). Other processes on the machine slow every
figure: the first line gives the load, and ``*_cpu_*`` figures count this process's CPU time instead of the
clock. Run: ``python bench/batch.py [--households 100000] [--scalar 2000] [--margins]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helper import batch  # noqa: E402
from helper.engine import evaluate  # noqa: E402
from helper.rules.loader import load_rules  # noqa: E402
from helper.vector import Stats, evaluate_answers  # noqa: E402
from helper.vector.sample import Households  # noqa: E402

AS_OF = dt.date(2026, 11, 29)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--households", type=int, default=100_000)
    p.add_argument("--scalar", type=int, default=2_000, help="households for the scalar rate (a sample)")
    p.add_argument("--margins", action="store_true", help="keep the dates around parameter changes")
    args = p.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine_load_1min: {load:.2f} processes")
    base = load_rules(ROOT / "rules")
    start = time.perf_counter()
    households = Households(base, seed=1).many(args.households)
    if not args.margins:  # a survey: answered over one quarter
        households = [a.model_copy(update={"as_of": dt.date(2026, 10, 1) + dt.timedelta(days=i % 90)})
                      for i, a in enumerate(households)]
    print(f"batch_generate_s: {time.perf_counter() - start:.1f} s")
    evaluate_answers(households[:200], base, AS_OF)  # every place's rule set compiled before timing
    stats = Stats()
    start, cpu = time.perf_counter(), time.process_time()
    evaluate_answers(households, base, AS_OF, stats)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"batch_households_per_s: {args.households / elapsed:.0f} households/s")
    print(f"batch_cpu_households_per_s: {args.households / cpu:.0f} households/s")
    print(f"batch_rules_households_per_s: {args.households / stats.seconds['rules']:.0f} households/s")
    print(f"batch_fallback_share: {100 * stats.fallback_share:.1f} %")
    print(f"batch_groups: {stats.groups} groups")
    for what in ("group", "columns", "rules", "fallback", "outcomes"):
        print(f"batch_seconds_{what}: {stats.seconds[what]:.2f} s")
    sample = households[:args.scalar]
    start, cpu = time.perf_counter(), time.process_time()
    for a in sample:
        batch._outcomes(evaluate(a, base, today=AS_OF))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"batch_scalar_households_per_s: {len(sample) / elapsed:.0f} households/s")
    print(f"batch_scalar_cpu_households_per_s: {len(sample) / cpu:.0f} households/s")


if __name__ == "__main__":
    main()
