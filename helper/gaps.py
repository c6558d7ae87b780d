"""The campaigners' table: which statuses each programme excludes, by which rule, against which standard.

Every residence status (and refugee-procedure variant) is run through the rules as an otherwise
eligible household — no income or savings, renting, in urgent need, with a pregnancy and two
children so that every programme can apply — and each exclusion is traced to its rule, its
sources and the international standards it falls short of.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Collection
from typing import Any, TextIO

from . import basis
from . import municipality as muni
from .answers import Answers
from .engine import evaluate_ruleset
from .household import subjects
from .result import MemberResult, ProgrammeResult
from .rules.loader import RuleBase
from .rules.ruleset import RuleSet
from .text import N_

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

# Statuses whose exclusion is not counted as a gap, and why (issue 10: diplomats and officials are covered by
# their sending state, not by Japan's residents' programmes).
NOT_A_GAP: dict[str, str] = {
    "diplomat_or_official": N_("Diplomats and officials are covered by their sending state, not by the programmes "
                               "for residents: their exclusion is not counted as a gap."),
}

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


def baseline_answers(code: str | None, as_of: dt.date) -> Answers:
    """The same household as Japanese nationals: what a status is compared with (a programme that a
    Japanese household of the same make-up would not get either is no gap of the status)."""
    person = {**OTHERWISE_ELIGIBLE["person"], "nationality": "japanese"}
    members = [{"age": age, "relation": "child", "nationality": "japanese"} for age in CHILDREN]
    return Answers.model_validate({
        "version": 1, "as_of": as_of, "municipality": code, "person": person,
        "household": {**OTHERWISE_ELIGIBLE["household"], "members": members}, "needs": OTHERWISE_ELIGIBLE["needs"],
    })


RANK = {"not_eligible": 0, "uncertain": 1, "eligible": 2}


def _best(r: ProgrammeResult) -> ProgrammeResult | MemberResult:
    """The household's best outcome, explained by whoever has it (a child, for school)."""
    if r.outcome == r.household_outcome:
        return r
    return next((m for m in r.members or [] if m.outcome == r.household_outcome), r)


def cell(base: RuleBase, rs: RuleSet, r: ProgrammeResult, baseline: str | None) -> dict[str, Any]:
    """One programme's outcome for one variant, with what decides it (the keys a gap table row adds to the
    variant's own). ``baseline`` is a Japanese household's outcome for the same programme."""
    best = _best(r)
    wanted = {"not_eligible": "fail", "uncertain": "unknown"}.get(best.outcome)
    deciding = next((x for x in best.reasons if x.result == wanted), None) if wanted else None
    concerns = r.concerns or "yes"
    row: dict[str, Any] = {
        "programme": r.id,
        "programme_title": r.title,
        "programme_title_ja": r.title_ja,
        "outcome": r.household_outcome,
        "concerns": concerns,
        "baseline": baseline,
        # A gap: worse than for a Japanese household of the same make-up, in a programme that concerns it.
        "gap": (concerns != "no" and baseline is not None and RANK[r.household_outcome] < RANK[baseline]),
        "rule": deciding.rule if deciding else None,
        "rule_title": deciding.title if deciding else None,
        "reason": deciding.text if deciding else None,
        "sources": deciding.sources if deciding else [],
        "standards": [
            {"id": s.id, "instrument": s.instrument, "article": s.article, "title": s.title, "source": s.source,
             "mark": s.mark, "because": s.because, "kind": s.kind, "document": s.document,
             "document_title": s.document_title,
             "document_url": s.document_url, "paragraph": s.paragraph,
             "paragraph_unconfirmed": s.paragraph_unconfirmed}
            for s in ((deciding.standards or []) if deciding else [])
        ],  # the deciding condition's standards that concern this person, marked for this person
        "basis": None,
        "layer": None,
        "citations": [],
    }
    if deciding:
        cited = basis.citations(rs, rs.conditions[deciding.rule][0].sources)
        row["citations"] = cited
        row["basis"] = basis.basis_words(cited)
        row["layer"] = basis.deciding_layer(base, rs, deciding.rule)
    if best.outcome == "uncertain" and deciding:
        row["notes"] = deciding.notes or []
    return row


def statuses_in_force(rs: RuleSet, as_of: dt.date) -> set[str] | None:
    """The residence statuses and situations that exist on the date (the rules' status.codes_in_force), or
    None when the rules hold no such list for the date."""
    pdef = rs.params.get("status.codes_in_force")
    if pdef is None:
        return None
    dated = next((v for v in pdef.values if v.from_ <= as_of and (v.until is None or as_of <= v.until)), None)
    return {str(v) for v in dated.value} if dated is not None and isinstance(dated.value, tuple) else None


