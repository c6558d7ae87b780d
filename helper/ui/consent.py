"""The consent screen: the points in the person's language (with Japanese beside it), then two ticks."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from .. import bidi, consent
from ..i18n import LANGUAGES, translator
from . import session
from .results import md


def consent_section(key: str = "m_consent", today: dt.date | None = None,
                    retention_days: int = consent.RETENTION_DAYS) -> consent.Consent | None:
    """Ask for consent; returns it once the person agreed and the staff member confirmed it was explained."""
    _ = session.t()
    st.subheader(_("Before anything is saved: the person's consent"))
    code = st.selectbox(_("Language the person reads"), list(LANGUAGES), key=f"{key}_lang",
                        index=list(LANGUAGES).index(session.lang()),
                        format_func=lambda c: LANGUAGES[c].native)
    theirs = translator(code)
    if not consent.translated(code):
        st.warning(_("This text is not yet translated into {language}. Explain it with an interpreter, "
                     "or do not save.").replace("{language}", LANGUAGES[code].native))
    elif not LANGUAGES[code].reviewed:
        st.caption(_("This translation has not yet been reviewed by a person. The Japanese text is the one "
                     "that counts."))
    rtl = LANGUAGES[code].rtl
    with st.container(border=True):
        for point in consent.points(code, retention_days):
            st.markdown(md(bidi.for_language(point, rtl)))
        if not code.startswith("ja"):
            st.caption(md("\n\n".join(consent.points("ja", retention_days))))
    agreed = st.checkbox(theirs(consent.AGREE), key=f"{key}_agree")
    explained = st.checkbox(_(consent.EXPLAINED), key=f"{key}_explained")
    if agreed and explained:
        return consent.give(code, today or dt.date.today(), retention_days)
    st.info(_("Nothing is saved until both boxes are ticked. Without consent, keep helping: the results and "
              "letters work without a record."))
    return None

