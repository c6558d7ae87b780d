"""The schema of rule files: pydantic models, frozen, unknown keys forbidden.

A rule file has ``schema_version: 1`` and a ``kind``:

- ``programme``: one programme (生活保護, 国民健康保険, …) with its conditions, derived values and guidance;
- ``values``: derived facts shared by programmes (住民票 from status and period, work permission, …);
- ``parameters``: dated, cited values (amounts, thresholds, status lists);
- ``sources``: the catalogue of legal and practical sources, each with the date it was last verified;
- ``standards``: international standards an exclusion can be measured against;
- ``layer``: the national defaults, or a prefecture's / municipality's overrides and counters;
- ``tests``: test cases, named as sentences.

Conditions are a declarative tree (``all`` / ``any`` / ``not``, comparisons, membership): there is
no ``eval`` and no Python in YAML. The engine knows no programme by name.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    Tag,
    model_validator,
)
from typing_extensions import TypeAliasType

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$", max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Outcome = Literal["eligible", "not_eligible", "uncertain"]
CheckResult = Literal["pass", "fail", "unknown"]


class Model(BaseModel):
    # Built on first use: each file model then builds the shared expression schema once, instead of
    # every node model building its own copy at import (which cost most of the command line's start).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


LateModel = Model  # files that evaluation does not read (tests, questions) are never built then


# ---------------------------------------------------------------- expressions


class All(Model):
    all: Annotated[tuple[Expr, ...], Field(min_length=1)]


class Any_(Model):
    any: Annotated[tuple[Expr, ...], Field(min_length=1)]


class Not(Model):
    not_: Expr = Field(alias="not")


class ConditionRef(Model):
    condition: Id


class _OneOperator(Model):
    """Exactly one of the optional operator fields is set."""

    @model_validator(mode="after")
    def _exactly_one(self) -> _OneOperator:
        if sum(v is not None for _, v in self) != 1:
            raise ValueError("needs exactly one operator with its operands")
        return self


class Compare(_OneOperator):
    """``{ge: [a, b]}`` and friends: exactly two operands."""

    eq: Annotated[tuple[Expr, Expr], Field()] | None = None
    ne: tuple[Expr, Expr] | None = None
    lt: tuple[Expr, Expr] | None = None
    le: tuple[Expr, Expr] | None = None
    gt: tuple[Expr, Expr] | None = None
    ge: tuple[Expr, Expr] | None = None


class In(Model):
    """``{in: [value, list]}``: membership in a code list."""

    in_: tuple[Expr, Expr] = Field(alias="in")


class Known(Model):
    """True when the value is known, False when it is not; never unknown."""

    known: Expr


class Uncertain(Model):
    """Always unknown, with a note: the rule leaves this to an office's discretion or is contested."""

    uncertain: Text


class Fact(Model):
    fact: Id


class ValueRef(Model):
    value: Id


class Param(Model):
    param: Id


class LookupSpec(Model):
    table: Id
    key: Expr
    column: Expr | None = None  # for tables whose rows have values by column (1 is the first column)


class Lookup(Model):
    """The row of a bracket table (``{min, max, value}`` rows) that holds ``key``."""

    lookup: LookupSpec


class PickSpec(Model):
    table: Id
    key: Expr | None = None  # the row, for a table with one key column
    keys: Annotated[tuple[Expr, ...], Field(min_length=2)] | None = None  # for a table with several
    column: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")] | None = None  # a column by name
    nth: Expr | None = None  # or the n-th number column (1 is the first), the last for any larger n

    @model_validator(mode="after")
    def _one_key_one_column(self) -> PickSpec:
        if (self.key is None) == (self.keys is None):
            raise ValueError("give either key or keys")
        if (self.column is None) == (self.nth is None):
            raise ValueError("give either column or nth")
        return self


class Pick(Model):
    """A cell of a CSV table parameter: the row whose key columns hold ``key`` (or ``keys``), in the
    column named ``column`` or the ``nth`` value column. No such row is unknown, with a note."""

    pick: PickSpec


