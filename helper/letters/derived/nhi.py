"""Derived values of the 国民健康保険 letters: 減免 (docs/letters.md §2.1), 所得申告 (§2.2), 分割納付 (§2.3),
審査請求 (§2.4) and 一部負担金の減免 (§2.5)."""

from __future__ import annotations

from ..values import EMPTY, V, add_months, date, yen
from ..wareki import calendar_year_text, fiscal_year_text
from . import Facts, derives


def _income_year(f: Facts) -> int:
    """The year of the income declared: given, or the previous calendar year."""
    return f.values.get("letter.income_year") or f.day.year - 1


@derives("fiscal_year", "income_year")
def nhi_years(f: Facts) -> None:
    """The fiscal year of the premium (the current one by default) and the income year (the previous one)."""
    day = f.day
    fy = f.values.get("letter.fiscal_year") or (day.year if day.month >= 4 else day.year - 1)
    f.ctx["fiscal_year"] = V(fiscal_year_text(fy), str(fy), False, ("letter.fiscal_year",))
    iy = _income_year(f)
    f.ctx["income_year"] = V(calendar_year_text(iy), str(iy), False, ("letter.income_year",))


@derives("reason")
def nhi_reduction_reason(f: Facts) -> None:
    """The reason for a reduction, as coded."""
    if "letter.reduction_reason" in f.values:
        f.ctx["reason"] = f.choice("nhi_reduction_reason", f.values["letter.reduction_reason"],
                                   "letter.reduction_reason")


@derives("income_now", "income_year_not_over")
def income_now(f: Facts) -> None:
    """The household's monthly income now (from the answers) and whether the income year has not ended."""
    hh = f.a.household
    if hh.monthly_income:
        f.ctx["income_now"] = yen(hh.monthly_income)
    f.ctx["income_year_not_over"] = _income_year(f) >= f.day.year


@derives("event_after_date", "income_not_lower", "reason_income_loss")
def income_change(f: Facts) -> None:
    """The event that changed things (refused when after the letter's date) and "income fell" beside an
    expected income not lower than last year's (refused)."""
    event = f.values.get("letter.event_date")
    f.ctx["event_after_date"] = event is not None and event > f.day
    before, expected = f.values.get("letter.previous_income"), f.values.get("letter.expected_income")
    f.ctx["income_not_lower"] = before is not None and expected is not None and expected >= before
    f.ctx["reason_income_loss"] = f.values.get("letter.reduction_reason") == "income_loss"


@derives("instalment_zero", "instalment_above_arrears", "no_arrears")
def instalment(f: Facts) -> None:
    """An instalment of 0 yen, one above the whole arrears, or no arrears at all (each refused)."""
    arrears, monthly = f.values.get("letter.arrears"), f.values.get("letter.instalment")
    f.ctx["instalment_zero"] = monthly == 0
    f.ctx["instalment_above_arrears"] = arrears is not None and monthly is not None and monthly > arrears
    f.ctx["no_arrears"] = f.a.household.nhi_arrears is False


@derives("decision", "decision_other", "decision_after_date", "known_after_date", "known_before_decision",
         "appeal_late", "appeal_deadline")
def nhi_decision(f: Facts) -> None:
    """The decision appealed (審査請求), its dates checked against the letter's, and the last day to appeal
    (行政不服審査法18条1項: 3 months from the day after the person learned of it)."""
    c = f.ctx
    day = f.day
    code = f.values.get("letter.decision")
    if code:
        c["decision"] = f.choice("nhi_decision", code, "letter.decision") if code != "other" else EMPTY
    c["decision_other"] = code == "other"
    decided, known = f.values.get("letter.decision_date"), f.values.get("letter.decision_known_date")
    c["decision_after_date"] = decided is not None and decided > day
    c["known_after_date"] = known is not None and known > day
    c["known_before_decision"] = decided is not None and known is not None and known < decided
    c["appeal_late"] = known is not None and day > add_months(known, 3)
    if known is not None:
        c["appeal_deadline"] = date(add_months(known, 3))


@derives("measure", "treatment", "no_medical_need", "has_income_facts")
def copayment(f: Facts) -> None:
    """The 一部負担金 measure asked for and the treatment, as coded; medical care answered "no" (refused);
    whether any income or savings fact is given (its heading is printed only then)."""
    for fid, table, key in (("letter.copayment_measure", "copayment_measure", "measure"),
                            ("letter.treatment", "treatment", "treatment")):
        code = f.values.get(fid)
        if code:
            f.ctx[key] = f.choice(table, code, fid) if code != "other" else EMPTY
    f.ctx["no_medical_need"] = f.a.needs.medical_care is False
    f.ctx["has_income_facts"] = any(k in f.values for k in (
        "letter.previous_income", "letter.expected_income", "household.monthly_income", "household.savings"))
