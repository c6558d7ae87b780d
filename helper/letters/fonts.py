"""The vendored letter fonts (``fonts/``) and which one draws which character.

Nothing comes from the system: the PDF embeds subsets of these files, so it shows the right glyphs on a
machine without Japanese (or Burmese, Arabic …) fonts. Licences: ``fonts/IPA_Font_License_Agreement_v1.0.txt``
(IPAex明朝) and ``fonts/OFL.txt`` (Noto).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"


@dataclass(frozen=True, slots=True)
class LetterFont:
    key: str  # fpdf2 family name
    file: str
    complex: bool  # a script that needs shaping with joiners inside the same font run
    ranges: tuple[tuple[int, int], ...] = ()  # the script's own block(s), to pick the font for a line


FONTS: tuple[LetterFont, ...] = (
    LetterFont("mincho", "ipaexm.ttf", False),
    LetterFont("serif", "NotoSerif-Regular.ttf", False),
    LetterFont("arabic", "NotoNaskhArabic-Regular.ttf", True,
               ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
    LetterFont("myanmar", "NotoSansMyanmar-Regular.ttf", True, ((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F))),
    LetterFont("devanagari", "NotoSansDevanagari-Regular.ttf", True, ((0x0900, 0x097F), (0xA8E0, 0xA8FF))),
    LetterFont("tamil", "NotoSansTamil-Regular.ttf", True, ((0x0B80, 0x0BFF),)),
    LetterFont("sinhala", "NotoSansSinhala-Regular.ttf", True, ((0x0D80, 0x0DFF),)),
    LetterFont("ethiopic", "NotoSansEthiopic-Regular.ttf", False,
               ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F))),
)
BY_KEY = {f.key: f for f in FONTS}
# Characters that take the font of their neighbours and need no glyph of their own.
INVISIBLE = frozenset("\u200c\u200d\n") | frozenset(chr(c) for c in range(0xFE00, 0xFE10)) | frozenset(
    chr(c) for c in range(0xE0100, 0xE01F0)
)


def path(font: LetterFont) -> Path:
    return FONT_DIR / font.file


@cache
def cmap(key: str) -> frozenset[int]:
    """The code points a font has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(path(BY_KEY[key]), lazy=True) as tt:
        return frozenset(tt["cmap"].getBestCmap())


@lru_cache(maxsize=4096)
def _covered(ch: str) -> bool:
    cp = ord(ch)
    return ch in INVISIBLE or any(cp in cmap(f.key) for f in FONTS)


def unprintable(text: str) -> list[str]:
    """Characters of ``text`` that no letter font can draw (they would print as empty boxes)."""
    seen: list[str] = []
    for ch in text:
        if not _covered(ch) and ch not in seen:
            seen.append(ch)
    return seen


@lru_cache(maxsize=16384)
def script_font(ch: str) -> LetterFont | None:
    """The font of a complex or non-CJK script that ``ch`` belongs to, if any. Cached: line breaking asks
    for every character of every candidate line (hundreds of thousands of calls per letter)."""
    cp = ord(ch)
    for f in FONTS:
        for lo, hi in f.ranges:
            if lo <= cp <= hi:
                return f
    return None


def fonts_for(text: str, base: str) -> list[str]:
    """The fonts (keys) needed to draw ``text`` with ``base`` as the main font."""
    needed = {base}
    for ch in set(text):
        if ch in INVISIBLE or ch.isspace():
            continue
        f = script_font(ch)
        if f is not None:
            needed.add(f.key)
        elif ord(ch) not in cmap(base):
            for g in FONTS:
                if ord(ch) in cmap(g.key):
                    needed.add(g.key)
                    break
    return [f.key for f in FONTS if f.key in needed]


# Lines hold the person's name, address and story: never cached (a cache would keep them in the process after
# the session ends). The per-character lookups below them are cached instead.
def line_font(line: str, base: str) -> str:
    """The main font for one line: the font of the first complex script in it (so that joiners such as
    ZWJ/ZWNJ and marks are shaped in the same font as their letters), else ``base`` when it draws
    every character, else the Latin font (Vietnamese and other diacritics)."""
    for ch in line:
        f = script_font(ch)
        if f is not None and f.complex:
            return f.key
    base_map = cmap(base)
    if all(ord(ch) in base_map or ch in INVISIBLE or ch.isspace() for ch in line):
        return base
    if base == "mincho":
        serif = cmap("serif")
        latinish = [ch for ch in line if ord(ch) not in base_map and not ch.isspace() and ch not in INVISIBLE]
        if latinish and all(ord(ch) in serif for ch in latinish):
            return "serif"
    return base


@lru_cache(maxsize=8192)
def _complex_char(ch: str) -> bool:
    f = script_font(ch)
    return (f is not None and f.complex) or ch in "\u200c\u200d" or unicodedata.category(ch) in ("Mn", "Mc", "Me")


def needs_shaping(text: str) -> bool:
    """Whether a line needs HarfBuzz: complex scripts (Arabic, Burmese, Indic), joiners, combining marks."""
    return any(_complex_char(ch) for ch in text)


_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def has_rtl(text: str) -> bool:
    """Whether a line has right-to-left letters (Arabic, Persian, Kurdish Sorani, Hebrew …)."""
    return bool(_RTL.search(text))


def segments(line: str, base: str) -> list[tuple[str, str]]:
    """Split a left-to-right line into runs drawn with one font each: every run of a complex script (with its
    spaces, joiners and marks) in that script's font, the rest in ``base`` (or the Latin font, see
    :func:`line_font`). Digits, brackets and Japanese around a Burmese or Arabic name then keep the letter's
    font instead of the name's."""
    return list(_segments(line, base))


def _segments(line: str, base: str) -> tuple[tuple[str, str], ...]:
    # not cached (a line is the person's text; see line_font): the PDF caches its measured widths per document
    keys: list[str | None] = []
    for ch in line:
        f = script_font(ch)
        keys.append(f.key if f is not None and f.complex else None)
    # spaces, joiners and marks between two characters of the same script belong to that script's run
    resolved = list(keys)
    n = len(line)
    for i, ch in enumerate(line):
        if keys[i] is None and (ch.isspace() or ch in "\u200c\u200d" or unicodedata.category(ch)[0] == "M"):
            before = next((keys[j] for j in range(i - 1, -1, -1) if keys[j] is not None or not (
                line[j].isspace() or line[j] in "\u200c\u200d" or unicodedata.category(line[j])[0] == "M")), None)
            after = next((keys[j] for j in range(i + 1, n) if keys[j] is not None or not (
                line[j].isspace() or line[j] in "\u200c\u200d" or unicodedata.category(line[j])[0] == "M")), None)
            if before is not None and before == after:
                resolved[i] = before
    out: list[tuple[str, str]] = []
    start = 0
    for i in range(1, n + 1):
        if i == n or resolved[i] != resolved[start]:
            text = line[start:i]
            key = resolved[start]
            out.append((text, key if key is not None else line_font(text, base)))
            start = i
    return tuple(out)
