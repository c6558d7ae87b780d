"""The guided flow in a real browser, in Japanese and in Arabic (right to left)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flow import begin, settled, walk
from tests.test_app import PERMANENT_RESIDENT, PROVISIONAL_RELEASE, REFUGEE_APPLICANT

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("lang", "person", "who", "counter"), [
    ("ja", PROVISIONAL_RELEASE, "provisional-release", "東三国4-9-13"),  # RAFIQ, the refugee support group in 淀川区
    ("ar", PERMANENT_RESIDENT, "permanent-resident", "淀川区保健福祉センター"),  # the ward's welfare counter
    ("en", REFUGEE_APPLICANT, "refugee-applicant", "淀川区役所 保険年金担当"),  # the ward's NHI counter
    ("my", REFUGEE_APPLICANT, "refugee-applicant", "淀川区役所 保険年金担当"),  # Burmese on a phone, to the end
])
def test_guided_flow_to_results(page: Page, app_url: str, artifacts: Path, lang: str, person: dict, who: str,
                                counter: str) -> None:
    page.set_viewport_size({"width": 360, "height": 780})  # a phone
    page.goto(f"{app_url}/?lang={lang}")
    begin(page)
    asked = walk(page, person)
    assert asked[:2] == ["municipality", "person.residence_status"]
    # The end page: every answer with its Change button, the place readable without kanji outside Japanese.
    expect(page.locator("[class*='st-key-g_change_']")).to_have_count(len(asked))
    if lang != "ja":
        expect(page.get_by_text("Ōsaka-shi Yodogawa-ku").first).to_be_visible()
    expect(page.get_by_text(counter, exact=False).filter(visible=True).first).to_be_visible()
    main_text = page.locator("[data-testid='stMain'] [data-testid='stMarkdownContainer']").first
    direction = main_text.evaluate("el => getComputedStyle(el).direction")
    assert direction == ("rtl" if lang == "ar" else "ltr")
    page.screenshot(path=str(artifacts / f"guided-{lang}-{who}.png"), full_page=True)


def test_no_request_leaves_the_machine(page: Page, app_url: str) -> None:
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:",
                                                                                 "blob:", "ws://127.0.0.1"))
            else None)
    page.goto(f"{app_url}/?lang=en")
    settled(page)
    page.goto(f"{app_url}/results?lang=en")
    settled(page)
    assert outside == []


PAGES = ["", "consultation", "results", "letter", "save", "about"]


def serious_violations(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in found
            if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("lang", ["ja", "my", "ar"])
def test_every_page_passes_axe_and_keeps_its_title_clear_of_the_header(page: Page, app_url: str, lang: str) -> None:
    pytest.importorskip("axe_playwright_python")
    page.set_viewport_size({"width": 360, "height": 780})
    found = {}
    for path in PAGES:
        page.goto(f"{app_url}/{path}?lang={lang}")
        settled(page)
        page.wait_for_timeout(200)
        page.wait_for_function(f"document.documentElement.lang === '{lang}'", timeout=5_000)  # fails if never
        assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
        header = page.locator("[data-testid='stHeader']").bounding_box()
        title = page.locator("[data-testid='stMain'] h1").first.bounding_box()
        assert header and title and title["y"] >= header["y"] + header["height"], (path, title, header)
        found[path or "start"] = serious_violations(page)
    page.goto(f"{app_url}/?lang={lang}")
    begin(page)
    found["question"] = serious_violations(page)
    assert page.locator(".st-key-g_postal input").get_attribute("inputmode") == "numeric"
    assert {k: v for k, v in found.items() if v} == {}
