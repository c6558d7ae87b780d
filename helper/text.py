"""Marking texts for translation where they are defined, translating them where they are shown."""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a text for the catalog without translating it here."""
    return message
