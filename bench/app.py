"""Benchmarks for the Streamlit app, in a real browser. Prints ``name: value unit`` lines.

- server_start_s: from launching ``streamlit run`` to ``/_stcore/health`` answering 200.
- click_to_next_question_ms: in Chromium, from clicking Next to the next question shown (median; target 300).
- memory_per_session_kb: growth of the server's resident memory per extra open session (20 sessions).
Needs Debian's chromium (``python3 tasks.py test`` installs it). Run: ``python bench/app.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import ARGS, CHROMIUM, free_port, start_server, wait_healthy  # noqa: E402
from tests.e2e.flow import answer, current_fact, key_class, settled  # noqa: E402
from tests.test_app import PERMANENT_RESIDENT  # noqa: E402


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def main() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_server(port)
    try:
        print(f"server_start_s: {wait_healthy(url):.2f} s")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page(viewport={"width": 360, "height": 780})
            page.goto(url + "/?lang=en")
            settled(page)
            clicks = []
            for _ in range(12):
                fact = current_fact(page)
                if fact is None:
                    break
                if fact == "municipality":
                    answer(page, fact, PERMANENT_RESIDENT[fact])
                    continue
                from tests.e2e.flow import QUESTIONS

                q = QUESTIONS[fact]
                box = page.locator(key_class(f"g_{fact}"))
                value = PERMANENT_RESIDENT[fact]
                if q.widget in ("choice", "yes_no"):
                    options = [True, False] if q.widget == "yes_no" else [o.value for o in q.options]
                    box.locator("[data-testid='stRadioOption']").nth(options.index(value)).click()
                else:
                    box.locator("input").fill(str(value))
                start = time.perf_counter()
                page.locator(key_class("g_next")).locator("button").click()
                page.locator(key_class(f"g_{fact}")).wait_for(state="detached", timeout=20_000)
                page.locator("[class*='st-key-g_next'], [data-testid='stSuccess']").first.wait_for(timeout=20_000)
                clicks.append((time.perf_counter() - start) * 1000)
                settled(page)
            print(f"click_to_next_question_ms: {statistics.median(clicks):.0f} ms")
            base_rss = rss_kb(proc.pid)
            sessions = []
            for _ in range(20):
                ctx = browser.new_context()
                pg = ctx.new_page()
                pg.goto(url + "/?lang=ja")
                settled(pg)
                sessions.append(ctx)
            time.sleep(1)
            grown = rss_kb(proc.pid) - base_rss
            print(f"memory_per_session_kb: {grown / 20:.0f} KB")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
