"""A corpus of malformed rule files: each must be rejected with the right file, line and message.

``tests/malformed_rules/_base/`` is a minimal valid rule set (national layer, one source, one
parameter, one programme with one condition, two rule tests). Every other folder there is a case:
it holds only the files that differ from ``_base``, and exactly one of them — the broken file —
starts with a header naming what the loader must report::

    # expect-line: 24
    # expect-field: conditions.demo.adult.test      (optional; compared for equality)
    # expect-message: exactly one operator          (a substring of the message)

The expected line is where the mistake is written: for a problem with an id (a mapping key), the
key's line; for a problem with a value, the line where the value starts, which for a block value
is the line below its key (the reader's convention). The line also carries a ``# <-- defect``
comment, so a reader can check the header against the file. The test copies
``_base`` into a temporary directory, lays the case's files over it and calls ``load_rules``.
Cases the loader gets wrong today are kept and marked ``xfail(strict=True)`` below, so fixing the
loader turns them into failures until the mark is removed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from helper.rules.loader import Problem, RulesInvalid, load_rules

CORPUS = Path(__file__).resolve().parent / "malformed_rules"
BASE = CORPUS / "_base"
ROOT = CORPUS.parent.parent
SENTINEL = "kyosei-python-tag-sentinel"  # the file python_tag/programmes/demo.yaml would `touch`

_HEADER = re.compile(r"#\s*expect-(line|field|message):\s?(.*)")

# Cases the loader does not handle correctly (yet): name -> (what the test fails with, why). Keep the
# reasons precise: they are the bug report. AssertionError = rejected at the wrong place, or accepted.
KNOWN_LOADER_BUGS: dict[str, tuple[type[BaseException], str]] = {}


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    broken: Path  # relative to the case folder
    line: int
    field: str | None
    message: str


def _header(path: Path) -> dict[str, str]:
    """The expect-* lines at the top of a file (read as bytes: some cases are not valid UTF-8)."""
    out: dict[str, str] = {}
    for raw in path.read_bytes().splitlines()[:10]:
        text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
        if not text.startswith("#"):
            break
        m = _HEADER.match(text)
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


def _load_case(folder: Path) -> Case:
    broken = [(p, h) for p in sorted(folder.rglob("*.yaml")) if (h := _header(p))]
    assert len(broken) == 1, f"{folder.name}: exactly one file must carry an expect-line header, found {broken}"
    path, h = broken[0]
    assert "line" in h and "message" in h, f"{path}: expect-line and expect-message are required"
    return Case(folder.name, folder, path.relative_to(folder), int(h["line"]), h.get("field"), h["message"])


CASES = [_load_case(p) for p in sorted(CORPUS.iterdir()) if p.is_dir() and not p.name.startswith("_")]
BY_NAME = {c.name: c for c in CASES}


def _params() -> list[object]:
    out = []
    for c in CASES:
        marks = []
        if c.name in KNOWN_LOADER_BUGS:
            raises, reason = KNOWN_LOADER_BUGS[c.name]
            marks.append(pytest.mark.xfail(strict=True, raises=raises, reason=reason))
        out.append(pytest.param(c, id=c.name, marks=marks))
    return out


def build(case: Case | None, tmp_path: Path) -> Path:
    """``_base`` with the case's files laid over it, in a fresh directory."""
    rules = tmp_path / "rules"
    shutil.copytree(BASE, rules)
    if case is not None:
        shutil.copytree(case.folder, rules, dirs_exist_ok=True)
    return rules


def problems_of(rules: Path) -> list[Problem]:
    try:
        load_rules(rules)
    except RulesInvalid as exc:
        return exc.problems
    raise AssertionError(f"load_rules accepted {rules}")


def _matches(p: Problem, case: Case) -> bool:
    return (
        Path(p.file).as_posix().endswith("/" + case.broken.as_posix())
        and p.line == case.line
        and case.message in p.message
        and (case.field is None or p.field == case.field)
    )


# ---------------------------------------------------------------- the corpus itself


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 24
    required = {
        "yaml_syntax", "tab_indent", "duplicate_key", "anchor", "alias", "alias_bomb", "python_tag", "explicit_tag",
        "two_documents", "too_large", "too_deep", "bidi_override", "zero_width_in_id", "not_utf8",
        "unknown_top_level_key", "unknown_kind", "wrong_schema_version", "missing_required_field", "wrong_type",
        "unknown_operator", "two_operators", "unknown_condition", "unknown_parameter", "unknown_source",
        "unknown_fact", "duplicate_condition_id", "self_reference", "parameter_date_order", "until_before_from",
        "parameter_wrong_type", "lt_on_yes_no", "cases_without_else", "layer_unknown_condition",
        "layer_unknown_municipality", "invalid_url", "bad_id_uppercase",
    }
    assert required <= set(BY_NAME), sorted(required - set(BY_NAME))
    assert set(KNOWN_LOADER_BUGS) <= set(BY_NAME)


