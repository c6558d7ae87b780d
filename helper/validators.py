"""Checks for what people type into letters (see docs/privacy.md, 4.2–4.5).

Each check takes what was typed (or read from an answers file) and returns the normalised value,
or raises :class:`FieldError` whose ``message`` is an English msgid with ``{placeholders}`` filled
from ``params`` (so the app can translate it). Everything is offline: a residence card number is
checked for its format only and is never sent anywhere (never to an immigration service).

Text rules:
- NFC normalisation; U+200B, U+2060, U+FEFF and soft hyphens are dropped (invisible, never needed);
- bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) are rejected: they can
  visually reorder the rest of a line (Trojan Source, CVE-2021-42574);
- ZWNJ (U+200C) and ZWJ (U+200D) are kept between letters and marks (Persian, Sinhala, Devanagari
  need them) and dropped elsewhere;
- other control, format, private-use, surrogate and unassigned characters are rejected;
- a character that none of the letter fonts can draw is rejected (it would print as an empty box);
- lengths are bounded so that a letter stays within its page budget.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from .letters.wareki import DateError, parse_date


def N_(message: str) -> str:
    """Marks a message for extraction into the gettext catalogs; translated where it is shown."""
    return message

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
DROPPED = frozenset("\u200b\u2060\ufeff\u00ad\u180e")
JOINERS = frozenset("\u200c\u200d")
HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc\uff70\u2043\ufe63"
_HYPHEN_RE = re.compile(f"[{re.escape(HYPHENS)}]")


class FieldError(ValueError):
    """A value that cannot go into a letter. ``message`` is an English msgid; ``params`` fill it."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = {k: str(v) for k, v in params.items()}
        super().__init__(self.text())

    def text(self, gettext: Callable[[str], str] | None = None) -> str:
        template = gettext(self.message) if gettext else self.message
        out = template
        for key, value in self.params.items():
            out = out.replace("{" + key + "}", value)
        return out


def _codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _is_letter_or_mark(ch: str | None) -> bool:
    return ch is not None and unicodedata.category(ch)[0] in "LM"


def text(
    value: Any,
    *,
    max_length: int = 200,
    multiline: bool = False,
    max_lines: int = 12,
    printable: bool = True,
) -> str:
    """Clean free text (see the module docstring). Empty after cleaning is an error."""
    if not isinstance(value, str):
        raise FieldError(N_("expected text"))
    s = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    out: list[str] = []
    for i, ch in enumerate(s):
        if ch in BIDI_CONTROLS:
            raise FieldError(
                N_("contains an invisible direction-control character ({code}) that could reorder the text; remove it"),
                code=_codepoint(ch),
            )
        if ch in DROPPED:
            continue
        if ch in JOINERS:
            before = out[-1] if out else None
            after = s[i + 1] if i + 1 < len(s) else None
            if _is_letter_or_mark(before) and _is_letter_or_mark(after):
                out.append(ch)
            continue
        if ch in "\n\u2028\u2029":
            if not multiline:
                raise FieldError(N_("must be on one line"))
            out.append("\n")
            continue
        if ch == "\t":
            out.append(" ")
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
            raise FieldError(N_("contains a character that cannot be printed ({code})"), code=_codepoint(ch))
        out.append(ch)
    s = "".join(out)
    if multiline:
        lines = [line.strip(" \u3000") for line in s.split("\n")]
        s = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
        if s.count("\n") + 1 > max_lines:
            raise FieldError(N_("has more than {max} lines"), max=max_lines)
    else:
        s = s.strip(" \u3000")
    if not s:
        raise FieldError(N_("is empty"))
    if len(s) > max_length:
        raise FieldError(N_("is longer than {max} characters"), max=max_length)
    if printable:
        from .letters.fonts import unprintable

        bad = unprintable(s)
        if bad:
            raise FieldError(
                N_("contains a character that the letter fonts cannot print ({code}); write it another way"),
                code=", ".join(_codepoint(c) for c in bad[:3]),
            )
    return s


def name(value: Any, *, max_length: int = 100) -> str:
    """A person's name in any script, as on the residence card or passport."""
    s = text(value, max_length=max_length)
    if not any(unicodedata.category(ch)[0] == "L" for ch in s):
        raise FieldError(N_("must contain letters"))
    return s


def kana(value: Any, *, max_length: int = 100) -> str:
    """A reading (フリガナ) in katakana or hiragana, with spaces, ・ and ー."""
    s = text(value, max_length=max_length)
    if not re.fullmatch(r"[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f ・\u3000ー゛゜]+", s):
        raise FieldError(N_("must be written in katakana or hiragana"))
    return unicodedata.normalize("NFKC", s) if re.search(r"[\uff66-\uff9f]", s) else s


