"""The engine's result, typed: what ``evaluate`` returns and ``evaluate --json`` prints (docs/cli.md).

Plain dataclasses with slots, built by the engine without validation: evaluation stays as fast as
with dicts (a pydantic model per reason and citation doubled its time). Pydantic reads the same
classes for the published JSON Schema (:func:`json_schema`, docs/schemas/result.schema.json).

A field whose default is ``None`` and that is marked ``Omit`` is absent from the JSON when it is
``None`` (the contract adds those keys only when they say something: ``missing`` on an undecided
reason, ``if`` on a step that may apply). The other fields are always present, ``None`` included.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, TypeAdapter

Outcome = Literal["eligible", "not_eligible", "uncertain"]
ConditionResult = Literal["pass", "fail", "unknown"]
Applies = Literal["yes", "maybe"]
Concerns = Literal["yes", "no", "maybe"]
Severity = Literal["urgent", "important", "info"]


class _Omit:
    """Marks a field absent from the JSON when it is None."""


Omit = _Omit()


@dataclass(slots=True)
class Citation:
    """A source as a reason, step or advisory cites it. Shared between results: never change one."""

    id: str
    title: str
    url: str
    article: str | None
    verified: str  # ISO date the source was last checked
    confidence: Literal["high", "medium", "low"]


@dataclass(slots=True)
class Standard:
    """An international standard that an exclusion falls short of, and how, for this person.

    ``mark`` is ``breach`` where the standard's own words cover the person and rule out the exclusion, and
    ``argued`` where it applies only through a reading that can be contested (``because`` says which).
    ``paragraph`` is a paragraph of ``document`` read printed beside the passage; a number that was not so read
    is only in ``paragraph_unconfirmed``, to be checked before it is cited."""

    id: str
    instrument: str
    article: str  # of the treaty
    title: str
    source: str  # the treaty on the UN's own site
    mark: Literal["breach", "argued"]
    because: str | None  # why this mark, in English
    kind: Literal["treaty", "general_comment", "concluding_observations", "statement"]
    document: str | None  # the committee's document, by its UN symbol (E/C.12/GC/19, CCPR/C/JPN/CO/7 …)
    document_title: str | None
    document_url: str | None  # that document on the UN's own site
    paragraph: str | None
    paragraph_unconfirmed: str | None


@dataclass(slots=True)
class Reason:
    """A named condition that decided an outcome, with its text and sources."""

    rule: str
    result: ConditionResult
    title: str
    text: str  # English, placeholders filled
    template: str  # the English template, for front ends that translate
    params: dict[str, Any]  # raw values of the placeholders (None where unknown)
    units: dict[str, str]
    sources: list[str]
    citations: list[Citation]
    layer: str
    missing: Annotated[list[str] | None, Omit] = None  # only when the condition is undecided
    notes: Annotated[list[str] | None, Omit] = None  # only when the condition is undecided
    standards: Annotated[list[Standard] | None, Omit] = None  # only when it did not pass and some apply


@dataclass(slots=True)
class Contact:
    """A counter where the person goes."""

    name: str
    name_ja: Annotated[str | None, Omit] = None
    postal_code: Annotated[str | None, Omit] = None
    address: Annotated[str | None, Omit] = None
    phone: Annotated[str | None, Omit] = None
    hours: Annotated[str | None, Omit] = None
    note: Annotated[str | None, Omit] = None
    id: str = ""
    layer: str = ""
    sources: list[str] = dataclasses.field(default_factory=list)
    # A national counter named from the person's municipality: the values of ``name``'s placeholders.
    name_params: Annotated[dict[str, str] | None, Omit] = None


@dataclass(slots=True)
class Guidance:
    """A next step or a warning of a programme."""

    id: str
    kind: str
    text: str
    ja: Annotated[str | None, Omit] = None  # a phrase to say at the counter
    applies: Annotated[Literal["maybe"] | None, Omit] = None  # "maybe" when its condition is not known to hold
    if_: Annotated[str | None, Omit, Field(alias="if")] = None  # the text said as a condition (with ``applies``)
    contact: Annotated[Contact | None, Omit] = None
    template: Annotated[str | None, Omit] = None  # a warning the engine writes (a stale source)
    params: Annotated[dict[str, str] | None, Omit] = None
    sources: list[str] = dataclasses.field(default_factory=list)
    citations: Annotated[list[Citation] | None, Omit] = None


@dataclass(slots=True)
class MemberResult:
    """A household member assessed in their own right."""

    member: int  # position in household.members, then member_ages, from 1
    relation: str | None
    age: int | None
    outcome: Outcome
    reasons: list[Reason]
    missing_facts: Annotated[list[str] | None, Omit] = None  # only when uncertain
    notes: Annotated[list[str] | None, Omit] = None  # only when uncertain


@dataclass(slots=True)
class Alternative:
    id: str
    outcome: Outcome


@dataclass(slots=True)
class ProgrammeResult:
    """One programme: the person's outcome, why, and what to do."""

    id: str
    title: str
    title_ja: str
    group: Literal["core", "alternative"]
    summary: str
    outcome: Outcome
    reasons: list[Reason]
    missing_facts: Annotated[list[str] | None, Omit] = None  # only when uncertain
    notes: Annotated[list[str] | None, Omit] = None  # only when uncertain
    members: Annotated[list[MemberResult] | None, Omit] = None  # programmes given person by person
    household_outcome: Outcome = "uncertain"
    concerns: Concerns = "yes"
    next_steps: list[Guidance] = dataclasses.field(default_factory=list)
    warnings: list[Guidance] = dataclasses.field(default_factory=list)
    advisories: list[str] = dataclasses.field(default_factory=list)  # ids of the advisories shown beside it
    alternatives: Annotated[list[Alternative] | None, Omit] = None  # only when not eligible


