"""The print view a volunteer hands over, printed by a real browser to A4 PDF: at most 4 pages for
the three example people, with every useful detail and none of the screen's controls."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from tests.e2e.flow import begin, settled, walk
from tests.test_app import PERMANENT_RESIDENT, PROVISIONAL_RELEASE, REFUGEE_APPLICANT

pytestmark = pytest.mark.e2e


def _plain(text: str) -> str:
    """PDF text as comparable text: compatibility characters folded (⼗ → 十), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _print(page: Page, app_url: str, lang: str, person: dict, artifacts: Path, who: str) -> list[str]:
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{app_url}/?lang={lang}")
    begin(page)
    walk(page, person)
    page.locator("[data-testid='stSidebarNav'] a[href$='/results']").click()
    settled(page)
    page.locator("[data-testid='stMain'] [data-testid='stCheckbox']").first.click()
    settled(page)
    page.locator(".st-key-print_sources").wait_for(timeout=20000)
    pdf = page.pdf(format="A4")
    (artifacts / f"print-{lang}-{who}.pdf").write_bytes(pdf)
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize(("lang", "person", "who", "counter", "phrase"), [
    ("en", PERMANENT_RESIDENT, "permanent-resident", "十三東2-3-3", "生活保護の申請をします。申請書をください。"),
    ("en", PROVISIONAL_RELEASE, "provisional-release", "東三国4-9-13", "無料低額診療を利用したいです。"),
    ("en", REFUGEE_APPLICANT, "refugee-applicant", "06-6308-9956", "子どもを学校に入学させたいです。"),
    ("ja", REFUGEE_APPLICANT, "refugee-applicant", "06-6308-9956", "児童手当の申請をしたいです。"),
])
def test_the_print_view_fits_four_a4_pages_with_every_useful_detail(page: Page, app_url: str, artifacts: Path,
                                                                     lang: str, person: dict, who: str,
                                                                     counter: str, phrase: str) -> None:
    pages = _print(page, app_url, lang, person, artifacts, who)
    assert 1 <= len(pages) <= 4, len(pages)
    text = _plain("".join(pages))
    assert _plain(counter) in text  # where to go, with the address or phone
    assert _plain(phrase) in text  # what to say at the counter, in Japanese
    assert re.search(r"\(20\d\d-\d\d-\d\d\)", text)  # sources with the date they were verified
    assert "laws.e-gov.go.jp" in text
    if lang == "en":
        assert "Theanswerstheseresultsreston" in text and "Whatyoucangetnow" not in text
        # No screen controls: the toggle, the sidebar's buttons and language menu are not printed.
        assert "Printview" not in text and "Eraseandexit" not in text and "Language/" not in text
