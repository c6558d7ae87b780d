"""The answers file, version 1 (see ``../shared/spec/answers-and-cli.md``).

Every field but ``version`` is optional: a missing fact is *unknown*, never a default that
decides an outcome. Unknown keys are errors, so a typo cannot be silently ignored.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError, field_validator, model_validator

from . import strict_yaml

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
]
RESIDENCE_STATUSES: tuple[str, ...] = ResidenceStatus.__args__  # type: ignore[attr-defined]

DesignatedActivity = Literal[
    "refugee_applicant", "humanitarian", "medical_stay", "medical_attendant", "long_stay_tourism", "other"
]
DESIGNATED_ACTIVITIES: tuple[str, ...] = DesignatedActivity.__args__  # type: ignore[attr-defined]

RefugeeProcedure = Literal["none", "applicant", "recognised", "complementary_protection", "refused"]
REFUGEE_PROCEDURES: tuple[str, ...] = RefugeeProcedure.__args__  # type: ignore[attr-defined]

Housing = Literal[
    "renting", "homeless", "shelter", "staying_with_others", "owner", "public_housing", "hospital", "detention"
]
HOUSING: tuple[str, ...] = Housing.__args__  # type: ignore[attr-defined]

Yen = Annotated[StrictInt, Field(ge=0, le=1_000_000_000)]
Age = Annotated[StrictInt, Field(ge=0, le=130)]
ShortText = Annotated[str, Field(max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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

    @model_validator(mode="after")
    def _activity_needs_designated_status(self) -> Person:
        if (
            self.designated_activity is not None
            and self.residence_status is not None
            and self.residence_status != "designated_activities"
        ):
            raise ValueError("designated_activity is only for residence_status designated_activities")
        return self


class Household(_Strict):
    size: Annotated[StrictInt, Field(ge=1, le=30)] | None = None
    member_ages: Annotated[list[Age], Field(max_length=29)] | None = None
    monthly_income: Yen | None = None
    savings: Yen | None = None
    monthly_rent: Yen | None = None
    housing: Housing | None = None
    receiving_welfare: StrictBool | None = None
    receiving_rhq: StrictBool | None = None
    income_declared: StrictBool | None = None
    nhi_arrears: StrictBool | None = None

    @model_validator(mode="after")
    def _members_fit_size(self) -> Household:
        if self.size is not None and self.member_ages is not None and len(self.member_ages) > self.size - 1:
            raise ValueError(
                f"member_ages lists {len(self.member_ages)} people but size {self.size} leaves room for {self.size - 1}"
            )
        return self


class Needs(_Strict):
    medical_care: StrictBool | None = None
    urgent: StrictBool | None = None


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


class Supporter(_Strict):
    name: ShortText | None = None
    organisation: ShortText | None = None
    phone: Annotated[str, Field(max_length=30)] | None = None


class Answers(_Strict):
    version: Literal[1]
    as_of: dt.date | None = None
    municipality: Annotated[str, Field(pattern=r"^[0-9]{5}$")] | None = None
    person: Person = Person()
    household: Household = Household()
    needs: Needs = Needs()
    applicant: Applicant | None = None
    supporter: Supporter | None = None

    @field_validator("municipality", mode="before")
    @classmethod
    def _code_as_text(cls, value: Any) -> Any:
        # An unquoted code in YAML arrives as a number (and loses its leading zero).
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 99999:
            return f"{value:05d}"
        return value


# Facts the rules may read: dotted paths into the eligibility part of the answers.
FACTS: dict[str, type[BaseModel]] = {"person": Person, "household": Household, "needs": Needs}
FACT_NAMES: frozenset[str] = frozenset(
    f"{group}.{name}" for group, model in FACTS.items() for name in model.model_fields
)


def facts_of(answers: Answers) -> dict[str, Any]:
    """Flatten the known facts to ``{'person.age': 34, ...}``; unknown facts are absent."""
    out: dict[str, Any] = {}
    for group in FACTS:
        part = getattr(answers, group)
        for name, value in part:
            if value is not None:
                out[f"{group}.{name}"] = value
    return out


class AnswersError(ValueError):
    """An invalid answers file: ``field`` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
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


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise AnswersError(key, "duplicate key")
        out[key] = value
    return out


MAX_ANSWERS_BYTES = 1024 * 1024


def parse_answers(text: str) -> Answers:
    """Parse the text of a JSON or YAML answers file. Raises :class:`AnswersError`."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_ANSWERS_BYTES:
        raise AnswersError("(file)", f"larger than {MAX_ANSWERS_BYTES} bytes")
    stripped = text.lstrip("\ufeff \t\r\n")
    try:
        if stripped.startswith("{"):
            data = json.loads(stripped, object_pairs_hook=_reject_duplicate_keys)
        else:
            data = strict_yaml.parse(text).data
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


def read_answers(path: str | Path, stdin: Any = None) -> Answers:
    """Read an answers file; ``-`` reads standard input."""
    if str(path) == "-":
        import sys

        text = (stdin or sys.stdin).read()
    else:
        p = Path(path)
        try:
            if p.stat().st_size > MAX_ANSWERS_BYTES:
                raise AnswersError("(file)", f"larger than {MAX_ANSWERS_BYTES} bytes")
            text = p.read_bytes().decode("utf-8")
        except FileNotFoundError as exc:
            raise AnswersError("(file)", f"no such file: {p}") from exc
        except UnicodeDecodeError as exc:
            raise AnswersError("(file)", "not valid UTF-8") from exc
    return parse_answers(text)