class SumLookupSpec(Model):
    table: Id
    keys: Expr
    column: Expr | None = None


class SumLookup(Model):
    """The sum of ``lookup`` over a list of keys (e.g. one amount per household member's age)."""

    sum_lookup: SumLookupSpec


class Arith(_OneOperator):
    add: Annotated[tuple[Expr, ...], Field(min_length=2)] | None = None
    sub: tuple[Expr, Expr] | None = None
    mul: Annotated[tuple[Expr, ...], Field(min_length=2)] | None = None
    div: tuple[Expr, Expr] | None = None
    min: Annotated[tuple[Expr, ...], Field(min_length=2)] | None = None
    max: Annotated[tuple[Expr, ...], Field(min_length=2)] | None = None


class TableMin(Model):
    """The smallest value of a table on the date (e.g. the lowest amount any age can have)."""

    table_min: Id


class TableMax(Model):
    """The largest value of a table on the date."""

    table_max: Id


class Calendar(Model):
    """A part of the date the rules are applied at: ``month`` (1–12) or ``year``."""

    calendar: Literal["month", "year"]


class Count(Model):
    count: Expr


class AnyItem(Model):
    """True when some item of a list satisfies a comparison with ``than``."""

    op: Literal["eq", "ne", "lt", "le", "gt", "ge", "between"]  # between: than is [low, high], inclusive
    list: Expr
    than: Expr


class Some(Model):
    some: AnyItem


class Concat(Model):
    """A list built from values and lists, e.g. the person's age followed by the members' ages."""

    concat: Annotated[tuple[Expr, ...], Field(min_length=1)]


class WhereSpec(Model):
    in_: Expr = Field(alias="in")
    where: Expr
    # Only the members described: members the answers do not describe are not a reason for doubt
    # (for advice shown on positive evidence only, such as a newborn's deadline).
    described_only: StrictBool = False


class Exists(Model):
    """True when some record of a list satisfies ``where`` (read its fields with ``{item: field}``);
    unknown when none does but some cannot be told, or the list may be incomplete."""

    exists: WhereSpec


class Filter(Model):
    """The records of a list that satisfy ``where``."""

    filter: WhereSpec


class PluckSpec(Model):
    in_: Expr = Field(alias="in")
    field: Id


class Pluck(Model):
    """One field of every record, as a list (e.g. the ages of the household's members)."""

    pluck: PluckSpec


class Item(Model):
    """A field of the record that ``where`` is looking at."""

    item: Id


class ApplySpec(Model):
    value: Id
    with_: dict[Id, Expr] = Field(alias="with")


class Apply(Model):
    """A value that takes arguments, computed for the arguments given (e.g. the deductions on a wage)."""

    apply: ApplySpec


class Arg(Model):
    """An argument of the value being defined (only inside a value with ``args``)."""

    arg: Id


class Case(Model):
    when: Expr
    then: Expr


class Else(Model):
    else_: Expr = Field(alias="else")


class Cases(Model):
    """The ``then`` of the first ``when`` that holds; unknown if an earlier ``when`` is unknown."""

    cases: Annotated[tuple[Case | Else, ...], Field(min_length=1)]


class Coalesce(Model):
    """The first known value."""

    coalesce: Annotated[tuple[Expr, ...], Field(min_length=2)]


Literal_ = StrictBool | StrictInt | StrictFloat | StrictStr

_ARITH = {"add", "sub", "mul", "div", "min", "max"}
_COMPARE = {"eq", "ne", "lt", "le", "gt", "ge"}
_KEYED = {
    "all", "any", "not", "condition", "in", "known", "uncertain", "fact", "value", "param", "lookup",
    "sum_lookup", "count", "some", "concat", "cases", "coalesce", "exists", "filter", "pluck", "item", "apply",
    "arg", "table_min", "table_max", "calendar", "pick",
}
OPERATORS = sorted(_KEYED | _ARITH | _COMPARE)


