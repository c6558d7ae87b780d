"""A session's data leaves the server's memory when the session ends, and downloads are never cached.

A person's name (a canary) is uploaded in an answers file, resumed and saved again as a download; the
test reads the server process's whole memory (``/proc/PID/mem``) while the tab is open (the canary is
there: the scan works) and again after the tab is closed and ``server.disconnectedSessionTTL`` (short
here) has passed: it is gone, in every encoding CPython stores text in.
"""

from __future__ import annotations

import re
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import wait_healthy
from tests.e2e.flow import settled
from tests.e2e.servers import port, start_guarded, stop

pytestmark = pytest.mark.e2e
CANARY = "ZQXMEMCANARY" + "4417"  # never a whole literal in this file's bytecode constants
TTL = 3


def occurrences(pid: int, needle: str) -> int:
    """How many times ``needle`` is in the process's readable memory, as UTF-8, UTF-16 or UTF-32."""
    patterns = [needle.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-32-le")]
    found = 0
    maps = Path(f"/proc/{pid}/maps").read_text().splitlines()
    with open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        for line in maps:
            addresses, perms = line.split()[:2]
            if not perms.startswith("r") or line.endswith(("[vvar]", "[vsyscall]", "[vvar_vclock]")):
                continue
            start, end = (int(a, 16) for a in addresses.split("-"))
            try:
                mem.seek(start)
                chunk = mem.read(end - start)
            except (OSError, ValueError, OverflowError):
                continue
            found += sum(chunk.count(p) for p in patterns)
    return found


def test_a_closed_sessions_data_leaves_memory_and_downloads_are_not_cached(browser: Browser, tmp_path: Path) -> None:
    p = port(2)
    proc = start_guarded(p, f"--server.disconnectedSessionTTL={TTL}")
    url = f"http://127.0.0.1:{p}"
    try:
        wait_healthy(url)
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        page.goto(url + "/save?lang=en")
        settled(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(files=[{
            "name": "answers.json", "mimeType": "application/json",
            "buffer": ('{"version": 1, "applicant": {"name": "' + CANARY + '"}}').encode()}])
        settled(page)
        page.locator(".st-key-m_resume button").click()
        settled(page)
        # A plain file, so that the download itself carries the canary: chosen, and its warning ticked.
        page.locator(".st-key-m_save_mode [data-testid='stRadioOption']").nth(1).click()
        settled(page)
        page.locator(".st-key-m_plain_ok label").click()
        settled(page)
        page.locator(".st-key-m_prepare button").click()
        settled(page)
        with page.expect_download() as download:
            page.locator(".st-key-m_download button").click()
        link = download.value.url
        assert re.search(r"/media/[0-9a-f]+", link), link
        with urllib.request.urlopen(link, timeout=10) as response:
            assert response.headers["Cache-Control"] == "no-store"
            assert CANARY.encode() in response.read()  # the download is the person's file
        assert occurrences(proc.pid, CANARY) > 0  # the scan sees the session's data while it is open
        context.close()
        deadline = time.monotonic() + TTL + 40  # a connection closed uncleanly is lost after a missed ping (≤ 30 s)
        while (left := occurrences(proc.pid, CANARY)) and time.monotonic() < deadline:
            time.sleep(1)
        assert left == 0
        with pytest.raises(urllib.error.HTTPError) as gone:
            urllib.request.urlopen(link, timeout=10)
        assert gone.value.code == 404  # the download went with the session
    finally:
        stop(proc)


def test_a_name_typed_on_the_letter_page_leaves_memory_with_the_session(browser: Browser) -> None:
    # The letter page shows a typed name again as its field's value: Streamlit keeps it in the widget's
    # metadata and in the browser's last message, which clearing the session state leaves in place.
    name = "ZQXMEMCANARY" + "4418"
    p = port(1)
    proc = start_guarded(p, f"--server.disconnectedSessionTTL={TTL}")
    url = f"http://127.0.0.1:{p}"
    try:
        wait_healthy(url)
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "/letter?lang=en")
        settled(page)
        field = page.locator(".st-key-m_letter_welfare_application_applicant-name input")
        field.fill(name)
        field.press("Enter")
        settled(page)
        page.locator("[data-testid='stForm'] button").last.click()  # "Update the letter"
        settled(page)
        assert occurrences(proc.pid, name) > 0
        context.close()
        deadline = time.monotonic() + TTL + 40  # a connection closed uncleanly is lost after a missed ping (≤ 30 s)
        while (left := occurrences(proc.pid, name)) and time.monotonic() < deadline:
            time.sleep(1)
        assert left == 0
    finally:
        stop(proc)
