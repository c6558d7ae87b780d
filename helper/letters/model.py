"""The built letter: what the review screen shows and what the renderers print.

English texts (labels, translation paragraphs, disclosures, warnings) are gettext msgids: pass the app's
translator to :meth:`Paragraph.translated` and friends. Values typed by people are never translated and never
interpreted: they are inserted literally.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from .text import MissingValue, fill, placeholders

Gettext = Callable[[str], str]


def N_(message: str) -> str:
    """Marks a message for extraction into the gettext catalogs (babel keyword ``N_``); translated where shown."""
    return message


def _identity(s: str) -> str:
    return s


def translate_msgid(msgid: str, gettext: Gettext | None) -> str:
    """Translate a msgid; texts made only of placeholders (``{item}``) are not catalogue entries."""
    if not msgid or gettext is None:
        return msgid
    stripped = msgid
    for key in placeholders(msgid):
        stripped = stripped.replace("{" + key + "}", "")
    if not stripped.strip(" ⟦⟧"):
        return msgid
    return gettext(msgid)


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Message(_M):
    """An English msgid with values for its placeholders."""

    text: str
    values: dict[str, str] = {}
    translate: list[str] = []  # keys of values that are msgids themselves

    def translated(self, gettext: Gettext | None = None) -> str:
        return _fill_translation(self.text, self.values, self.translate, gettext)


def _fill_translation(msgid: str, values: dict[str, str], translate: list[str], gettext: Gettext | None) -> str:
    g = gettext or _identity
    coded = {k: translate_msgid(v, g) for k, v in values.items() if k in translate}
    literal = {k: v for k, v in values.items() if k not in translate}
    local = dict(literal)
    # A coded value's msgid may refer to other values (e.g. "Copy of your {card_name}"): fill it once;
    # the result is then inserted literally, like any other value.
    for key, tr in coded.items():
        others = literal | {k: v for k, v in coded.items() if k != key}
        english = literal | {k: values[k] for k in coded if k != key}
        local[key] = _safe_fill(tr, others) or _safe_fill(values[key], english) or values[key]
    translated = translate_msgid(msgid, g)
    try:
        return fill(translated, local, tidy=True)
    except (MissingValue, ValueError):
        # A catalogue entry with broken placeholders: show the English rather than a wrong letter.
        return fill(msgid, local, tidy=True)


def _safe_fill(template: str, values: dict[str, str]) -> str | None:
    try:
        return fill(template, values)
    except MissingValue:
        return None


Style = Literal[
    "right", "addressee", "title", "sender_head", "sender", "blank", "body", "center", "heading", "field",
    "detail", "item", "end",
]


class Paragraph(_M):
    """One paragraph of the letter: the Japanese as printed and its English gloss (a msgid with values)."""

    style: Style
    ja: str
    text: str = ""
    values: dict[str, str] = {}
    translate: list[str] = []  # keys of values that are msgids themselves (coded answers)
    number: str | None = None  # "1" for headings, "(1)" for numbered items
    label_ja: str | None = None
    label: str | None = None  # msgid
    label_values: dict[str, str] = {}
    label_translate: list[str] = []
    signature: bool = False  # a line to sign by hand

    @property
    def ja_line(self) -> str:
        """The paragraph as one line of Japanese text (number, label, text)."""
        parts = []
        if self.number:
            parts.append(self.number)
        if self.label_ja:
            parts.append(self.label_ja)
        if self.ja:
            parts.append(self.ja)
        return "　".join(parts)

    def translated(self, gettext: Gettext | None = None) -> str:
        if not self.text:
            return ""
        return _fill_translation(self.text, self.values, self.translate, gettext)

    def translated_label(self, gettext: Gettext | None = None) -> str | None:
        if not self.label:
            return None
        return _fill_translation(self.label, self.label_values, self.label_translate, gettext)

    def translated_line(self, gettext: Gettext | None = None) -> str:
        parts = []
        if self.number:
            parts.append(self.number if self.number.startswith("(") else f"{self.number}.")
        label = self.translated_label(gettext)
        if label:
            parts.append(f"{label}:")
        body = self.translated(gettext)
        if body:
            parts.append(body)
        return " ".join(parts)


class ChoiceOption(_M):
    code: str
    ja: str
    text: str  # msgid


class LetterField(_M):
    """A field of the letter as the review screen edits it (override it by ``id`` in ``build_letter``)."""

    id: str
    label_ja: str
    label: str  # msgid
    check: str
    value: Any = None  # normalised: str, int, bool, date, list[str] or None
    required: bool = False
    max_length: int | None = None
    multiline: bool = False
    choices: list[ChoiceOption] | None = None
    discloses: str | None = None  # msgid
    printed: bool = False  # the value appears in the letter


class Addressee(_M):
    name: str  # as printed: 大阪市淀川区保健福祉センター所長　様
    preset: str  # what the municipality gives, before any edit
    office: str | None = None  # the counter, from the rules: 淀川区保健福祉センター 生活支援担当・生活保護…
    postal_code: str | None = None
    address: str | None = None
    phone: str | None = None
    sources: list[str] = []


class Letter(_M):
    kind: str
    title_ja: str
    title: str  # msgid
    date: dt.date
    date_ja: str  # 令和8年11月29日
    addressee: Addressee
    fields: list[LetterField]
    paragraphs: list[Paragraph]  # the Japanese letter, in order; each carries its translation
    guidance: list[Paragraph]  # how to submit: printed with the letter, not part of it
    disclosures: list[str]  # msgids: what the letter tells the office
    withheld: list[str]  # msgids: what it does not say
    warnings: list[Message]
    # the warnings for the paper (the letter's, the rules' for its programme, the alternatives): also at the
    # start of the guidance; the translation prints them before the letter
    notices: list[Paragraph] = []
    legal_basis: str
    template_as_of: dt.date
    # read before the letter and not handed in (a petition's warning that names are published): its own page
    # first in the PDF and the DOCX, never in the letter's body
    preamble: list[Paragraph] = []
    max_pages: int = 2  # the Japanese letter's page budget (a petition citing several gaps needs more)

    @property
    def japanese_text(self) -> str:
        return "\n".join(p.ja_line for p in self.paragraphs)

    def translation(self, gettext: Gettext | None = None) -> list[str]:
        """The translation paragraphs, in the order of the Japanese ones (blank lines kept as empty strings)."""
        return [p.translated_line(gettext) for p in self.paragraphs]

    def field(self, field_id: str) -> LetterField:
        return next(f for f in self.fields if f.id == field_id)