def _expr_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        if len(value) != 1:
            return None
        (key,) = value
        if key in _ARITH:
            return "arith"
        if key in _COMPARE:
            return "compare"
        return key if key in _KEYED else None
    if isinstance(value, BaseModel):  # already validated (model_construct / re-validation)
        return getattr(value, "_tag", None)
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, (bool, int, float, str)):
        return "literal"
    return None


Expr = TypeAliasType("Expr", Annotated[
    (
        Annotated[All, Tag("all")]
        | Annotated[Any_, Tag("any")]
        | Annotated[Not, Tag("not")]
        | Annotated[ConditionRef, Tag("condition")]
        | Annotated[Compare, Tag("compare")]
        | Annotated[In, Tag("in")]
        | Annotated[Known, Tag("known")]
        | Annotated[Uncertain, Tag("uncertain")]
        | Annotated[Fact, Tag("fact")]
        | Annotated[ValueRef, Tag("value")]
        | Annotated[Param, Tag("param")]
        | Annotated[Lookup, Tag("lookup")]
        | Annotated[SumLookup, Tag("sum_lookup")]
        | Annotated[Arith, Tag("arith")]
        | Annotated[Count, Tag("count")]
        | Annotated[Some, Tag("some")]
        | Annotated[Concat, Tag("concat")]
        | Annotated[Cases, Tag("cases")]
        | Annotated[Coalesce, Tag("coalesce")]
        | Annotated[Exists, Tag("exists")]
        | Annotated[Filter, Tag("filter")]
        | Annotated[Pluck, Tag("pluck")]
        | Annotated[Item, Tag("item")]
        | Annotated[Apply, Tag("apply")]
        | Annotated[Arg, Tag("arg")]
        | Annotated[TableMin, Tag("table_min")]
        | Annotated[TableMax, Tag("table_max")]
        | Annotated[Calendar, Tag("calendar")]
        | Annotated[Pick, Tag("pick")]
        | Annotated[tuple["Expr", ...], Tag("list")]  # type: ignore[name-defined]
        | Annotated[Literal_, Tag("literal")]
    ),
    Discriminator(
        _expr_tag,
        custom_error_type="unknown_operator",
        custom_error_message=(
            "an expression is a value, a list, or a mapping with exactly one operator: " + ", ".join(OPERATORS)
        ),
    ),
])


# ---------------------------------------------------------------- sources, standards


class SourceRef(Model):
    id: Id
    article: Annotated[str, Field(max_length=200)] | None = None


Sources = Annotated[tuple[Id | SourceRef, ...], Field(min_length=1)]


SourceKind = Literal[
    "statute",  # a law, cabinet order or ministerial ordinance, cited to e-Gov with the article
    "notice",  # a ministry's notice, 告示 or official page, on the ministry's own site
    "government_answer",  # a Cabinet answer or Diet record, on the Diet's own site
    "ruling",  # a court ruling, on courts.go.jp
    "un_document",  # a treaty or a UN body's document, on the UN's own site, with symbol and paragraph
    "municipal",  # a prefecture's or municipality's own page
    "operator",  # the body that runs the programme, on its own site (RHQ, 法テラス, 日弁連, 社協 …)
    "secondary",  # NGO, law firm, news, blog, mirror or data set: only beside a primary source
]


class Source(Model):
    title: Text
    # A short citation in words for tables of exclusions (「1954年通知（社発第382号）」, 「最判2014-07-18」).
    short: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    kind: SourceKind
    url: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=1000)]
    more_urls: tuple[Annotated[str, Field(pattern=r"^https?://\S+$")], ...] = ()
    publisher: Annotated[str, Field(max_length=200)] | None = None
    article: Annotated[str, Field(max_length=200)] | None = None
    date: dt.date | None = None  # date of the document itself
    verified: dt.date  # last date someone checked that it says what we encode
    confidence: Literal["high", "medium", "low"]
    note: Text | None = None


