"""Refresh the gettext catalogs from the code, rules and letters, and fill in translations from JSON files.

    .venv/bin/python scripts/catalogs.py [--draft] [FILL.json ...]

Each FILL file maps a language code to {msgid: translation}; a translation is written where the message
exists in the refreshed catalogs (an entry for a message that is gone is reported and skipped). Messages
that left the code are dropped, not kept as obsolete; no fuzzy matching (a guessed translation of a new
legal text is worse than none); lines wrapped at 100 so that diffs stay small.

A filled entry counts as reviewed by a person (its ``fuzzy`` flag is removed). With ``--draft`` the
entries written are marked ``fuzzy`` instead: a machine or unchecked draft, shown only in the languages
not yet reviewed (helper/i18n.py), with a note saying so (docs/translators.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POT = ROOT / "locales" / "messages.pot"


def pybabel(*args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([str(BIN / "pybabel"), "-q", *args], check=True, cwd=ROOT, env=env)


def refresh() -> None:
    pybabel("extract", "-F", "pyproject.toml", "-o", str(POT), "-w", "100", ".")
    pybabel("update", "-i", str(POT), "-d", "locales", "-w", "100", "--no-fuzzy-matching", "--ignore-obsolete")


def fill(path: Path, draft: bool = False) -> None:
    data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    for code, translations in data.items():
        po = ROOT / "locales" / code / "LC_MESSAGES" / "messages.po"
        with po.open("rb") as fh:
            cat = read_po(fh, locale=code.replace("@easy", ""))
        written = skipped = 0
        for msgid, text in translations.items():
            message = cat.get(msgid)
            if message is None:
                skipped += 1
                continue
            message.string = text
            if draft:
                message.flags.add("fuzzy")
            else:
                message.flags.discard("fuzzy")
            written += 1
        with po.open("wb") as fh:
            write_po(fh, cat, width=100, omit_header=False, ignore_obsolete=True)
        print(f"{path.name} {code}: {written} written, {skipped} not in the catalog")


def main(argv: list[str]) -> None:
    draft = "--draft" in argv
    refresh()
    for name in argv:
        if name != "--draft":
            fill(Path(name), draft)


if __name__ == "__main__":
    main(sys.argv[1:])
