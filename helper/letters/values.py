"""Values as a letter prints them (:class:`V`) and the small helpers that make them, shared by the builder
and the derived values (:mod:`helper.letters.derived`)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .. import municipality as muni
from . import templates as tpl
from .text import fill, placeholders
from .wareki import to_wareki


@dataclass(frozen=True)
class V:
    """A value as the Japanese letter prints it (ja) and as the translation shows it (text; a msgid when tr)."""

    ja: str
    text: str
    tr: bool = False
    sources: tuple[str, ...] = ()  # the fields it comes from (for the disclosure statement)


def lit(s: str, *sources: str) -> V:
    """A value printed as it is (a name, a number) in both the letter and the translation."""
    return V(s, s, False, sources)


def yen(n: int, *sources: str) -> V:
    return V(f"{n:,}円", f"¥{n:,}", False, sources)


def date(d: dt.date, *sources: str) -> V:
    """A date: 和暦 in the letter, ISO in the translation."""
    return V(to_wareki(d), d.isoformat(), False, sources)


def choice(table: str, code: str, *sources: str, fill_ja: dict[str, str] | None = None) -> V:
    """A coded answer from ``letters/vocabulary.yaml``: its Japanese, and its msgid for the translation."""
    c = tpl.vocabulary()[table][code]
    ja = fill(c.ja, fill_ja) if fill_ja and placeholders(c.ja) else c.ja
    return V(ja, c.text, True, sources)


EMPTY = V("", "", False)


def age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def add_months(day: dt.date, months: int) -> dt.date:
    """The last day of a period of ``months`` counted from the day after ``day`` (民法140条・143条2項): the same
    day number ``months`` later, or that month's last day when it has none."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def city_of(place: muni.Municipality) -> muni.Municipality | None:
    """The city a ward belongs to, the city itself, or None (a town, a village, a prefecture)."""
    if place.level == "ward" and place.parent:
        return muni.get(place.parent)
    if place.level == "city":
        return place
    return None


_JAPANESE_NATIONALITY = {"日本", "日本国", "japan", "にほん", "にっぽん", "ニホン", "ニッポン"}


def is_japanese_national(nationality: str | None) -> bool:
    """A nationality as typed that means Japan (日本, Japan, にほん …)."""
    return nationality is not None and nationality.strip().lower() in _JAPANESE_NATIONALITY
