"""Dates in the Japanese calendar (和暦): 令和8年11月29日, with 元年 for year one.

The era table is data (``letters/eras.yaml``), not code: a new era is one line there.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import strict_yaml


def N_(message: str) -> str:
    """Marks a message for extraction into the gettext catalogs."""
    return message


class DateError(ValueError):
    """A date that cannot be read: ``message`` is an English msgid filled from ``params``."""

    def __init__(self, message: str, **params: str) -> None:
        text = message
        for key, value in params.items():
            text = text.replace("{" + key + "}", value)
        super().__init__(text)
        self.message = message
        self.params = params


ERAS_FILE = Path(__file__).resolve().parents[2] / "letters" / "eras.yaml"


@dataclass(frozen=True, slots=True)
class Era:
    name: str  # 令和
    initial: str  # R
    first_year: int  # Gregorian year of 元年
    start: dt.date  # first day the era is used for (Gregorian)


@lru_cache(maxsize=1)
def eras() -> tuple[Era, ...]:
    return load_eras(ERAS_FILE)


def load_eras(path: Path) -> tuple[Era, ...]:
    """The era table of ``path``; a :class:`helper.strict_yaml.YamlError` (a ValueError) names the line."""
    doc = strict_yaml.read(path)
    data = doc.data
    if not isinstance(data, dict) or data.get("kind") != "eras" or data.get("schema_version") != 1:
        raise strict_yaml.YamlError("expected schema_version 1 and kind eras", doc.line_of(()), ())
    rows = data.get("eras")
    if not isinstance(rows, list) or not rows:
        raise strict_yaml.YamlError("expected a list of eras", doc.line_of(("eras",)), ("eras",))
    out = []
    for i, row in enumerate(rows):
        start = row.get("from") if isinstance(row, dict) else None
        if not isinstance(start, dt.date) or not isinstance(row.get("first_year"), int) or not row.get(
                "name") or not row.get("initial"):
            raise strict_yaml.YamlError(f"bad era {row!r}: give name, initial, first_year and from (a date)",
                                        doc.line_of(("eras", i)), ("eras", i))
        out.append(Era(str(row["name"]), str(row["initial"]), row["first_year"], start))
    out.sort(key=lambda e: e.start)
    return tuple(out)


def era_of(day: dt.date) -> Era:
    """The era in force on ``day``. Raises ValueError before the first era in the table."""
    found = None
    for era in eras():
        if day >= era.start:
            found = era
    if found is None:
        raise DateError(N_("dates before {date} cannot be written in 和暦"), date=eras()[0].start.isoformat())
    return found


def year_text(era: Era, year: int) -> str:
    return f"{era.name}{'元' if year == 1 else year}年"


def to_wareki(day: dt.date) -> str:
    """``2026-11-29`` -> ``令和8年11月29日``; ``2019-05-01`` -> ``令和元年5月1日``."""
    era = era_of(day)
    return f"{year_text(era, day.year - era.first_year + 1)}{day.month}月{day.day}日"


def to_wareki_month(year: int, month: int) -> str:
    era = era_of(dt.date(year, month, 1))
    return f"{year_text(era, year - era.first_year + 1)}{month}月"


def fiscal_year_text(year: int) -> str:
    """The fiscal year starting in April of ``year``: ``令和8年度``."""
    era = era_of(dt.date(year, 4, 1) if year != 2019 else dt.date(2019, 5, 1))
    return f"{year_text(era, year - era.first_year + 1)}度"


def calendar_year_text(year: int) -> str:
    """A calendar year, named by the era at its end: ``令和7年`` (2025); 2019 is ``令和元年``."""
    era = era_of(dt.date(year, 12, 31))
    return f"{year_text(era, year - era.first_year + 1)}"


_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = r"(?:[0-9]+|[〇零一二三四五六七八九十百千]+)"


def kanji_number(text: str) -> int:
    """``二十九`` -> 29, ``二〇二六`` -> 2026, ``29`` -> 29."""
    if text.isdigit():
        return int(text)
    if not any(ch in _KANJI_UNITS for ch in text):
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in text))
    total, digit = 0, None
    for ch in text:
        if ch in _KANJI_DIGITS:
            digit = _KANJI_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _KANJI_UNITS[ch]
            digit = None
    return total + (digit or 0)


_WAREKI = re.compile(
    rf"(?P<era>[^\W\d_]{{1,2}}?)\s*(?P<y>元|{_NUMBER})\s*(?:年|[./\-])\s*(?P<m>{_NUMBER})\s*(?:月|[./\-])\s*"
    rf"(?P<d>{_NUMBER})\s*日?"
)
_WESTERN = re.compile(rf"(?P<y>{_NUMBER})\s*(?:年|[./\-])\s*(?P<m>{_NUMBER})\s*(?:月|[./\-])\s*(?P<d>{_NUMBER})\s*日?")


def parse_date(text: str) -> dt.date:
    """Read a date written as ``2026-11-29``, ``2026/11/29``, ``2026年11月29日``, ``令和8年11月29日``,
    ``令和元年5月1日``, ``R8.11.29``, ``平成31年4月30日`` or with full-width or kanji numerals.

    A 和暦 date must fall inside its era: ``平成31年5月1日`` does not exist (令和 began on 2019-05-01).
    Raises ValueError with an English message.
    """
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    m = _WESTERN.fullmatch(s)
    if m:
        return _checked_date(kanji_number(m["y"]), kanji_number(m["m"]), kanji_number(m["d"]))
    m = _WAREKI.fullmatch(s)
    if not m:
        raise DateError(N_("not a date: write it as 2026-11-29 or 令和8年11月29日"))
    token = m["era"].upper() if m["era"].isascii() else m["era"]
    era = next((e for e in eras() if token in (e.name, e.initial)), None)
    if era is None:
        raise DateError(N_("unknown era: use 令和, 平成, 昭和, 大正 or 明治 (or R, H, S, T, M)"))
    year = 1 if m["y"] == "元" else kanji_number(m["y"])
    if year < 1:
        raise DateError(N_("an era year starts at 1 (元年)"))
    day = _checked_date(era.first_year + year - 1, kanji_number(m["m"]), kanji_number(m["d"]))
    later = [e for e in eras() if e.start > era.start]
    if day < era.start or (later and day >= later[0].start):
        if later:
            raise DateError(N_("{era} runs from {start} to {end}: this date does not exist"), era=era.name,
                            start=era.start.isoformat(), end=(later[0].start - dt.timedelta(days=1)).isoformat())
        raise DateError(N_("{era} began on {start}: this date does not exist"), era=era.name,
                        start=era.start.isoformat())
    return day


def _checked_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(N_("no such date: check the day and the month")) from exc  # (the value is not echoed)
