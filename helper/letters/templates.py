"""Letter templates and their shared data, read from ``letters/*.yaml`` with the strict YAML reader.

Templates are data: the Japanese text (``ja``) and the English gloss that is the gettext msgid of the
translation (``text``) sit side by side. They live in ``letters/`` at the top of the repository, not in
``rules/`` (the rule loader reads ``rules/**`` and knows nothing about letters).

Checked when loaded: the schema; that the Japanese and the English of a block use the same placeholders
(the translation shows the same facts as the letter); that every field exists; that a letter for a
service that does not depend on the residence status uses no status field.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .. import strict_yaml
from .text import PLACEHOLDER, placeholders, well_formed

LETTERS_DIR = Path(__file__).resolve().parents[2] / "letters"
DATA_FILES = {"fields.yaml", "vocabulary.yaml", "addressees.yaml", "eras.yaml"}

# Fields that reveal residence status or nationality: never in a letter whose service is open whatever the status.
STATUS_FIELDS = frozenset({
    "person.residence_status", "applicant.residence_status_name", "applicant.residence_expiry",
    "applicant.residence_card_number", "applicant.nationality", "person.period_of_stay_months",
    "letter.members.*.nationality", "letter.members.*.residence_status", "letter.members.*.residence_expiry",
})


class TemplateError(ValueError):
    pass


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bi(_M):
    """A text in the letter (ja) and its English gloss (text, the msgid)."""

    ja: str
    text: str

    @model_validator(mode="after")
    def _same_placeholders(self) -> Bi:
        _check_pair(self.ja, self.text)
        return self


def _check_pair(ja: str, text: str) -> None:
    if not (well_formed(ja) and well_formed(text)):
        raise ValueError("unbalanced ⟦ ⟧")
    if placeholders(ja) != placeholders(text):
        raise ValueError(
            f"ja and text use different placeholders: {sorted(placeholders(ja) ^ placeholders(text))}"
        )
    if ja.count("⟦") != text.count("⟦"):
        raise ValueError("ja and text have a different number of optional segments ⟦ ⟧")


Check = Literal[
    "name", "kana", "text", "postal_code", "phone", "date", "birth_date", "residence_card", "yen", "flag",
    "choice", "choices", "year", "count", "text_list", "municipality", "individual_number",
]


class FieldDef(_M):
    label: Bi  # on the review page (may carry hints such as "(in Japanese)")
    paper_label: Bi | None = None  # in the letter and its translation, when the review page's label does not fit
    check: Check
    max_length: Annotated[int, Field(ge=1, le=1000)] | None = None
    multiline: bool = False
    max_lines: Annotated[int, Field(ge=1, le=20)] | None = None
    max_items: Annotated[int, Field(ge=1, le=20)] | None = None
    minimum: int | None = None
    maximum: int | None = None
    choices: str | None = None
    discloses: Msg | None = None
    japanese: bool = False  # free text that goes into the letter as written: it should be Japanese
    default: bool | None = None  # what the letter assumes when the answer is absent (shown ticked)
    # A flag that states a fact (yes / no / not answered): never a checkbox, whose untouched state would say "no"
    fact: bool = False


class Msg(_M):
    """An English text shown to the user (a msgid)."""

    text: str


class Choice(_M):
    ja: str
    text: str
    card: str | None = None
    period: Literal["indefinite"] | None = None
    needs_name: bool = False


Cond = Any  # str | {"not": Cond} | {"no": name} | {"all": [Cond]} | {"any": [Cond]}


def _check_cond(c: Any) -> None:
    if isinstance(c, str):
        return
    if isinstance(c, dict) and len(c) == 1:
        (op, arg), = c.items()
        if op == "not":
            _check_cond(arg)
            return
        if op == "no" and isinstance(arg, str):  # a flag answered "no" (not merely unanswered)
            return
        if op in ("all", "any") and isinstance(arg, list) and arg:
            for a in arg:
                _check_cond(a)
            return
    raise ValueError(f"bad condition {c!r}: use a name, {{not: …}}, {{no: name}}, {{all: […]}} or {{any: […]}}")


Style = Literal[
    "right", "addressee", "title", "sender_head", "sender", "blank", "body", "center", "heading", "field",
    "detail", "item", "end",
]


class Block(_M):
    style: Style
    ja: str | None = None
    text: str | None = None
    field: str | None = None
    label: Bi | None = None
    when: Cond = None
    each: Literal["members", "reasons", "attachments", "member_cards", "family_inquiry_grounds"] | None = None
    number: bool = False
    optional: bool = False
    signature: bool = False
    join: bool = False  # with each: one paragraph of all the items (sentences), not one per item

    @model_validator(mode="before")
    @classmethod
    def _text_of_a_bare_value(cls, data: Any) -> Any:
        # ja: "{item}" needs no English: the translation shows the same value
        if isinstance(data, dict) and "ja" in data and "text" not in data and isinstance(data["ja"], str) \
                and PLACEHOLDER.sub("", data["ja"]).strip(" ⟦⟧") == "" and placeholders(data["ja"]):
            return {**data, "text": data["ja"]}
        return data

    @model_validator(mode="after")
    def _shape(self) -> Block:
        if (self.ja is None) != (self.text is None):
            raise ValueError("give both ja and text, or neither")
        if self.ja is not None and self.text is not None:
            _check_pair(self.ja, self.text)
        if self.ja is None and self.field is None and self.style not in ("blank",):
            raise ValueError("a block needs ja and text, or a field")
        if self.when is not None:
            _check_cond(self.when)
        return self


class Required(_M):
    field: str | None = None
    when: Cond = None
    any: list[str] | None = None
    name: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Required:
        if (self.field is None) == (self.any is None):
            raise ValueError("give field or any")
        if self.any is not None and not self.name:
            raise ValueError("an 'any' requirement needs a name")
        if self.when is not None:
            _check_cond(self.when)
        return self


class Warning_(_M):
    when: Cond
    text: str


class Refusal(_M):
    """Answers that contradict the letter kind: the letter is not written (:class:`Contradiction`); ``text``
    (a msgid, with placeholders from the letter's values) says why and what to do; ``field`` is the answer
    to look at."""

    when: Cond
    field: str
    text: str

    @model_validator(mode="after")
    def _shape(self) -> Refusal:
        _check_cond(self.when)
        return self


class Template(_M):
    schema_version: Literal[1]
    kind: Literal["letter"]
    id: str
    as_of: dt.date
    legal_basis: str
    title: Bi
    addressee: Literal["welfare_office", "nhi", "nhi_review", "housing"]
    programme: str | None = None  # the rules' programme the letter is about: its advisories go in the guidance
    status: Literal["printed", "never", "asked"]
    default_sender: Literal["applicant", "supporter"] = "applicant"
    required: list[Required]
    uses: list[str]
    withheld: list[Msg]
    default_attachments: list[str] = []
    attachment_choices: list[str] | None = None  # the attachments this letter offers (default: all)
    member_fields: list[str] = ["name", "relation", "birth_date", "sex", "nationality", "residence_status",
                                "residence_expiry"]
    blocks: list[Block]
    guidance: list[Bi]
    warnings: list[Warning_] = []
    refuse: list[Refusal] = []  # contradictions: the letter would say something false, so it is not written
    # the rules' warnings of the programme that do not concern a letter (e.g. about amounts shown in the results)
    skip_warnings: list[str] = []
    benefit_programmes: list[str] = []  # the rules' programmes that pay a benefit the letter may have to state

    @field_validator("required", mode="before")
    @classmethod
    def _plain_required(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"field": v} if isinstance(v, str) else v for v in value]
        return value


class Vocabulary(_M):
    schema_version: Literal[1]
    kind: Literal["vocabulary"]
    choices: dict[str, dict[str, Choice]]


class FieldCatalogue(_M):
    schema_version: Literal[1]
    kind: Literal["fields"]
    fields: dict[str, FieldDef]


class AddresseePreset(_M):
    contact: str
    by_city: dict[str, str] = {}
    ward: str
    city: str
    town: str
    none: str


class Addressees(_M):
    schema_version: Literal[1]
    kind: Literal["addressees"]
    addressees: dict[str, AddresseePreset]


def _read(path: Path, model: type[BaseModel]) -> Any:
    try:
        doc = strict_yaml.read(path)
    except strict_yaml.YamlError as exc:
        raise TemplateError(f"{path}:{exc.line}: {exc.message}") from None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = strict_yaml.format_path(tuple(err["loc"]))
        line = doc.line_of(tuple(err["loc"]))
        raise TemplateError(f"{path}:{line}: {where}: {err['msg']}") from None


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, dict[str, Choice]]:
    return _read(LETTERS_DIR / "vocabulary.yaml", Vocabulary).choices


@lru_cache(maxsize=1)
def field_catalogue() -> dict[str, FieldDef]:
    fields: dict[str, FieldDef] = _read(LETTERS_DIR / "fields.yaml", FieldCatalogue).fields
    for fid, f in fields.items():
        if f.check in ("choice", "choices") and (f.choices is None or f.choices not in vocabulary()):
            raise TemplateError(f"fields.yaml: {fid}: unknown choices {f.choices!r}")
    return fields


@lru_cache(maxsize=1)
def addressees() -> dict[str, AddresseePreset]:
    return _read(LETTERS_DIR / "addressees.yaml", Addressees).addressees


MEMBER_PREFIX = "letter.members.*."


@cache
def template(kind: str) -> Template:
    if kind not in kinds():
        raise KeyError(kind)
    path = LETTERS_DIR / f"{kind}.yaml"
    t: Template = _read(path, Template)
    if t.id != kind:
        raise TemplateError(f"{path}: id {t.id!r} differs from the file name")
    fields = field_catalogue()
    for fid in t.uses:
        if fid != "letter.members" and fid not in fields:
            raise TemplateError(f"{path}: uses unknown field {fid}")
    member_ids = {MEMBER_PREFIX + f for f in t.member_fields} if "letter.members" in t.uses else set()
    for fid in member_ids:
        if fid not in fields:
            raise TemplateError(f"{path}: unknown member field {fid}")
    used = set(t.uses) | member_ids
    for r in t.required:
        for fid in [r.field] if r.field else (r.any or []):
            if fid not in used and fid != "municipality":
                raise TemplateError(f"{path}: requires {fid}, which is not in uses")
    for b in t.blocks:
        if b.field and b.field not in used:
            raise TemplateError(f"{path}: block shows {b.field}, which is not in uses")
    if t.status == "never":
        leaked = sorted(used & STATUS_FIELDS)
        if leaked:
            raise TemplateError(f"{path}: status: never, but the letter uses {leaked}")
    if t.status == "asked":
        leaked = sorted(used & (STATUS_FIELDS - {"person.residence_status", "applicant.residence_status_name",
                                                 "person.period_of_stay_months"}))
        if leaked:
            raise TemplateError(f"{path}: status: asked prints only the status in question, not {leaked}")
    return t


@lru_cache(maxsize=1)
def kinds() -> tuple[str, ...]:
    """The letter kinds: every ``letters/*.yaml`` that is not shared data."""
    return tuple(sorted(p.stem for p in LETTERS_DIR.glob("*.yaml") if p.name not in DATA_FILES))


def japanese_glosses() -> dict[str, str]:
    """``{English msgid: Japanese}`` for every bilingual text of the letters (titles, labels, paragraphs,
    guidance, coded answers). The Japanese catalogue can take its entries from here: the Japanese of a
    letter text is, by construction, what its English gloss translates."""
    out: dict[str, str] = {}

    def add(ja: str | None, text: str | None) -> None:
        if ja and text and text not in out and not PLACEHOLDER.sub("", text).strip(" ⟦⟧;") == "":
            out[text] = ja

    for f in field_catalogue().values():
        add(f.label.ja, f.label.text)
        if f.paper_label:
            add(f.paper_label.ja, f.paper_label.text)
    for table in vocabulary().values():
        for c in table.values():
            add(c.ja, c.text)
    for kind in kinds():
        t = template(kind)
        add(t.title.ja, t.title.text)
        for b in t.blocks:
            add(b.ja, b.text)
            if b.label:
                add(b.label.ja, b.label.text)
        for g in t.guidance:
            add(g.ja, g.text)
    return out
