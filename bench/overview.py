"""Benchmark of the campaign page's overview: one status and one programme in every municipality.

Target (issue 10): overview_all_municipalities_s <= 2 (the slowest of the three core programmes, on a fresh
rule base, so that compiling every layer's rule set is counted; the scalar engine, places that read the same
rules and table rows evaluated once). Prints one ``name: value unit`` line per figure.
Run: ``python bench/overview.py``.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helper import campaign  # noqa: E402
from helper.rules.loader import load_rules  # noqa: E402

AS_OF = dt.date(2026, 12, 1)
CASES = (("仮放免", "welfare"), ("特定活動 (難民申請中, 6か月)", "public_housing"), ("仮滞在 (難民申請中)", "nhi"))


def overview_s(label: str, programme: str) -> tuple[float, int, int]:
    base = load_rules(ROOT / "rules", compile_all=False, include_tests=False)
    start = time.perf_counter()
    ov = campaign.overview(base, label, programme, AS_OF)
    return time.perf_counter() - start, len(ov["rows"]), ov["evaluations"]


def main() -> None:
    figures = [overview_s(label, programme) for label, programme in CASES]
    worst = max(figures)
    print(f"overview_all_municipalities_s: {worst[0]:.2f} s")
    print(f"overview_places: {worst[1]} places")
    print(f"overview_evaluations: {worst[2]} evaluations")


if __name__ == "__main__":
    main()
