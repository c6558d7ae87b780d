"""Request letters: fill in, review what the letter tells the office, download it with its translation.

The page only collects values and shows what ``helper.letters`` builds; every value is checked by the
letter's own validators, and nothing typed here is rendered as Markdown or HTML.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from helper.i18n import LANGUAGES, translator
from helper.letters import (
    Contradiction,
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
from helper.letters.templates import template
from helper.ui import results, session

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


def field_widget(fid: str) -> None:
    spec = field_spec(kind, fid)
    key = f"m_letter_{kind}_{fid}"
    label = f"{_(spec.label)}（{spec.label_ja}）" + (" *" if spec.required else "")
    current = overrides.get(fid, answer_at(fid))
    if spec.check == "flag" and spec.fact:
        # A fact is yes, no or not answered: an untouched checkbox would state "no" for the person.
        codes = ["", "yes", "no"]
        names = {"": "—", "yes": _("Yes"), "no": _("No")}
        chosen = "" if current is None else ("yes" if current else "no")
        st.selectbox(label, codes, index=codes.index(chosen), format_func=lambda c: names[c], key=key)
    elif spec.check == "flag":
        # A request nobody has set takes the letter's own default (e.g. asking for a written decision).
        st.checkbox(label, value=bool(spec.default) if current is None else bool(current), key=key)
    elif spec.check == "choice":
        codes = [""] + [o.code for o in spec.choices or ()]
        names = {o.code: f"{_(o.text)}（{o.ja}）" for o in spec.choices or ()} | {"": "—"}
        st.selectbox(label, codes, index=codes.index(current) if current in codes else 0,
                     format_func=lambda c: names[c], key=key)
    elif spec.check == "choices":
        codes = [o.code for o in spec.choices or ()]
        names = {o.code: f"{_(o.text)}（{o.ja}）" for o in spec.choices or ()}
        st.multiselect(label, codes, default=[c for c in (current or []) if c in codes],
                       format_func=lambda c: names[c], key=key)
    elif spec.multiline or spec.check == "text_list":
        st.text_area(label, value=shown(current), key=key, max_chars=spec.max_length and spec.max_length * 4)
    else:
        st.text_input(label, value=shown(current), key=key, max_chars=min(spec.max_length or 120, 200))


specs = editable_fields(kind)
plain = [s.id for s in specs if "*" not in s.id]
member_fields = [s.id for s in specs if "*" in s.id]
size = answer_at("household.size") or 1
members = [f.replace("*", str(i)) for i in range(max(int(size) - 1, 0)) for f in member_fields]

with st.form(f"m_letter_form_{kind}"):
    for fid in plain:
        field_widget(fid)
    if members:
        other_members = _("Other members of the household")
        st.markdown(f"**{md(other_members)}**")
        for fid in members:
            field_widget(fid)
    submitted = st.form_submit_button(_("Update the letter"), type="primary")

if submitted:
    problems = []
    for fid in plain + members:
        raw = ss.get(f"m_letter_{kind}_{fid}")
        if field_spec(kind, fid).fact and field_spec(kind, fid).check == "flag":
            raw = {"yes": True, "no": False}.get(raw or "", "")
        if isinstance(raw, str) and field_spec(kind, fid).check == "text_list":
            raw = [line for line in raw.splitlines() if line.strip()]
        if raw in ("", None, []) or raw is False and field_spec(kind, fid).check == "flag":
            overrides[fid] = raw if raw is False else ""
            continue
        try:
            validate_field(kind, fid, raw)
        except LetterInputError as exc:
            problems.append(f"{_(field_spec(kind, fid).label)}: {exc.error.text(_)}")
            continue
        overrides[fid] = raw
    for problem in problems:
        st.error(md(problem))

try:
    letter = build_letter(kind, ss.answers, overrides, rules=session.rules())
except MissingFacts as exc:
    labels = []
    for fid in exc.fields:
        try:
            labels.append(_(field_spec(kind, fid).label))
        except LetterError:
            labels.append(fid)
    st.warning(md(_("The letter still needs:")) + " " + md(", ".join(labels)))
    st.stop()
except Contradiction as exc:
    # the answers contradict this letter: it would say something false, so it is not written
    try:
        where = _(field_spec(kind, exc.field).label)
    except LetterError:
        where = exc.field
    st.error(md(_("This letter cannot be written from these answers:")) + " " + md(exc.error.text(_)) + " ("
             + md(where) + ")")
    st.stop()
except LetterInputError as exc:
    st.error(md(f"{exc.field}: {exc.error.text(_)}"))
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
