"""deploy/: the systemd unit verifies and is confined, the launchers start and stop the app processes, and
the operator's guide names only files that exist. The proxy itself is tested in tests/e2e/test_proxy.py."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
GUIDE = ROOT / "docs" / "deploy.md"
UNIT = DEPLOY / "kyosei-helper@.service"
PORTS = (8627, 8628)  # this test's own ports (tests/e2e/test_proxy.py uses them too, never at the same time)

needs_systemd = pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                                   reason="systemd-analyze is not installed (Debian package systemd)")


def installed_unit(folder: Path, port: int) -> Path:
    """The unit as docs/deploy.md installs it, with this checkout in place of /opt/kyosei-helper."""
    text = UNIT.read_text()
    assert "/opt/kyosei-helper/deploy/run.sh %i" in text
    unit = folder / f"kyosei-helper@{port}.service"
    unit.write_text(text.replace("/opt/kyosei-helper", str(ROOT)))
    return unit


@needs_systemd
def test_the_unit_verifies_without_a_warning(tmp_path: Path) -> None:
    done = subprocess.run(["systemd-analyze", "verify", str(installed_unit(tmp_path, 8501))],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "" and done.stderr.strip() == "", done.stdout + done.stderr


@needs_systemd
def test_the_unit_is_confined_and_reaches_no_address_outside(tmp_path: Path) -> None:
    unit = installed_unit(tmp_path, 8501)
    done = subprocess.run(["systemd-analyze", "security", "--offline=true", unit.name], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d)", done.stdout)
    assert match, done.stdout[-2000:] + done.stderr
    assert float(match.group(1)) <= 3.5  # systemd's scale: 0 to 10, "OK" below 4
    text = UNIT.read_text()
    assert "IPAddressDeny=any" in text and "IPAddressAllow=localhost" in text


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


def test_run_several_starts_each_process_on_loopback_and_stops_them_all() -> None:
    if not (ROOT / ".venv" / "bin" / "python").exists():
        pytest.skip("no .venv in this checkout (python3 tasks.py test makes it)")
    assert not any(healthy(p) for p in PORTS), f"ports {PORTS} are taken"
    proc = subprocess.Popen([str(DEPLOY / "run-several.sh"), str(len(PORTS))], cwd="/",
                            env={**os.environ, "BASE_PORT": str(PORTS[0])},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not all(healthy(p) for p in PORTS):
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            assert time.monotonic() < deadline, "the app processes did not become healthy"
            time.sleep(0.2)
        listening = subprocess.run(["ss", "-Hltn"], capture_output=True, text=True).stdout
        for port in PORTS:
            assert f"127.0.0.1:{port} " in listening  # the loopback address only, never 0.0.0.0
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        deadline = time.monotonic() + 15
        while any(healthy(p) for p in PORTS):
            assert time.monotonic() < deadline, "an app process outlived run-several.sh"
            time.sleep(0.2)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_run_refuses_a_port_that_is_not_a_number() -> None:
    done = subprocess.run([str(DEPLOY / "run.sh"), "80;id"], capture_output=True, text=True, timeout=10)
    assert done.returncode == 2
    assert "must be a number" in done.stderr


def test_the_guide_names_only_files_that_exist_and_the_readme_links_to_it() -> None:
    guide = GUIDE.read_text()
    named = set(re.findall(r"(?<![\w/])deploy/[\w@.\-/]+\w", guide))  # not /etc/.../deploy/
    assert {"deploy/run.sh", "deploy/run-several.sh", "deploy/kyosei-helper@.service",
            "deploy/nginx/kyosei-helper.conf", "deploy/nginx/kyosei-helper-several.conf"} <= named
    missing = [n for n in named if not (ROOT / n).exists()]
    assert missing == []
    assert "docs/deploy.md" in (ROOT / "README.md").read_text()
