"""Catalogs: complete for the reviewed languages, placeholders intact, translators per session."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import pytest
from babel.messages.pofile import read_po

from helper.i18n import LANGUAGES, format_yen, po_path, translator
from tests.conftest import ROOT

PLACEHOLDER = re.compile(r"\{[a-z][a-z0-9_.]*\}")
METHODS = [("rules/tests/**.yaml", "ignore"), ("rules/**.yaml", "yaml_texts"), ("letters/**.yaml", "yaml_texts"),
           ("app.py", "python"), ("app_pages/**.py", "python"), ("helper/**.py", "python")]


@lru_cache(maxsize=1)
def current_msgids() -> frozenset[str]:
    """The messages of the code and rules as they are now (not as the .pot last saw them)."""
    from babel.messages.extract import extract_from_dir

    from helper.yaml_extract import extract_yaml

    methods = [(pattern, extract_yaml if method == "yaml_texts" else method) for pattern, method in METHODS]
    found = extract_from_dir(str(ROOT), methods, keywords={"_": None, "N_": None}, strip_comment_tags=False)
    return frozenset(message for _file, _line, message, _comments, _context in found)


def catalog(code: str):
    with po_path(code).open("rb") as fh:
        return read_po(fh, locale=LANGUAGES[code].babel)


def test_the_extraction_finds_rule_and_page_texts() -> None:
    ids = current_msgids()
    assert "Where do you live?" in ids  # rules/questions.yaml
    assert "Erase and exit" in ids  # app.py
    assert any(m.startswith("Public assistance is given to foreign residents only") for m in ids)
    assert "Public assistance" in ids and "National Health Insurance" in ids  # programme titles (top level)
    assert any(m.startswith("This translation has not yet been reviewed") for m in ids)


def test_of_a_sources_file_only_the_titles_are_extracted() -> None:
    ids = current_msgids()
    assert any(m.startswith("1990 oral instruction limiting 準用") for m in ids)  # rules/sources.yaml, a title
    assert "The instruction itself is unpublished; secondary sources agree." not in ids  # its note
    assert not any(m.startswith("https://") for m in ids)


def test_every_text_of_an_advisory_reaches_the_catalogs() -> None:
    """What to do, the conditional text and what is contested are read by frightened people: all translated."""
    from helper.rules.loader import load_rules

    ids = current_msgids()
    base = load_rules(include_tests=False)
    texts = [t for adv in base.ruleset_for(None).advisories
             for t in (adv.model.title, adv.model.text, adv.model.if_text, adv.model.do, adv.model.contested) if t]
    assert len(texts) > 40
    assert [t for t in texts if t not in ids] == []


@pytest.mark.parametrize("code", [c for c, lang in LANGUAGES.items() if lang.reviewed])
def test_reviewed_languages_translate_every_message(code: str) -> None:
    cat = catalog(code)
    missing = sorted(m for m in current_msgids() if not (cat.get(m) and cat.get(m).string and not cat.get(m).fuzzy))
    assert not missing, f"{code}: {len(missing)} untranslated or fuzzy, e.g. {missing[:3]}"


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_translations_keep_their_placeholders(code: str) -> None:
    bad = [m.id for m in catalog(code) if m.id and m.string
           and set(PLACEHOLDER.findall(m.id)) != set(PLACEHOLDER.findall(m.string))]
    assert not bad, f"{code}: placeholders changed in {bad[:3]}"


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_translations_keep_the_letters_optional_segments(code: str) -> None:
    bad = [m.id for m in catalog(code) if m.id and m.string
           and (m.id.count("⟦"), m.id.count("⟧")) != (m.string.count("⟦"), m.string.count("⟧"))]
    assert not bad, f"{code}: optional segments changed in {bad[:3]}"


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_translations_have_no_bidi_controls(code: str) -> None:
    bad = [m.id for m in catalog(code) if m.string and re.search("[\u202a-\u202e\u2066-\u2069]", m.string)]
    assert not bad


def test_right_to_left_languages() -> None:
    assert {c for c, lang in LANGUAGES.items() if lang.rtl} == {"ar", "fa"}


def test_easy_japanese_falls_back_to_japanese_not_english() -> None:
    ja, easy = translator("ja"), translator("ja@easy")
    probe = "Where do you live?"
    assert ja(probe) != probe or not catalog("ja").get(probe).string  # translated once the catalog is
    assert easy(probe) != probe or not (catalog("ja").get(probe).string or catalog("ja@easy").get(probe).string)


def test_translators_do_not_leak_between_threads() -> None:
    seen: dict[str, list[str]] = {}

    def work(code: str) -> None:
        _ = translator(code)
        seen[code] = [_("Yes") for _i in range(200)]

    threads = [threading.Thread(target=work, args=(c,)) for c in ("ja", "ar", "en", "fr")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for code, values in seen.items():
        assert set(values) == {translator(code)("Yes")}


def test_yen_formatting_follows_the_language() -> None:
    assert format_yen(123456, "ja") == "123,456円"
    assert format_yen(123456, "en") == "¥123,456"
    assert format_yen(1000.4, "fr").startswith("¥1")


def test_no_literal_text_hides_inside_an_f_string() -> None:
    """Babel cannot see ``_("...")`` inside an f-string: such a text would never be translated."""
    hidden = []
    for path in [ROOT / "app.py", *ROOT.glob("app_pages/*.py"), *ROOT.glob("helper/**/*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""f["'].*\{[^}]*\b_\(\s*["']""", line):
                hidden.append(f"{path.relative_to(ROOT)}:{number}")
    assert hidden == []