def test_base_set_is_valid(tmp_path: Path) -> None:
    """Without a defect the set loads, so each case tests exactly the one defect it adds."""
    base = load_rules(build(None, tmp_path))
    assert set(base.programmes) == {"demo"} and set(base.conditions) == {"demo.adult"}
    assert "00000" in base.layers


def test_base_set_passes_check(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "helper", "check", "--rules", str(build(None, tmp_path))],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


@pytest.mark.parametrize("case", _params())
def test_malformed_rules_are_rejected(case: Case, tmp_path: Path) -> None:
    problems = problems_of(build(case, tmp_path))
    listing = "\n".join(str(p) for p in problems)
    assert any(_matches(p, case) for p in problems), (
        f"expected {case.broken}:{case.line}: {case.field or '*'}: ...{case.message}... among:\n{listing}"
    )
    # One defect, one file: nothing else in the set is blamed.
    others = [p for p in problems if not Path(p.file).as_posix().endswith("/" + case.broken.as_posix())]
    assert not others, f"problems outside {case.broken}:\n{listing}"


# ---------------------------------------------------------------- hostile input


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    rules = build(BY_NAME["alias_bomb"], tmp_path)
    start = time.perf_counter()
    problems = problems_of(rules)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"alias bomb took {elapsed:.2f}s"
    assert any(_matches(p, BY_NAME["alias_bomb"]) for p in problems)


def test_python_tag_runs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = build(BY_NAME["python_tag"], tmp_path)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)  # the payload's `touch` is relative to the working directory
    problems = problems_of(rules)
    assert any(_matches(p, BY_NAME["python_tag"]) for p in problems)
    assert not (work / SENTINEL).exists()
    assert not (ROOT / SENTINEL).exists()


@pytest.mark.skipif(shutil.which("touch") is None, reason="needs a POSIX `touch`")
def test_python_tag_payload_is_live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Control for the test above: an unsafe YAML loader really would create the sentinel."""
    monkeypatch.chdir(tmp_path)
    text = (BY_NAME["python_tag"].folder / "programmes" / "demo.yaml").read_text(encoding="utf-8")
    yaml.load(text, Loader=yaml.UnsafeLoader)  # noqa: S506 - deliberately unsafe, on our own fixture, in a tmp dir
    assert (tmp_path / SENTINEL).exists()


def test_oversized_file_is_really_oversized() -> None:
    case = BY_NAME["too_large"]
    assert (case.folder / case.broken).stat().st_size > 256 * 1024


# ---------------------------------------------------------------- the command line


def test_check_command_names_file_and_line(tmp_path: Path) -> None:
    case = BY_NAME["unknown_fact"]
    rules = build(case, tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "helper", "check", "--rules", str(rules)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert proc.returncode == 1
    broken = rules / case.broken
    assert f"{broken}:{case.line}: {case.field}: " in proc.stderr, proc.stderr
    assert case.message in proc.stderr


# ---------------------------------------------------------------- rules that must not blow up evaluation

BOUNDED = CORPUS / "_bounded"  # valid but hostile rule sets: evaluated, in bounded time
# name -> (outcome for an adult of 30, a text the first reason must hold)
BOUNDED_OUTCOMES = {
    "condition_diamond": ("eligible", "Yes."),  # 2**24 paths through 24 shared conditions
    "formula_diamond": ("eligible", "Yes."),  # 2**24 applications of 24 formulas, unless memoised
    "product_chain": ("uncertain", "too large"),  # a number squared 40 times, unless bounded
}


def test_bounded_corpus_is_complete() -> None:
    assert {p.name for p in BOUNDED.iterdir() if p.is_dir()} == set(BOUNDED_OUTCOMES)


@pytest.mark.parametrize("name", sorted(BOUNDED_OUTCOMES))
def test_hostile_rules_are_evaluated_in_bounded_time(name: str, tmp_path: Path) -> None:
    """Each took minutes or more (or exhausted memory) before; the timeout only catches a hang, the speed
    itself is bench/'s business. In a subprocess, so that a hang is killed rather than waited for."""
    rules = tmp_path / "rules"
    shutil.copytree(BASE, rules)
    shutil.copytree(BOUNDED / name, rules, dirs_exist_ok=True)
    answers = tmp_path / "answers.json"
    answers.write_text('{"version": 1, "person": {"age": 30}}', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "helper", "evaluate", str(answers), "--rules", str(rules), "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)["results"][0]
    outcome, text = BOUNDED_OUTCOMES[name]
    assert result["outcome"] == outcome
    assert text in result["reasons"][0]["text"]
    check = subprocess.run([sys.executable, "-m", "helper", "check", "--rules", str(rules)],
                           capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert check.returncode in (0, 1) and "Traceback" not in check.stderr, check.stderr  # untested ids: 1

