"""The answers file, version 1 (the contract: ``docs/answers.md``).

Every field but ``version`` is optional: a missing fact is *unknown*, never a default that
decides an outcome. Unknown keys are errors, so a typo cannot be silently ignored.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

from . import reading, strict_yaml

ResidenceStatus = Literal[
    "special_permanent_resident",  # 特別永住者
    "permanent_resident",  # 永住者
    "spouse_of_japanese",  # 日本人の配偶者等
    "spouse_of_permanent_resident",  # 永住者の配偶者等
    "long_term_resident",  # 定住者
    "designated_activities",  # 特定活動
    "temporary_visitor",  # 短期滞在
    "provisional_stay",  # 仮滞在 (permission, no status)
    "technical_intern",  # 技能実習
    "specified_skilled_worker",  # 特定技能
    "dependent",  # 家族滞在
    "student",  # 留学
    "work",  # other work statuses
    "other_status",
    "diplomat_or_official",  # 外交, 公用
    "provisional_release",  # 仮放免 (no status)
    "supervision_measures",  # 監理措置 (no status)
    "no_status",  # overstay, under no measure
    "skill_development",  # 育成就労 (from 2027-04-01, replacing 技能実習)
]
RESIDENCE_STATUSES: tuple[str, ...] = ResidenceStatus.__args__  # type: ignore[attr-defined]

DesignatedActivity = Literal[
    "refugee_applicant", "humanitarian", "medical_stay", "medical_attendant", "long_stay_tourism",
    "digital_nomad", "other"
]
DESIGNATED_ACTIVITIES: tuple[str, ...] = DesignatedActivity.__args__  # type: ignore[attr-defined]

RefugeeProcedure = Literal["none", "applicant", "recognised", "complementary_protection", "refused"]
REFUGEE_PROCEDURES: tuple[str, ...] = RefugeeProcedure.__args__  # type: ignore[attr-defined]

Housing = Literal[
    "renting", "homeless", "shelter", "staying_with_others", "owner", "public_housing", "hospital", "detention"
]
HOUSING: tuple[str, ...] = Housing.__args__  # type: ignore[attr-defined]

Nationality = Literal["japanese", "foreign"]
MemberRelation = Literal["spouse", "child", "parent", "sibling", "other"]

Yen = Annotated[StrictInt, Field(ge=0, le=1_000_000_000)]
Age = Annotated[StrictInt, Field(ge=0, le=130)]
ShortText = Annotated[str, Field(max_length=200)]


def _activity_fits_status(residence_status: str | None, designated_activity: str | None) -> None:
    if designated_activity is not None and residence_status is not None and residence_status != "designated_activities":
        raise ValueError("designated_activity is only for residence_status designated_activities")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _date_in_calendar(cls, value: Any) -> Any:
        # Every date, wherever it is: the engine and the letters do date arithmetic (ages, 和暦, deadlines).
        if isinstance(value, dt.date):
            strict_yaml.check_date(value)
        return value


class Person(_Strict):
    age: Age | None = None
    residence_status: ResidenceStatus | None = None
    designated_activity: DesignatedActivity | None = None
    period_of_stay_months: Annotated[StrictInt, Field(ge=0, le=120)] | None = None
    refugee_procedure: RefugeeProcedure | None = None
    refugee_application_number: Annotated[StrictInt, Field(ge=1, le=50)] | None = None
    resident_record: StrictBool | None = None
    employee_insurance: StrictBool | None = None
    work_permitted: StrictBool | None = None
    pregnant: StrictBool | None = None
    disability_certificate: StrictBool | None = None
    nationality: Nationality | None = None  # when absent, a residence status implies foreign
    removal_order: StrictBool | None = None  # 退去強制令書 has been issued
    supervisor_is_supporter: StrictBool | None = None  # the supporter is the person's 監理人 (監理措置)
    living_with_spouse: StrictBool | None = None  # for 配偶者 statuses: still living with the spouse

    @model_validator(mode="after")
    def _activity_needs_designated_status(self) -> Person:
        _activity_fits_status(self.residence_status, self.designated_activity)
        return self


class HouseholdMember(_Strict):
    """Another member of the household, as the rules see them; every field optional. The same
    names mean the same as for ``person``; ``relation`` is the member's relation to the person."""

    age: Age | None = None
    relation: MemberRelation | None = None
    nationality: Nationality | None = None
    residence_status: ResidenceStatus | None = None
    designated_activity: DesignatedActivity | None = None
    period_of_stay_months: Annotated[StrictInt, Field(ge=0, le=120)] | None = None
    refugee_procedure: RefugeeProcedure | None = None
    resident_record: StrictBool | None = None
    employee_insurance: StrictBool | None = None
    pregnant: StrictBool | None = None
    disability_certificate: StrictBool | None = None

    @model_validator(mode="after")
    def _activity_needs_designated_status(self) -> HouseholdMember:
        _activity_fits_status(self.residence_status, self.designated_activity)
        return self


