"""Derived values of the 生活保護 letters: the application (生活保護開始申請書, docs/letters.md §1) and the
申請受理の申入書 (§1.1)."""

from __future__ import annotations

from ..model import N_
from ..values import EMPTY, V, yen
from . import Facts, derives


@derives("reason_other", "reasons")
def welfare_reasons(f: Facts) -> None:
    """The reasons chosen for seeking protection (``each: reasons``); "other" is the person's own words."""
    reasons = f.values.get("letter.reasons") or []
    f.ctx["reason_other"] = "other" in reasons
    f.ctx["reasons"] = [{"item": f.choice("reason", r, "letter.reasons")} for r in reasons if r != "other"]


@derives("money_split", "money_total")
def welfare_money(f: Facts) -> None:
    """Cash and deposits given apart: printed with their total."""
    cash, deposits = f.values.get("letter.cash"), f.values.get("letter.deposits")
    f.ctx["money_split"] = cash is not None and deposits is not None
    if cash is not None and deposits is not None:
        f.ctx["money_total"] = yen(cash + deposits, "letter.cash", "letter.deposits")


@derives("work_other", "work")
def work(f: Facts) -> None:
    """Work or job seeking, as coded ("other": the person's own words)."""
    code = f.values.get("letter.work")
    f.ctx["work_other"] = code == "other"
    if code:
        f.ctx["work"] = f.choice("work", code, "letter.work") if code != "other" else EMPTY


@derives("relatives")
def relatives(f: Facts) -> None:
    """Support from relatives (扶養), as coded."""
    if "letter.relatives" in f.values:
        f.ctx["relatives"] = f.choice("relatives", f.values["letter.relatives"], "letter.relatives")


@derives("housing")
def housing(f: Facts) -> None:
    """The housing, as coded; the rent is printed only for renting or public housing."""
    code = f.values.get("household.housing")
    if code:
        f.ctx["housing"] = f.choice("housing", code, "household.housing")
    if code not in ("renting", "public_housing"):
        f.ctx.pop("household.monthly_rent", None)


@derives("written_decision", "language", "medical_without_urgency", "has_requests")
def welfare_requests(f: Facts) -> None:
    """The requests (要望事項): a written decision (on unless turned off), a 医療券 when medical care is needed
    without urgency, no 扶養照会, no contact with the home state, an interpreter, the supporter coming along."""
    c = f.ctx
    c["written_decision"] = f.values.get("letter.written_decision", True) is not False and (
        "letter.written_decision" in f.t.uses)
    if "letter.interpreter_language" in f.values:
        c["language"] = f.choice("language", f.values["letter.interpreter_language"], "letter.interpreter_language")
    c["medical_without_urgency"] = bool(c.get("needs.medical_care")) and not c.get("needs.urgent")
    c["has_requests"] = any(bool(c.get(k)) for k in (
        "written_decision", "medical_without_urgency", "letter.no_family_inquiry", "letter.no_home_state_contact",
        "letter.interpreter_language")) or bool(c.get("letter.supporter_accompanies") and "supporter.name" in f.values)


@derives("filer", "person_applies", "filer_relation", "filer_other_relative", "filer_not_relative",
         "filer_relative_not_cohabiting", "filer_cohabiting", "filer_postal", "lives_alone_filer",
         "lives_alone_self", "ground_abroad_contradicts", "ground_no_contact_contradicts",
         "grounds_without_request")
