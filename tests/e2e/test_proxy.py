"""The deployed nginx (deploy/nginx/) in front of Streamlit: TLS, every security header, logs without query
strings or addresses, the app working in Chromium under the Content-Security-Policy, and several app
processes with sticky sessions. Ports 8627-8629 (app) and 8630-8631 (proxy)."""

from __future__ import annotations

import http.client
import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from helper.savefile import load
from tests.e2e.conftest import ROOT
from tests.e2e.flow import answer as answer_question
from tests.e2e.flow import begin, current_fact, key_class, settled
from tests.e2e.proxy import HTTP_PORT, HTTPS_PORT, Proxy, nginx_binary, running
from tests.test_app import PROVISIONAL_RELEASE

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(
    nginx_binary() is None, reason="nginx is not installed (python3 tasks.py test installs Debian's nginx as root)")]

_spec = importlib.util.spec_from_file_location("deploy_csp", ROOT / "deploy" / "csp.py")
assert _spec and _spec.loader
csp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(csp)

FIXED = {
    "content-security-policy": csp.policy(),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "strict-transport-security": "max-age=31536000",
    "permissions-policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                          "microphone=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
}
# Collects every violation the page reports, whatever the console shows.
WATCH = """window.khViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.khViolations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));"""


PASSPHRASE = "violet harbour lantern seventeen"  # a test value; zxcvbn rates it strong

def get(proxy: Proxy, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPSConnection("127.0.0.1", HTTPS_PORT, context=proxy.tls(), timeout=20)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        headers: dict[str, str] = {}
        for name, value in response.getheaders():
            headers[name.lower()] = f"{headers[name.lower()]}, {value}" if name.lower() in headers else value
        return response.status, headers, response.read()
    finally:
        conn.close()


def watched_page(context: BrowserContext) -> tuple[Page, list[str]]:
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(WATCH)
    return page, console


def first_question_download_and_upload(page: Page, url: str) -> dict[str, Any]:
    """Answer the first guided question, save the answers, download them and upload them again: one session,
    so one process."""
    page.goto(url + "/?lang=en")
    begin(page)
    fact = current_fact(page)
    assert fact is not None
    answer_question(page, fact, PROVISIONAL_RELEASE[fact])
    assert current_fact(page) not in (None, fact)
    page.get_by_role("link", name="Save or resume").click()  # in the app: the same session
    settled(page)
    # The default: a file protected by a passphrase (typed twice), as a person saves it.
    for key in ("m_save_pass", "m_save_pass2"):
        page.locator(key_class(key)).locator("input").fill(PASSPHRASE)
        page.locator(key_class(key)).locator("input").press("Enter")
        settled(page)
    page.locator(key_class("m_prepare")).locator("button").click()
    settled(page)
    with page.expect_response(lambda r: "/media/" in r.url) as response, page.expect_download() as download:
        page.locator(key_class("m_download")).locator("button").click()
    assert response.value.status == 200
    assert response.value.headers["cache-control"] == "no-store"
    content = Path(download.value.path()).read_bytes()
    assert json.loads(content).get("format") == "kyosei-helper/encrypted-answers", "not the protected file"
    saved = load(content, PASSPHRASE).model_dump(mode="json", exclude_none=True)  # what the person gets back
    # And back up: the upload (/_stcore/upload_file/..., checked against the XSRF cookie) reaches the same process.
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "answers.json", "mimeType": "application/json", "buffer": content}])
    settled(page)
    page.locator(key_class("m_resume_pass")).locator("input").fill(PASSPHRASE)
    page.locator(key_class("m_resume_pass")).locator("input").press("Enter")
    settled(page)
    page.locator(key_class("m_resume")).locator("button").click()
    settled(page)
    expect(page.get_by_text("Your answers were loaded.")).to_be_visible()
    return saved


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:  # pytest-playwright hook
    return {**browser_context_args, "ignore_https_errors": True}  # the certificate is this run's own


