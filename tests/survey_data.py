"""A generated survey of anonymised answers (no person in it), for the survey and petition tests."""

from __future__ import annotations

import random

COLUMNS = ["municipality", "as_of", "person.residence_status", "person.refugee_procedure", "person.age",
           "household.size", "household.monthly_income", "household.savings", "household.housing",
           "household.monthly_rent", "needs.medical_care", "needs.urgent"]
STATUSES = [("provisional_release", "none"), ("provisional_release", "applicant"), ("permanent_resident", "none"),
            ("long_term_resident", "recognised"), ("supervision_measures", "none"), ("temporary_visitor", "none")]
WEIGHTS = [40, 25, 20, 8, 5, 2]  # a few statuses are rare: their cells are small and must be hidden


def survey_csv(n: int = 500, seed: int = 10, bad_row: int | None = None) -> str:
    """``n`` rows of CSV; ``bad_row`` (1 = the first row after the header) gets an age that is not a number."""
    rng = random.Random(seed)
    lines = [",".join(COLUMNS)]
    for i in range(1, n + 1):
        status, procedure = rng.choices(STATUSES, WEIGHTS)[0]
        place = "27100" if rng.random() < 0.9 else "11203"
        day = "2026-11-02" if rng.random() < 0.8 else "2026-08-03"
        age = "x" if i == bad_row else str(rng.randint(18, 70))
        income = rng.choice(["0", "0", "50000", "120000"])
        lines.append(",".join([place, day, status, procedure, age, str(rng.randint(1, 4)), income,
                               rng.choice(["0", "10000"]), "renting", "40000", rng.choice(["true", "false"]),
                               "true"]))
    return "\n".join(lines) + "\n"
