"""The letter page on a phone (360 px), in a real browser: sections, hints, a refused value explained beside
its field, a household member who is a Japanese national, and no serious or critical axe-core violation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flow import begin, key_class, settled, walk
from tests.e2e.test_browser import serious_violations
from tests.test_app import PERMANENT_RESIDENT

pytestmark = pytest.mark.e2e

KIND = "welfare_application"


def field(page: Page, fid: str) -> str:
    return key_class(f"m_letter_{KIND}_{fid}")


def choose(page: Page, fid: str, option: str) -> None:
    """Pick an option of a select box by its visible text (inside the form: no rerun until submitted)."""
    box = page.locator(field(page, fid)).locator("input")
    box.click()
    if not page.get_by_role("listbox").count():
        box.press("ArrowDown")
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    expect(page.get_by_role("option")).to_have_count(0)


def submit(page: Page) -> None:
    page.locator(key_class(f"m_letter_submit_{KIND}")).locator("button").click()
    page.wait_for_timeout(150)
    settled(page)


def test_the_letter_page_on_a_phone(page: Page, app_url: str, artifacts: Path) -> None:
    pytest.importorskip("axe_playwright_python")
    page.set_viewport_size({"width": 1366, "height": 900})  # the sidebar's links are shown on a wide screen
    page.goto(f"{app_url}/?lang=en")
    begin(page)
    walk(page, PERMANENT_RESIDENT)
    page.locator("[data-testid='stSidebarNav'] a[href$='/letter']").click()
    settled(page)
    page.set_viewport_size({"width": 360, "height": 780})  # then the letter page on a phone
    main = page.locator("[data-testid='stMain']")
    for heading in ("The person the letter is for", "The household and its members",
                    "Money: savings, income and support", "Documents attached"):
        expect(main.get_by_role("heading", name=heading)).to_be_visible()
    expect(main.get_by_text("Digits and hyphens, such as 06-1234-5678").first).to_be_visible()

    page.locator(field(page, "applicant.name")).locator("input").fill("グエン・ティ・ラン")
    page.locator(field(page, "applicant.phone")).locator("input").fill("call me")
    page.locator(field(page, "household.size")).locator("input").fill("2")
    submit(page)
    # the refused phone number is explained right under its field, not only at the top
    beside = " + [data-testid='stElementContainer']"  # the hint, then the message
    message = page.locator(f"{field(page, 'applicant.phone')}{beside}{beside} [data-testid='stAlertContentError']")
    expect(message).to_contain_text("is not a phone number")
    expect(page.locator(field(page, "letter.members.0.name"))).to_have_count(1)

    choose(page, "nationality_0", "Japanese national")
    page.locator(field(page, "letter.members.0.name")).locator("input").fill("グエン・ヴァン・ミン")
    page.locator(field(page, "applicant.phone")).locator("input").fill("06-1234-5678")
    submit(page)
    expect(page.locator(field(page, "letter.members.0.residence_status"))).to_have_count(0)  # not asked
    expect(page.locator("[data-testid='stAlertContentError']")).to_have_count(0)
    # nothing wider than the phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    page.screenshot(path=str(artifacts / "letter-page-360.png"), full_page=True)
    assert serious_violations(page) == []