def postal_code(value: Any) -> str:
    """``〒５３２－００２３`` or ``5320023`` -> ``532-0023`` (format only: Japan Post's table is not consulted)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:07d}"
    if not isinstance(value, str):
        raise FieldError(N_("expected text"))
    s = unicodedata.normalize("NFKC", value).replace("〒", "").strip()
    s = _HYPHEN_RE.sub("-", s).replace(" ", "")
    m = re.fullmatch(r"([0-9]{3})-?([0-9]{4})", s)
    if not m:
        raise FieldError(N_("is not a postal code: write 7 digits, such as 532-0023"))
    return f"{m[1]}-{m[2]}"


def phone(value: Any) -> str:
    """A phone number in Japan (the 総務省 numbering plan), returned with ASCII hyphens.

    Landlines have 10 digits (0 + 9); mobile (070/080/090), IP (050) and 020 numbers 11; 0120 and 0570
    numbers 10; 0800 numbers 11. ``+81`` is turned into a leading 0. The person's own grouping is kept;
    without hyphens, numbers whose grouping is fixed are grouped.
    """
    if not isinstance(value, str):
        raise FieldError(N_("expected text"))
    s = unicodedata.normalize("NFKC", value).strip()
    s = _HYPHEN_RE.sub("-", s)
    s = re.sub(r"[ ()]+", "-", s).strip("-")
    s = re.sub(r"-{2,}", "-", s)
    if s.startswith("+"):
        if not s.startswith("+81"):
            raise FieldError(N_("give a phone number in Japan"))
        s = "0" + s[3:].lstrip("-")
    if not re.fullmatch(r"[0-9]+(?:-[0-9]+){0,3}", s):
        raise FieldError(N_("is not a phone number: use digits and hyphens, such as 06-1234-5678"))
    digits = s.replace("-", "")
    if not digits.startswith("0") or digits.startswith("00"):
        raise FieldError(N_("is not a phone number in Japan: it must start with 0, such as 06-1234-5678"))
    if re.match(r"0[2789]0", digits) or digits.startswith("050") or digits.startswith("0800"):
        expected = 11
    else:
        expected = 10
    if len(digits) != expected:
        raise FieldError(N_("is not a phone number in Japan: this kind of number has {n} digits"), n=expected)
    if "-" in s and not all(s.split("-")):
        raise FieldError(N_("is not a phone number: use digits and hyphens, such as 06-1234-5678"))
    if "-" in s:
        return s
    if expected == 11 and not digits.startswith("0800"):
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if digits.startswith("0800"):
        return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"
    if digits.startswith(("0120", "0570")):
        return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"
    return digits  # a landline: the area code's length varies, so keep the digits as typed


def date(value: Any, *, earliest: dt.date | None = None, latest: dt.date | None = None) -> dt.date:
    """A date: a ``datetime.date``, ISO text, ``2026/11/29``, ``2026年11月29日`` or 和暦 (``令和元年5月1日``)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        try:
            day = parse_date(value)
        except DateError as exc:
            raise FieldError(exc.message, **exc.params) from None
    else:
        raise FieldError(N_("expected a date"))
    if earliest and day < earliest:
        raise FieldError(N_("must not be before {date}"), date=earliest.isoformat())
    if latest and day > latest:
        raise FieldError(N_("must not be after {date}"), date=latest.isoformat())
    return day


def birth_date(value: Any, *, today: dt.date | None = None) -> dt.date:
    return date(value, earliest=dt.date(1900, 1, 1), latest=today or dt.date.today())


def residence_card_number(value: Any) -> str:
    """在留カード / 特別永住者証明書 number: 2 letters, 8 digits, 2 letters (``AB12345678CD``).

    Format only, offline. Never look a number up with the Immigration Services Agency.
    """
    if not isinstance(value, str):
        raise FieldError(N_("expected text"))
    s = unicodedata.normalize("NFKC", value).upper()
    s = _HYPHEN_RE.sub("", s).replace(" ", "")
    if not re.fullmatch(r"[A-Z]{2}[0-9]{8}[A-Z]{2}", s):
        raise FieldError(N_("is not a residence card number: 2 letters, 8 digits and 2 letters, such as AB12345678CD"))
    return s


def individual_number(value: Any) -> str:
    """個人番号 (My Number): 12 digits whose last is the check digit (番号法施行令8条; spaces and hyphens
    allowed). Format only, offline."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise FieldError(N_("expected text"))
    s = unicodedata.normalize("NFKC", str(value))
    s = _HYPHEN_RE.sub("", s).replace(" ", "")
    if not re.fullmatch(r"[0-9]{12}", s):
        raise FieldError(N_("is not an individual number: 12 digits"))
    digits = [int(c) for c in s[:11]][::-1]  # P1 is the digit next to the check digit
    total = sum(p * (n + 1 if n <= 6 else n - 5) for n, p in enumerate(digits, start=1))
    check = 0 if total % 11 <= 1 else 11 - total % 11
    if check != int(s[11]):
        raise FieldError(N_("is not an individual number: the last digit does not match (check for a typing error)"))
    return s


def yen(value: Any, *, maximum: int = 1_000_000_000) -> int:
    """An amount in yen: ``20000``, ``20,000``, ``２万円``, ``¥20,000`` -> 20000."""
    if isinstance(value, bool):
        raise FieldError(N_("expected an amount in yen"))
    if isinstance(value, int):
        n = value
    elif isinstance(value, str):
        s = unicodedata.normalize("NFKC", value).strip().replace(",", "").replace(" ", "")
        s = s.removeprefix("¥").removesuffix("円").removesuffix("yen")
        m = re.fullmatch(r"(?:([0-9]+)万)?([0-9]*)", s)
        if not m or not (m[1] or m[2]):
            raise FieldError(N_("is not an amount in yen: write digits, such as 20000"))
        n = int(m[1] or 0) * 10_000 + int(m[2] or 0)
    else:
        raise FieldError(N_("expected an amount in yen"))
    if n < 0 or n > maximum:
        raise FieldError(N_("must be between 0 and {max} yen"), max=f"{maximum:,}")
    return n


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "on"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no", "0", "off"):
        return False
    raise FieldError(N_("expected yes or no"))


def year(value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not 2000 <= value <= 2100:
        raise FieldError(N_("expected a year such as 2026"))
    return value


def whole_number(value: Any, *, minimum: int = 0, maximum: int = 99) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
        raise FieldError(N_("expected a whole number from {min} to {max}"), min=minimum, max=maximum)
    return value
