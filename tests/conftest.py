from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helper.rules.loader import RuleBase, load_rules

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"


@pytest.fixture(scope="session")
def rules() -> RuleBase:
    return load_rules(RULES, today=dt.date(2026, 11, 29))
