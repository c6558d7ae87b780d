"""Staff accounts: hashed passwords, one refusal for every wrong login, lockout, roles, the CLI and the page."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helper import staff
from helper.cli import main
from tests.apptest_driver import APP

GOOD = "correct horse battery staple orbit"


@pytest.fixture
def staff_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "staff.json"
    monkeypatch.setenv("KH_STAFF_FILE", str(path))
    return path


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_the_file_holds_an_argon2id_hash_never_the_password(staff_file: Path) -> None:
    staff.save(staff.add({}, "Aiko", "volunteer", GOOD))
    text = staff_file.read_text(encoding="utf-8")
    assert GOOD not in text and "$argon2id$v=19$m=19456,t=2,p=1$" in text
    assert stat.S_IMODE(staff_file.stat().st_mode) == 0o600
    assert staff.load()["aiko"].role == "volunteer"


def test_login_by_name_as_typed_and_the_same_refusal_for_unknown_names(staff_file: Path) -> None:
    accounts = staff.add({}, "Aiko", "coordinator", GOOD)
    logins = staff.Logins()
    who = logins.login(accounts, " ＡＩＫＯ ", GOOD)  # full-width, other case, spaces: the same name
    assert who == staff.Staff("Aiko", "coordinator") and who.may("records.housekeeping")
    for name, password in (("Aiko", GOOD + "x"), ("nobody", GOOD)):
        with pytest.raises(staff.StaffError) as refused:
            logins.login(accounts, name, password)
        assert refused.value.reason == "wrong_login"


def test_five_failures_lock_the_name_for_five_minutes() -> None:
    now = [1000.0]
    accounts = staff.add({}, "Aiko", "volunteer", GOOD)
    logins = staff.Logins(clock=lambda: now[0])
    for _ in range(staff.FAILURES_BEFORE_LOCK):
        with pytest.raises(staff.StaffError):
            logins.login(accounts, "aiko", "wrong password here")
    with pytest.raises(staff.StaffError) as locked:
        logins.login(accounts, "aiko", GOOD)  # even the right password, while locked
    assert locked.value.reason == "locked"
    now[0] += staff.LOCK_SECONDS + 1
    assert logins.login(accounts, "aiko", GOOD).role == "volunteer"


def test_roles() -> None:
    campaigner = staff.Staff("c", "campaigner")
    assert campaigner.may("counts.view")
    assert not any(campaigner.may(p) for p in ("records.view", "records.edit", "records.export", "records.delete"))
    volunteer = staff.Staff("v", "volunteer")  # keeps a case from saving it to deleting it on request
    assert all(volunteer.may(p) for p in staff.CASEWORK) and not volunteer.may("records.housekeeping")


@pytest.mark.parametrize(("password", "reason"), [("short", "short_password"),
                                                   ("password1234", "weak_password"),
                                                   ("aikoaikoaikoaiko", "weak_password")])
def test_weak_passwords_are_refused(password: str, reason: str) -> None:
    with pytest.raises(staff.StaffError) as refused:
        staff.add({}, "aiko", "volunteer", password)
    assert refused.value.reason == reason


@pytest.mark.parametrize("text", ["not json", json.dumps({"accounts": [{"name": "a", "role": "admin",
                                                                        "password": "$argon2id$x"}]}),
                                  json.dumps({"accounts": [{"name": "a", "role": "volunteer", "password": "plain"}]})])
def test_a_file_that_is_not_ours_is_refused(staff_file: Path, text: str) -> None:
    staff_file.parent.mkdir(parents=True)
    staff_file.write_text(text, encoding="utf-8")
    with pytest.raises(staff.StaffError) as refused:
        staff.load()
    assert refused.value.reason == "unreadable_file"


def test_cli_adds_lists_and_removes(staff_file: Path) -> None:
    assert run("staff", "list")[1].startswith("no staff accounts")
    code, _, err = run("staff", "add", "Aiko", "--role", "volunteer", "--password-stdin", stdin=GOOD + "\n")
    assert code == 0, err
    assert run("staff", "list")[1] == "Aiko\tvolunteer\n"
    code, _, err = run("staff", "add", "Ben", "--role", "campaigner", "--password-stdin", stdin="123456789012\n")
    assert code == 2 and "too easy to guess" in err and "123456789012" not in err
    assert run("staff", "remove", "aiko")[0] == 0
    assert run("staff", "remove", "aiko")[0] == 2
    assert GOOD not in staff_file.read_text(encoding="utf-8")


def test_the_staff_page_is_absent_without_accounts_and_logs_in_with_them(staff_file: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = "en"
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/staff.py").run()  # not a page of this app while records are off
    staff.save(staff.add({}, "Aiko", "volunteer", GOOD))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = "ja"
    at.run()
    at.switch_page("app_pages/staff.py").run()
    at.text_input(key="m_staff_name").input("aiko")
    at.text_input(key="m_staff_pass").input("wrong password")
    at.button(key="m_staff_submit").click().run()
    assert "一致しません" in at.error[0].value
    assert at.text_input(key="m_staff_pass").value == ""  # a password typed does not stay in the widget
    at.text_input(key="m_staff_name").input("aiko")
    at.text_input(key="m_staff_pass").input(GOOD)
    at.button(key="m_staff_submit").click().run()
    assert at.session_state.staff.role == "volunteer"
    assert "Aiko" in at.success[0].value
    at.button(key="m_staff_logout").click().run()
    assert "staff" not in at.session_state
