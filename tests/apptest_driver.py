"""Drive the Streamlit app headless (AppTest) the way a person would: answer what is asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


def start(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = lang
    at.run()
    # The guided page opens on its start page; the questions follow "Start".
    return at.button(key="g_start").click().run() if any(b.key == "g_start" for b in at.button) else at


def current_question(at: AppTest) -> str | None:
    """The fact of the question on screen in guided mode (from its widget key)."""
    if any(w.key and w.key.startswith("g_m0.") for w in at.number_input):
        return "household.members"
    for kind in ("radio", "number_input", "text_input"):
        for w in getattr(at, kind):
            if w.key and w.key.startswith("g_") and w.key not in ("g_postal",):
                return w.key[2:]
    if any(w.key == "g_postal" for w in at.text_input):
        return "municipality"
    return None


def answer(at: AppTest, fact: str, value: Any) -> AppTest:
    """Give one answer on the guided page and press Next (or "I don't know" for None)."""
    if value is None:
        return at.button(key="g_dont_know").click().run()
    # Questions are forms: set the value and press Next in the same run, as a browser submits them.
    if fact == "municipality":
        at.text_input(key="g_postal").input(value).run()
    elif fact == "household.members":
        for i, member in enumerate(value):
            for field, v in member.items():
                if field == "age":
                    at.number_input(key=f"g_m{i}.age").set_value(v)
                else:
                    at.selectbox(key=f"g_m{i}.{field}").set_value(v)
    elif any(w.key == f"g_{fact}" for w in at.radio):
        at.radio(key=f"g_{fact}").set_value(value)
    else:
        at.number_input(key=f"g_{fact}").set_value(value)
    return at.button(key="g_next").click().run()


def walk(at: AppTest, person: dict[str, Any], limit: int = 40) -> list[str]:
    """Answer every question asked until none remains; returns the facts asked, in order."""
    asked = []
    for _ in range(limit):
        assert not at.exception, at.exception
        fact = current_question(at)
        if fact is None:
            return asked
        asked.append(fact)
        at = answer(at, fact, person.get(fact))
    raise AssertionError(f"still asking after {limit} questions: {asked}")
