"""Hostile input for every reader: the command line, the rule loader and the app's upload.

Each case must give exit status 2 (the input is invalid) with exactly one line on standard error, no
traceback and no raw control character, and the upload function (``savefile.load``, what the save page
calls) must refuse it with a :class:`SaveFileError` and nothing else. The command line runs in-process;
the cases that would hang a broken reader forever (a FIFO, ``/dev/zero`` on standard input) run in a
subprocess with a timeout, which only catches the hang.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from helper import reading
from helper.answers import MAX_ANSWERS_BYTES, AnswersError, parse_answers, read_answers
from helper.cli import main
from helper.savefile import SaveFileError, load

ROOT = Path(__file__).resolve().parents[1]
BASE_RULES = ROOT / "tests" / "malformed_rules" / "_base"

# Contents that no answers file may hold: label -> bytes. YAML and JSON alike.
CONTENTS: dict[str, bytes] = {
    "int over 4300 digits (YAML)": b"version: 1\nperson:\n  age: " + b"9" * 5000 + b"\n",
    "int over 4300 digits (JSON)": b'{"version": 1, "person": {"age": ' + b"9" * 5000 + b"}}",
    "int of 16 digits (JSON)": b'{"version": 1, "household": {"monthly_income": 1000000000000000}}',
    "Infinity (JSON)": b'{"version": 1, "person": {"age": Infinity}}',
    "-Infinity (JSON)": b'{"version": 1, "person": {"age": -Infinity}}',
    "NaN (JSON)": b'{"version": 1, "person": {"age": NaN}}',
    "1e999 (JSON)": b'{"version": 1, "person": {"age": 1e999}}',
    "1.0e999 (YAML)": b"version: 1\nperson:\n  age: 1.0e999\n",
    "date before 1873 (YAML)": b"version: 1\nas_of: 1872-12-31\n",
    "date before 1873 (JSON)": b'{"version": 1, "applicant": {"birth_date": "1872-12-31"}}',
    "date after 2100 (YAML)": b"version: 1\nas_of: 2101-01-01\n",
    "date after 2100 (JSON)": b'{"version": 1, "letter": {"date": "2101-01-01"}}',
    "year 9999 (JSON)": b'{"version": 1, "as_of": "9999-12-31"}',
    "bidi escape (YAML)": b'version: 1\napplicant:\n  name: "a\\u202Eb"\n',
    "bidi escape in a key (YAML)": b'version: 1\n"x\\u202E": 1\n',
    "bidi escape (JSON)": b'{"version": 1, "applicant": {"name": "a\\u202eb"}}',
    "raw bidi (JSON)": '{"version": 1, "applicant": {"name": "a\u202eb"}}'.encode(),
    "bidi escape in a list (JSON)": b'{"version": 1, "unknown": ["a\\u2066b"]}',
    "ANSI escape (YAML)": b'version: 1\napplicant:\n  name: "\\e[31mred"\n',
    "ANSI escape in a key (JSON)": b'{"version": 1, "\\u001b[2J": 1}',
    "newline in a key (JSON)": b'{"version": 1, "a\\nb\\u0007": 1}',
    "newline in a key (YAML)": b'version: 1\n"a\\nb": 1\n',
    "nested too deep (JSON)": b'{"version": 1, "a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "larger than the limit": b'{"version": 1, "applicant": {"name": "' + b"A" * MAX_ANSWERS_BYTES + b'"}}',
}
RAW_CONTROL = {"\x1b", "\n", "\r", "\x07", "\u202e", "\u2066"}


def _clean_line(err: str) -> str:
    """The one line on standard error, checked: no traceback, no raw control character."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    line = lines[0]
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in line), repr(line)
    return line


def _cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str]:
    try:
        code = main(argv, io.StringIO())
    except SystemExit as exc:  # the rule loader exits
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


# ---------------------------------------------------------------- contents: CLI file, CLI stdin, upload


@pytest.mark.parametrize("label", sorted(CONTENTS))
def test_cli_refuses_hostile_answers_files(label: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes(CONTENTS[label])
    for command in (["evaluate", str(path)], ["letter", "welfare_application", str(path), "--out",
                                               str(tmp_path / "x.pdf")]):
        code, err = _cli(capsys, command)
        assert code == 2, (command, err)
        assert _clean_line(err).startswith("error: invalid answers file: ")
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("label", sorted(CONTENTS))
def test_cli_refuses_hostile_standard_input(label: str, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CONTENTS[label]), encoding="utf-8"))
    code, err = _cli(capsys, ["evaluate", "-"])
    assert code == 2
    _clean_line(err)


