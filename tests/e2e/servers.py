"""Servers started the way an operator starts them (``python -m helper.serve``), for the tests that watch
the server process itself: its connections, its memory, its responses."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence

from tests.e2e.conftest import ROOT, free_port


def port(offset: int = 0) -> int:
    """A free port, or ``KYOSEI_TEST_PORT_BASE + offset`` where a machine gives each runner its own ports."""
    base = os.environ.get("KYOSEI_TEST_PORT_BASE")
    return int(base) + offset if base else free_port()


def start_guarded(port: int, *extra: str, prefix: Sequence[str] = (), module: str = "helper.serve",
                  stdout: int | None = subprocess.DEVNULL, script: str = "app.py") -> subprocess.Popen[bytes]:
    """``python -m helper.serve`` (or ``streamlit run script``, for a control) on 127.0.0.1:port, from the
    project's root so that its ``.streamlit/config.toml`` applies."""
    target = ["run", script] if module == "streamlit" else []
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"}
    return subprocess.Popen(
        [*prefix, sys.executable, "-m", module, *target, "--server.headless=true", f"--server.port={port}",
         "--server.address=127.0.0.1", *extra],
        cwd=ROOT, stdout=stdout, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and anything it runs under (strace would detach and leave the server running)."""
    import signal

    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        proc.wait()
