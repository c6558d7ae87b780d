"""Answer the guided questions in a real browser, whatever the language, by the widgets' keys."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from helper.rules.loader import load_rules
from helper.ui.ask import NATIONALITIES, RELATIONS, YES_NO

_BASE = load_rules(include_tests=False)
QUESTIONS = {q.fact: q for q in _BASE.questions}


def settled(page: Page) -> None:
    expect(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")).to_have_count(1,
                                                                                                   timeout=20_000)


MEMBER_FIELD = re.compile(r"st-key-g_m\d+-")  # one field of one member, inside the members question
NOT_A_QUESTION = re.compile(r"st-key-g_(next|back|dont_know|back_end|start|start_lang|print"
                            r"|check_.*|change_.*|form_.*)$")


def begin(page: Page) -> None:
    """Leave the start page for the first question."""
    settled(page)
    page.locator(key_class("g_start")).locator("button").click()
    expect(page.locator(key_class("g_start"))).to_have_count(0, timeout=20_000)
    settled(page)


def key_class(key: str) -> str:
    # Streamlit writes a widget's key into a CSS class, with characters such as "." made "-".
    return ".st-key-" + key.replace(".", "-")


def current_fact(page: Page) -> str | None:
    settled(page)
    if page.locator(key_class("g_postal")).count():
        return "municipality"
    for el in page.locator("[class*='st-key-g_']").all():
        for cls in (el.get_attribute("class") or "").split():
            if cls.startswith("st-key-g_") and not MEMBER_FIELD.match(cls) and not NOT_A_QUESTION.match(cls):
                return cls.removeprefix("st-key-g_").replace("-", ".", 1)
    return None


def answer(page: Page, fact: str, value: Any) -> None:
    box = page.locator(key_class(f"g_{fact}"))
    if fact == "municipality":
        field = page.locator(key_class("g_postal")).locator("input")
        field.fill(value)
        field.press("Enter")
        page.wait_for_timeout(150)
        settled(page)
        expect(page.get_by_text("淀川区").first).to_be_visible()
    else:
        q = QUESTIONS[fact]
        if q.widget in ("choice", "yes_no"):
            options = [True, False] if q.widget == "yes_no" else [o.value for o in q.options]
            option = box.locator("[data-testid='stRadioOption']").nth(options.index(value))
            option.click()
            expect(option).to_have_attribute("data-selected", "true")  # inside a form: no rerun yet
        elif q.widget == "members":
            for i, member in enumerate(value):
                _describe_member(page, i, member)
        else:
            box.locator("input").fill(str(value))
            expect(box.locator("input")).to_have_value(str(value))
    before = fact
    page.locator(key_class("g_next")).locator("button").click()
    # Wait for the answer to be taken: the question changes (or the results appear).
    expect(page.locator(key_class(f"g_{before}") if before != "municipality" else key_class("g_postal"))
           ).to_have_count(0, timeout=20_000)
    settled(page)


def _order(field: str) -> list[Any]:
    """The choices of a member's field in the order the widget lists them (after "I don't know")."""
    if field == "relation":
        return list(RELATIONS)
    if field == "nationality":
        return list(NATIONALITIES)
    if field == "residence_status":
        return [o.value for o in QUESTIONS["person.residence_status"].options]
    return list(YES_NO)


def _describe_member(page: Page, i: int, member: dict[str, Any]) -> None:
    """Fill one member's row: the age typed, the other fields chosen by their place in the list (any language)."""
    if "age" in member:
        field = page.locator(key_class(f"g_m{i}.age")).locator("input")
        field.fill(str(member["age"]))
        expect(field).to_have_value(str(member["age"]))
    for name, value in member.items():
        if name == "age":
            continue
        field = page.locator(key_class(f"g_m{i}.{name}")).locator("input")
        field.click()
        if not page.get_by_role("listbox").count():
            field.press("ArrowDown")  # opens the list when the click only focused the field
        page.get_by_role("option").nth(_order(name).index(value) + 1).click()  # 0 is "I don't know"
        expect(page.get_by_role("option")).to_have_count(0)


def walk(page: Page, person: dict[str, Any], limit: int = 30) -> list[str]:
    asked = []
    for _ in range(limit):
        fact = current_fact(page)
        if fact is None:
            return asked
        asked.append(fact)
        answer(page, fact, person[fact])
    raise AssertionError(f"still asking after {limit}: {asked}")
