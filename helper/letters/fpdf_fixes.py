"""Two corrections to fpdf2 2.8 (``fpdf2>=2.8.9,<2.9``) for joiners and combining marks in shaped text.

fpdf2 splits a line into fragments before HarfBuzz shapes each fragment on its own; two of its rules split
where a script must stay in one piece:

1. **Script runs** (``FPDF._parse_chars``): a new fragment starts at every character whose Unicode script is
   *Inherited* — combining marks (the Arabic shadda and vowel signs: تسلّم, قدّم), ZERO WIDTH JOINER and ZERO
   WIDTH NON-JOINER. The letters around a shadda lose their joining, and Sinhala conjuncts made with ZWJ
   (ශ්‍රී, ක්‍ෂ, ප්‍ර) do not form: HarfBuzz never sees the virama, the ZWJ and the consonant together. In
   UAX #24 an Inherited character takes the script of the character before it, which to fpdf2's splitting
   is the same as *Common* (no new fragment).
2. **Bidi levels of joiners** (``BidiParagraph``): fpdf2 keeps boundary-neutral characters (class BN: ZWJ,
   ZWNJ) at the paragraph's level instead of their neighbours', so a Persian name with ZWNJ (محمد‌رضا) in a
   left-to-right Japanese line became three fragments — محمد, the ZWNJ, رضا — laid out left to right: the
   words swapped. A retained BN gets the level of the character before it (UAX #9, 5.2 "Retaining BNs and
   Explicit Formatting Characters"), or of the one after it at the start of a paragraph.

:func:`apply` installs both, once per process; they change nothing for text without such characters.
"""

from __future__ import annotations

from functools import cache
from typing import Any

_APPLIED = False


def _script_runs() -> None:
    import fpdf.fpdf as fpdf_module
    from fpdf.unicode_script import UnicodeScript, get_unicode_script

    @cache
    def script(char: str) -> UnicodeScript:
        found = get_unicode_script(char)
        return UnicodeScript.COMMON if found == UnicodeScript.INHERITED else found

    fpdf_module.get_unicode_script = script  # FPDF.output() calls cache_clear()


def _joiner_levels() -> None:
    from fpdf.bidi import BidiParagraph

    split = BidiParagraph.split_bidi_fragments

    def split_bidi_fragments(self: Any) -> Any:
        chars = self.characters
        first = next((c for c in chars if c.original_bidi_class != "BN"), None)
        level = first.embedding_level if first is not None else None  # joiners at the start: the next level
        for c in chars:
            if c.original_bidi_class != "BN":
                level = c.embedding_level
            elif level is not None:
                c.embedding_level = level
        return split(self)

    BidiParagraph.split_bidi_fragments = split_bidi_fragments  # type: ignore[method-assign]


def apply() -> None:
    global _APPLIED
    if _APPLIED:
        return
    _script_runs()
    _joiner_levels()
    _APPLIED = True