@dataclass(slots=True)
class Advisory:
    """An immigration risk or protection that applies, or may."""

    id: str
    severity: Severity
    title: str
    applies: Applies
    text: str
    do: str
    concerns: list[str]  # the programmes beside which it is shown
    if_: Annotated[str | None, Omit, Field(alias="if")] = None  # only when it may apply
    missing_facts: Annotated[list[str] | None, Omit] = None  # only when it may apply
    contested: Annotated[str | None, Omit] = None
    contacts: list[Contact] = dataclasses.field(default_factory=list)
    sources: list[str] = dataclasses.field(default_factory=list)
    citations: list[Citation] = dataclasses.field(default_factory=list)


@dataclass(slots=True)
class Layer:
    code: str
    name: str
    level: Literal["national", "prefecture", "city", "ward"]


@dataclass(slots=True)
class Place:
    """The municipality the rules were applied for, and the layers of rules that apply there."""

    code: str | None
    name: str | None
    layers: list[Layer]
    local_rules: bool
    note_template: Annotated[str | None, Omit] = None  # national rules only, and why
    note_params: Annotated[dict[str, str] | None, Omit] = None
    note: Annotated[str | None, Omit] = None


@dataclass(slots=True)
class StaleParameter:
    """A parameter the rules hold no value of on the date."""

    kind: Literal["stale_parameter"]
    parameter: str
    text: str
    template: str
    params: dict[str, str]


@dataclass(slots=True)
class Result:
    """The full result for one answers file."""

    version: Literal[1]
    as_of: str  # ISO date
    municipality: Place
    advisories: list[Advisory]
    results: list[ProgrammeResult]
    warnings: list[StaleParameter]

    SCHEMA_ID: ClassVar[str] = "result.schema.json"

    def programme(self, pid: str) -> ProgrammeResult | None:
        return next((r for r in self.results if r.id == pid), None)

    def to_json(self) -> dict[str, Any]:
        """The result as ``evaluate --json`` prints it."""
        return as_json(self)


# (attribute, JSON key, absent when None) of each class, in order
_LAYOUT: dict[type, tuple[tuple[str, str, bool], ...]] = {}


def _layout(cls: type) -> tuple[tuple[str, str, bool], ...]:
    hints = cls.__annotations__
    out = []
    for f in dataclasses.fields(cls):
        hint = hints.get(f.name, "")
        omit = isinstance(hint, str) and "Omit" in hint  # annotations are strings (from __future__)
        out.append((f.name, "if" if f.name == "if_" else f.name, omit))
    return tuple(out)


def as_json(obj: Any) -> Any:
    """``obj`` (a result or any part of it) as JSON values: dicts and lists."""
    if type(obj) is list:
        return [as_json(x) for x in obj]
    layout = _LAYOUT.get(type(obj))
    if layout is None:
        return obj  # a str, number, None, or one of the open maps (params, units)
    out: dict[str, Any] = {}
    for attr, key, omit in layout:
        v = getattr(obj, attr)
        if v is None:
            if not omit:
                out[key] = None
        elif type(v) is list or type(v) in _LAYOUT:
            out[key] = as_json(v)
        else:
            out[key] = v
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``evaluate --json`` (keys marked Omit are optional, the others required)."""
    schema = TypeAdapter(Result).json_schema(mode="serialization", by_alias=True)
    for cls in _classes():
        node = schema["$defs"].get(cls.__name__) if cls is not Result else schema
        if node is None:
            continue
        keys = [key for _a, key, omit in _layout(cls) if not omit]
        node["required"] = keys
        node["additionalProperties"] = False
        for _attr, key, omit in _layout(cls):
            if omit:  # absent rather than null: a present key is never null
                prop = node["properties"][key]
                prop.pop("default", None)
                options = prop.pop("anyOf", None)
                if options:
                    prop.update(next(o for o in options if o.get("type") != "null"))
    schema["$id"] = Result.SCHEMA_ID
    schema["title"] = "kyosei-helper evaluate --json, version 1"
    return schema


def _classes() -> list[type]:
    return [Citation, Standard, Reason, Contact, Guidance, MemberResult, Alternative, ProgrammeResult, Advisory,
            Layer, Place, StaleParameter, Result]


_LAYOUT.update({cls: _layout(cls) for cls in _classes()})
