"""Benchmarks for the Streamlit app, in a real browser. Prints ``name: value unit`` lines.

- server_start_s: from launching ``streamlit run`` to ``/_stcore/health`` answering 200.
- click_to_next_question_ms: in Chromium at 360 px, from clicking Next to the next question shown
  (median of the guided flow; target 200), with the server's CPU time per click beside it. Measured with
  the configuration in .streamlit/config.toml and with ``runner.postScriptGC`` switched the other way
  (Streamlit collects garbage after every run; that collection dominated a click).
- memory_per_session_kb: growth of the server's resident memory per extra open session (20 sessions).
Every line ends with the machine's load average. Needs Debian's chromium (``python3 tasks.py test``
installs it). Run: ``python bench/app.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from tests.e2e.conftest import ARGS, CHROMIUM, free_port, start_server, wait_healthy  # noqa: E402
from tests.e2e.flow import QUESTIONS, answer, begin, current_fact, key_class, settled  # noqa: E402
from tests.test_app import PERMANENT_RESIDENT  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_s(pid: int) -> float:
    """User + system CPU time of a process (from /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" ({os.cpu_count()} CPUs)"


def clicks(browser: Browser, url: str, pid: int) -> tuple[list[float], list[float]]:
    """Wall and server CPU milliseconds of each click on Next through the guided flow."""
    page = browser.new_page(viewport={"width": 360, "height": 780})
    page.goto(url + "/?lang=en")
    begin(page)
    wall, cpu = [], []
    for _ in range(20):
        fact = current_fact(page)
        if fact is None:
            break
        if fact == "municipality":
            answer(page, fact, PERMANENT_RESIDENT[fact])
            continue
        q = QUESTIONS[fact]
        box = page.locator(key_class(f"g_{fact}"))
        value = PERMANENT_RESIDENT[fact]
        if q.widget in ("choice", "yes_no"):
            options = [True, False] if q.widget == "yes_no" else [o.value for o in q.options]
            box.locator("[data-testid='stRadioOption']").nth(options.index(value)).click()
        else:
            box.locator("input").fill(str(value))
        before_cpu, start = cpu_s(pid), time.perf_counter()
        page.locator(key_class("g_next")).locator("button").click()
        page.locator(key_class(f"g_{fact}")).wait_for(state="detached", timeout=20_000)
        page.locator("[class*='st-key-g_next'], [class*='st-key-g_change_']").first.wait_for(timeout=20_000)
        wall.append((time.perf_counter() - start) * 1000)
        settled(page)
        cpu.append((cpu_s(pid) - before_cpu) * 1000)
    page.close()
    return wall, cpu


def run(label: str, *extra: str, sessions: bool = False) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_server(port, *extra)
    try:
        print(f"server_start_s[{label}]: {wait_healthy(url):.2f} s  {load()}")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            clicks(browser, url, proc.pid)  # warm-up: first renders, caches, imports
            wall, cpu = clicks(browser, url, proc.pid)
            print(f"click_to_next_question_ms[{label}]: {statistics.median(wall):.0f} ms wall, "
                  f"{statistics.median(cpu):.0f} ms server CPU (median of {len(wall)})  {load()}")
            if sessions:
                base_rss = rss_kb(proc.pid)
                contexts = []
                for _ in range(20):
                    ctx = browser.new_context()
                    pg = ctx.new_page()
                    pg.goto(url + "/?lang=ja")
                    settled(pg)
                    contexts.append(ctx)
                time.sleep(1)
                grown = rss_kb(proc.pid) - base_rss
                print(f"memory_per_session_kb: {grown / 20:.0f} KB  {load()}")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    gc_after_run = config.get("runner", {}).get("postScriptGC", True)
    run(f"postScriptGC={str(gc_after_run).lower()} (config)", sessions=True)
    run(f"postScriptGC={str(not gc_after_run).lower()}", f"--runner.postScriptGC={str(not gc_after_run).lower()}")


if __name__ == "__main__":
    main()
