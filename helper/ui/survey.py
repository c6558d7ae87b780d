"""The campaign page's survey tab: upload anonymised answers, see suppressed counts and the gaps they show.

``survey_section(base, as_of)`` draws it and returns the published groups (:class:`helper.counts.Group`) for the
petition to cite. The file is read from the upload in memory, bounded, and never written to disk; its rows
live only in this session (``st.session_state``) and end with it. Rows that are not valid answers are
reported by row number and field while the others are counted.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import streamlit as st

from .. import batch, counts
from .. import municipality as muni
from ..letters.text import fill
from . import results, session

MAX_SURVEY_MB = 50
MAX_SURVEY_BYTES = MAX_SURVEY_MB * 1024 * 1024
SHOWN_BAD_ROWS = 20
STATE = "survey_counts"  # session state: (file id, as of, groups, bad rows, valid rows)


def _evaluate(data: bytes, name: str, base: Any, as_of: dt.date) -> tuple[list[counts.Group], list[batch.Row], int]:
    """Groups, invalid rows and the number of valid rows of a survey file; raises BatchError, UnicodeError."""
    text = data.decode("utf-8")
    rows = list(batch.read_rows(text, name))
    evaluated = list(batch.evaluate_rows(rows, base, today=as_of))
    bad = [e.row for e in evaluated if e.row.error is not None]
    groups = counts.publish(batch.records(evaluated, today=as_of))
    return groups, bad, len(evaluated) - len(bad)


def counts_csv(groups: list[counts.Group]) -> str:
    out = io.StringIO()
    counts.write_csv(groups, out)
    return out.getvalue()


def gaps_shown(groups: list[counts.Group]) -> list[tuple[str, str, str, str, int | None]]:
    """The excluded cells of the counts: (municipality, quarter, status, programme, people or None if hidden),
    the published ones first (largest first)."""
    out = [(g.municipality, g.quarter, s, p, n) for g in groups
           for (s, p, o), n in g.cells.items() if o == "not_eligible" and n != 0]
    return sorted(out, key=lambda x: (x[4] is None, -(x[4] or 0), x[:4]))


def survey_section(base: Any, as_of: dt.date) -> list[counts.Group]:
    _ = session.t()
    md = results.md
    ss = st.session_state
    st.subheader(_("Survey counts"))
    st.caption(_("Upload a survey of anonymised answers: CSV whose columns are the answers file's dotted paths, "
                 "or JSON Lines. Names, addresses and free text are refused. The file stays in this session's "
                 "memory only: nothing is written to disk, and it is gone when the session ends."))
    upload = st.file_uploader(_("Survey file (CSV or JSON Lines)"), type=["csv", "jsonl", "ndjson"],
                              key="m_survey_upload", max_upload_size=MAX_SURVEY_MB)
    if upload is None:
        ss.pop(STATE, None)
        return []
    key = (upload.file_id, as_of)
    held = ss.get(STATE)
    if held is None or held[0] != key:
        if upload.size > MAX_SURVEY_BYTES:
            st.error(md(fill(_("The file is larger than {limit} MB."), {"limit": str(MAX_SURVEY_MB)})))
            return []
        try:
            with st.spinner(_("Evaluating the survey…")):
                groups, bad, valid = _evaluate(upload.getvalue()[:MAX_SURVEY_BYTES + 1], upload.name or "", base,
                                               as_of)
        except UnicodeDecodeError:
            st.error(_("The file is not UTF-8 text. Save it as CSV UTF-8 or JSON Lines and upload it again."))
            return []
        except batch.BatchError as exc:
            st.error(md(_("The file cannot be read as a survey:")) + " " + md(str(exc)))
            return []
        held = (key, groups, bad, valid)
        ss[STATE] = held
    _key, groups, bad, valid = held

    st.write(md(fill(_("{valid} rows evaluated, {invalid} rows rejected."),
                     {"valid": str(valid), "invalid": str(len(bad))})))
    if bad:
        lines = [fill(_("Row {row}: {field}: {message}"),
                      {"row": str(r.number), "field": r.error.field if r.error else "",
                       "message": r.error.message if r.error else ""}) for r in bad[:SHOWN_BAD_ROWS]]
        more = "" if len(bad) <= SHOWN_BAD_ROWS else "\n\n" + fill(
            _("… and {n} more rejected rows."), {"n": str(len(bad) - SHOWN_BAD_ROWS)})
        st.warning(md(_("These rows were not counted (the others were):")) + "\n\n"
                   + "\n".join(f"- {md(line)}" for line in lines) + more)
    if not groups:
        return []

    st.caption(md(_("Every count from 1 to 9 is shown as <10, and so is any count that would let a reader work "
                    "a hidden one out from the totals. Zeros are shown.")))
    header = [_("Municipality"), _("Quarter"), _("Programme"), _("Status"), _("Outcome"), _("People")]
    table = [dict(zip(header, line, strict=True)) for line in counts.rows(groups)]
    st.dataframe(table, hide_index=True, key="m_survey_table")
    st.download_button(_("Download the counts (CSV)"), counts_csv(groups), file_name="counts.csv", mime="text/csv",
                       key="m_survey_csv", on_click="ignore")

    st.subheader(_("Gaps the counts show"))
    shown = gaps_shown(groups)
    if not shown:
        st.write(_("No respondent was excluded from a programme."))
    else:
        lines = []
        titles = {pid: _(p.title) for pid, (p, _f) in base.programmes.items()} if base is not None else {}
        for municipality, quarter, status, programme, n in shown:
            people = counts.HIDDEN if n is None else str(n)
            place = muni.get(municipality)
            lines.append(fill(_("{municipality}, {quarter}: {status} excluded from {programme}: {people}"),
                              {"municipality": place.name if place else municipality, "quarter": quarter,
                               "status": status, "programme": titles.get(programme, programme),
                               "people": people}))
        st.markdown("\n".join(f"- {md(line)}" for line in lines))
    return groups
