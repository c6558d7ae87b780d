"""The engineering gates hold: the mypy ratchet only shrinks, and the deployment lock covers the app."""

from __future__ import annotations

import importlib.util
import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("typecheck", ROOT / "scripts" / "typecheck.py")
assert _spec and _spec.loader
typecheck = importlib.util.module_from_spec(_spec)
sys.modules["typecheck"] = typecheck
_spec.loader.exec_module(typecheck)

MYPY_OUTPUT = """\
helper/a.py:3: error: Incompatible types in assignment  [assignment]
helper/a.py:3: note: See https://mypy.readthedocs.io/
helper/a.py:9:5: error: "None" has no attribute "x"  [union-attr]
app_pages/b.py:1: error: Cannot infer type of lambda  [misc]
Found 3 errors in 2 files (checked 58 source files)
"""


def test_errors_are_counted_per_module_and_notes_are_not_errors() -> None:
    assert typecheck.count_errors(MYPY_OUTPUT) == {"helper/a.py": 2, "app_pages/b.py": 1}
    assert typecheck.count_errors("Success: no issues found in 58 source files\n") == {}


def test_the_ratchet_holds_when_the_counts_are_the_same() -> None:
    assert typecheck.compare({"helper/a.py": 2}, {"helper/a.py": 2}) == []


@pytest.mark.parametrize(("allowed", "found", "says"), [
    ({}, {"helper/new.py": 1}, "must be clean"),  # a module not on the list has an error
    ({"helper/a.py": 2}, {"helper/a.py": 3}, "allows 2"),  # a listed module gained one
    ({"helper/a.py": 2}, {}, "remove it"),  # a listed module became clean: the list must shrink
    ({"helper/a.py": 2}, {"helper/a.py": 1}, "lower its count"),  # the gain is kept
])
def test_the_ratchet_breaks(allowed: dict[str, int], found: dict[str, int], says: str) -> None:
    problems = typecheck.compare(allowed, found)
    assert len(problems) == 1 and says in problems[0]


def test_tighten_only_lowers_and_drops_and_keeps_the_comments() -> None:
    text = "# why\nhelper/a.py   5   # loose\nhelper/b.py 2\nhelper/c.py 1\n"
    found = {"helper/a.py": 3, "helper/b.py": 4, "helper/new.py": 7}
    out = typecheck.tightened(text, found)
    assert out == "# why\nhelper/a.py   3   # loose\nhelper/b.py 2\n"
    # What --tighten cannot fix still breaks the ratchet: b grew, new.py is not on the list.
    assert len(typecheck.compare(typecheck.read_ratchet(out), found)) == 2


@pytest.mark.parametrize("text", ["helper/a.py\n", "helper/a.py x\n", "helper/a.py 0\n", "a.py 1\na.py 2\n"])
def test_a_malformed_ratchet_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="path count"):
        typecheck.read_ratchet(text)


def test_the_ratchet_lists_modules_that_exist_once_each() -> None:
    allowed = typecheck.read_ratchet((ROOT / "mypy-ratchet.txt").read_text(encoding="utf-8"))
    assert [p for p in allowed if not (ROOT / p).is_file()] == []
    assert list(allowed) == sorted(allowed)


# ---------------------------------------------------------------- the deployment lock (requirements.lock)

PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)")


def _locked() -> dict[str, tuple[Version, int]]:
    """Each pinned package: its version and how many hashes the lock gives for it."""
    locked: dict[str, tuple[Version, int]] = {}
    name = None
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        m = PIN.match(line)
        if m:
            name = canonicalize_name(m["name"])
            assert name not in locked, f"{name} pinned twice"
            locked[name] = (Version(m["version"]), 0)
        elif name and line.strip().startswith("--hash=sha256:"):
            version, hashes = locked[name]
            locked[name] = (version, hashes + 1)
    return locked


def test_the_lock_pins_every_dependency_of_the_app_within_its_declared_range() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    locked = _locked()
    for spec in declared:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in locked, f"{req.name} is declared in pyproject.toml but not locked: regenerate the lock"
        assert req.specifier.contains(locked[name][0], prereleases=True), (
            f"{req.name}=={locked[name][0]} in requirements.lock is outside '{req.specifier}': regenerate the lock")


def _locked_via(name: str) -> set[str]:
    """The packages that pull ``name`` into the lock, from pip-compile's ``# via`` comments."""
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if canonicalize_name(line.split("==")[0]) == name)
    via: set[str] = set()
    for line in lines[start + 1:]:
        if line and not line.startswith(" "):
            break
        if line.strip().startswith("#"):  # "#   via altair" or "#   altair" on the lines after it
            via.add(line.strip().lstrip("#").strip().removeprefix("via").strip())
    return via - {""}


def test_every_locked_package_has_a_hash_and_no_test_tool_is_locked() -> None:
    locked = _locked()
    assert [name for name, (_, hashes) in locked.items() if hashes == 0] == []
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    test_only = {canonicalize_name(Requirement(spec).name) for spec in extras["test"]}
    # the deployment installs the app only; test tools in it would be attack surface for nothing. A tool the
    # app itself needs (jsonschema, through streamlit's altair) is locked for the app, as pip-compile says.
    direct = {"kyosei-helper (pyproject.toml)"}
    needed_by_app = {name for name in test_only & locked.keys() if _locked_via(name) - direct}
    assert sorted((test_only & locked.keys()) - needed_by_app) == []
