"""The campaign page's tabs: the gap table, comparison of places, every municipality, the timeline, print.

Each tab is a function of the shared controls (:class:`Choice`); the page lists them in ``TABS`` so that a
tab is added with one line there. Everything shown is public rule data: no answers of a person are read.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import altair as alt  # installed with Streamlit, which draws with it
import pandas as pd  # type: ignore[import-untyped]  # Streamlit's own dependency, for its tables and charts
import streamlit as st

from .. import basis, campaign
from .. import municipality as muni
from ..gaps import gap_table
from ..present import OUTCOME_ICON, OUTCOME_SHORT
from ..text import N_
from . import session
from .petition import petition_section
from .results import md
from .survey import survey_section

DEFAULT_PLACE = "27100"
DEFAULT_COMPARE = ("27100", "11203")
# Cell colours: a gap in red, uncertain in amber, open in green; a difference between places outlined.
COLOURS = {"not_eligible": "background-color:#f8d7da", "uncertain": "background-color:#fff3cd",
           "eligible": "background-color:#d1e7dd"}
CSV_NAME = "gaps-{code}-{date}.csv"


@dataclass(frozen=True)
class Choice:
    """The controls shared by the tabs."""

    code: str
    as_of: dt.date
    programmes: tuple[str, ...]


@st.cache_data(show_spinner=False, max_entries=64)
def _table(code: str, as_of: dt.date, programmes: tuple[str, ...]) -> dict[str, Any]:
    return gap_table(session.rules(), code, as_of, list(programmes))


@st.cache_data(show_spinner=False, max_entries=32)
def _compare(codes: tuple[str, ...], as_of: dt.date, programmes: tuple[str, ...]) -> dict[str, Any]:
    return campaign.compare(session.rules(), list(codes), as_of, list(programmes))


@st.cache_data(show_spinner=False, max_entries=32)
def _overview(label: str, programme: str, as_of: dt.date) -> dict[str, Any]:
    return campaign.overview(session.rules(), label, programme, as_of)


@st.cache_data(show_spinner=False, max_entries=32)
def _timeline(code: str, as_of: dt.date, programmes: tuple[str, ...]) -> dict[str, Any]:
    return campaign.timeline(session.rules(), code, as_of, list(programmes))


def place_label(code: str) -> str:
    m = muni.get(code)
    if m is None:
        return code
    script = "kanji" if session.lang() == "ja" else "kana" if session.lang().startswith("ja") else "latin"
    return f"{muni.label(m, script).replace(m.name, m.full_name, 1)} ({code})"


def place_codes() -> list[str]:
    return [m.code for m in campaign.overview_places()]


def controls() -> Choice:
    _ = session.t()
    base = session.rules()
    codes = place_codes()
    left, middle, right = st.columns([3, 2, 5])
    code = left.selectbox(_("Place"), codes, index=codes.index(DEFAULT_PLACE), format_func=place_label,
                          key="k_place")
    as_of = middle.date_input(_("Rules as of"), value=dt.date.today(), min_value=dt.date(2012, 7, 9),
                              max_value=dt.date(2030, 12, 31), key="k_date")
    ids = list(base.programmes)
    programmes = right.multiselect(_("Programmes"), ids, default=list(campaign.CORE),
                                   format_func=lambda p: _(base.programmes[p][0].title), key="k_programmes")
    if not programmes:
        st.info(_("Choose at least one programme."))
        programmes = list(campaign.CORE)
    ordered = tuple(p for p in ids if p in programmes)
    return Choice(code, as_of, ordered)


def _mark(outcome: str, gap: bool = False, exists: bool = True) -> str:
    _ = session.t()
    if not exists:
        return "— " + _("did not exist yet")
    return f"{OUTCOME_ICON[outcome]} {_(OUTCOME_SHORT[outcome])}" + (" *" if gap else "")


def _layer_text(layer: dict[str, Any] | None) -> str:
    _ = session.t()
    if not layer:
        return ""
    if layer.get("note_params"):
        return _(basis.MIXED).replace("{rule_layer}", layer["note_params"]["rule_layer"]).replace(
            "{value_layer}", layer["note_params"]["value_layer"])
    return f"{layer['name']} ({_(basis.LEVEL_LABEL[layer['level']])}: {_(layer['changed_by'])})"


def _sources_text(cited: list[dict[str, Any]]) -> str:
    _ = session.t()
    verified = _("verified {date}")
    return "; ".join(f"{c['short'] or _(c['title'])} ({verified.replace('{date}', c['verified'])})" for c in cited)


def _titles(table: dict[str, Any]) -> dict[str, str]:
    _ = session.t()
    return {p["id"]: _(p["title"]) for p in table["programmes"]}


def gap_tab(choice: Choice) -> None:
    _ = session.t()
    table = _table(choice.code, choice.as_of, choice.programmes)
    titles = _titles(table)
    st.caption(_("For an otherwise eligible household: a pregnant adult of 30 and children of 8 and 3 with the "
                 "same status, no income or savings, renting, in urgent need. * marks a gap: worse than for "
                 "Japanese nationals in the same household."))
    grid: dict[str, dict[str, str]] = {}
    outcomes: dict[str, dict[str, str]] = {}
    for r in table["rows"]:
        grid.setdefault(r["label"], {})[titles[r["programme"]]] = _mark(r["outcome"], r["gap"], r["exists"])
        outcomes.setdefault(r["label"], {})[titles[r["programme"]]] = r["outcome"] if r["exists"] else "none"
    frame = pd.DataFrame.from_dict(grid, orient="index")
    colours = pd.DataFrame.from_dict(outcomes, orient="index").map(lambda o: COLOURS.get(o, ""))
    with st.container(key="k_gap_table"):
        # A static table: every cell in the page's text (printable, searchable), coloured by outcome.
        st.table(frame.style.apply(lambda _frame: colours, axis=None))
    for label, why in dict.fromkeys((r["label"], r["not_a_gap"]) for r in table["rows"] if r.get("not_a_gap")):
        st.caption(f"{md(label)}: {md(_(why))}")
    gaps = [r for r in table["rows"] if r["gap"]]
    counts = campaign.gap_counts(table)
    st.subheader(_("Statuses left out, by programme"))
    with st.container(key="k_gap_chart"):
        st.bar_chart(pd.DataFrame({_("Statuses left out"): [counts[p] for p in titles]}, index=list(titles.values())),
                     horizontal=True, height=60 + 40 * len(titles))
    st.subheader(_("Gaps and their basis"))
    detail = pd.DataFrame([{
        _("Status"): r["label"], _("Programme"): titles[r["programme"]], _("Outcome"): _mark(r["outcome"]),
        _("Legal basis"): r["basis"] or "", _("Decided by (who can change it)"): _layer_text(r["layer"]),
        _("Standards"): "; ".join(basis.cite_standard(s) for s in r["standards"]),
        _("Sources"): _sources_text(r["citations"]),
    } for r in gaps])
    with st.container(key="k_gap_detail"):
        if detail.empty:
            st.info(_("No gaps for these programmes here."))
        else:
            st.dataframe(detail, width="stretch", hide_index=True)
    out = io.StringIO()
    campaign.write_csv([table], out)
    st.download_button(_("Download the table (CSV)"), out.getvalue().encode("utf-8-sig"),
                       file_name=CSV_NAME.replace("{code}", choice.code).replace("{date}", choice.as_of.isoformat()),
                       mime="text/csv", key="k_csv")


def compare_tab(choice: Choice) -> None:
    _ = session.t()
    codes = place_codes()
    chosen = st.multiselect(_("Places to compare"), codes, default=list(DEFAULT_COMPARE), format_func=place_label,
                            key="k_compare", max_selections=6)
    if len(chosen) < 2:
        st.info(_("Choose two or more places."))
        return
    cmp = _compare(tuple(chosen), choice.as_of, choice.programmes)
    titles = {p["id"]: _(p["title"]) for p in cmp["programmes"]}
    names = [f"{p['name']} ({p['code']})" for p in cmp["places"]]
    only = st.toggle(_("Only rows that differ"), value=True, key="k_only_diff")
    st.markdown(md(_("{n} differences between these places.").replace("{n}", str(cmp["differences"]))))
    decided = _("Decided by")
    rows, styles = [], []
    for r in cmp["rows"]:
        if only and not (r["differs"] or r["basis_differs"]):
            continue
        row = {_("Status"): r["label"], _("Programme"): titles[r["programme"]]}
        style = {_("Status"): "", _("Programme"): ""}
        for name, c in zip(names, r["cells"], strict=True):
            row[name] = _mark(c["outcome"], c["gap"], r["exists"])
            row[f"{name} — {decided}"] = (c["layer"] or {}).get("name", "")
            outline = ";font-weight:bold;border:2px solid #842029" if r["differs"] else ""
            style[name] = (COLOURS[c["outcome"]] if r["exists"] else "") + outline
            style[f"{name} — {decided}"] = "font-style:italic" if r["basis_differs"] else ""
        rows.append(row)
        styles.append(style)
    with st.container(key="k_compare_table"):
        if not rows:
            st.info(_("The places give the same outcomes on the same basis."))
            return
        frame = pd.DataFrame(rows)
        style_frame = pd.DataFrame(styles, columns=frame.columns).fillna("")
        st.table(frame.style.apply(lambda _frame: style_frame, axis=None).hide(axis="index"))
    st.caption(_("Bold outline: the outcome differs. Italic: the same outcome, decided by different rules or "
                 "layers."))


def overview_tab(choice: Choice) -> None:
    _ = session.t()
    base = session.rules()
    left, right = st.columns(2)
    labels = campaign.variant_labels()
    label = left.selectbox(_("Status"), labels, index=labels.index("特定活動 (難民申請中, 6か月)"), key="k_ov_status")
    programme = right.selectbox(_("Programme"), list(base.programmes),
                                index=list(base.programmes).index("public_housing"),
                                format_func=lambda p: _(base.programmes[p][0].title), key="k_ov_programme")
    ov = _overview(label, programme, choice.as_of)
    c = ov["counts"]
    a, b, d = st.columns(3)
    a.metric(_("Open"), c["eligible"])
    b.metric(_("Uncertain"), c["uncertain"])
    d.metric(_("Closed"), c["not_eligible"])
    # Prefectures in JIS order (north to south), so that the chart reads like a map folded into a line.
    counts_by: dict[tuple[str, str], int] = {}
    for r in ov["rows"]:
        key = (r["code"][:2] + " " + r["prefecture"], r["outcome"])
        counts_by[key] = counts_by.get(key, 0) + 1
    prefectures = sorted({k[0] for k in counts_by})
    data = pd.DataFrame([{"prefecture": p[3:], "outcome": _(OUTCOME_SHORT[o]), "places": counts_by.get((p, o), 0)}
                         for p in prefectures for o in ("eligible", "uncertain", "not_eligible")])
    order = [_(OUTCOME_SHORT[o]) for o in ("eligible", "uncertain", "not_eligible")]
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("prefecture:N", sort=[p[3:] for p in prefectures], title=None),
        y=alt.Y("places:Q", title=_("Places")),
        color=alt.Color("outcome:N", sort=order, title=_("Outcome"),
                        scale=alt.Scale(domain=order, range=["#198754", "#ffc107", "#dc3545"])),
        order=alt.Order("outcome:N", sort="ascending"),
    ).properties(height=300)
    with st.container(key="k_ov_chart"):
        st.altair_chart(chart, width="stretch")
    groups = pd.DataFrame([{
        _("Outcome"): _mark(g["outcome"]), _("Decided by"): g["layer"] or "", _("Places"): g["count"],
        _("Examples"): "、".join(next(r["name"] for r in ov["rows"] if r["code"] == code) for code in g["codes"][:6]),
    } for g in ov["groups"]])
    st.dataframe(groups, width="stretch", hide_index=True)
    with st.expander(_("Every municipality")):
        st.dataframe(pd.DataFrame([{
            _("Code"): r["code"], _("Place"): r["name"], _("Outcome"): _mark(r["outcome"], r["gap"], r["exists"]),
            _("Legal basis"): r["basis"] or "", _("Decided by"): (r["layer"] or {}).get("name", ""),
        } for r in ov["rows"]]), width="stretch", hide_index=True, height=400)


TIMELINE_STATUS = {"past": N_("past"), "in_force": N_("in force"), "scheduled": N_("scheduled"),
                   "stale": N_("no value (stale)")}
TIMELINE_KIND = {"start": N_("first value"), "change": N_("change"), "no_value": N_("value ends"),
                 "advisory": N_("advisory"), "guidance": N_("advice"), "document": N_("document")}


def timeline_tab(choice: Choice) -> None:
    _ = session.t()
    tl = _timeline(choice.code, choice.as_of, choice.programmes)
    kinds = st.multiselect(_("Show"), list(TIMELINE_KIND), default=["change", "no_value", "advisory", "guidance",
                                                                      "document"],
                           format_func=lambda k: _(TIMELINE_KIND[k]), key="k_tl_kinds")
    rows = [{
        _("Date"): e["date"], _("State"): _(TIMELINE_STATUS[e["status"]]), _("Kind"): _(TIMELINE_KIND[e["kind"]]),
        _("What"): _(e["title"]) if e["kind"] in ("advisory", "guidance") else e["title"],
        _("Value"): (f"{e['previous']} → {e['value']}" if e["previous"] and e["value"] else e["value"] or ""),
        _("Layer"): e["layer_name"] or "", _("Sources"): _sources_text(e["sources"]),
    } for e in tl["entries"] if e["kind"] in kinds]
    with st.container(key="k_timeline"):
        st.dataframe(pd.DataFrame(rows), width="stretch", hide_index=True, height=520)
    if tl["stale"]:
        st.warning(_("No value is encoded on this date for: {names}").replace("{names}", ", ".join(tl["stale"])))


PRINT_CSS = ("<style>@page{size:A4 landscape;margin:8mm}@media print{"
             "[data-testid='stSidebar'],[data-testid='stTabs'] [role='tablist'],[data-testid='stToggle'],"
             "[data-testid='stHeader'],.st-key-k_controls{display:none !important}"
             ".st-key-k_print [data-testid='stMarkdownContainer']{font-size:7.5pt;line-height:1.2}"
             ".st-key-k_print table{border-collapse:collapse}"
             ".st-key-k_print td,.st-key-k_print th{border:1px solid #999;padding:1px 3px}}</style>")


def print_markdown(table: dict[str, Any], translate: Callable[[str], str]) -> str:
    """The gap table and its gaps as Markdown for printing."""
    _ = translate
    titles = {p["id"]: _(p["title"]) for p in table["programmes"]}
    place = table["municipality"]
    heading, details, sources = _("Who is excluded"), _("Gaps and their basis"), _("Sources")
    verified = _("verified {date}")
    lines = [f"## {md(heading)}: {md(place['name'] or '')} ({place['code']}), {table['as_of']}", ""]
    labels = list(dict.fromkeys(r["label"] for r in table["rows"]))
    cells = {(r["label"], r["programme"]): r for r in table["rows"]}
    lines.append("| " + " | ".join([md(_("Status")), *(md(t) for t in titles.values())]) + " |")
    lines.append("|" + "---|" * (len(titles) + 1))
    for label in labels:
        marks = [("—" if not cells[label, p]["exists"] else OUTCOME_ICON[cells[label, p]["outcome"]])
                 + (" *" if cells[label, p]["gap"] else "") for p in titles]
        lines.append("| " + " | ".join([md(label), *marks]) + " |")
    lines += ["", f"### {md(details)}", ""]
    for r in table["rows"]:
        if not r["gap"]:
            continue
        stds = "; ".join(basis.cite_standard(s) for s in r["standards"])
        lines.append(f"- **{md(r['label'])} / {md(titles[r['programme']])}**: {md(r['basis'] or '')} — "
                     f"{md(_layer_text(r['layer']))}" + (f" — {md(stds)}" if stds else ""))
    lines += ["", f"### {md(sources)}", ""]
    seen: dict[str, dict[str, Any]] = {}
    for r in table["rows"]:
        if r["gap"]:
            for c in r["citations"]:
                seen.setdefault(c["id"], c)
    for c in seen.values():
        lines.append(f"- {md(c['short'] or '')} {md(c['title'])} — {c['url']} "
                     f"({md(verified.replace('{date}', c['verified']))})")
    return "\n".join(lines)


def print_tab(choice: Choice) -> None:
    _ = session.t()
    st.caption(_("Use your browser's print command; menus and buttons are left out of the printout."))
    st.html(PRINT_CSS)
    with st.container(key="k_print"):
        st.markdown(print_markdown(_table(choice.code, choice.as_of, choice.programmes), _))


def survey_tab(choice: Choice) -> None:
    # Only the published (suppressed) counts are kept for the petition tab, never the uploaded rows.
    st.session_state["k_survey_groups"] = survey_section(session.rules(), choice.as_of)


def petition_tab(choice: Choice) -> None:
    rows = _table(choice.code, choice.as_of, choice.programmes)["rows"]
    petition_section(session.rules(), rows, st.session_state.get("k_survey_groups") or (), place=choice.code)


# The tabs in order: (title, function of the shared controls). Another tab is one more line here.
TABS: list[tuple[str, Callable[[Choice], None]]] = [
    (N_("Gap table"), gap_tab),
    (N_("Compare places"), compare_tab),
    (N_("All municipalities"), overview_tab),
    (N_("Timeline"), timeline_tab),
    (N_("Survey counts"), survey_tab),
    (N_("Petition draft"), petition_tab),
    (N_("Print"), print_tab),
]
