"""The save page: encryption first, a plain file only after its warning, letter edits kept across resume."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from helper.savefile import is_encrypted
from tests.apptest_driver import start, walk
from tests.test_app import PERMANENT_RESIDENT, save_page, upload
from tests.test_app_letter import APPLICANT, CHOICES, fill, submit

PASS = "river lamp orange quietly"
KIND = "welfare_application"


def downloads(at: AppTest) -> list[object]:
    return list(at.get("download_button"))


def prepare_protected(at: AppTest, passphrase: str = PASS, again: str | None = None) -> AppTest:
    at.text_input(key="m_save_pass").input(passphrase)
    at.text_input(key="m_save_pass2").input(passphrase if again is None else again)
    return at.button(key="m_prepare").click().run()


def test_encryption_is_offered_first_and_chosen_by_default() -> None:
    at = save_page(start("en"))
    assert at.radio(key="m_save_mode").value == "encrypted"
    assert at.radio(key="m_save_mode").options[0].startswith("Protected with a passphrase")
    at = prepare_protected(at)
    assert not at.error and downloads(at)
    assert is_encrypted(at.session_state.save_bytes)


def test_a_plain_file_needs_the_warning_ticked() -> None:
    at = start("en")
    walk(at, PERMANENT_RESIDENT)
    at = save_page(at)
    at.radio(key="m_save_mode").set_value("plain").run()
    assert any("readable form" in w.value for w in at.warning)
    assert at.button(key="m_prepare").disabled and not downloads(at)
    at = at.checkbox(key="m_plain_ok").check().run()
    at = at.button(key="m_prepare").click().run()
    assert downloads(at)
    assert json.loads(at.session_state.save_bytes)["person"]["residence_status"] == "permanent_resident"
    at = at.checkbox(key="m_plain_ok").uncheck().run()
    assert not downloads(at), "the plain file is offered only while the warning is ticked"


def test_a_guessable_passphrase_is_refused_with_why_and_what_works() -> None:
    at = prepare_protected(save_page(start("en")), "password1234")
    assert not downloads(at)
    message = at.error[0].value
    assert "easy to guess" in message and "common password" in message and "unrelated words" in message


def test_a_guessable_passphrase_is_explained_in_japanese() -> None:
    at = prepare_protected(save_page(start("ja")), "qwertyuiop")
    assert "推測されやすい" in at.error[0].value and "単語" in at.error[0].value


def test_two_different_passphrases_make_no_file() -> None:
    at = prepare_protected(save_page(start("en")), PASS, PASS + "x")
    assert at.error and not downloads(at)


def test_no_passphrase_makes_no_file_rather_than_a_plain_one() -> None:
    at = save_page(start("en")).button(key="m_prepare").click().run()
    assert at.error and "8 characters" in at.error[0].value and not downloads(at)


def letter_page_with_edits() -> AppTest:
    at = start("en")
    walk(at, PERMANENT_RESIDENT)
    at = at.switch_page("app_pages/letter.py").run()
    at = fill(at, KIND, APPLICANT, {**CHOICES, "letter.receives_other_benefits": "no"},
              {"letter.reasons": ["job_loss", "illness"]})
    assert not at.exception, at.exception
    assert APPLICANT["applicant.name"] in "\n".join(t.value for t in at.text)  # the letter is written
    return at


def test_letter_edits_survive_save_and_resume() -> None:
    at = letter_page_with_edits()
    edited = at.session_state.letter_overrides[KIND]
    assert edited["applicant.phone"] == APPLICANT["applicant.phone"]
    at = prepare_protected(save_page(at))
    data = at.session_state.save_bytes

    # Another consultation on the same screen had its own letter edits: resuming replaces them.
    other = start("en")
    walk(other, PERMANENT_RESIDENT)
    other = other.switch_page("app_pages/letter.py").run()
    other = fill(other, KIND, {"applicant.name": "別の人"}, {})
    fresh = upload(save_page(other), data, PASS)
    assert fresh.success and not fresh.error
    assert fresh.session_state.letter_overrides == {KIND: edited}

    fresh = fresh.switch_page("app_pages/letter.py").run()
    assert not fresh.exception, fresh.exception
    for fid, value in APPLICANT.items():
        assert fresh.text_input(key=f"m_letter_{KIND}_{fid}").value == value
    assert fresh.multiselect(key=f"m_letter_{KIND}_letter.reasons").value == ["job_loss", "illness"]
    japanese = "\n".join(t.value for t in fresh.text)
    assert APPLICANT["applicant.name"] in japanese and "別の人" not in japanese
    fresh = submit(fresh, KIND)  # pressing Update again changes nothing
    assert fresh.session_state.letter_overrides[KIND] == edited


def test_edits_for_a_letter_or_field_this_version_lacks_are_dropped_on_resume() -> None:
    data = json.dumps({"version": 1, "letter_edits": {
        "no_such_letter": {"applicant.name": "x"},
        KIND: {"applicant.name": "グエン", "no.such_field": "x"}}}).encode()
    at = upload(save_page(start("en")), data)
    assert at.success and not at.exception
    assert at.session_state.letter_overrides == {KIND: {"applicant.name": "グエン"}}
    at = at.switch_page("app_pages/letter.py").run()
    assert not at.exception, at.exception
    assert at.text_input(key=f"m_letter_{KIND}_applicant.name").value == "グエン"