class Income(_Strict):
    """The household's monthly income by kind, yen a month, gross (before tax and insurance)."""

    wages: Yen | None = None  # 給与 and other earnings from work
    pensions: Yen | None = None
    benefits: Yen | None = None  # allowances and other public benefits
    other: Yen | None = None  # support from relatives, and anything else


class Household(_Strict):
    size: Annotated[StrictInt, Field(ge=1, le=30)] | None = None
    members: Annotated[list[HouseholdMember], Field(max_length=29)] | None = None
    member_ages: Annotated[list[Age], Field(max_length=29)] | None = None  # members with only an age
    monthly_income: Yen | None = None  # the whole household, gross, of any kind
    income: Income | None = None
    savings: Yen | None = None
    monthly_rent: Yen | None = None
    housing: Housing | None = None
    receiving_welfare: StrictBool | None = None
    receiving_rhq: StrictBool | None = None
    income_declared: StrictBool | None = None
    nhi_arrears: StrictBool | None = None

    @model_validator(mode="after")
    def _members_fit_size(self) -> Household:
        listed = len(self.members or ()) + len(self.member_ages or ())
        if self.size is not None and listed > self.size - 1:
            what = " and ".join(n for n, v in (("members", self.members), ("member_ages", self.member_ages)) if v)
            raise ValueError(f"{what} list {listed} people but size {self.size} leaves room for {self.size - 1}")
        return self

    @model_validator(mode="after")
    def _income_parts_fit_total(self) -> Household:
        if self.income is None or self.monthly_income is None:
            return self
        parts = [v for _, v in self.income]
        known = sum(v for v in parts if v is not None)
        if known > self.monthly_income:
            raise ValueError(f"income parts add up to {known}, more than monthly_income {self.monthly_income}")
        if None not in parts and known != self.monthly_income:
            raise ValueError(f"income parts add up to {known}, not monthly_income {self.monthly_income}")
        return self


class Needs(_Strict):
    medical_care: StrictBool | None = None
    urgent: StrictBool | None = None
    domestic_violence: StrictBool | None = None  # violence at home (DV) against the person or a child


class Applicant(_Strict):
    """Only for letters; never needed for eligibility."""

    name: ShortText | None = None
    name_kana: ShortText | None = None
    birth_date: dt.date | None = None
    sex: Literal["female", "male", "other"] | None = None
    nationality: ShortText | None = None
    address: ShortText | None = None
    phone: Annotated[str, Field(max_length=30)] | None = None
    residence_card_number: Annotated[str, Field(max_length=20)] | None = None
    # Letter-only additions (optional):
    postal_code: Annotated[str, Field(max_length=10)] | None = None
    residence_expiry: dt.date | None = None  # 在留期間の満了日 (or 仮放免 period) as on the card or permit
    # the exact status as on the card, e.g. 技術・人文知識・国際業務 (for the codes work and other_status)
    residence_status_name: Annotated[str, Field(max_length=40)] | None = None
    individual_number: Annotated[str, Field(max_length=20)] | None = None  # 個人番号, optional in the letter


class Supporter(_Strict):
    name: ShortText | None = None
    organisation: ShortText | None = None
    phone: Annotated[str, Field(max_length=30)] | None = None
    # Letter-only additions (optional):
    relation: Annotated[str, Field(max_length=30)] | None = None  # 関係, e.g. 支援者
    address: ShortText | None = None


LetterText = Annotated[str, Field(max_length=800)]
Relation = Literal[
    "spouse", "child", "parent", "sibling", "grandchild", "grandparent", "other_relative", "other"
]
WelfareReason = Literal[
    "job_loss", "illness", "disability", "old_age", "low_income", "savings_exhausted", "support_ended",
    "separation", "pregnancy", "housing_loss", "other",
]
WorkSituation = Literal["working", "job_seeking", "unable_illness", "unable_care", "not_permitted", "other"]
RelativesSupport = Literal["none", "abroad", "cannot_help", "helping"]
Attachment = Literal[
    "residence_card", "bankbook", "pay_slips", "separation_notice", "medical_certificate", "rent_contract",
    "pension_notice", "income_statement", "tax_certificate", "business_closure", "nhi_notice", "decision_notice",
    "disaster_certificate", "medical_receipts",
]
NhiReductionReason = Literal["disaster", "income_loss", "other"]
GuarantorReason = Literal["no_relatives", "relatives_cannot", "other"]
# why no 扶養照会 should be made (令和3年2月26日 事務連絡, 3月30日 社援保発0330第1号): requests, chosen
FamilyInquiryGround = Literal["abroad", "no_contact", "estranged", "violence", "cannot_support"]