@pytest.mark.parametrize("label", sorted(CONTENTS))
def test_upload_refuses_hostile_answers_files(label: str) -> None:
    with pytest.raises(SaveFileError) as info:
        load(CONTENTS[label])
    assert info.value.reason in ("invalid", "too_large", "unreadable")
    assert reading.escape(str(info.value)) == str(info.value)  # nothing raw to show, even in the detail
    if info.value.reason != "too_large":
        with pytest.raises(AnswersError):  # and the parser under it raises nothing else
            parse_answers(CONTENTS[label].decode("utf-8"))


def test_key_names_are_shown_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"version": 1, "person": {"a\\nb": 1}}', encoding="utf-8")
    code, err = _cli(capsys, ["evaluate", str(path)])
    assert code == 2
    assert _clean_line(err) == "error: invalid answers file: person.a\\nb: unknown key"


def test_escapes_and_raw_characters_are_refused_alike() -> None:
    for text in ('{"version": 1, "applicant": {"name": "a\\u202eb"}}', 'version: 1\napplicant:\n  name: "a\\u202Eb"\n',
                 'version: 1\napplicant:\n  name: "a\u202eb"\n'):
        with pytest.raises(AnswersError, match="U[+]202E"):
            parse_answers(text)
    # and names that need joiners still load, written raw or as escapes (Persian uses ZWNJ)
    for text in ('{"version": 1, "applicant": {"name": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"}}',
                 '{"version": 1, "applicant": {"name": "\\u0645\\u06cc\\u200c\\u062e"}}'):
        assert parse_answers(text).applicant.name


def test_the_bounds_themselves_load(tmp_path: Path) -> None:
    """The edges of each bound are accepted: 1873-01-01, 2100-12-31, 15 digits (refused later as too
    large an amount, by the field's own limit, not by the reader)."""
    assert parse_answers('{"version": 1, "as_of": "1873-01-01"}').as_of.year == 1873
    assert parse_answers("version: 1\nas_of: 2100-12-31\n").as_of.year == 2100
    with pytest.raises(AnswersError, match="less than or equal"):
        parse_answers('{"version": 1, "household": {"monthly_income": 999999999999999}}')


# ---------------------------------------------------------------- what is not a regular file


def _not_files(tmp_path: Path) -> dict[str, Path]:
    loop_a, loop_b = tmp_path / "loop_a.yaml", tmp_path / "loop_b.yaml"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    (tmp_path / "dir.yaml").mkdir()
    return {"directory": tmp_path / "dir.yaml", "symlink loop": loop_a, "device": Path("/dev/zero"),
            "missing": tmp_path / "missing.yaml"}


