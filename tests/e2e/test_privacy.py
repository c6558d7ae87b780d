"""Nothing about a person reaches the server's logs or its disk, and the page prints on A4."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import ROOT, free_port, wait_healthy
from tests.e2e.flow import begin, settled, walk
from tests.test_app import PROVISIONAL_RELEASE

pytestmark = pytest.mark.e2e
CANARY = "ZQX-CANARY-7731"


def test_answers_never_reach_logs_or_disk(page: Page, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    started = time.time()
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true", f"--server.port={port}",
             "--server.address=127.0.0.1", "--logger.level=debug"],
            cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, env={**os.environ, "TMPDIR": str(tmp_path)})
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url)
            page.goto(url + "/save?lang=en")
            settled(page)
            upload = page.locator("[data-testid='stFileUploaderDropzoneInput']")
            answers = json.dumps({"version": 1, "applicant": {"name": CANARY}})
            upload.set_input_files(files=[{"name": "answers.json", "mimeType": "application/json",
                                           "buffer": answers.encode()}])
            settled(page)
            page.locator(".st-key-m_resume button").click()
            settled(page)
            page.goto(url + "/?lang=en")
            settled(page)
            walk(page, PROVISIONAL_RELEASE)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    assert CANARY not in log.read_text(errors="replace")
    assert "provisional_release" not in log.read_text(errors="replace")
    touched = [p for p in [*ROOT.rglob("*"), *tmp_path.rglob("*")]
               if p.is_file() and p.stat().st_mtime >= started and p != log and ".venv" not in p.parts
               and "test-artifacts" not in p.parts and "__pycache__" not in p.parts]
    leaked = [p for p in touched if CANARY.encode() in p.read_bytes()]
    assert leaked == []


def test_results_print_on_a4(page: Page, app_url: str, artifacts: Path) -> None:
    from pypdf import PdfReader

    page.goto(f"{app_url}/?lang=en")
    begin(page)
    walk(page, PROVISIONAL_RELEASE)
    # Navigate inside the app: loading a URL would start a new, empty session.
    page.locator("[data-testid='stSidebarNavLink'][href$='/results']").click()
    settled(page)
    page.locator(".st-key-m_print label").click()
    page.get_by_text("Use your browser's print command").wait_for()
    settled(page)
    page.emulate_media(media="print")
    pdf = artifacts / "results-print.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    reader = PdfReader(str(pdf))
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 210 and round(float(box.height) / 72 * 25.4) == 297
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    assert "Public assistance" in text and "Closed to you" in text
    assert "淀川区" in text and "No municipality given" not in text  # the person's own results
    assert "Erase and exit" not in text  # the sidebar and buttons are left out
