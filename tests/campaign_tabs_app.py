"""A page with only the campaign tabs of issue 10 (survey and petition), for the browser test: the campaign
page itself is built elsewhere and adds these functions as its tabs."""

import datetime as dt

import streamlit as st

from helper.gaps import gap_table
from helper.ui import session
from helper.ui.petition import petition_section
from helper.ui.survey import survey_section

session.init()
base = session.rules()
as_of = dt.date(2026, 12, 4)
survey, petition = st.tabs([session.t()("Survey counts"), session.t()("Petition draft")])
with survey:
    groups = survey_section(base, as_of)
with petition:
    petition_section(base, gap_table(base, "27100", as_of)["rows"], groups, place="27100")
