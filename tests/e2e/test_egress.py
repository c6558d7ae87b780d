"""The server sends nothing anywhere: every connection it makes, during a whole guided session in a
browser and during hostile cross-origin websocket attempts, is to this machine.

The server runs under ``strace -f -e trace=connect,sendto,sendmsg``, which records every address any of
its threads connects or sends to (DNS and UDP included). A control run without the launcher's guard
shows that the recording sees Streamlit's own address lookup (UDP ``connect`` to 8.8.8.8).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.e2e.conftest import wait_healthy
from tests.e2e.flow import begin, walk
from tests.e2e.servers import port, start_guarded, stop
from tests.test_app import PROVISIONAL_RELEASE

pytestmark = pytest.mark.e2e
STRACE = shutil.which("strace")
HOSTILE_ORIGINS = ("https://evil.example", "http://127.0.0.1.evil.example", "null", "http://localhost.evil:80")

# One address in strace's rendering of a sockaddr: the family, and for IP families the address.
SOCKADDR = re.compile(r'sa_family=(AF_\w+)(?:, sin6?_port=htons\(\d+\)(?:, sin6_flowinfo=htonl\(\d+\))?, '
                      r'(?:sin_addr=inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"))?')
LOCAL_FAMILIES = {"AF_UNIX", "AF_NETLINK", "AF_UNSPEC"}  # the kernel and this machine's sockets
LOOPBACK = re.compile(r"^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$")


def destinations(trace: str) -> list[str]:
    """Every address the traced process connected or sent to, as "FAMILY address"."""
    found = []
    for line in trace.splitlines():
        if not re.search(r"\b(connect|sendto|sendmsg)\(", line):
            continue
        for family, v4, v6 in SOCKADDR.findall(line):
            found.append(f"{family} {v4 or v6}".strip())
    return found


def outbound(trace: str) -> list[str]:
    return [d for d in destinations(trace)
            if d.split()[0] not in LOCAL_FAMILIES and not LOOPBACK.match(d.split(" ", 1)[-1])]


def hostile_websockets(url: str) -> None:
    for origin in HOSTILE_ORIGINS:
        with pytest.raises(InvalidStatus) as refused:
            with connect(url.replace("http", "ws") + "/_stcore/stream", origin=origin, open_timeout=10):
                pass
        assert refused.value.response.status_code == 403


def traced_server(tmp_path: Path, name: str, module: str = "helper.serve") -> tuple[subprocess.Popen[bytes], Path, str]:
    if STRACE is None:
        pytest.skip("strace is not installed (python3 tasks.py test installs it as root)")
    trace = tmp_path / f"{name}.strace"
    p = port(0 if module == "helper.serve" else 1)
    proc = start_guarded(p, prefix=[STRACE, "-f", "-qq", "--seccomp-bpf", "-e", "trace=connect,sendto,sendmsg",
                                    "-o", str(trace)], module=module)
    url = f"http://127.0.0.1:{p}"
    try:
        wait_healthy(url, timeout=90)
    except RuntimeError:
        stop(proc)
        raise
    return proc, trace, url


def test_strace_sees_streamlits_own_lookup_without_the_guard(tmp_path: Path) -> None:
    """Control: plain ``streamlit run`` (no guard until a session runs app.py) looks its addresses up."""
    proc, trace, url = traced_server(tmp_path, "control", module="streamlit")
    try:
        hostile_websockets(url)  # refused, but only after the lookups
    finally:
        stop(proc)
    assert "AF_INET 8.8.8.8" in destinations(trace.read_text())


def test_no_connection_leaves_the_machine(page: Page, tmp_path: Path) -> None:
    proc, trace, url = traced_server(tmp_path, "guarded")
    try:
        hostile_websockets(url)  # before any session has run app.py: the launcher's guard alone
        page.goto(url + "/?lang=en")
        begin(page)
        walk(page, PROVISIONAL_RELEASE)
        page.locator("[data-testid='stSidebarNavLink'][href$='/results']").click()
        page.get_by_text("Public assistance").first.wait_for()
        hostile_websockets(url)
    finally:
        stop(proc)
    recorded = trace.read_text()
    # The server only answers (it connects nowhere), so the proof that the recording covered it is
    # the session's own traffic: every reply it sent is a recorded sendto on an accepted socket.
    assert recorded.count("sendto(") > 100, "the recording did not see the session's traffic"
    assert outbound(recorded) == []
