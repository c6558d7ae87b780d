"""Set up and run kyosei-helper on a machine with only Python 3.11+ and pip.

    python3 tasks.py app     create .venv if needed, install, and run the app on http://127.0.0.1:8501
    python3 tasks.py test    create .venv if needed, install with test extras, check the rules, run every test

The virtual environment is reinstalled only when pyproject.toml changes. Standard library only.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*cmd: str | Path, **kw: object) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, **kw)  # type: ignore[call-overload]


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"kyosei-helper needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{extras or 'app'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)
    stamp.write_text(digest)


def app(args: list[str]) -> None:
    ensure_venv("")
    os.chdir(ROOT)
    # helper.serve is `streamlit run app.py` with the server guards installed first (helper/server_guard.py).
    os.execv(str(PYTHON), [str(PYTHON), "-m", "helper.serve", *args])


# What the browser tests need from Debian: the browser itself, and fonts so that screenshots show
# Japanese, Burmese, Arabic and the other scripts (and emoji) instead of empty boxes.
SYSTEM_PACKAGES = {
    "/usr/bin/chromium": "chromium",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf": "fonts-ipaexfont-gothic",
    "/usr/share/fonts/truetype/noto/NotoSansMyanmar-Regular.ttf": "fonts-noto-core",
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf": "fonts-noto-color-emoji",
    # The reverse proxy of deploy/nginx/, started by tests/e2e/test_proxy.py to check its TLS and headers.
    "/usr/sbin/nginx": "nginx",
    # systemd-analyze, which checks deploy/kyosei-helper@.service (tests/test_deploy.py).
    "/usr/bin/systemd-analyze": "systemd",
    # tests/e2e/test_egress.py records the server's every connection with strace.
    "/usr/bin/strace": "strace",
    # The storage tests start a throwaway PostgreSQL server with it (tests/postgres.py); any version.
    "/usr/lib/postgresql/*/bin/initdb": "postgresql",
}


def ensure_system_packages() -> None:
    missing = [pkg for path, pkg in SYSTEM_PACKAGES.items() if not glob.glob(path)]
    if not missing:
        return
    if os.name == "nt" or not shutil.which("apt-get") or os.geteuid() != 0:
        print(f"note: {', '.join(missing)} missing and cannot be installed here; "
              "the tests that need them will be skipped")
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=env)
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)


def test(args: list[str]) -> None:
    ensure_venv("test")
    ensure_system_packages()
    # The gates before the tests: the rules, lint, types (mypy held to mypy-ratchet.txt). Each prints
    # its own report; a failure ends here with its exit status rather than a traceback of this script.
    try:
        run(PYTHON, "-m", "helper", "check")
        run(PYTHON, "-m", "ruff", "check", ".")
        run(PYTHON, "scripts/typecheck.py")
    except subprocess.CalledProcessError as failed:
        sys.exit(failed.returncode)
    result = subprocess.run([str(PYTHON), "-m", "pytest", *(args or ["tests"])], cwd=ROOT)
    sys.exit(result.returncode)


COMMANDS = {"app": app, "test": test}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
