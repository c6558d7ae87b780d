"""Issue 10's campaigner in a real browser, on the campaign page: the table for 大阪市 with 仮放免 excluded from the
three programmes, then the survey tab (500 generated rows: the counts and the rejected row, the counts CSV) and the
petition tab (a 陳情書 to the Osaka City Assembly citing them). PETITION_E2E_PORT picks the port (default a free
one)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import free_port, start_server, wait_healthy
from tests.survey_data import survey_csv

pytestmark = pytest.mark.e2e


def test_survey_counts_and_a_chinjo_download(page: Page, tmp_path: Path) -> None:
    port = int(os.environ.get("PETITION_E2E_PORT") or free_port())
    proc = start_server(port)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url)
        page.set_viewport_size({"width": 1500, "height": 1000})
        page.goto(url + "/campaign?lang=en")
        table = page.locator(".st-key-k_gap_table table")
        expect(table).to_be_visible(timeout=60_000)
        assert table.locator("tr", has_text="仮放免").first.inner_text().count("not eligible *") == 3
        page.get_by_role("tab", name="Survey counts").click()
        upload = page.locator("[data-testid='stFileUploaderDropzoneInput']")
        upload.set_input_files(files=[{"name": "survey.csv", "mimeType": "text/csv",
                                       "buffer": survey_csv(500, bad_row=7).encode()}])
        expect(page.get_by_text("499 rows evaluated, 1 rows rejected.")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Row 7: person.age", exact=False)).to_be_visible()
        with page.expect_download() as got:
            page.get_by_role("button", name="Download the counts (CSV)").click()
        counts = Path(got.value.path()).read_text(encoding="utf-8")
        cells = [line.rsplit(",", 1)[1] for line in counts.splitlines()[1:]]
        assert "<10" in cells and not any(c.isdigit() and 1 <= int(c) <= 9 for c in cells)

        page.get_by_role("tab", name="Petition draft").click()
        page.get_by_text("Petition to the assembly chair", exact=False).click()
        gaps = page.get_by_role("combobox", name="Gaps to cite")
        gaps.click()
        gaps.fill("仮放免 — National Health")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        expect(page.get_by_text("当会の調査", exact=False)).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="Prepare the PDF").click()
        with page.expect_download() as got:
            page.get_by_role("button", name="Download the PDF").click()
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(Path(got.value.path()).read_bytes())).pages]
        assert "公開" in pages[0]
        assert "大阪市会議長" in pages[1] and "陳情書" in pages[1] and "当会の調査" in pages[1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