class Member(_Strict):
    """Another member of the household, for letters (生活保護: 国籍 of every member must be stated)."""

    name: Annotated[str, Field(max_length=100)] | None = None
    relation: Relation | None = None  # to the applicant
    birth_date: dt.date | None = None
    sex: Literal["female", "male", "other"] | None = None
    nationality: Annotated[str, Field(max_length=50)] | None = None
    residence_status: ResidenceStatus | None = None
    residence_expiry: dt.date | None = None


class LetterFacts(_Strict):
    """Facts and choices that only the letters use (see helper/letters). Every field is optional."""

    date: dt.date | None = None  # the date written on the letter; default: as_of, else today
    addressee: Annotated[str, Field(max_length=100)] | None = None  # replaces the preset addressee
    sender: Literal["applicant", "supporter"] | None = None
    members: Annotated[list[Member], Field(max_length=9)] | None = None
    # 生活保護
    reasons: Annotated[list[WelfareReason], Field(max_length=11)] | None = None
    reason_detail: LetterText | None = None
    cash: Yen | None = None
    deposits: Yen | None = None
    has_other_assets: StrictBool | None = None  # answered: other assets (car, land, insurance …) or none
    other_assets: Annotated[str, Field(max_length=200)] | None = None
    income_detail: Annotated[str, Field(max_length=300)] | None = None
    work: WorkSituation | None = None
    work_detail: Annotated[str, Field(max_length=200)] | None = None
    relatives: RelativesSupport | None = None
    relatives_no_contact_years: Annotated[StrictInt, Field(ge=1, le=99)] | None = None
    relatives_detail: Annotated[str, Field(max_length=200)] | None = None
    other_benefits: Annotated[str, Field(max_length=200)] | None = None  # benefits received; empty: none
    receives_other_benefits: StrictBool | None = None
    no_family_inquiry: StrictBool | None = None  # ask for no 扶養照会
    family_inquiry_grounds: Annotated[list[FamilyInquiryGround], Field(max_length=5)] | None = None
    # an application made by a 扶養義務者 or 同居の親族 for the person in need (生活保護法7条, 24条1項)
    filer_name: ShortText | None = None
    filer_relation: Relation | None = None  # what the filer is to the person in need
    filer_cohabits: StrictBool | None = None  # the filer lives with the person in need
    filer_postal_code: Annotated[str, Field(max_length=10)] | None = None
    filer_address: ShortText | None = None
    filer_phone: Annotated[str, Field(max_length=30)] | None = None
    no_home_state_contact: StrictBool | None = None  # ask for no contact with the home state
    written_decision: StrictBool | None = None  # ask for a written decision within 14 days (default: yes)
    interpreter_language: Annotated[str, Field(pattern=r"^[a-z]{2,3}$")] | None = None
    supporter_accompanies: StrictBool | None = None
    attachments: Annotated[list[Attachment], Field(max_length=16)] | None = None
    attachments_other: Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=4)] | None = None
    # 国民健康保険
    nhi_number: Annotated[str, Field(max_length=30)] | None = None  # 被保険者証（資格確認書）の記号番号
    fiscal_year: Annotated[StrictInt, Field(ge=2000, le=2100)] | None = None  # 年度 of the premium
    income_year: Annotated[StrictInt, Field(ge=2000, le=2100)] | None = None  # calendar year of the income
    no_income: StrictBool | None = None  # 所得申告: confirmed that nobody declared had income in the year
    living_costs: Annotated[str, Field(max_length=200)] | None = None  # how the household lives without income
    reduction_reason: NhiReductionReason | None = None
    event_date: dt.date | None = None  # 事由発生日
    previous_income: Yen | None = None  # last year's income, yen per year
    expected_income: Yen | None = None  # this year's expected income, yen per year
    circumstances: LetterText | None = None  # 申立て: the circumstances, in Japanese
    arrears: Yen | None = None
    instalment: Yen | None = None  # yen per month
    request_reduction_review: StrictBool | None = None
    # 公営住宅
    housing_operator: Literal["city", "prefecture"] | None = None
    housing_name: Annotated[str, Field(max_length=100)] | None = None
    guarantor_reason: GuarantorReason | None = None
    guarantor_detail: Annotated[str, Field(max_length=300)] | None = None
    reply_by: dt.date | None = None
    emergency_contact: Annotated[str, Field(max_length=100)] | None = None  # 緊急連絡人 offered instead
    # 国民健康保険 審査請求 (国保法91条, 行政不服審査法18条・19条)
    decision: Literal["premium", "benefit", "qualification", "other"] | None = None  # the decision contested
    decision_detail: Annotated[str, Field(max_length=200)] | None = None  # as on the notice, in Japanese
    decision_date: dt.date | None = None  # the date of the decision (on the notice)
    decision_known_date: dt.date | None = None  # the day the person learned of it (received the notice)
    appeal_grounds: LetterText | None = None  # 審査請求の理由, in Japanese
    instruction_given: StrictBool | None = None  # 教示: the notice said how to appeal
    # 一部負担金の減免・徴収猶予 (国保法44条)
    copayment_measure: Literal["exemption", "reduction", "reduction_or_exemption", "deferral"] | None = None
    medical_institution: Annotated[str, Field(max_length=100)] | None = None
    treatment: Literal["inpatient", "outpatient"] | None = None
    # 申請受理の申入書 (生活保護法7条・24条, 行政手続法7条)
    refusal_date: dt.date | None = None  # when the counter would not take the application
    refusal_kind: Literal["not_accepted", "no_form", "consultation_only"] | None = None
    official_name: Annotated[str, Field(max_length=100)] | None = None  # as the person gives it
    official_section: Annotated[str, Field(max_length=100)] | None = None
    refusal_detail: Annotated[str, Field(max_length=300)] | None = None  # what was said, in Japanese
    application_enclosed: StrictBool | None = None  # an application form goes with this letter

    @field_validator("reasons", "attachments", "family_inquiry_grounds")
    @classmethod
    def _no_repeats(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("lists an item twice")
        return value


# A value as the letter review page holds it (helper/letters validates it when the letter is built):
# text as typed, a yes/no, or the items of a list.
LetterEdit = StrictBool | Annotated[str, Field(max_length=4000)] | Annotated[
    list[Annotated[str, Field(max_length=1000)]], Field(max_length=50)]
LetterKindCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
LetterFieldId = Annotated[str, Field(pattern=r"^[a-z_]+(\.[a-z0-9_]+)*$", max_length=80)]


class Answers(_Strict):
    version: Literal[1]

    as_of: dt.date | None = None
    municipality: Annotated[str, Field(pattern=r"^[0-9]{5}$")] | None = None
    person: Person = Person()
    household: Household = Household()
    needs: Needs = Needs()
    applicant: Applicant | None = None
    supporter: Supporter | None = None
    letter: LetterFacts | None = None  # only for letters
    # Facts answered "I don't know" in the app, so that a resumed session does not ask them again. They
    # stay missing facts: the engine never reads this list.
    unknown: list[Annotated[str, Field(pattern=r"^[a-z_]+(\.[a-z_]+)*$", max_length=80)]] | None = Field(
        default=None, max_length=100)
    # What the person changed on the letter review page, letter by letter (field id -> value), so that a
    # resumed session shows the same letters. Like ``unknown``, the engine never reads it.
    letter_edits: Annotated[dict[LetterKindCode, Annotated[dict[LetterFieldId, LetterEdit], Field(
        max_length=300)]], Field(max_length=30)] | None = None

    @field_validator("unknown")
    @classmethod
    def _unknown_once(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("lists a fact twice")
        return value

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_the_integer_one(cls, value: Any) -> Any:
        # Literal[1] also admits True and 1.0, which equal 1 in Python; the contract says the number 1.
        if type(value) is not int:
            raise ValueError("must be the integer 1")
        return value

    @field_validator("municipality", mode="before")
    @classmethod
    def _code_as_text(cls, value: Any) -> Any:
        # An unquoted code in YAML arrives as a number (and loses its leading zero).
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 99999:
            return f"{value:05d}"
        return value


def _kind(model: type[BaseModel], name: str) -> str:
    ann = str(model.model_fields[name].annotation)
    if "Literal" in ann:  # code lists such as residence_status
        return "text"
    return "bool" if "bool" in ann else "number" if "int" in ann else "text"


def _kinds(prefix: str, model: type[BaseModel], skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {f"{prefix}.{name}": _kind(model, name) for name in model.model_fields if name not in skip}


# Facts the rules may read, with their kind: dotted paths into the eligibility part of the answers
# (see helper/household.py). ``member_ages`` arrives in the rules as members with only an age.
FACT_KINDS: dict[str, str] = {
    **_kinds("person", Person),
    **_kinds("household", Household, skip=("members", "member_ages", "income")),
    **_kinds("household.income", Income),
    "household.members": "records",
    "household.everyone": "records",
    **_kinds("needs", Needs),
    # Where the person lives, from ``municipality``: its JIS code, the city (a designated city for its
    # wards, else the municipality itself) and the prefecture's code, so tables keyed by any of them work.
    "municipality": "text",
    "municipality.city": "text",
    "municipality.prefecture": "text",
}
# Fields of a member record (``{item: age}`` in a rule); ``relation`` is ``self`` for the one assessed.
MEMBER_FIELD_KINDS: dict[str, str] = {name: _kind(HouseholdMember, name) for name in HouseholdMember.model_fields}
FACT_NAMES: frozenset[str] = frozenset(FACT_KINDS)


class AnswersError(ValueError):
    """An invalid answers file: ``field`` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        # A key name or a message may hold what the file held: shown escaped, never as raw control characters.
        field, message = reading.escape(field), reading.escape(message)
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _first_error(exc: ValidationError) -> AnswersError:
    err = exc.errors(include_url=False)[0]
    loc = [str(p) for p in err["loc"]]
    field = ".".join(loc) if loc else "(top)"
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown key"
    elif err["type"] == "missing":
        msg = "required"
    return AnswersError(field, msg.removeprefix("Value error, "))


def _json_string(text: str, where: str) -> str:
    bad = strict_yaml.forbidden_character(text, allow_joiners=True)
    if bad:
        raise AnswersError(where, strict_yaml.forbidden_message(bad))
    return text


def _json_strings(value: Any, where: str) -> None:
    """The strings of a JSON value, in lists too (mappings are checked by their own hook call)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            _json_string(v, where)
        elif isinstance(v, list):
            stack.extend(v)


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        _json_string(key, "(key)")
        if key in out:
            raise AnswersError(key, "duplicate key")
        _json_strings(value, key)
        out[key] = value
    return out


def _json_number(text: str) -> int | float:
    try:
        return strict_yaml.number(text)
    except ValueError as exc:
        raise AnswersError("(number)", str(exc)) from None


def _json_constant(name: str) -> Any:
    raise AnswersError("(number)", f"{name} is not a number an answers file may hold")


MAX_ANSWERS_BYTES = 1024 * 1024


def parse_answers(text: str) -> Answers:
    """Parse the text of a JSON or YAML answers file. Raises :class:`AnswersError`, and nothing else."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_ANSWERS_BYTES:
        raise AnswersError("(file)", f"larger than {MAX_ANSWERS_BYTES} bytes")
    stripped = text.lstrip("\ufeff \t\r\n")
    try:
        if stripped.startswith("{"):
            # The same characters are refused as in YAML, raw or written as \u escapes (see _reject_duplicate_keys).
            bad = strict_yaml.forbidden_character(stripped, allow_joiners=True)
            if bad:
                line = stripped.count("\n", 0, stripped.index(chr(int(bad[2:], 16)))) + 1
                raise AnswersError(f"line {line}", strict_yaml.forbidden_message(bad))
            data = json.loads(stripped, object_pairs_hook=_reject_duplicate_keys, parse_int=_json_number,
                              parse_float=_json_number, parse_constant=_json_constant)
        else:
            data = strict_yaml.parse(text, allow_joiners=True).data
    except strict_yaml.YamlError as exc:
        where = strict_yaml.format_path(exc.path) if exc.path else f"line {exc.line}"
        raise AnswersError(where, exc.message) from exc
    except json.JSONDecodeError as exc:
        raise AnswersError(f"line {exc.lineno}", f"not valid JSON: {exc.msg}") from exc
    except RecursionError as exc:
        raise AnswersError("(file)", "nested too deeply") from exc
    if not isinstance(data, dict):
        raise AnswersError("(top)", "expected a mapping with at least 'version: 1'")
    try:
        return Answers.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc) from exc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # nothing may escape as a traceback
        raise AnswersError("(file)", "cannot be read as an answers file") from exc


def read_answers(path: str | Path, stdin: Any = None) -> Answers:
    """Read an answers file; ``-`` reads standard input. At most :data:`MAX_ANSWERS_BYTES` are read, and
    only from a regular file (not a directory, a FIFO or a device)."""
    try:
        raw = reading.read_path(path, MAX_ANSWERS_BYTES, stdin)
    except reading.ReadError as exc:
        raise AnswersError("(file)", exc.message) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AnswersError("(file)", "not valid UTF-8") from exc
    return parse_answers(text)
