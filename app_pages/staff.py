"""Staff login: the door to consultation records. The person-facing pages never need it."""

from __future__ import annotations

import streamlit as st

from helper import staff
from helper.text import N_
from helper.ui import guard, session

REFUSALS = {
    "wrong_login": N_("That name and password do not match an account."),
    "locked": N_("Too many failed attempts for this name. Wait five minutes, then try again."),
    "unreadable_file": N_("The staff accounts file cannot be read. Ask the person who runs this tool."),
}
ROLE_NAMES = {
    "volunteer": N_("Volunteer: save, find, update, export and delete consultations"),
    "coordinator": N_("Coordinator: a volunteer's work, and the housekeeping (deletion after the retention "
                      "period, keys) and the counts"),
    "campaigner": N_("Campaigner: counts only, never a person's details"),
}


def page() -> None:
    _ = session.t()
    ss = st.session_state
    st.title(_("Staff login"))
    current: staff.Staff | None = ss.get("staff")
    if current is not None:
        st.success(_("Logged in as {name}").replace("{name}", current.name))
        st.write(_(ROLE_NAMES[current.role]))
        if st.button(_("Log out"), key="m_staff_logout"):
            del ss["staff"]
            st.rerun()
        return
    st.caption(_("For the people who run consultations. Nobody else needs an account: the questions, results "
                 "and letters work without one."))
    with st.form("m_staff_login"):
        st.text_input(_("Name"), key="m_staff_name", autocomplete="username")
        st.text_input(_("Password"), type="password", key="m_staff_pass", autocomplete="current-password")
        st.form_submit_button(_("Log in"), type="primary", key="m_staff_submit", on_click=attempt_login)
    if refusal := ss.pop("m_staff_refusal", None):
        st.error(_(REFUSALS.get(refusal, REFUSALS["wrong_login"])))


@guard.callback
def attempt_login() -> None:
    ss = st.session_state
    password, ss.m_staff_pass = ss.get("m_staff_pass", ""), ""  # the password leaves the session at once
    try:
        ss.staff = staff.LOGINS.login(staff.load(), ss.get("m_staff_name", ""), password)
    except staff.StaffError as exc:
        ss.m_staff_refusal = exc.reason


page()
