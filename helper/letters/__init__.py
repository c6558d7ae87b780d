"""Request letters to Japanese offices, in Japanese, with a translation the applicant can read (issue 4).

- :func:`build_letter` (kind, answers, overrides) -> :class:`Letter`: every field, the Japanese paragraphs
  with their English glosses (gettext msgids), the addressee and a plain statement of what the letter
  discloses;
- :func:`render_pdf` (letter, lang, gettext) -> bytes: A4, embedded subset fonts, Japanese line breaking,
  then the translation for understanding and the delivery guidance;
- :func:`render_docx` (letter) -> bytes: the Japanese letter for editing;
- :func:`editable_fields` (kind) -> the fields with their validators.

Templates are data in ``letters/`` (see :mod:`helper.letters.templates`).
"""

from __future__ import annotations

from typing import Any

from .builder import (
    Contradiction,
    FieldSpec,
    LetterError,
    LetterInputError,
    MissingFacts,
    UnknownKind,
    build_letter,
    editable_fields,
    field_spec,
    validate_field,
)
from .model import Addressee, Letter, LetterField, Message, Paragraph
from .templates import kinds

__all__ = [
    "Addressee", "Contradiction", "FieldSpec", "Letter", "LetterError", "LetterField", "LetterInputError", "Message",
    "MissingFacts", "Paragraph", "UnknownKind", "build_letter", "editable_fields", "field_spec", "kinds",
    "render_docx", "render_pdf", "validate_field",
]


def render_pdf(letter: Letter, lang: str = "ja", gettext: Any = None) -> bytes:
    """The PDF: the Japanese letter to submit, then (unless ``lang`` is Japanese) the translation for
    understanding, then how to submit. ``gettext`` translates the English msgids into ``lang``."""
    from .pdf import render_pdf as _render

    return _render(letter, lang, gettext)


def render_docx(letter: Letter) -> bytes:
    """The Japanese letter as an editable DOCX (East Asian font set; the translation is not included)."""
    from .docx import render_docx as _render

    return _render(letter)
