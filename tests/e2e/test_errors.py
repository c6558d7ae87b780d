"""No traceback, exception type or exception message ever reaches the browser.

A page that raises is run by a real server with the project's configuration, and every websocket frame
the browser receives is recorded. A control run with the legacy ``showErrorDetails = false`` shows that
the recording does see a stack trace when one is sent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import wait_healthy
from tests.e2e.flow import settled
from tests.e2e.servers import port, start_guarded, stop

pytestmark = pytest.mark.e2e
CANARY = "ZQX-CANARY-5521"
FAILING_APP = '''
import streamlit as st
from helper.ui import guard, session

session.init()

class FailingPage:
    def run(self) -> None:
        def parse_name(text):
            # Built at run time: the canary is in the message only, not in any source line of a stack.
            raise ValueError("cannot read " + "-".join(["ZQX", "CANARY", str(5521)]) + " from /home/someone/x")
        parse_name("typed")

if st.query_params.get("mode") == "handled":
    guard.run_page(FailingPage())
else:
    FailingPage().run()  # uncaught: Streamlit's own handler, under client.showErrorDetails
'''
LEAKS = (CANARY, "ValueError", "Traceback", "parse_name", "/home/someone")


def received(page: Page, url: str) -> bytes:
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(
        f if isinstance(f, bytes) else f.encode())))
    page.goto(url)
    settled(page)
    page.wait_for_timeout(300)
    return b"".join(frames) + page.content().encode()


@pytest.fixture()
def failing_app(tmp_path: Path) -> Path:
    script = tmp_path / "failing_app.py"
    script.write_text(FAILING_APP, encoding="utf-8")
    return script


def _serve(script: Path, offset: int, *extra: str) -> tuple[object, str]:
    p = port(offset)
    proc = start_guarded(p, *extra, module="streamlit", script=str(script))
    url = f"http://127.0.0.1:{p}"
    wait_healthy(url)
    return proc, url


def test_a_failing_page_shows_a_translated_message_and_no_details(page: Page, failing_app: Path) -> None:
    proc, url = _serve(failing_app, 0)
    try:
        handled = received(page, url + "/?mode=handled&lang=en")
        expect(page.get_by_text("Something went wrong on this page")).to_be_visible()
        expect(page.locator(".st-key-m_failure_retry button")).to_be_visible()
        uncaught = received(page, url + "/?mode=uncaught&lang=en")
        expect(page.get_by_text("This app has encountered an error")).to_be_visible()
    finally:
        stop(proc)  # type: ignore[arg-type]
    for leak in LEAKS:
        assert leak.encode() not in handled, leak
        assert leak.encode() not in uncaught, leak


def test_control_the_legacy_false_sends_the_stack(page: Page, failing_app: Path) -> None:
    proc, url = _serve(failing_app, 1, "--client.showErrorDetails=false")
    try:
        uncaught = received(page, url + "/?mode=uncaught&lang=en")
    finally:
        stop(proc)  # type: ignore[arg-type]
    assert b"parse_name" in uncaught and b"ValueError" in uncaught
    assert CANARY.encode() not in uncaught  # "stacktrace" drops the message (not the stack's source lines)