@pytest.mark.parametrize("kind", ["directory", "symlink loop", "device", "missing"])
def test_cli_refuses_what_is_not_a_file(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _not_files(tmp_path)[kind]
    code, err = _cli(capsys, ["evaluate", str(path)])
    assert code == 2
    assert _clean_line(err).startswith("error: invalid answers file: (file): ")
    with pytest.raises(AnswersError):
        read_answers(path)


@pytest.mark.parametrize("kind", ["directory", "symlink loop", "device", "missing"])
def test_rules_option_refuses_what_is_not_a_directory(kind: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = _not_files(tmp_path)[kind]
    if kind == "directory":
        path = tmp_path / "missing_dir"
    for command in (["check", "--rules", str(path)], ["gaps", "--rules", str(path)]):
        code, err = _cli(capsys, command)
        assert code == 2
        assert _clean_line(err) == "error: rules: not a directory"
    code, err = _cli(capsys, ["check", "--letters", str(path)])
    assert code == 2
    assert _clean_line(err) == "error: letters: not a directory"


@pytest.mark.parametrize("kind", ["directory", "symlink loop", "device"])
def test_rule_loader_refuses_rule_files_that_are_not_files(kind: str, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A rule 'file' that is a directory, a loop of links or a device: a broken rule set (exit 1, as
    docs/cli.md says of every broken rule file), one clean line naming it."""
    rules = tmp_path / "rules"
    shutil.copytree(BASE_RULES, rules)
    target = rules / "programmes" / "hostile.yaml"
    if kind == "directory":
        target.mkdir()
    elif kind == "symlink loop":
        target.symlink_to(rules / "programmes" / "hostile2.yaml")
        (rules / "programmes" / "hostile2.yaml").symlink_to(target)
    else:
        target.symlink_to("/dev/zero")
    code, err = _cli(capsys, ["check", "--rules", str(rules)])
    assert code == 1
    lines = err.splitlines()
    assert all(str(rules / "programmes") in line for line in lines), err
    _clean_line(lines[0])


def test_rule_file_names_are_shown_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(BASE_RULES, rules)
    (rules / "x\x1b[2J\n.yaml").write_text("schema_version: 1\nkind: nothing\n", encoding="utf-8")
    code, err = _cli(capsys, ["check", "--rules", str(rules)])
    assert code == 1
    assert "x\\x1b[2J\\n.yaml:2: kind: must be one of" in _clean_line(err)


def test_gaps_refuses_dates_outside_the_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    for day in ("1872-12-31", "2101-01-01", "0001-01-01"):
        code, err = _cli(capsys, ["gaps", "--as-of", day])
        assert code == 2
        assert "dates before 1873-01-01 or after 2100-12-31" in _clean_line(err)
    code, err = _cli(capsys, ["gaps", "--as-of", "\x1b[2J2026"])
    assert code == 2 and "\\x1b[2J2026" in _clean_line(err)
    code, err = _cli(capsys, ["gaps", "--municipality", "\x1b[2J"])
    assert code == 2 and "\\x1b[2J" in _clean_line(err)


# ---------------------------------------------------------------- what would hang a careless reader


def _run(args: list[str], stdin: object = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "helper", *args], stdin=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    proc = _run(["evaluate", str(fifo)])  # nobody writes to it: opening it to read would wait for ever
    assert proc.returncode == 2
    assert _clean_line(proc.stderr) == "error: invalid answers file: (file): not a regular file"
    rules = tmp_path / "rules"
    shutil.copytree(BASE_RULES, rules)
    os.mkfifo(rules / "programmes" / "fifo.yaml")
    proc = _run(["check", "--rules", str(rules)])
    assert proc.returncode == 1
    assert _clean_line(proc.stderr).endswith("fifo.yaml:1: (top): not a regular file")


def test_unbounded_standard_input_is_cut_off() -> None:
    with open("/dev/zero", "rb") as zero:
        proc = _run(["evaluate", "-"], stdin=zero)
    assert proc.returncode == 2
    assert _clean_line(proc.stderr) == f"error: invalid answers file: (file): larger than {MAX_ANSWERS_BYTES} bytes"


def test_standard_input_is_read_as_answers(tmp_path: Path) -> None:
    """Control for the cases above: a good file on standard input is evaluated."""
    proc = _run(["evaluate", "-", "--json"], stdin=(ROOT / "examples" / "refugee-applicant-6-months.yaml").open("rb"))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["version"] == 1


def test_reader_reads_at_most_the_limit_plus_one(tmp_path: Path) -> None:
    class Counting(io.RawIOBase):
        asked = 0

        def readable(self) -> bool:
            return True

        def readinto(self, b: bytearray) -> int:  # type: ignore[override]
            Counting.asked += len(b)
            b[:] = b"x" * len(b)
            return len(b)

    stream = io.BufferedReader(Counting(), buffer_size=16)
    with pytest.raises(reading.ReadError, match="larger than 100 bytes"):
        reading.read_stream(io.TextIOWrapper(stream), 100)
    assert Counting.asked <= 101 + 16


# ---------------------------------------------------------------- the app's upload, end to end


@pytest.mark.parametrize("label", ["int over 4300 digits (JSON)", "bidi escape (JSON)", "date after 2100 (YAML)"])
def test_app_upload_refuses_hostile_files_and_keeps_the_answers(label: str) -> None:
    from tests.apptest_driver import answer, start
    from tests.test_app import save_page, upload

    at = start("en")
    at = answer(at, "municipality", "532-0023")
    before = json.dumps(at.session_state.answers, sort_keys=True)
    at = upload(save_page(at), CONTENTS[label])
    assert not at.exception
    assert at.error and "Nothing was loaded" in at.error[0].value
    assert json.dumps(at.session_state.answers, sort_keys=True) == before


def test_rule_tables_are_read_bounded(tmp_path: Path) -> None:
    from helper.rules.tables import read_table

    csv_file = tmp_path / "t.csv"
    csv_file.write_text("age,amount\n1," + "9" * 5000 + "\n", encoding="utf-8")
    table, problems = read_table(csv_file, "t.csv", ("age",), {"amount": "number"})
    assert table is None and "is not a whole number of at most 15 digits" in problems[0].message
    assert len(problems[0].message) < 100
    (tmp_path / "d.csv").mkdir()
    table, problems = read_table(tmp_path / "d.csv", "d.csv", ("age",), {"amount": "number"})
    assert table is None and problems[0].message == "is a directory, not a file"
