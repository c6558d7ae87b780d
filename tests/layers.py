"""Shared by the tests of the command line and of the local layers: the command line as a supporter runs it
(in-process, for speed: ``run_process`` starts a real one), and the example people of examples/ (who live in
淀川区) moved to another municipality."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from helper.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m helper ARGS`` run in this process, from the project's directory, with its output captured.
    Starting Python, pydantic and the rules for every call made the command-line tests the slowest of the
    suite; the few in test_cli.py that use :func:`run_process` keep the real process covered."""
    out, err = io.StringIO(), io.StringIO()
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        code = main(list(args), io.StringIO(stdin or ""), out, err)
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["python", "-m", "helper", *args], code, out.getvalue(), err.getvalue())


def run_process(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m helper ARGS`` as a separate process."""
    return subprocess.run([sys.executable, "-m", "helper", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=60)


def moved(example: str, code: str, as_of: str | None = None) -> str:
    """The example's answers with the person moved from 淀川区 to ``code`` (and to the date ``as_of``)."""
    text = (EXAMPLES / example).read_text(encoding="utf-8")
    assert 'municipality: "27123"' in text
    text = text.replace('municipality: "27123"', f'municipality: "{code}"')
    return text.replace("as_of: 2026-11-29", f"as_of: {as_of}") if as_of else text
