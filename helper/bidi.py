"""Unicode bidirectional isolates for right-to-left languages (Arabic, Persian).

In an Arabic sentence a Japanese term, a date such as ``2026-12-04``, a phone number such as
``06-6308-9833`` or a postal code such as ``〒532-0023`` can be reordered by the bidirectional
algorithm: the digit groups come out in the wrong order, or a Japanese term jumps to the other end
of a line. Wrapping each such run in FIRST STRONG ISOLATE (U+2068) … POP DIRECTIONAL ISOLATE
(U+2069) keeps it in its own order (Unicode UAX #9, "isolates"), and is invisible otherwise.

API (pure functions, no Streamlit):

- ``isolate(text)`` wraps one whole text (a value put into a translated sentence) in FSI … PDI.
- ``isolate_runs(text)`` finds the Japanese runs, dates, phone numbers and postal codes inside a
  sentence and isolates each one.
- ``for_language(text, rtl)`` applies ``isolate_runs`` only where the language is right to left,
  returning left-to-right text unchanged.
- ``balance(lines)`` completes the isolates of each line of a text cut into lines (the PDF letters), so
  that an isolate cut by a line break still holds on both lines.

Both are idempotent: text already inside an isolate is left alone.
"""

from __future__ import annotations

import re

FSI = "\u2068"  # FIRST STRONG ISOLATE: direction taken from the first strong character inside
LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE
RLI = "\u2067"  # RIGHT-TO-LEFT ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
_OPENERS = FSI + LRI + RLI

# Japanese: kana, kanji (with the iteration mark 々 and 〆), the long-vowel mark, full-width forms, and
# the punctuation and digits that join them inside one term (大阪市淀川区東三国4-9-13, 保健福祉センター).
_JA = r"\u3005\u3006\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_JA_JOIN = r"0-9０-９\u30fb\u3000 ・\-－ー（）()「」『』、。〒"
# A Latin word written on to a Japanese term belongs to it (NPO法人): left out, it would be put on the other
# side of the isolate.
_LATIN = r"A-Za-z\u00c0-\u024fＡ-Ｚａ-ｚ"
_LATIN_BEFORE = rf"(?:[{_LATIN}][{_LATIN}0-9０-９]*)?"
_JAPANESE = rf"{_LATIN_BEFORE}[0-9０-９]*[{_JA}](?:[{_JA}{_JA_JOIN}]*[{_JA}0-9０-９）)」』])?"
_PAIRS = {")": "(", "）": "（", "」": "「", "』": "『"}
# Dates (2026-12-04, 2026/12/04, 2026年12月4日, 令和8年12月4日), phone numbers (06-6308-9833,
# 0120-123-456, +81 6 6308 9833), postal codes (〒532-0023, 532-0023) and other digit groups joined by
# "-", "/", "." or ":" (times, amounts with separators): anything whose parts the algorithm could swap.
_DIGITS = r"[0-9０-９]"
_GROUPED = rf"(?:〒\s?|\+)?{_DIGITS}+(?:[\-‐－/.:：\s]{_DIGITS}+)+"
_PATTERN = re.compile(rf"{_JAPANESE}|{_GROUPED}")


def _isolate_run(match: re.Match[str]) -> str:
    """One run isolated; a closing bracket at its end whose opening bracket is outside the run stays outside
    too (``(審査請求)``: both brackets belong to the sentence, which mirrors them as a pair)."""
    run, after = match.group(0), ""
    while run and run[-1] in _PAIRS and run.count(run[-1]) > run.count(_PAIRS[run[-1]]):
        run, after = run[:-1], run[-1] + after
    return isolate(run) + after


def isolate(text: str) -> str:
    """``text`` wrapped in FSI … PDI (empty text, or text already isolated, is returned as it is)."""
    if not text or (text[0] in _OPENERS and text.endswith(PDI)):
        return text
    return f"{FSI}{text}{PDI}"


def isolate_runs(text: str) -> str:
    """Every Japanese run, date, phone number and postal code in ``text`` wrapped in FSI … PDI.

    Runs already inside an isolate are left as they are, so the function can be applied twice.
    """
    out: list[str] = []
    depth = 0
    start = 0
    # Split the text into the parts outside any existing isolate, and only search those.
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            if depth == 0:
                out.append(_PATTERN.sub(_isolate_run, text[start:i]))
                start = i
            depth += 1
        elif ch == PDI and depth:
            depth -= 1
            if depth == 0:
                out.append(text[start:i + 1])
                start = i + 1
    tail = text[start:]
    out.append(tail if depth else _PATTERN.sub(_isolate_run, tail))
    return "".join(out)


def for_language(text: str, rtl: bool) -> str:
    """``isolate_runs(text)`` in a right-to-left language; ``text`` unchanged otherwise."""
    return isolate_runs(text) if rtl else text


def balance(lines: list[str]) -> list[str]:
    """``lines`` (one isolated text cut into lines) with every line's isolates complete: an isolate still open
    at the end of a line is closed there (PDI) and opened again, with the same mark, at the start of the
    next line. The bidirectional algorithm orders each printed line on its own; without this, the second half
    of a phone number cut after ``+81 6`` would come out with its groups swapped."""
    out: list[str] = []
    still_open: list[str] = []
    for line in lines:
        opened = list(still_open)
        for ch in line:
            if ch in _OPENERS:
                opened.append(ch)
            elif ch == PDI and opened:
                opened.pop()
        out.append("".join(still_open) + line + PDI * len(opened))
        still_open = opened
    return out


def has_isolates(text: str) -> bool:
    return any(c in text for c in _OPENERS)


def strip(text: str) -> str:
    """``text`` without isolate marks (to compare or to search displayed text)."""
    return text.translate({ord(c): None for c in _OPENERS + PDI})
