"""The campaigners' table: which statuses each programme excludes, by which rule, against which standard.

Every residence status (and refugee-procedure variant) is run through the rules as an otherwise
eligible household — no income or savings, renting, in urgent need, with a pregnancy and two
children so that every programme can apply — and each exclusion is traced to its rule, its
sources and the international standards it falls short of.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any, TextIO

from . import municipality as muni
from .answers import Answers
from .engine import evaluate_ruleset
from .household import subjects
from .result import MemberResult, ProgrammeResult
from .rules.loader import RuleBase

# (label, residence_status, extra person fields)
VARIANTS: list[tuple[str, str, dict[str, Any]]] = [
    ("特別永住者", "special_permanent_resident", {}),
    ("永住者", "permanent_resident", {}),
    ("日本人の配偶者等", "spouse_of_japanese", {"period_of_stay_months": 36}),
    ("永住者の配偶者等", "spouse_of_permanent_resident", {"period_of_stay_months": 36}),
    ("定住者", "long_term_resident", {"period_of_stay_months": 36}),
    ("定住者 (認定難民)", "long_term_resident", {"period_of_stay_months": 60, "refugee_procedure": "recognised"}),
    ("定住者 (補完的保護)", "long_term_resident",
     {"period_of_stay_months": 60, "refugee_procedure": "complementary_protection"}),
    ("特定活動 (難民申請中, 6か月)", "designated_activities",
     {"designated_activity": "refugee_applicant", "period_of_stay_months": 6, "refugee_procedure": "applicant",
      "refugee_application_number": 1}),
    ("特定活動 (難民申請中, 2-3か月)", "designated_activities",
     {"designated_activity": "refugee_applicant", "period_of_stay_months": 3, "refugee_procedure": "applicant",
      "refugee_application_number": 1}),
    ("特定活動 (人道配慮)", "designated_activities",
     {"designated_activity": "humanitarian", "period_of_stay_months": 12, "refugee_procedure": "refused"}),
    ("特定活動 (医療滞在)", "designated_activities",
     {"designated_activity": "medical_stay", "period_of_stay_months": 6}),
    ("特定活動 (観光・保養)", "designated_activities",
     {"designated_activity": "long_stay_tourism", "period_of_stay_months": 12}),
    ("特定活動 (その他)", "designated_activities", {"designated_activity": "other", "period_of_stay_months": 12}),
    ("技能実習", "technical_intern", {"period_of_stay_months": 12}),
    ("特定技能", "specified_skilled_worker", {"period_of_stay_months": 12}),
    ("家族滞在", "dependent", {"period_of_stay_months": 12}),
    ("留学", "student", {"period_of_stay_months": 24}),
    ("就労資格", "work", {"period_of_stay_months": 36}),
    ("その他の在留資格", "other_status", {"period_of_stay_months": 12}),
    ("短期滞在", "temporary_visitor", {"period_of_stay_months": 3}),
    ("外交・公用", "diplomat_or_official", {"period_of_stay_months": 36}),
    ("仮滞在 (難民申請中)", "provisional_stay", {"refugee_procedure": "applicant", "refugee_application_number": 1}),
    ("仮放免", "provisional_release", {}),
    ("仮放免 (難民申請中, 初回)", "provisional_release",
     {"refugee_procedure": "applicant", "refugee_application_number": 1}),
    ("仮放免 (難民申請中, 2回目以降)", "provisional_release",
     {"refugee_procedure": "applicant", "refugee_application_number": 2}),
    ("監理措置", "supervision_measures", {}),
    ("非正規滞在 (overstay)", "no_status", {}),
]

OTHERWISE_ELIGIBLE: dict[str, Any] = {
    "person": {"age": 30, "refugee_procedure": "none", "employee_insurance": False, "pregnant": True,
               "disability_certificate": False, "period_of_stay_months": 0},
    "household": {"size": 3, "monthly_income": 0, "savings": 0, "monthly_rent": 40000,
                  "housing": "renting", "receiving_welfare": False, "receiving_rhq": False, "income_declared": True,
                  "nhi_arrears": False},
    "needs": {"medical_care": True, "urgent": True},
}
CHILDREN = (8, 3)
# What a child shares with the parent in the table: the same status, period and refugee procedure.
SHARED_WITH_CHILDREN = ("residence_status", "designated_activity", "period_of_stay_months", "refugee_procedure",
                        "employee_insurance")


def variant_answers(status: str, extra: dict[str, Any], code: str | None, as_of: dt.date) -> Answers:
    person = {**OTHERWISE_ELIGIBLE["person"], "residence_status": status, **extra}
    child = {k: person[k] for k in SHARED_WITH_CHILDREN if k in person}
    members = [{"age": age, "relation": "child", "nationality": "foreign", **child} for age in CHILDREN]
    return Answers.model_validate({
        "version": 1, "as_of": as_of, "municipality": code, "person": person,
        "household": {**OTHERWISE_ELIGIBLE["household"], "members": members}, "needs": OTHERWISE_ELIGIBLE["needs"],
    })


def gap_table(base: RuleBase, code: str | None, as_of: dt.date) -> dict[str, Any]:
    rs = base.ruleset_for(code)
    rows = []
    for label, status, extra in VARIANTS:
        answers = variant_answers(status, extra, code, as_of)
        results = evaluate_ruleset(rs, subjects(answers), as_of).results
        for r in results:
            # The household's best outcome, explained by whoever has it (a child, for school).
            best: ProgrammeResult | MemberResult = next(
                (m for m in r.members or [] if m.outcome == r.household_outcome), r)
            if r.outcome == r.household_outcome:
                best = r
            wanted = {"not_eligible": "fail", "uncertain": "unknown"}.get(best.outcome)
            deciding = next((x for x in best.reasons if x.result == wanted), None) if wanted else None
            row: dict[str, Any] = {
                "label": label,
                "residence_status": status,
                "designated_activity": extra.get("designated_activity"),
                "refugee_procedure": extra.get("refugee_procedure", "none"),
                "programme": r.id,
                "outcome": r.household_outcome,
                "rule": deciding.rule if deciding else None,
                "reason": deciding.text if deciding else None,
                "sources": deciding.sources if deciding else [],
                "standards": [
                    {"instrument": s.instrument, "article": s.article, "source": s.source, "mark": s.mark,
                     "document": s.document, "paragraph": s.paragraph,
                     "paragraph_unconfirmed": s.paragraph_unconfirmed, "document_url": s.document_url}
                    for s in ((deciding.standards or []) if deciding else [])
                ],  # the deciding condition's standards that concern this person, each marked breach or argued
            }
            if best.outcome == "uncertain" and deciding:
                row["notes"] = deciding.notes or []
            rows.append(row)
    m = muni.get(code) if code else None
    return {
        "version": 1,
        "as_of": as_of.isoformat(),
        "municipality": {"code": code, "name": m.name if m else None,
                         "layers": [c for c, _ in rs.chain]},
        "household": "an otherwise eligible household: 3 people (a pregnant adult of 30 and children of 8 and 3 "
                     "with the same status), no income or savings, renting at 40,000 yen, in urgent need",
        "rows": rows,
    }


SHORT = {"eligible": "yes", "not_eligible": "NO", "uncertain": "?"}


def write_gap_text(table: dict[str, Any], out: TextIO) -> None:
    place = table["municipality"]
    where = f"{place['name']} ({place['code']})" if place["code"] else "national rules"
    out.write(f"Who is excluded, as of {table['as_of']}, {where}\n")
    out.write(f"For {table['household']}.\n\n")
    programmes = list(dict.fromkeys(r["programme"] for r in table["rows"]))
    by_label: dict[str, dict[str, dict[str, Any]]] = {}
    for r in table["rows"]:
        by_label.setdefault(r["label"], {})[r["programme"]] = r
    width = max(_width(label) for label in by_label) + 2
    out.write(" " * width + " ".join(f"{p[:8]:>8}" for p in programmes) + "\n")
    for label, cells in by_label.items():
        out.write(label + " " * (width - _width(label)))
        out.write(" ".join(f"{SHORT[cells[p]['outcome']]:>8}" for p in programmes) + "\n")
    out.write("\nExclusions and their basis:\n")
    for r in table["rows"]:
        if r["outcome"] == "not_eligible" and r["standards"]:
            stds = "; ".join(_cite(s) for s in r["standards"])
            out.write(f"- {r['label']} / {r['programme']}: {r['rule']} — measured against {stds}\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cite(std: dict[str, Any]) -> str:
    """ "ICESCR art. 9, E/C.12/GC/19 para. 37-38 (unconfirmed) (argued)": an argued point is never a breach."""
    cited = f"{std['instrument']} art. {std['article']}"
    if std.get("document"):
        cited += f", {std['document']}"
        if std.get("paragraph"):
            cited += f" para. {std['paragraph']}"
        elif std.get("paragraph_unconfirmed"):
            cited += f" para. {std['paragraph_unconfirmed']} (unconfirmed)"
    return f"{cited} ({std['mark']})" if std.get("mark") else cited
