"""Request letters: fill in, review what the letter tells the office, download it with its translation.

The page only collects values and shows what ``helper.letters`` builds; every value is checked by the
letter's own validators, and nothing typed here is rendered as Markdown or HTML.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from helper import municipality as muni
from helper.i18n import LANGUAGES, translator
from helper.letters import (
    Contradiction,
    FieldSpec,
    LetterError,
    LetterInputError,
    MissingFacts,
    build_letter,
    editable_fields,
    field_spec,
    kinds,
    render_docx,
    render_pdf,
    validate_field,
)
from helper.letters.model import N_
from helper.letters.templates import (
    MEMBER_PREFIX,
    field_catalogue,
    review_sections,
    section_headings,
    template,
    vocabulary,
)
from helper.letters.text import fill
from helper.ui import results, session


def page() -> None:
    # The whole page runs in a function: what it holds about the person (answers, the letter's text) are
    # locals that end with the run. A page's module namespace can outlive its session, kept by the widgets'
    # callbacks and format functions, and with it anything assigned at its top level.
    _ = session.t()
    ss = st.session_state
    md = results.md

    st.title(_("Request letter"))
    results.unreviewed_note()
    st.write(_("A letter in Japanese to hand in at the office, with a translation for you to read. Check every "
               "field; the letter says only what the request needs."))


    def title(kind: str) -> str:
        t = template(kind)
        return f"{_(t.title.text)}（{t.title.ja}）"


    ORDER = ["welfare_application", "welfare_acceptance", "nhi_income_declaration", "nhi_reduction", "nhi_instalment",
             "nhi_copayment_reduction", "nhi_appeal", "housing_guarantor_waiver", "housing_eligibility_inquiry"]
    available = sorted(kinds(), key=lambda k: (ORDER.index(k) if k in ORDER else len(ORDER), k))
    kind = st.selectbox(_("Which letter?"), available, format_func=title, key="m_letter_kind")
    overrides: dict[str, Any] = ss.setdefault("letter_overrides", {}).setdefault(kind, {})


    def answer_at(path: str) -> Any:
        current: Any = ss.answers
        for part in path.split("."):
            if isinstance(current, list):
                current = current[int(part)] if part.isdigit() and int(part) < len(current) else None
            elif isinstance(current, dict):
                current = current.get(part)
            else:
                return None
        return current


    def shown(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return str(value)


    # Where a format matters, a hint under the field says it (the validators accept these forms and a few more).
    FORMAT_HINTS = {
        "date": N_("Year-month-day, such as 2026-12-04"),
        "birth_date": N_("Year-month-day, such as 2026-12-04"),
        "phone": N_("Digits and hyphens, such as 06-1234-5678"),
        "postal_code": N_("7 digits, such as 532-0023"),
        "residence_card": N_("As on the card: 2 letters, 8 digits and 2 letters, such as AB12345678CD"),
        "individual_number": N_("12 digits, as on your My Number card or notice"),
        "yen": N_("An amount in yen, in digits, such as 50000"),
        "year": N_("A year, such as 2026"),
        "kana": N_("In katakana"),
        "text_list": N_("One document per line"),
    }
    MEMBER = re.compile(r"^letter\.members\.([0-9]+)\.([a-z_]+)$")
    JAPANESE_NATIONALITY = "日本"  # what the letter prints (国籍：日本) for a member who is a Japanese national


    def generic(fid: str) -> str:
        return MEMBER.sub(lambda m: MEMBER_PREFIX + m.group(2), fid)


    def label_of(fid: str) -> str:
        """The field as the person reads it: never its id."""
        if fid == "letter.members":
            return _("Other members of the household")
        fdef = field_catalogue().get(generic(fid))
        if fdef is None:
            return _("an answer to the questions (change it on the questions page)")
        label = _(fdef.label.text)
        member = MEMBER.match(fid)
        if member:
            return fill(_("{field}, household member {n}"), {"field": label, "n": str(int(member.group(1)) + 1)})
        return label


    def member_is_japanese(i: int) -> bool:
        return ss.get(f"m_letter_{kind}_nationality_{i}", member_nationality_default(i)) == "japanese"


    def member_nationality_default(i: int) -> str:
        typed = overrides.get(f"letter.members.{i}.nationality", answer_at(f"letter.members.{i}.nationality"))
        if typed:
            return "japanese" if str(typed).strip() == JAPANESE_NATIONALITY else "foreign"
        return {"japanese": "japanese", "foreign": "foreign"}.get(answer_at(f"household.members.{i}.nationality"), "")


    def card_name() -> tuple[str, str]:
        """The card of the person's residence status (Japanese, English msgid), for the choices that name it."""
        status = overrides.get("person.residence_status") or answer_at("person.residence_status")
        entry = vocabulary()["status"].get(status) if isinstance(status, str) else None
        if entry is not None and entry.card and entry.card != "none":
            card = vocabulary()["card"][entry.card]
            return card.ja, card.text
        return "在留カード等", N_("residence card (or the card or permit you have)")


    def place_names() -> dict[str, str]:
        """The city and prefecture of the answers' municipality, for the choices that name them (市営住宅, 府営住宅)."""
        code = answer_at("municipality")
        place = muni.get(code) if isinstance(code, str) else None
        if place is None:
            return {"city": "市", "prefecture": "都道府県"}
        city = muni.get(place.parent) if place.level == "ward" and place.parent else place
        return {"city": city.name if city else place.name, "prefecture": place.prefecture}


    def option_names(spec: FieldSpec) -> dict[str, str]:
        """The choices as shown: English (translated) and Japanese, their placeholders filled as the letter
        fills them."""
        card_ja, card_text = card_name()

        def filled(text: str, card: str) -> str:
            for key, value in {"card_name": card, **place_names()}.items():
                text = text.replace("{" + key + "}", value)
            return text

        return {o.code: f"{filled(_(o.text), _(card_text))}（{filled(o.ja, card_ja)}）" for o in spec.choices or ()}


    def field_widget(fid: str, required: bool, problem: str | None) -> None:
        spec = field_spec(kind, fid)
        key = f"m_letter_{kind}_{fid}"
        label = f"{_(spec.label)}（{spec.label_ja}）" + (" *" if required else "")
        current = overrides.get(fid, answer_at(fid))
        if spec.check == "flag" and spec.fact:
            # A fact is yes, no or not answered: an untouched checkbox would state "no" for the person.
            codes = ["", "yes", "no"]
            names = {"": "—", "yes": _("Yes"), "no": _("No")}
            chosen = "" if current is None or current == "" else ("yes" if current else "no")
            st.selectbox(label, codes, index=codes.index(chosen), format_func=lambda c: names[c], key=key)
        elif spec.check == "flag":
            # A request nobody has set takes the letter's own default (e.g. asking for a written decision).
            st.checkbox(label, value=bool(spec.default) if current is None else bool(current), key=key)
        elif spec.check == "choice":
            codes = [""] + [o.code for o in spec.choices or ()]
            names = option_names(spec) | {"": "—"}
            st.selectbox(label, codes, index=codes.index(current) if current in codes else 0,
                         format_func=lambda c: names[c], key=key)
        elif spec.check == "choices":
            codes = [o.code for o in spec.choices or ()]
            names = option_names(spec)
            st.multiselect(label, codes, default=[c for c in (current or []) if c in codes],
                           format_func=lambda c: names[c], key=key)
        elif spec.multiline or spec.check == "text_list":
            st.text_area(label, value=shown(current), key=key, max_chars=spec.max_length and spec.max_length * 4)
        else:
            st.text_input(label, value=shown(current), key=key, max_chars=min(spec.max_length or 120, 200))
        fdef = field_catalogue()[generic(fid)]
        hint = fdef.hint.text if fdef.hint else FORMAT_HINTS.get(spec.check)
        if hint:
            st.caption(md(_(hint)))
        if problem:
            st.error(md(problem))


    def member_nationality_widget(i: int) -> None:
        """A member is a Japanese national or not: a Japanese national has no residence status or card."""
        codes = ["", "japanese", "foreign"]
        japanese, foreign = _("Japanese national"), _("Another nationality")
        names = {"": "—", "japanese": f"{japanese}（日本国籍）", "foreign": f"{foreign}（外国籍）"}
        label = _("Japanese national or another nationality")
        st.selectbox(f"{label}（国籍の区分）", codes, index=codes.index(member_nationality_default(i)),
                     format_func=lambda c: names[c], key=f"m_letter_{kind}_nationality_{i}")


    def members_count() -> int:
        size = overrides.get("household.size") or answer_at("household.size") or 1
        try:
            return max(int(size) - 1, 0)
        except (TypeError, ValueError):
            return 0


    sections = review_sections(kind)
    member_fields = [f.removeprefix(MEMBER_PREFIX)
                     for _s, fids in sections for f in fids if f.startswith(MEMBER_PREFIX)]
    plain = [f for _s, fids in sections for f in fids if not f.startswith(MEMBER_PREFIX)]
    n_members = members_count()
    # residence status and period of stay are not asked of a member who is a Japanese national
    STATUS_ONLY = ("residence_status", "residence_expiry")


    def member_ids(i: int) -> list[str]:
        return [f"letter.members.{i}.{f}" for f in member_fields
                if not (f in STATUS_ONLY and member_is_japanese(i))]


    submit_key = f"m_letter_submit_{kind}"
    problems: dict[str, str] = {}
    if ss.get(submit_key):
        # Read the form before drawing it again, so that a refused value is explained beside its field.
        for i in range(n_members if member_fields else 0):
            choice = ss.get(f"m_letter_{kind}_nationality_{i}")
            nationality = f"letter.members.{i}.nationality"
            if choice == "foreign" and overrides.get(nationality) == JAPANESE_NATIONALITY and (
                    f"m_letter_{kind}_{nationality}" not in ss):
                overrides[nationality] = ""  # no longer a Japanese national: their nationality is asked
            if choice == "japanese":
                overrides[f"letter.members.{i}.nationality"] = JAPANESE_NATIONALITY
                for f in STATUS_ONLY:
                    if f in member_fields:
                        overrides[f"letter.members.{i}.{f}"] = ""
                        ss.pop(f"m_letter_{kind}_letter.members.{i}.{f}", None)
        for fid in plain + [m for i in range(n_members) for m in member_ids(i)]:
            key = f"m_letter_{kind}_{fid}"
            if key not in ss:
                continue
            raw = ss[key]
            spec = field_spec(kind, fid)
            if spec.fact and spec.check == "flag":
                raw = {"yes": True, "no": False}.get(raw or "", "")
            if isinstance(raw, str) and spec.check == "text_list":
                raw = [line for line in raw.splitlines() if line.strip()]
            member = MEMBER.match(fid)
            if member and member.group(2) == "nationality":
                if member_is_japanese(int(member.group(1))):
                    raw = JAPANESE_NATIONALITY
                elif isinstance(raw, str) and raw.strip() == JAPANESE_NATIONALITY:
                    problems[fid] = label_of(fid) + ": " + _("says Japan: choose “Japanese national” above, or write "
                                                              "the other nationality")
                    continue
            if raw in ("", None, []) or raw is False and spec.check == "flag":
                overrides[fid] = raw if raw is False else ""
                continue
            try:
                validate_field(kind, fid, raw)
            except LetterInputError as exc:
                problems[fid] = f"{label_of(fid)}: {exc.error.text(_)}"
                continue
            overrides[fid] = raw
        n_members = members_count()

    # The letter is built before the form is drawn: the form marks what this letter needs with these answers.
    letter = None
    trouble: LetterError | None = None
    try:
        letter = build_letter(kind, ss.answers, overrides, rules=session.rules())
    except LetterError as exc:
        trouble = exc
    required_now = {s.id for s in editable_fields(kind) if s.required}
    if letter is not None:
        required_now |= {f.id for f in letter.fields if f.required}
    if isinstance(trouble, MissingFacts):
        required_now |= set(trouble.fields)
    if isinstance(trouble, LetterInputError) and trouble.field not in problems:
        problems[trouble.field] = (label_of(trouble.field) + ": " + trouble.error.text(_))

    if problems and not isinstance(trouble, LetterInputError):
        st.error(md(_("Some values were not taken; see the messages under the fields.")))
    with st.form(f"m_letter_form_{kind}"):
        st.caption(md(_("* needed in this letter with your answers so far (some fields are needed only in some "
                        "cases, for example the relationship of a relative who applies)")))
        for section, fids in sections:
            st.subheader(_(section_headings()[section]))
            for fid in fids:
                if fid.startswith(MEMBER_PREFIX):
                    continue
                field_widget(fid, fid in required_now, problems.get(fid))
            if section == "household" and member_fields and n_members:
                if "letter.members" in required_now:
                    st.caption(md(_("Other members of the household")) + " *")
                for i in range(n_members):
                    member = fill(_("Household member {n}"), {"n": str(i + 1)})
                    st.markdown(f"**{md(member)}**")
                    for fid in member_ids(i):
                        if fid.endswith(".nationality"):
                            member_nationality_widget(i)
                            if member_is_japanese(i):
                                continue
                        field_widget(fid, fid in required_now, problems.get(fid))
        st.form_submit_button(_("Update the letter"), type="primary", key=submit_key)

    if isinstance(trouble, MissingFacts):
        st.warning(md(_("The letter still needs:")) + " " + md(", ".join(dict.fromkeys(label_of(f)
                                                                                      for f in trouble.fields))))
        st.stop()
    if isinstance(trouble, Contradiction):
        # the answers contradict this letter: it would say something false, so it is not written
        st.error(md(_("This letter cannot be written from these answers:")) + " " + md(trouble.error.text(_)) + " ("
                 + md(label_of(trouble.field)) + ")")
        st.stop()
    if trouble is not None or letter is None:
        if isinstance(trouble, LetterInputError):
            st.error(md(label_of(trouble.field) + ": " + trouble.error.text(_)))
        st.stop()

    st.subheader(_("What this letter tells the office"))
    st.markdown("\n".join(f"- {md(_(d))}" for d in letter.disclosures))
    if letter.withheld:
        st.caption(md(_("It does not say:")) + " " + md("; ".join(_(w) for w in letter.withheld)))
    for notice in letter.notices:  # the same warnings are printed on the guidance sheet and the translation
        st.warning(md(notice.translated(_)))

    st.subheader(_("The letter"))
    # The reader of the translation may not be the person using the page (a supporter often is): its language
    # is chosen here, independently of the interface.
    codes = list(LANGUAGES)
    default_lang = ss.get("m_letter_lang") or session.lang()
    reader_lang = st.selectbox(_("Language of the translation"), codes,
                               index=codes.index(default_lang) if default_lang in codes else 0,
                               format_func=lambda c: f"{LANGUAGES[c].native}（{_(LANGUAGES[c].english)}）",
                               key="m_letter_lang")
    reader = translator(reader_lang)
    japanese, translation = st.columns(2)
    with japanese:
        st.caption(_("Japanese: this is the text to hand in"))
        st.text(letter.japanese_text)
    if not reader_lang.startswith("ja"):
        with translation:
            st.caption(_("Translation, for understanding only"))
            st.text("\n".join(letter.translation(reader)))

    st.subheader(_("Download"))
    pdf_col, docx_col = st.columns(2)
    with pdf_col:
        if st.button(_("Prepare the PDF"), key="m_letter_pdf"):
            ss.letter_pdf = (kind, render_pdf(letter, reader_lang, reader))
        if ss.get("letter_pdf") and ss.letter_pdf[0] == kind:
            st.download_button(_("Download the PDF"), ss.letter_pdf[1], file_name=f"{kind}.pdf",
                               mime="application/pdf", key="m_letter_pdf_download", on_click="ignore")
    with docx_col:
        if st.button(_("Prepare the Word file"), key="m_letter_docx"):
            ss.letter_docx = (kind, render_docx(letter))
        if ss.get("letter_docx") and ss.letter_docx[0] == kind:
            st.download_button(_("Download the Word file"), ss.letter_docx[1], file_name=f"{kind}.docx",
                               mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                               key="m_letter_docx_download", on_click="ignore")
    st.caption(_("Make two copies. Hand in one and ask for a date stamp (受付印) on yours, or send it by registered "
                 "post or fax. Keep every written answer you receive."))


page()
