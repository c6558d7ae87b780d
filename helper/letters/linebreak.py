"""Line breaking for Japanese (禁則処理) and for the translations.

Rules (JIS X 4051, simplified):
- no line starts with a closing bracket, a full stop or comma, a small kana, the long-vowel mark or an
  iteration mark (行頭禁則);
- no line ends with an opening bracket (行末禁則);
- a run of non-CJK characters (a Latin word, a number such as 20,000 or 06-1234-5678, a word in Burmese
  or Arabic) is not split unless it is longer than a whole line; then it is split between grapheme
  clusters, never inside one;
- the offending character is carried to the next line together with the one before it (追い出し).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

# 行頭禁則: characters that must not start a line.
NO_LINE_START = frozenset(
    "、。，．,.:;：；!?！？‼⁇⁈⁉・･"
    ")）]］}｝〕〉》」』】〙〗〟’”｠»›"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｯｬｭｮ"
    "ー－～〜ｰ‐゠–"
    "ヽヾゝゞ々〻"
    "％%‰℃°′″"
)
# 行末禁則: characters that must not end a line.
NO_LINE_END = frozenset("(（[［{｛〔〈《「『【〘〖〝‘“｟«‹" "〒¥￥$＄£€#＃№")

# Counters and units stay with the number before them: 201号, 5,000円, 34歳, 8年, 11月, 29日, 2-3-3番.
UNITS = frozenset("号円歳年月日条項階番人室棟分時")
VIRAMAS = frozenset("\u1039\u094d\u0dca\u0bcd")  # a following consonant belongs to the same cluster


def is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x3000 <= cp <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFF00 <= cp <= 0xFFEF  # full-width forms
        or 0x31F0 <= cp <= 0x31FF
        or 0x20000 <= cp <= 0x3FFFF
        or 0x3200 <= cp <= 0x33FF  # enclosed CJK, compatibility
    )


def _attaches(ch: str) -> bool:
    """A character that belongs to the character before it (marks, joiners, variation selectors)."""
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in "\u200c\u200d" or 0xFE00 <= ord(ch) <= 0xFE0F \
        or 0xE0100 <= ord(ch) <= 0xE01EF


def clusters(text: str) -> list[str]:
    """Split into grapheme-like clusters: a base character with its marks, joiners and virama-joined consonants."""
    out: list[str] = []
    for ch in text:
        if out and (_attaches(ch) or out[-1][-1] in VIRAMAS or out[-1][-1] == "\u200d"):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def atoms(text: str) -> list[str]:
    """Units that may not be split: one CJK character (with its marks), a run of other non-space characters,
    or one space."""
    out: list[str] = []
    for cl in clusters(text):
        ch = cl[0]
        if ch.isspace():
            out.append(cl)
        elif is_cjk(ch):
            if ch in UNITS and out and out[-1][-1].isdigit() and not is_cjk(out[-1][0]):
                out[-1] += cl
            else:
                out.append(cl)
        elif out and not out[-1][0].isspace() and not is_cjk(out[-1][-1]) and not is_cjk(out[-1][0]):
            out[-1] += cl
        else:
            out.append(cl)
    return out


def _first(atom: str) -> str:
    return atom[0]


def _last(atom: str) -> str:
    # the last base character (skip marks)
    for ch in reversed(atom):
        if not _attaches(ch):
            return ch
    return atom[-1]


def wrap(text: str, width: float, measure: Callable[[str], float], *, first_width: float | None = None) -> list[str]:
    """Break ``text`` (one paragraph, no newlines) into lines no wider than ``width``.

    ``first_width`` is the width of the first line when it differs (hanging indents).
    """
    units: list[str] = []
    for a in atoms(text):
        if not a[0].isspace() and measure(a) > min(width, first_width or width):
            units.extend(_split_long(a, min(width, first_width or width), measure))
        else:
            units.append(a)
    lines: list[list[str]] = []
    current: list[str] = []
    used = 0.0

    def limit() -> float:
        return first_width if (first_width is not None and not lines) else width

    for unit in units:
        w = measure(unit)
        if unit[0].isspace() and not current and lines:
            continue  # a space at the start of a wrapped line disappears
        if not current or used + w <= limit() or unit[0].isspace():
            current.append(unit)
            used += w
            continue
        carry = [unit]
        # 追い出し: carry characters back until the new line starts and the old one ends legally.
        while len(current) > 1 and (
            _first(carry[0]) in NO_LINE_START or _last(current[-1]) in NO_LINE_END or current[-1][0].isspace()
        ):
            if current[-1][0].isspace():
                current.pop()
                continue
            carry.insert(0, current.pop())
        lines.append(current)
        current = [u for u in carry]
        while current and current[0][0].isspace():
            current.pop(0)
        used = sum(measure(u) for u in current)
    if current or not lines:
        lines.append(current)
    return ["".join(line).rstrip(" ") for line in lines]


def _split_long(atom: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Split a word that is longer than a line between clusters."""
    pieces: list[str] = []
    piece = ""
    for cl in clusters(atom):
        if piece and measure(piece + cl) > width:
            pieces.append(piece)
            piece = cl
        else:
            piece += cl
    if piece:
        pieces.append(piece)
    return pieces
