"""The campaign page's petition tab: a 要望書, 陳情書 or 請願書 citing chosen gaps and published counts.

``petition_section(base, gap_rows, groups, place=None)`` draws it: the kind, the addressee (presets for the
place, editable), the gaps to cite, the submitter's details (blank by default: nothing is guessed), the
warning that names and addresses are made public, a preview, and PDF / DOCX downloads. What is typed stays
in this session's memory; nothing is written to disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from .. import petition as pt
from ..letters import render_docx, render_pdf
from ..letters.model import N_
from ..letters.pdf import LetterTooLong
from ..letters.text import fill
from . import results, session

KIND_NAMES = {
    "yobo": N_("Request to the mayor (要望書)"),
    "chinjo": N_("Petition to the assembly chair, no introducing member (陳情書)"),
    "seigan": N_("Petition with an introducing member, to the assembly or the Diet (請願書)"),
}
DEFAULT_PLACE = "27100"


def _programme_titles(base: Any) -> dict[str, tuple[str, str]]:
    if base is None:
        return {}
    return {pid: (p.title, getattr(p, "title_ja", None) or pid) for pid, (p, _f) in base.programmes.items()}


def petition_section(base: Any, gap_rows: Sequence[Mapping[str, Any]], groups: Sequence[Any] = (),
                     place: str | None = None) -> None:
    _ = session.t()
    md = results.md
    ss = st.session_state
    st.subheader(_("Petition draft"))
    code = place or (ss.get("answers") or {}).get("municipality") or DEFAULT_PLACE
    try:
        pt.city_of(code)
    except pt.PetitionError:
        code = DEFAULT_PLACE

    kind = st.radio(_("Kind of document"), list(pt.KINDS), format_func=lambda k: _(KIND_NAMES[k]),
                    key="m_petition_kind")
    presets = pt.addressees(kind, code)
    preset = st.selectbox(_("Addressee"), presets, key=f"m_petition_to_{kind}")
    typed_to = st.text_input(_("Or type the addressee as printed (optional)"), key="m_petition_to_typed",
                             max_chars=60)

    titles = _programme_titles(base)
    excluded = [r for r in gap_rows if r.get("outcome") == "not_eligible"]
    ids = list(dict.fromkeys(pt.gap_id(r) for r in excluded))
    names = {}
    for r in excluded:
        en, ja = titles.get(str(r["programme"]), (str(r["programme"]), str(r["programme"])))
        names[pt.gap_id(r)] = f"{r['label']} — {_(en)}（{ja}）"
    chosen = st.multiselect(_("Gaps to cite"), ids, format_func=lambda i: names.get(i, i), key="m_petition_gaps")

    st.caption(_("Leave a field empty to print a blank to fill in by hand."))
    name = st.text_input(_("Submitter (or organisation and representative), in Japanese"), key="m_petition_name",
                         max_chars=100)
    address = st.text_input(_("Address of the submitter or the organisation"), key="m_petition_address",
                            max_chars=150)
    contact = st.text_input(_("Phone or e-mail"), key="m_petition_contact", max_chars=100)
    introducer = ""
    if kind == "seigan":
        introducer = st.text_input(_("Introducing member (紹介議員), if one has agreed; they sign in person"),
                                   key="m_petition_introducer", max_chars=60)
    day = st.date_input(_("Date of the document"), value=dt.date.today(), key="m_petition_date")

    warning = pt.template().preamble["public_mayor" if kind == "yobo" else "public_assembly"]
    document = pt.template().kinds[kind].document
    st.warning(md(fill(_(warning.text), {"document": _(document.text)})))
    if kind == "seigan":
        st.info(md(_(pt.template().preamble["introducer"].text)))

    if not chosen:
        st.info(_("Choose at least one gap to cite."))
        return
    rows = [r for r in excluded if pt.gap_id(r) in chosen]
    submitter = pt.Submitter(name.strip(), address.strip(), contact.strip(),
                             (introducer.strip(),) if introducer.strip() else ())
    try:
        letter = pt.build_petition(kind, rows, place=code, to=typed_to.strip() or preset, groups=groups,
                                   submitter=submitter, base=base, date=day)
    except pt.PetitionError as exc:
        st.error(md(exc.text(_)))
        return

    st.subheader(_("Preview"))
    st.text(letter.japanese_text)
    lang = session.lang()
    pdf_col, docx_col = st.columns(2)
    stamp = (kind, letter.japanese_text)
    with pdf_col:
        if st.button(_("Prepare the PDF"), key="m_petition_pdf"):
            try:
                ss.petition_pdf = (stamp, render_pdf(letter, lang, session.t()))
            except LetterTooLong:
                st.error(_("The petition is too long: cite fewer gaps."))
        if ss.get("petition_pdf") and ss.petition_pdf[0] == stamp:
            st.download_button(_("Download the PDF"), ss.petition_pdf[1], file_name=f"petition_{kind}.pdf",
                               mime="application/pdf", key="m_petition_pdf_download", on_click="ignore")
    with docx_col:
        if st.button(_("Prepare the Word file"), key="m_petition_docx"):
            ss.petition_docx = (stamp, render_docx(letter))
        if ss.get("petition_docx") and ss.petition_docx[0] == stamp:
            st.download_button(_("Download the Word file"), ss.petition_docx[1], file_name=f"petition_{kind}.docx",
                               mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                               key="m_petition_docx_download", on_click="ignore")
