"""Languages, per-session translators and locale formatting.

Catalogs are gettext ``.po`` files in ``locales/`` (English msgids), compiled in memory when first
used — no ``.mo`` files in the tree. A translator is a plain function bound to one language; it is
never installed into builtins for the whole process, which would leak one session's language into another.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locales"


@dataclass(frozen=True)
class Language:
    code: str  # gettext code: ja, ja@easy, my, …
    native: str
    english: str
    reviewed: bool  # complete and reviewed by a person; others are machine drafts

    @property
    def babel(self) -> str:
        return self.code.split("@")[0]

    @property
    def rtl(self) -> bool:
        return Locale.parse(self.babel).character_order == "right-to-left"


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in [
        Language("ja", "日本語", "Japanese", True),
        Language("ja@easy", "やさしい にほんご", "Easy Japanese", True),
        Language("en", "English", "English", True),
        Language("my", "မြန်မာ", "Burmese", False),
        Language("ne", "नेपाली", "Nepali", False),
        Language("vi", "Tiếng Việt", "Vietnamese", False),
        Language("si", "සිංහල", "Sinhala", False),
        Language("tr", "Türkçe", "Turkish", False),
        Language("ku", "Kurdî (Kurmancî)", "Kurdish (Kurmanji)", False),
        Language("fr", "Français", "French", False),
        Language("ar", "العربية", "Arabic", False),
        Language("fa", "فارسی", "Persian", False),
        Language("tl", "Tagalog", "Tagalog", False),
    ]
}
DEFAULT = "ja"
FALLBACKS = {"ja@easy": "ja"}  # an untranslated easy-Japanese text shows ordinary Japanese, not English


def po_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"


@cache
def catalog(code: str) -> NullTranslations:
    """The compiled catalog of a language (immutable, shared by every session)."""
    if code not in LANGUAGES or code == "en" and not po_path(code).exists():
        return NullTranslations()
    path = po_path(code)
    if not path.exists():
        translations: NullTranslations = NullTranslations()
    else:
        with path.open("rb") as fh:
            cat = read_po(fh, locale=LANGUAGES[code].babel)
        buf = io.BytesIO()
        # Machine drafts are kept as fuzzy entries; they are shown, with a "not reviewed" note.
        write_mo(buf, cat, use_fuzzy=not LANGUAGES[code].reviewed)
        buf.seek(0)
        translations = Translations(buf)
    if code in FALLBACKS:
        translations.add_fallback(catalog(FALLBACKS[code]))
    return translations


def translator(code: str) -> Callable[[str], str]:
    """``_`` for one language. Empty strings stay empty (gettext would return the catalog header)."""
    gettext = catalog(code if code in LANGUAGES else DEFAULT).gettext

    def _(message: str) -> str:
        return gettext(message) if message else message

    return _


def format_number(value: float, code: str) -> str:
    return format_decimal(value, locale=LANGUAGES.get(code, LANGUAGES[DEFAULT]).babel)


def format_yen(value: float, code: str) -> str:
    """Whole yen: ``12,345円`` in Japanese, ``¥12,345`` elsewhere (the symbol reads the same everywhere)."""
    number = format_number(round(value), code)
    return f"{number}円" if code.startswith("ja") else f"¥{number}"
