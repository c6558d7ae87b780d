"""Save and resume without an account; erase and exit.

Saving is encrypted by default: a plain file is made only after the person has ticked a warning that it
holds their details in readable form. The letter review page's edits (``letter_overrides``) are saved
in the file's ``letter_edits`` and put back on resume.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from helper.answers import AnswersError
from helper.letters import LetterInputError, field_spec, kinds
from helper.passphrase import GOOD_PASSPHRASE, REASONS
from helper.questionnaire import to_answers
from helper.savefile import MIN_PASSPHRASE, SaveFileError, dump, load
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
ENCRYPTED, PLAIN = "encrypted", "plain"


def letter_edits() -> dict[str, dict[str, Any]] | None:
    """The letter review page's edits, letter by letter, as the answers file keeps them."""
    edits = {kind: dict(fields) for kind, fields in ss.get("letter_overrides", {}).items() if fields}
    return edits or None


def usable_edits(edits: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The saved edits this version's letters still have: a letter or field since removed is dropped."""
    out: dict[str, dict[str, Any]] = {}
    known = set(kinds())
    for kind, fields in edits.items():
        if kind not in known:
            continue
        kept = {}
        for fid, value in fields.items():
            try:
                field_spec(kind, fid)
            except LetterInputError:
                continue
            kept[fid] = value
        out[kind] = kept
    return out


def prepare(mode: str, passphrase: str, again: str) -> None:
    """Make the file to download, or say why not."""
    ss.pop("save_bytes", None)
    if mode == ENCRYPTED and len(passphrase) < MIN_PASSPHRASE:  # never a plain file for want of one
        st.error(MESSAGES["short_passphrase"])
        return
    if mode == ENCRYPTED and passphrase != again:
        st.error(_("The two passphrases are not the same. Type the same passphrase twice."))
        return
    try:
        # "I don't know" answers are saved too, so that a resumed session does not ask them again.
        answers = to_answers({**ss.answers, "unknown": ss.dont_know or None, "letter_edits": letter_edits()})
        ss.save_bytes = dump(answers, passphrase if mode == ENCRYPTED else None)
    except SaveFileError as exc:
        if exc.reason == "weak_passphrase":
            st.error(_("This passphrase is easy to guess.") + " " + _(REASONS[exc.detail]) + " "
                     + _(GOOD_PASSPHRASE))
        else:
            st.error(MESSAGES[exc.reason])
        return
    except AnswersError:
        st.error(_("Some answers do not fit an answers file, so no file was made. Check the last answers."))
        return
    ss.save_mode = mode
    ss.save_name = "answers-protected.json" if mode == ENCRYPTED else "answers.json"


def page() -> None:
    # Inside a function, the page's values (the uploaded file, the passphrases, the answers read) are
    # locals that go when the run ends. A page's module namespace can outlive its session: functions
    # defined above keep it alive, and with it anything assigned at the top level.
    st.title(_("Save, resume or erase"))
    st.info(_("Nothing is stored here. Reloading or closing the page starts again from the beginning; "
              "a saved file lets you continue later."))

    st.subheader(_("Save your answers"))
    st.write(_("The file stays with you; nothing is kept on this computer's server. It holds your answers and "
               "what you wrote in letters."))
    mode_names = {ENCRYPTED: _("Protected with a passphrase (recommended)"),
                  PLAIN: _("Plain file, readable by anyone who has it")}
    mode = st.radio(_("How to save"), [ENCRYPTED, PLAIN], format_func=lambda m: mode_names[m], key="m_save_mode")
    passphrase = again = ""
    ready = True  # a plain file waits for its warning to be ticked
    if mode == ENCRYPTED:
        passphrase = st.text_input(_("Passphrase"), type="password", key="m_save_pass", max_chars=200)
        again = st.text_input(_("The same passphrase again"), type="password", key="m_save_pass2", max_chars=200)
        st.caption(_(GOOD_PASSPHRASE) + " " + _("Without the passphrase, nobody can open the file, not even you."))
    else:
        st.warning(_("A plain file holds your details in readable form: your name, residence status, income, "
                     "household and everything else you answered. Anyone who gets the file, or the phone or "
                     "computer it is on, can read them."))
        ready = st.checkbox(_("I understand: this file will hold my details in readable form"), key="m_plain_ok")
    if st.button(_("Prepare the file"), key="m_prepare", disabled=not ready):
        prepare(mode, passphrase, again)
    if ss.get("save_bytes") and ss.get("save_mode") == mode and (mode == ENCRYPTED or ss.get("m_plain_ok")):
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
            edits = usable_edits(loaded.pop("letter_edits", {}))
            session.replace_answers(loaded, dont_know=loaded.pop("unknown", []))
            ss.letter_overrides = edits
            for made in ("save_bytes", "letter_pdf", "letter_docx"):  # files made from the answers replaced
                ss.pop(made, None)
            st.success(_("Your answers were loaded."))

    st.subheader(_("Erase and exit"))
    st.write(_("Forget every answer on this screen now. Files you downloaded stay where you saved them."))
    if st.button(_("Erase and exit"), key="m_erase", type="primary"):
        session.erase()
        st.rerun()


page()