Url = Annotated[str, Field(pattern=r"^https?://\S+$", max_length=1000)]
# What a standard is: the treaty's own text, a committee's General Comment (its reading of the treaty), its
# concluding observations on Japan (recommendations to Japan by name), or a committee's statement.
StandardKind = Literal["treaty", "general_comment", "concluding_observations", "statement"]
# How an exclusion stands against a standard, for the person concerned:
# - breach: the standard's own words cover this person and rule out this exclusion (for observations on Japan:
#   the committee asked Japan by name to end it), so the shortfall is a reading of the text;
# - argued: it applies only through a reading a respondent can contest ("lawfully staying", "in accordance
#   with national law", restrictions that are "reasonable and objective", a recommendation about others …).
Mark = Literal["breach", "argued"]
# An article of a treaty: "9", "2(2)", "24(1)(b)", "5(e)(iii)-(iv)", "7, 9, 10, 13" (never "para 25": a
# committee's paragraph is a field of its own).
Article = Annotated[str, Field(pattern=r"^[0-9]+[0-9a-z(), -]*$", max_length=40)]
Paragraph = Annotated[str, Field(pattern=r"^[0-9]+[0-9a-z(), -]*$", max_length=40)]


class Standard(Model):
    """An international standard, cited so that a respondent cannot knock it down: the treaty and article
    (``source``: the treaty on the UN's site), and where it carries the point the committee's document by its
    UN symbol with its own UN address and the paragraph. A paragraph number goes in ``paragraph`` only when it
    was read printed beside the passage (``paragraph_read_at`` says where); one not so read goes in
    ``paragraph_unconfirmed`` and is never shown as fact."""

    instrument: Annotated[str, Field(max_length=80)]
    article: Article
    kind: StandardKind = "treaty"
    document: Annotated[str, Field(pattern=r"^[A-Z][A-Za-z0-9./()-]*$", max_length=60)] | None = None
    document_title: Annotated[str, Field(max_length=200)] | None = None
    document_url: Url | None = None  # the document on the UN's own site
    paragraph: Paragraph | None = None
    paragraph_read_at: Url | None = None  # where the number was read, printed beside the passage
    paragraph_unconfirmed: Paragraph | None = None  # a number not read beside the passage: to check
    title: Text
    text: Text
    source: Url  # the treaty on the UN's own site
    more_urls: tuple[Url, ...] = ()  # copies or translations
    verified: dt.date
    mark: Mark  # the mark for everyone it concerns, unless a reference says otherwise
    because: Text | None = None  # why this mark (required for argued: the text says why)

    @model_validator(mode="after")
    def _cited_whole(self) -> Standard:
        if (self.kind == "treaty") != (self.document is None):
            raise ValueError("a treaty standard has no document; a general comment, concluding observations or "
                             "statement has its UN symbol in document")
        if self.document is not None and self.document_url is None:
            raise ValueError("a document needs its document_url on the UN's own site")
        if (self.paragraph or self.paragraph_unconfirmed) and self.document is None:
            raise ValueError("a paragraph belongs to a document: give its UN symbol in document")
        if self.paragraph and self.paragraph_unconfirmed:
            raise ValueError("a paragraph is either confirmed (paragraph) or not (paragraph_unconfirmed), not both")
        if (self.paragraph is None) != (self.paragraph_read_at is None):
            raise ValueError("a confirmed paragraph needs paragraph_read_at, the address where it was read beside "
                             "the passage (and only a confirmed paragraph has one)")
        if self.mark == "argued" and self.because is None:
            raise ValueError("an argued standard needs because: why it must be argued")
        return self


# ---------------------------------------------------------------- parameters


