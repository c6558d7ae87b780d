"""Run mypy (configured in pyproject.toml) and hold it to the ratchet in mypy-ratchet.txt.

    .venv/bin/python scripts/typecheck.py            check: exit 1 if the ratchet is broken
    .venv/bin/python scripts/typecheck.py --tighten  lower the counts that fell and drop the modules now clean

mypy-ratchet.txt lists the modules allowed to have type errors today, each with how many. The list only
shrinks: a module not on it must be clean; a module on it may not gain errors; and a module that lost
errors must have its count lowered (or its line removed once clean), so that the gain is kept. `--tighten`
does that bookkeeping but never raises a count or adds a module.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATCHET = ROOT / "mypy-ratchet.txt"
ERROR = re.compile(r"^(?P<path>[^:\s][^:]*):\d+(?::\d+)?: error: ")


def read_ratchet(text: str) -> dict[str, int]:
    """``path count`` per line; ``#`` starts a comment."""
    allowed: dict[str, int] = {}
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or not parts[1].isdigit() or int(parts[1]) < 1 or parts[0] in allowed:
            raise ValueError(f"{RATCHET.name}:{no}: expected 'path count' (count ≥ 1, each path once)")
        allowed[parts[0]] = int(parts[1])
    return allowed


def count_errors(mypy_output: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for line in mypy_output.splitlines():
        m = ERROR.match(line)
        if m:
            path = m["path"].replace("\\", "/")
            found[path] = found.get(path, 0) + 1
    return found


def compare(allowed: dict[str, int], found: dict[str, int]) -> list[str]:
    """What breaks the ratchet, one line each; empty when it holds."""
    problems = []
    for path in sorted(found.keys() - allowed.keys()):
        problems.append(f"{path}: {found[path]} type error(s) in a module that must be clean; fix them")
    for path in sorted(allowed):
        now, before = found.get(path, 0), allowed[path]
        if now > before:
            problems.append(f"{path}: {now} type errors, the ratchet allows {before}; fix the new ones")
        elif now == 0:
            problems.append(f"{path}: clean now, well done; remove it from {RATCHET.name} (or run --tighten)")
        elif now < before:
            problems.append(f"{path}: {now} type errors, down from {before}; lower its count in {RATCHET.name}"
                            " (or run --tighten)")
    return problems


def tightened(text: str, found: dict[str, int]) -> str:
    """The ratchet file with counts lowered to what mypy found and clean modules dropped, comments kept."""
    allowed = read_ratchet(text)
    out = []
    for raw in text.splitlines():
        parts = raw.split("#", 1)[0].split()
        if len(parts) == 2 and parts[0] in allowed:
            now = found.get(parts[0], 0)
            if now == 0:
                continue
            if now < allowed[parts[0]]:
                raw = re.sub(r"^(\s*\S+\s+)\d+", rf"\g<1>{now}", raw, count=1)
        out.append(raw)
    return "\n".join(out) + "\n"


def run_mypy() -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def main(argv: list[str]) -> int:
    text = RATCHET.read_text(encoding="utf-8")
    status, output = run_mypy()
    if status not in (0, 1):  # 2: mypy itself failed (bad configuration, crash); its message says why
        print(output, end="", file=sys.stderr)
        return 2
    found = count_errors(output)
    if argv == ["--tighten"]:
        RATCHET.write_text(tightened(text, found), encoding="utf-8")
        text = RATCHET.read_text(encoding="utf-8")
    elif argv:
        print(__doc__, file=sys.stderr)
        return 2
    allowed = read_ratchet(text)
    problems = compare(allowed, found)
    if problems:
        over = {path for path, n in found.items() if n > allowed.get(path, 0)}
        for line in output.splitlines():
            m = ERROR.match(line) or re.match(r"^(?P<path>[^:\s][^:]*):\d+(?::\d+)?: note: ", line)
            if m and m["path"].replace("\\", "/") in over:
                print(line)
        print(f"\nmypy ratchet ({RATCHET.name}) broken:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    total = sum(found.values())
    print(f"mypy: the ratchet holds ({total} known errors in {len(found)} modules listed in {RATCHET.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