def gap_table(base: RuleBase, code: str | None, as_of: dt.date,
              programmes: Collection[str] | None = None) -> dict[str, Any]:
    """Every variant × programme (or only ``programmes``) for the place and the date."""
    rs = base.ruleset_for(code)
    baseline = {r.id: r.household_outcome
                for r in evaluate_ruleset(rs, subjects(baseline_answers(code, as_of)), as_of).results}
    in_force = statuses_in_force(rs, as_of)
    rows = []
    for label, status, extra in VARIANTS:
        exists = in_force is None or status in in_force
        answers = variant_answers(status, extra, code, as_of)
        results = evaluate_ruleset(rs, subjects(answers), as_of).results
        for r in results:
            if programmes is not None and r.id not in programmes:
                continue
            row = {
                "label": label,
                "residence_status": status,
                "designated_activity": extra.get("designated_activity"),
                "refugee_procedure": extra.get("refugee_procedure", "none"),
                # False before the status existed (監理措置 before 2024-06-10): no gap, whatever the rules say.
                "exists": exists,
                **cell(base, rs, r, baseline.get(r.id)),
            }
            if not exists:
                row["gap"] = False
            if status in NOT_A_GAP and row["gap"]:
                row["gap"] = False
                row["not_a_gap"] = NOT_A_GAP[status]
            rows.append(row)
    m = muni.get(code) if code else None
    return {
        "version": 1,
        "as_of": as_of.isoformat(),
        "municipality": {"code": code, "name": m.name if m else None,
                         "layers": [c for c, _ in rs.chain]},
        "household": "an otherwise eligible household: 3 people (a pregnant adult of 30 and children of 8 and 3 "
                     "with the same status), no income or savings, renting at 40,000 yen, in urgent need",
        "programmes": [{"id": p.model.id, "title": p.model.title, "title_ja": p.model.title_ja,
                        "group": p.model.group}
                       for p in rs.programmes if programmes is None or p.model.id in programmes],
        "rows": rows,
    }


SHORT = {"eligible": "yes", "not_eligible": "NO", "uncertain": "?"}


def write_gap_text(table: dict[str, Any], out: TextIO) -> None:
    """The table for reading: programmes numbered in the header and named in full below it, then each gap
    with its legal basis, the layer that decides it, its sources and standards."""
    place = table["municipality"]
    where = f"{place['name']} ({place['code']})" if place["code"] else "national rules"
    out.write(f"Who is excluded, as of {table['as_of']}, {where}\n")
    out.write(f"For {table['household']}.\n\n")
    programmes = list(dict.fromkeys(r["programme"] for r in table["rows"]))
    titles = {p["id"]: f"{p['title']} ({p['title_ja']})" for p in table.get("programmes", [])}
    for i, p in enumerate(programmes, start=1):
        out.write(f"[{i}] {titles.get(p, p)}\n")
    out.write("\n")
    by_label: dict[str, dict[str, dict[str, Any]]] = {}
    for r in table["rows"]:
        by_label.setdefault(r["label"], {})[r["programme"]] = r
    width = max(_width(label) for label in by_label) + 2
    out.write(" " * width + " ".join(f"{f'[{i}]':>4}" for i in range(1, len(programmes) + 1)) + "\n")
    for label, cells in by_label.items():
        out.write(label + " " * (width - _width(label)))
        out.write(" ".join(f"{_mark(cells[p]):>4}" for p in programmes) + "\n")
    out.write("\n* worse than for Japanese nationals in the same household: a gap. — the status did not exist "
              "on the date.\n")
    for label, why in dict.fromkeys((r["label"], r["not_a_gap"]) for r in table["rows"] if r.get("not_a_gap")):
        out.write(f"{label}: {why}\n")
    out.write("\nGaps and their basis:\n")
    for r in table["rows"]:
        if not r.get("gap"):
            continue
        layer = r.get("layer") or {}
        out.write(f"- {r['label']} / {titles.get(r['programme'], r['programme'])}: {r.get('basis') or r['rule']}")
        if layer:
            out.write(f" — decided by {layer['name']} ({layer.get('note') or layer['changed_by']})")
        out.write("\n")
        if r["standards"]:
            out.write(f"    measured against {'; '.join(basis.cite_standard(s) for s in r['standards'])}\n")
        if r.get("citations"):
            out.write("    sources: " + "; ".join(f"{c['short'] or c['title']} (verified {c['verified']})"
                                                 for c in r["citations"]) + "\n")


def _mark(row: dict[str, Any]) -> str:
    if not row.get("exists", True):
        return "—"
    return SHORT[row["outcome"]] + ("*" if row.get("gap") else "")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