class Bracket(Model):
    """A row of a table: ``value``, or ``values`` by column (e.g. by household size, the last column
    standing for every larger one)."""

    min: StrictInt | StrictFloat | None = None
    max: StrictInt | StrictFloat | None = None
    value: StrictInt | StrictFloat | None = None
    values: Annotated[tuple[StrictInt | StrictFloat, ...], Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _one_kind_of_value(self) -> Bracket:
        if (self.value is None) == (self.values is None):
            raise ValueError("a row has either value or values")
        return self


class DatedValue(Model):
    from_: dt.date = Field(alias="from")
    until: dt.date | None = None  # last day the value applies
    # null means "no value applies here" (e.g. amounts not encoded for this place): unknown, not stale
    value: (StrictBool | StrictInt | StrictFloat | StrictStr | tuple[StrictStr, ...] | tuple[StrictInt, ...]
            | tuple[Bracket, ...] | None) = None
    # For a table parameter: the CSV file holding the table, relative to the rules directory.
    file: Annotated[str, Field(pattern=r"^tables/[a-z0-9_-]+\.csv$")] | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _value_or_file(self) -> DatedValue:
        if self.file is None and "value" not in self.model_fields_set:
            raise ValueError("a dated value needs value (null when none applies here) or file")
        if self.file is not None and self.value is not None:
            raise ValueError("a dated value has value or file, not both")
        return self


ColumnName = Annotated[str, Field(pattern=r"^[a-z0-9_]+$", max_length=40)]


class Parameter(Model):
    description: Text
    type: Literal["number", "yen", "ratio", "text", "codes", "numbers", "brackets", "boolean", "table"]
    sources: Sources
    values: Annotated[tuple[DatedValue, ...], Field(min_length=1)]
    # A table parameter (a CSV file per dated value): its key columns, then its value columns with
    # their kind; the CSV's header must name exactly these, in this order.
    keys: tuple[ColumnName, ...] = ()
    columns: dict[ColumnName, Literal["number", "text"]] = {}

    @model_validator(mode="after")
    def _table_shape(self) -> Parameter:
        if (self.type == "table") != bool(self.keys and self.columns):
            raise ValueError("a table parameter, and only a table parameter, has keys and columns")
        for v in self.values:
            if v.file is not None and self.type != "table":
                raise ValueError("only a table parameter has a file")
            if self.type == "table" and v.value is not None:
                raise ValueError("a table parameter's values are files (file:), or null")
        return self


# ---------------------------------------------------------------- conditions, values, guidance


class Explain(Model):
    """Plain-English explanations: these become translatable messages."""

    pass_: Text = Field(alias="pass")
    fail: Text
    unknown: Text


class Shown(Model):
    """A number shown in an explanation, e.g. ``{minimum}``."""

    expr: Expr
    unit: Literal["yen", "number", "months", "years", "text"] = "number"


class MarkCase(Model):
    """A mark for the people for whom ``when`` holds. A ``breach`` case applies only where ``when`` is known to
    hold; an ``argued`` one also where it is unknown: a breach is never claimed on a guess."""

    when: Expr
    mark: Mark
    because: Text


class StandardRef(Model):
    """A standard that concerns only some people (``when``, e.g. the Refugee Convention for refugees), or is
    marked otherwise for them than the standard says: ``mark`` with ``because`` for everyone it concerns here,
    and ``marks``, the first case that applies winning, for some of them."""

    id: Id
    when: Expr | None = None
    mark: Mark | None = None
    because: Text | None = None
    marks: tuple[MarkCase, ...] = ()

    @model_validator(mode="after")
    def _says_why(self) -> StandardRef:
        if self.mark is not None and self.because is None:
            raise ValueError("a mark given here needs because: why it differs from the standard's own")
        if self.because is not None and self.mark is None:
            raise ValueError("because goes with a mark")
        return self


class Condition(Model):
    title: Text
    explain: Explain
    sources: Sources
    test: Expr
    show: dict[Id, Shown] = {}
    # International standards an exclusion by this condition falls short of.
    standards: tuple[Id | StandardRef, ...] = ()


class Value(Model):
    """A derived fact: a rule too, with its own sources. With ``args`` it is a formula, used through
    ``apply`` with the arguments given, and read inside with ``{arg: name}``."""

    description: Text
    sources: Sources
    args: tuple[Id, ...] = ()
    # Also computed for every household member, and read in a `where` as {item: <this id>}. It sees the
    # member's own facts only, never the household's list of members.
    on_members: StrictBool = False
    expr: Expr


class LocalName(Model):
    """How a national counter is named where no layer names it: from the municipality (``{place}``) and
    its office (``{office}``, the 市役所・区役所・町村役場 in Japan Post's data, whose address is then given)."""

    name: Text
    name_ja: Annotated[str, Field(max_length=200)]
    sources: Sources
    # Whose office: the municipality's (市役所・区役所・町村役場), or the prefecture's (県庁), for counters
    # that every prefecture has once (国民健康保険審査会 …); {place} is then the prefecture.
    at: Literal["municipality", "prefecture"] = "municipality"


class Contact(Model):
    """A counter: an office or organisation where the person goes."""

    name: Text
    name_ja: Annotated[str, Field(max_length=200)] | None = None
    postal_code: Annotated[str, Field(pattern=r"^[0-9]{3}-[0-9]{4}$")] | None = None
    address: Annotated[str, Field(max_length=300)] | None = None
    phone: Annotated[str, Field(pattern=r"^[0-9()+\- ]{6,20}$")] | None = None
    hours: Text | None = None  # opening hours as an official page gives them, e.g. "Mon–Fri 8:45–17:15"
    note: Text | None = None
    sources: Sources
    local: LocalName | None = None  # national counters only: named from the municipality where nothing is known


GuidanceKind = Literal["counter", "bring", "say", "if_refused", "info", "deadline"]


class Guidance(Model):
    """A next step or a warning, shown for some outcomes and when its condition holds."""

    id: Id
    kind: GuidanceKind = "info"
    text: Text
    # The same, said as a condition ("If you have unpaid premiums, …"), for when ``when`` is not known
    # to hold: the text alone would state a fact nobody gave.
    if_text: Text | None = None
    ja: Annotated[str, Field(max_length=500)] | None = None  # words to show or say at a Japanese counter
    contact: Id | None = None
    outcomes: tuple[Outcome, ...] = ("eligible", "not_eligible", "uncertain")
    when: Expr | None = None
    from_: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None
    sources: Sources

    @model_validator(mode="after")
    def _conditional_form(self) -> Guidance:
        if self.when is not None and self.if_text is None:
            raise ValueError("a step or warning with 'when' needs 'if_text', its wording for when it only may apply")
        return self


class Programme(Model):
    schema_version: Literal[1]
    kind: Literal["programme"]
    id: Id
    title: Text
    title_ja: Annotated[str, Field(max_length=100)]
    summary: Text
    group: Literal["core", "alternative"]
    order: StrictInt
    eligible_when: Expr
    conditions: dict[Id, Condition] = {}
    values: dict[Id, Value] = {}
    next_steps: tuple[Guidance, ...] = ()
    warnings: tuple[Guidance, ...] = ()
    alternatives: tuple[Id, ...] = ()  # offered when the outcome is not eligible or uncertain
    # Assess household members in their own right too (a Japanese child of a parent on 仮放免): each
    # member for whom this is known to hold, seen as the one assessed (`true` for everyone).
    members_when: Expr | None = None
    # Whom the programme is for at all, for the household as a whole (a child, a pregnancy, an older
    # person): where this is false, the programme "does not concern" the person and is listed apart,
    # never shown as a refusal ("a child may not go to school"). Absent: it concerns everyone.
    concerns_when: Expr | None = None


class Advisory(Model):
    """An immigration risk or protection that concerns the person: when it applies, what it means,
    what to do, who can help and what is contested. Shown beside the programmes it ``concerns``."""

    title: Text
    severity: Literal["urgent", "important", "info"]
    when: Expr
    concerns: tuple[Id, ...] = ()  # programme ids; empty: about the person's situation in general
    text: Text  # what it means, said to someone it applies to
    if_text: Text  # the same, as a condition, for someone it may apply to ("If you have no status, …")
    do: Text  # what to do
    help: tuple[Id, ...] = ()  # contacts who can help
    contested: Text | None = None  # what is contested or differs in practice
    from_: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None
    sources: Sources


class AdvisoriesFile(Model):
    schema_version: Literal[1]
    kind: Literal["advisories"]
    advisories: dict[Id, Advisory]


class ValuesFile(Model):
    schema_version: Literal[1]
    kind: Literal["values"]
    values: dict[Id, Value]


class ParametersFile(Model):
    schema_version: Literal[1]
    kind: Literal["parameters"]
    parameters: dict[Id, Parameter]


class SourcesFile(Model):
    schema_version: Literal[1]
    kind: Literal["sources"]
    sources: dict[Id, Source]


class StandardsFile(Model):
    schema_version: Literal[1]
    kind: Literal["standards"]
    # Where an exclusion is no gap at all (the person is covered by another state, or the law's reasoning
    # holds): no standard is attached for the people for whom this holds.
    not_a_gap_when: Expr | None = None
    standards: dict[Id, Standard]


class ParameterOverride(Model):
    """A layer's own dated values for a national parameter."""

    sources: Sources
    values: Annotated[tuple[DatedValue, ...], Field(min_length=1)]


class Layer(Model):
    schema_version: Literal[1]
    kind: Literal["layer"]
    level: Literal["national", "prefecture", "city", "ward"]
    code: Annotated[str, Field(pattern=r"^[0-9]{5}$")]
    name: Annotated[str, Field(max_length=50)]
    parent: Annotated[str, Field(pattern=r"^[0-9]{5}$")] | None = None
    parameters: dict[Id, ParameterOverride] = {}
    conditions: dict[Id, Condition] = {}  # replace national conditions of the same id
    contacts: dict[Id, Contact] = {}
    guidance: dict[Id, tuple[Guidance, ...]] = {}  # extra next steps, by programme id
    note: Text | None = None


class TestCase(LateModel):
    name: Annotated[str, Field(min_length=10, max_length=300)]
    answers: dict[str, Any]
    expect: dict[Id, Outcome] = {}
    # Outcomes for household members assessed in their own right: programme -> member number (1…) -> outcome.
    expect_members: dict[Id, dict[Annotated[int, Field(ge=1)], Outcome]] = {}
    advisories: dict[Id, Literal["yes", "maybe", "no"]] = {}  # whether each advisory applies
    concerns: dict[Id, Literal["yes", "maybe", "no"]] = {}  # whether each programme concerns the household
    conditions: dict[Id, CheckResult] = {}
    # The standards an exclusion by a condition is measured against for this person, and their marks:
    # condition -> standard -> breach, argued, or none (not attached).
    standards: dict[Id, dict[Id, Literal["breach", "argued", "none"]]] = {}
    reasons_include: dict[Id, tuple[Id, ...]] = {}
    missing_include: dict[Id, tuple[str, ...]] = {}


class TestsFile(LateModel):
    schema_version: Literal[1]
    kind: Literal["tests"]
    tests: Annotated[tuple[TestCase, ...], Field(min_length=1)]


class Option(LateModel):
    value: StrictStr | StrictInt | StrictBool
    label: Text


class Question(LateModel):
    """One question of the questionnaire. Guided mode asks it when its fact could still change an
    outcome (it is among the facts that would settle an uncertain result); consultation mode shows it
    when ``relevant_when`` does not rule it out."""

    fact: Annotated[str, Field(pattern=r"^(municipality|(person|household|needs)\.[a-z_]+(\.[a-z_]+)?)$")]
    section: Id
    widget: Literal["municipality", "choice", "yes_no", "number", "yen", "members"]
    prompt: Text
    help: Text | None = None
    options: tuple[Option, ...] = ()
    min: StrictInt | None = None
    max: StrictInt | None = None
    always: StrictBool = False  # ask even before it is known to matter (the first questions)
    relevant_when: Expr | None = None


class Section(LateModel):
    id: Id
    title: Text


class QuestionsFile(LateModel):
    schema_version: Literal[1]
    kind: Literal["questions"]
    sections: Annotated[tuple[Section, ...], Field(min_length=1)]
    questions: Annotated[tuple[Question, ...], Field(min_length=1)]


FILE_KINDS: dict[str, type[Model]] = {
    "programme": Programme,
    "values": ValuesFile,
    "parameters": ParametersFile,
    "sources": SourcesFile,
    "standards": StandardsFile,
    "advisories": AdvisoriesFile,
    "layer": Layer,
    "tests": TestsFile,
    "questions": QuestionsFile,
}