def welfare_filer(f: Facts) -> None:
    """An application made by a 扶養義務者 or 同居の親族 for the person in need (生活保護法7条; 24条1項: the
    applicant's name and address beside the person's); and the 扶養照会 grounds that contradict other answers."""
    c = f.ctx
    c["filer"] = "letter.filer_name" in f.values
    c["person_applies"] = not c["filer"]
    relation = f.values.get("letter.filer_relation")
    if relation:
        c["filer_relation"] = f.choice("relation", relation, "letter.filer_relation")
    c["filer_other_relative"] = c["filer"] and relation == "other_relative"
    c["filer_not_relative"] = c["filer"] and relation == "other"
    c["filer_relative_not_cohabiting"] = c["filer_other_relative"] and f.values.get("letter.filer_cohabits") is False
    if f.values.get("letter.filer_cohabits") is True:
        c["filer_cohabiting"] = V("・同居", N_(", living with them"), True, ("letter.filer_cohabits",))
    if "letter.filer_postal_code" in f.values:
        code = f.values["letter.filer_postal_code"]
        c["filer_postal"] = V(f"〒{code}　", f"{code} ", False, ("letter.filer_postal_code",))
    else:
        c["filer_postal"] = EMPTY
    c["lives_alone_filer"] = c.get("lives_alone", False) and c["filer"]
    c["lives_alone_self"] = c.get("lives_alone", False) and not c["filer"]
    grounds = set(f.values.get("letter.family_inquiry_grounds") or [])
    relatives_ = f.values.get("letter.relatives")
    years = f.values.get("letter.relatives_no_contact_years")
    c["ground_abroad_contradicts"] = "abroad" in grounds and relatives_ is not None and relatives_ != "abroad"
    c["ground_no_contact_contradicts"] = "no_contact" in grounds and (
        (years is not None and years < 10) or relatives_ == "helping")
    c["grounds_without_request"] = bool(grounds) and f.values.get("letter.no_family_inquiry") is not True


@derives("family_inquiry_grounds")
def family_inquiry_grounds(f: Facts) -> None:
    """The grounds for no 扶養照会 chosen (令和3年の通知), as requests (``each: family_inquiry_grounds``)."""
    grounds = f.values.get("letter.family_inquiry_grounds") or []
    f.ctx["family_inquiry_grounds"] = [
        {"item": f.choice("family_inquiry_ground", g, "letter.family_inquiry_grounds")} for g in grounds]


@derives("refusal", "refusal_after_date")
def refusal_at_counter(f: Facts) -> None:
    """What happened at the counter (申入書), as coded; a date at the counter after the letter's is refused."""
    code = f.values.get("letter.refusal_kind")
    if code:
        f.ctx["refusal"] = f.choice("refusal_kind", code, "letter.refusal_kind") if code != "other" else EMPTY
    refused_on = f.values.get("letter.refusal_date")
    f.ctx["refusal_after_date"] = refused_on is not None and refused_on > f.day


@derives("assets_contradict")
def welfare_assets(f: Facts) -> None:
    """"No other assets" beside assets named (refused)."""
    f.ctx["assets_contradict"] = f.values.get("letter.has_other_assets") is False and bool(
        f.values.get("letter.other_assets"))


@derives("benefit_income", "benefits_contradict", "results_found_benefits")
def other_benefits(f: Facts) -> None:
    """Other benefits: pensions and benefits in the household's income (refused beside "no other benefits"),
    benefits named beside "no other benefits" (refused), and ``results_found_benefits``, the template's
    ``benefit_programmes`` that the rules find the person eligible for (a notice asks them to check; each
    title is also ``benefit0``, ``benefit1`` … for the translation)."""
    c = f.ctx
    parts = f.a.household.income
    benefit_income = (parts.pensions or 0) + (parts.benefits or 0) if parts is not None else 0
    if benefit_income:
        c["benefit_income"] = yen(benefit_income)
    if f.t.benefit_programmes:
        result = f.evaluation()
        found = [r for r in (result.results if result else [])
                 if r.id in f.t.benefit_programmes and r.outcome == "eligible"]
        if found:
            keys = []
            for i, r in enumerate(found):
                c[f"benefit{i}"] = V(r.title_ja, r.title, True)
                keys.append(f"{{benefit{i}}}")
            c["results_found_benefits"] = V("、".join(r.title_ja for r in found), "; ".join(keys), True)
    c["benefits_contradict"] = f.values.get("letter.receives_other_benefits") is False and bool(
        f.values.get("letter.other_benefits"))
