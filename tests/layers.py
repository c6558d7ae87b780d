"""Shared by the tests of the local layers: the command line as a supporter runs it, and the example
people of examples/ (who live in 淀川区) moved to another municipality."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "helper", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=60)


def moved(example: str, code: str, as_of: str | None = None) -> str:
    """The example's answers with the person moved from 淀川区 to ``code`` (and to the date ``as_of``)."""
    text = (EXAMPLES / example).read_text(encoding="utf-8")
    assert 'municipality: "27123"' in text
    text = text.replace('municipality: "27123"', f'municipality: "{code}"')
    return text.replace("as_of: 2026-11-29", f"as_of: {as_of}") if as_of else text
