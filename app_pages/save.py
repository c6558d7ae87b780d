"""Save and resume without an account; erase and exit."""

from __future__ import annotations

import streamlit as st

from helper.questionnaire import to_answers
from helper.savefile import SaveFileError, dump, load
from helper.ui import session

_ = session.t()
ss = st.session_state

MESSAGES = {
    "too_large": _("This file is too large to be an answers file."),
    "needs_passphrase": _("This file is protected by a passphrase. Enter it and try again."),
    "wrong_passphrase_or_changed": _("Wrong passphrase, or the file was changed. Nothing was loaded."),
    "unreadable": _("This file cannot be read as an answers file. Nothing was loaded."),
    "invalid": _("This file has an answer that does not fit. Nothing was loaded."),
    "short_passphrase": _("Use a passphrase of at least 8 characters."),
}

st.title(_("Save, resume or erase"))
st.info(_("Nothing is stored here. Reloading or closing the page starts again from the beginning; "
          "a saved file lets you continue later."))

st.subheader(_("Save your answers"))
st.write(_("The file stays with you; nothing is kept on this computer's server. Protect it with a passphrase "
           "if someone else might see it."))
passphrase = st.text_input(_("Passphrase (optional)"), type="password", key="m_save_pass", max_chars=200)
if st.button(_("Prepare the file"), key="m_prepare"):
    try:
        # "I don't know" answers are saved too, so that a resumed session does not ask them again.
        ss.save_bytes = dump(to_answers({**ss.answers, "unknown": ss.dont_know or None}), passphrase or None)
        ss.save_name = "answers-protected.json" if passphrase else "answers.json"
    except SaveFileError as exc:
        st.error(MESSAGES[exc.reason])
if ss.get("save_bytes"):
    st.download_button(_("Download the answers file"), ss.save_bytes, file_name=ss.save_name,
                       mime="application/json", key="m_download", on_click="ignore")

st.subheader(_("Resume from a file"))
upload = st.file_uploader(_("Answers file"), type=["json", "yaml", "yml"], key="m_upload", max_upload_size=1)
resume_pass = st.text_input(_("Passphrase, if the file has one"), type="password", key="m_resume_pass",
                            max_chars=200)
if upload is not None and st.button(_("Resume"), key="m_resume", type="primary"):
    try:
        answers = load(upload.getvalue(), resume_pass or None)
    except SaveFileError as exc:
        st.error(MESSAGES[exc.reason])  # the current answers are left untouched
    else:
        loaded = answers.model_dump(mode="json", exclude_none=True)
        session.replace_answers(loaded, dont_know=loaded.pop("unknown", []))
        st.success(_("Your answers were loaded."))

st.subheader(_("Erase and exit"))
st.write(_("Forget every answer on this screen now. Files you downloaded stay where you saved them."))
if st.button(_("Erase and exit"), key="m_erase", type="primary"):
    session.erase()
    st.rerun()