class TestOneProcess:
    @pytest.fixture(scope="class")
    def proxy(self, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
        with running("kyosei-helper.conf", tmp_path_factory.mktemp("nginx-one"), 1) as proxy:
            yield proxy

    def test_the_policy_in_the_file_is_the_one_computed_from_the_code(self) -> None:
        # Fails after a Streamlit upgrade or an edit of helper/ui/style.py's script: run deploy/csp.py --write.
        assert csp.header_line() in (ROOT / "deploy" / "nginx" / "kyosei-helper-headers.conf").read_text()
        policy = FIXED["content-security-policy"]
        assert "frame-ancestors 'none'" in policy
        script_src = re.search(r"script-src ([^;]*)", policy)
        assert script_src and "'unsafe-inline'" not in script_src.group(1) and "'unsafe-eval'" not in policy

    @pytest.mark.parametrize("path", ["/", "/_stcore/health", "/results", "/media/missing.json",
                                      "/_stcore/metrics", "/static/missing.js"])
    def test_every_answer_carries_the_security_headers(self, proxy: Proxy, path: str) -> None:
        status, headers, body = get(proxy, path)
        assert status in (200, 404)
        for name, value in FIXED.items():
            assert headers.get(name) == value, name
        assert headers["server"] == "nginx"  # no version
        assert b"nginx/" not in body
        assert "set-cookie" not in headers or "kh_route" not in headers["set-cookie"]  # one process: no routing

    def test_the_app_answers_through_the_proxy_and_the_metrics_do_not(self, proxy: Proxy) -> None:
        assert get(proxy, "/")[0] == 200
        assert get(proxy, "/_stcore/health")[2] == b"ok"
        assert get(proxy, "/_stcore/metrics")[0] == 404

    def test_downloads_are_never_stored(self, proxy: Proxy) -> None:
        status, headers, _ = get(proxy, "/media/missing.json")
        assert status == 404
        assert headers["cache-control"] == "no-store"

    def test_plain_http_is_sent_to_https(self, proxy: Proxy) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=10)
        conn.request("GET", "/results")
        response = conn.getresponse()
        assert response.status == 301
        assert response.getheader("Location", "").startswith("https://")
        assert response.getheader("Server") == "nginx"
        conn.close()

    def test_the_access_log_keeps_no_query_string_and_no_address(self, proxy: Proxy) -> None:
        get(proxy, "/results?lang=en&note=ZQX-CANARY-4410")
        log = proxy.access_log()
        assert re.search(r" GET /results 200 ", log), log
        assert "ZQX-CANARY" not in log and "lang=" not in log
        assert "127.0.0.1" not in log

    def test_the_app_runs_under_the_policy_and_downloads_through_the_proxy(self, proxy: Proxy,
                                                                          context: BrowserContext) -> None:
        page, console = watched_page(context)
        saved = first_question_download_and_upload(page, proxy.url)
        assert "municipality" in json.dumps(saved)
        assert page.evaluate("document.documentElement.dir") == "ltr"  # the app's own script ran (by hash)
        assert page.evaluate("window.khViolations") == []
        assert console == []

    def test_the_right_to_left_script_is_allowed_too(self, proxy: Proxy, context: BrowserContext) -> None:
        page, console = watched_page(context)
        page.goto(proxy.url + "/?lang=ar")
        settled(page)
        expect(page.locator("html[dir='rtl'][lang='ar']")).to_have_count(1)
        assert page.evaluate("window.khViolations") == []
        assert console == []


def _connects(proxy: Proxy) -> list[int]:
    """How many websocket sessions each app process has seen, read from each process directly."""
    import urllib.request

    counts = []
    for url in proxy.app_urls:
        with urllib.request.urlopen(url + "/_stcore/metrics", timeout=10) as r:
            text = r.read().decode()
        match = re.search(r'session_events_total\{type="connect"\} (\d+)', text)
        assert match, text[:300]
        counts.append(int(match.group(1)))
    return counts


class TestSeveralProcesses:
    @pytest.fixture(scope="class")
    def proxy(self, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
        with running("kyosei-helper-several.conf", tmp_path_factory.mktemp("nginx-several"), 3) as proxy:
            yield proxy

    def test_two_sessions_on_two_processes_each_answer_and_download(self, proxy: Proxy, browser: Browser) -> None:
        contexts: list[BrowserContext] = []
        sessions: dict[int, tuple[BrowserContext, Page, list[str]]] = {}
        try:
            # Each new browser gets its own routing cookie; open browsers until two sit on two processes
            # (bounded: a third browser lands elsewhere than the first with probability 8/9 each time).
            for _ in range(8):
                context = browser.new_context(ignore_https_errors=True)
                contexts.append(context)
                page, console = watched_page(context)
                before = _connects(proxy)
                page.goto(proxy.url + "/?lang=en")
                settled(page)
                after = _connects(proxy)
                grown = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if b > a]
                assert len(grown) == 1, (before, after)
                sessions.setdefault(grown[0], (context, page, console))
                if len(sessions) == 2:
                    break
            assert len(sessions) == 2, "every browser was sent to the same process"
            for process, (context, page, console) in sessions.items():
                cookie = next(c for c in context.cookies() if c["name"] == "kh_route")
                assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
                before = _connects(proxy)
                first_question_download_and_upload(page, proxy.url)  # websocket, /media/, upload: one process
                after = _connects(proxy)
                assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if b > a] == [process]
                assert page.evaluate("window.khViolations") == []
                assert console == []
        finally:
            for context in contexts:
                context.close()
