"""The campaign page in a real browser: the gap table for 大阪市, the comparison with 川口市 with its difference
highlighted, the charts, and the CSV a campaigner downloads."""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import free_port, start_server, wait_healthy
from tests.e2e.flow import settled

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def campaign_url() -> Iterator[str]:
    # A port of its own (CAMPAIGN_E2E_PORT where the machine assigns ports), so that it runs beside the others.
    port = int(os.environ.get("CAMPAIGN_E2E_PORT") or free_port())
    proc = start_server(port)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _open(page: Page, url: str) -> None:
    page.set_viewport_size({"width": 1500, "height": 1000})
    page.goto(f"{url}/campaign?lang=en")
    # The first run of a fresh server compiles the layers' rules: wait for the table, then for the run's end.
    expect(page.locator(".st-key-k_gap_table table")).to_be_visible(timeout=60_000)
    settled(page)


def test_gap_table_shows_the_exclusions_of_people_on_provisional_release(page: Page, campaign_url: str) -> None:
    _open(page, campaign_url)
    table = page.locator(".st-key-k_gap_table table")
    expect(table).to_contain_text("Public assistance")
    expect(table).to_contain_text("National Health Insurance")
    row = table.locator("tr", has_text="仮放免").first
    expect(row).to_contain_text("not eligible *")
    assert row.inner_text().count("not eligible *") == 3
    # The gaps' basis in words, who decides, and the chart.
    detail = page.locator(".st-key-k_gap_detail [data-testid='stDataFrame']")
    expect(detail).to_be_visible()
    expect(page.locator(".st-key-k_gap_chart [data-testid='stVegaLiteChart']")).to_be_visible(timeout=20_000)


def test_csv_download_holds_the_table_with_its_basis(page: Page, campaign_url: str) -> None:
    _open(page, campaign_url)
    with page.expect_download() as info:
        page.locator(".st-key-k_csv button").click()
    download = info.value
    assert download.suggested_filename.startswith("gaps-27100-")
    text = download.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    release = {r["programme"]: r for r in rows if r["status"] == "仮放免"}
    assert set(release) == {"welfare", "nhi", "public_housing"}
    assert all(r["outcome"] == "not_eligible" and r["gap"] == "yes" for r in release.values())
    assert "1954年通知" in release["welfare"]["basis"] and release["welfare"]["decided_by_level"] == "national"
    assert release["public_housing"]["decided_by"] == "大阪市"


def test_comparison_with_kawaguchi_highlights_the_difference(page: Page, campaign_url: str) -> None:
    _open(page, campaign_url)
    page.get_by_role("tab", name="Compare places").click()
    compare = page.locator(".st-key-k_compare_table table")
    expect(compare).to_be_visible(timeout=20_000)
    expect(compare).to_contain_text("大阪市 (27100)")
    expect(compare).to_contain_text("川口市 (11203)")
    row = compare.locator("tr", has_text="特定活動 (難民申請中, 6か月)")
    expect(row).to_contain_text("uncertain")
    expect(row).to_contain_text("eligible")
    # The differing cell is highlighted (bold, outlined); the others are not.
    cell = row.locator("td", has_text="uncertain").first
    assert cell.evaluate("e => getComputedStyle(e).fontWeight") in ("700", "bold")
    same = compare.locator("tr", has_text="仮放免").first.locator("td", has_text="not eligible").first
    assert same.evaluate("e => getComputedStyle(e).fontWeight") not in ("700", "bold")


def test_overview_of_every_municipality_has_its_chart(page: Page, campaign_url: str) -> None:
    _open(page, campaign_url)
    page.get_by_role("tab", name="All municipalities").click()
    expect(page.locator(".st-key-k_ov_chart [data-testid='stVegaLiteChart']")).to_be_visible(timeout=20_000)
    expect(page.locator("[data-testid='stMetric']").first).to_be_visible()


def test_print_view_holds_the_table_and_basis_without_the_controls(page: Page, campaign_url: str) -> None:
    _open(page, campaign_url)
    page.get_by_role("tab", name="Print").click()
    page.locator(".st-key-k_print table").wait_for(timeout=20_000)
    pdf = page.pdf(format="A4", landscape=True)
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)))
    assert "Whoisexcluded:大阪市(27100)" in text
    assert "1954年通知" in text and "大阪市営住宅Q&A" in text and "nationallawornotice" in text
    assert "(verified20" in text  # sources with the date they were verified
    assert "Comparepla" not in text and "Placestocompare" not in text and "Language/" not in text
