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
from typing import Annotated, Any, Literal, get_args

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


Section = Literal["person", "household", "money", "request", "writer", "attachments"]


class FieldDef(_M):
    label: Bi  # on the review page (may carry hints such as "(in Japanese)")
    section: Section  # where the review page shows it
    hint: Msg | None = None  # shown under the field on the review page (else the check's own format hint)
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
    # the functions of helper/letters/derived that compute the values it uses beyond its fields
    derived: list[str] = []
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
    sections: dict[Section, Msg]  # the review page's headings, in the order shown
    fields: dict[str, FieldDef]

    @model_validator(mode="after")
    def _every_section_named(self) -> FieldCatalogue:
        missing = sorted(set(get_args(Section)) - set(self.sections))
        if missing:
            raise ValueError(f"sections has no heading for {missing}")
        return self


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


def _display(path: Path) -> str:
    """The path as problems name it: relative to the working directory when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _problem(path: Path, line: int | None, where: str, message: str) -> Any:
    from ..rules.loader import Problem

    return Problem(_display(path), line, where, message)


class TemplateError(ValueError):
    """Letter data that does not load: ``problems`` (``file:line: field: message``, like the rules')."""

    def __init__(self, problems: list[Any]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _read(path: Path, model: type[BaseModel]) -> tuple[Any, strict_yaml.Document]:
    try:
        doc = strict_yaml.read(path)
    except strict_yaml.YamlError as exc:
        raise TemplateError([_problem(path, exc.line, strict_yaml.format_path(exc.path) or "(file)",
                                      exc.message)]) from None
    except OSError as exc:
        raise TemplateError([_problem(path, None, "(file)", f"cannot be read: {exc.strerror or exc}")]) from None
    try:
        return model.model_validate(doc.data), doc
    except ValidationError as exc:
        from ..rules.loader import _pydantic_problems

        raise TemplateError(_pydantic_problems(exc, _display(path), doc)) from None


def load_vocabulary(directory: Path) -> dict[str, dict[str, Choice]]:
    return _read(directory / "vocabulary.yaml", Vocabulary)[0].choices


def load_fields(directory: Path, vocab: dict[str, dict[str, Choice]]) -> dict[str, FieldDef]:
    path = directory / "fields.yaml"
    cat, doc = _read(path, FieldCatalogue)
    problems = [
        _problem(path, doc.line_of(("fields", fid, "choices")), f"fields.{fid}.choices",
                 f"unknown choices {f.choices!r} (not a table of vocabulary.yaml)")
        for fid, f in cat.fields.items()
        if f.check in ("choice", "choices") and (f.choices is None or f.choices not in vocab)]
    if problems:
        raise TemplateError(problems)
    return cat.fields


def load_addressees(directory: Path) -> dict[str, AddresseePreset]:
    return _read(directory / "addressees.yaml", Addressees)[0].addressees


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, dict[str, Choice]]:
    return load_vocabulary(LETTERS_DIR)


@lru_cache(maxsize=1)
def _fields_file() -> FieldCatalogue:
    return _read(LETTERS_DIR / "fields.yaml", FieldCatalogue)[0]


@lru_cache(maxsize=1)
def field_catalogue() -> dict[str, FieldDef]:
    return load_fields(LETTERS_DIR, vocabulary())


@lru_cache(maxsize=1)
def addressees() -> dict[str, AddresseePreset]:
    return load_addressees(LETTERS_DIR)


MEMBER_PREFIX = "letter.members.*."


def section_headings() -> dict[str, str]:
    """``{section: English msgid of its heading}``, in the order the review page shows them."""
    return {sid: m.text for sid, m in _fields_file().sections.items()}


def review_sections(kind: str) -> list[tuple[str, list[str]]]:
    """The fields of a letter kind grouped as the review page shows them: ``[(section, [field id, …])]``,
    sections in their order, fields in the template's order (members' fields as ``letter.members.*.name``);
    sections with no field of this kind are left out. Every field of the kind is in exactly one section."""
    t = template(kind)
    cat = field_catalogue()
    ids = [f for f in t.uses if f != "letter.members"]
    if "letter.members" in t.uses:
        ids += [MEMBER_PREFIX + f for f in t.member_fields]
    grouped: dict[str, list[str]] = {sid: [] for sid in section_headings()}
    for fid in ids:
        grouped[cat[fid].section].append(fid)
    return [(sid, fids) for sid, fids in grouped.items() if fids]


@cache
def template(kind: str) -> Template:
    if kind not in kinds():
        raise KeyError(kind)
    return load_template(LETTERS_DIR / f"{kind}.yaml", field_catalogue())


def load_template(path: Path, fields: dict[str, FieldDef]) -> Template:
    """Read one template and check it against the field catalogue; :class:`TemplateError` lists every problem."""
    t, doc = _read(path, Template)
    problems = []

    def problem(where: tuple[str | int, ...], message: str) -> None:
        problems.append(_problem(path, doc.line_of(where), strict_yaml.format_path(where), message))

    if t.id != path.stem:
        problem(("id",), f"id {t.id!r} differs from the file name")
    for i, fid in enumerate(t.uses):
        if fid != "letter.members" and fid not in fields:
            problem(("uses", i), f"unknown field {fid} (not in fields.yaml)")
    member_ids = {MEMBER_PREFIX + f for f in t.member_fields} if "letter.members" in t.uses else set()
    for i, sub in enumerate(t.member_fields):
        if MEMBER_PREFIX + sub in member_ids and MEMBER_PREFIX + sub not in fields:
            problem(("member_fields", i), f"unknown member field {MEMBER_PREFIX + sub}")
    used = set(t.uses) | member_ids
    for i, r in enumerate(t.required):
        for fid in [r.field] if r.field else (r.any or []):
            if fid not in used and fid != "municipality":
                problem(("required", i), f"requires {fid}, which is not in uses")
    for i, b in enumerate(t.blocks):
        if b.field and b.field not in used:
            problem(("blocks", i, "field"), f"block shows {b.field}, which is not in uses")
    if t.status == "never":
        leaked = sorted(used & STATUS_FIELDS)
        if leaked:
            problem(("status",), f"status: never, but the letter uses {leaked}")
    if t.status == "asked":
        leaked = sorted(used & (STATUS_FIELDS - {"person.residence_status", "applicant.residence_status_name",
                                                 "person.period_of_stay_months"}))
        if leaked:
            problem(("status",), f"status: asked prints only the status in question, not {leaked}")
    for where, message in _name_problems(t, used, set(fields)):
        problem(where, message)
    if problems:
        raise TemplateError(problems)
    return t


def _cond_names(c: Any) -> set[str]:
    if c is None:
        return set()
    if isinstance(c, str):
        return {c}
    (op, arg), = c.items()
    if op == "not":
        return _cond_names(arg)
    if op == "no":
        return {arg}
    return set().union(*(_cond_names(x) for x in arg))


def _name_problems(t: Template, fields: set[str], catalogue: set[str]) -> list[tuple[tuple[str | int, ...], str]]:
    """Every name a template uses (conditions, placeholders of its texts) is a field it uses, a name of the
    builder, a value of a derived function it names, or, in a block with ``each:``, a name of one item."""
    from difflib import get_close_matches

    from .derived import BUILTIN, ITEM_NAMES, PROVIDES, STATUS_DERIVED, provided

    out: list[tuple[tuple[str | int, ...], str]] = []
    for i, name in enumerate(t.derived):
        if name not in PROVIDES:
            close = get_close_matches(name, list(PROVIDES), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            out.append((("derived", i), f"unknown derived function {name!r}{hint}: see helper/letters/derived"))
        elif name in STATUS_DERIVED and t.status == "never":
            out.append((("derived", i), f"status: never, but the letter derives {name!r}"))
    known = fields | BUILTIN | provided(t.derived)

    def check(where: tuple[str | int, ...], names: set[str], scope: frozenset[str] = frozenset()) -> None:
        for name in sorted(names - known - scope):
            fn = next((f for f, p in PROVIDES.items() if name in p), None)
            if fn is not None:
                msg = f"{name!r} is a value of the derived function {fn!r}, which derived: does not name"
            elif name in catalogue:
                msg = f"{name!r} is a field this letter does not list in uses"
            else:
                close = get_close_matches(name, sorted(known | scope), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                msg = f"unknown name {name!r}{hint}: not a field in uses nor a derived value"
            out.append((where, msg))

    for i, b in enumerate(t.blocks):
        scope = ITEM_NAMES.get(b.each or "", frozenset())
        if b.each:
            check(("blocks", i, "each"), {b.each})
        check(("blocks", i, "when"), _cond_names(b.when))
        if b.ja is not None and b.text is not None:  # (the schema has checked they use the same names)
            check(("blocks", i, "ja"), placeholders(b.ja) | placeholders(b.text), scope)
        if b.label:
            check(("blocks", i, "label"), placeholders(b.label.ja) | placeholders(b.label.text), scope)
    for i, g in enumerate(t.guidance):
        check(("guidance", i, "ja"), placeholders(g.ja) | placeholders(g.text))
    for i, w in enumerate(t.warnings):
        check(("warnings", i, "when"), _cond_names(w.when))
        check(("warnings", i, "text"), placeholders(w.text))
    for i, r in enumerate(t.refuse):
        check(("refuse", i, "when"), _cond_names(r.when))
        check(("refuse", i, "text"), placeholders(r.text))
    for i, req in enumerate(t.required):
        check(("required", i, "when"), _cond_names(req.when))
    return out


def check_letters(directory: Path | None = None) -> tuple[list[Any], int]:
    """Load every letter file of ``directory`` (default ``letters/``): the templates, fields.yaml,
    vocabulary.yaml, addressees.yaml and eras.yaml. Returns the problems (``file:line: field: message``)
    and the number of templates read. Nothing is cached: the app's own loading is not affected."""
    from .wareki import load_eras

    directory = directory or LETTERS_DIR
    problems: list[Any] = []

    def attempt(fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except TemplateError as exc:
            problems.extend(exc.problems)
            return None

    vocab = attempt(load_vocabulary, directory)
    fields = attempt(load_fields, directory, vocab) if vocab is not None else None
    attempt(load_addressees, directory)
    eras_path = directory / "eras.yaml"
    try:
        load_eras(eras_path)
    except strict_yaml.YamlError as exc:
        problems.append(_problem(eras_path, exc.line, strict_yaml.format_path(exc.path) or "eras", exc.message))
    except OSError as exc:
        problems.append(_problem(eras_path, None, "(file)", f"cannot be read: {exc.strerror or exc}"))
    paths = sorted(p for p in directory.glob("*.yaml") if p.name not in DATA_FILES)
    for path in paths:
        if fields is None:
            attempt(_read, path, Template)
        else:
            attempt(load_template, path, fields)
    petitions = sorted((directory / "petitions").glob("*.yaml"))
    if petitions:  # the petitions' phrases (helper/petition.py)
        from ..petition import load_template as load_petitions

        for path in petitions:
            attempt(load_petitions, path)
    return problems, len(paths)


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
