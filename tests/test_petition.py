"""Petition drafts (issue 10, item 5): 要望書, 陳情書 and 請願書 from gap-table rows and published counts, as real
PDF (text extracted with pypdf) and DOCX (read with python-docx)."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from helper import batch, counts
from helper import petition as pt
from helper.cli import main
from helper.gaps import gap_table
from helper.letters import render_docx, render_pdf
from helper.rules.loader import load_rules
from tests.survey_data import survey_csv

AS_OF = dt.date(2026, 12, 4)
GAPS = ["provisional_release:welfare", "provisional_release:nhi", "provisional_release:public_housing"]


@pytest.fixture(scope="module")
def base() -> Any:
    return load_rules(compile_all=False, include_tests=False)


@pytest.fixture(scope="module")
def osaka(base: Any) -> dict[str, Any]:
    return gap_table(base, "27100", AS_OF)


@pytest.fixture(scope="module")
def groups(base: Any) -> list[counts.Group]:
    rows = batch.read_rows(survey_csv(500), "survey.csv")
    return counts.publish(batch.records(batch.evaluate_rows(rows, base, today=AS_OF), today=AS_OF))


def pdf_pages(data: bytes) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages]


def docx_lines(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def in_order(text: str, parts: list[str]) -> bool:
    at = -1
    for part in parts:
        found = text.find(part, at + 1)
        if found < 0:
            return False
        at = found
    return True


def build(kind: str, osaka: dict[str, Any], base: Any, **kw: Any) -> Any:
    rows = pt.choose(osaka["rows"], kw.pop("gaps", GAPS))
    return pt.build_petition(kind, rows, place="27100", base=base, date=AS_OF, **kw)  # type: ignore[arg-type]


REQUIRED = {
    "yobo": ["令和8年12月4日", "大阪市長様", "要望書", "要望者", "住所", "氏名", "1趣旨", "2理由", "記", "3要望事項",
             "文書にてご回答", "以上"],
    "chinjo": ["令和8年12月4日", "大阪市会議長様", "陳情書", "陳情者", "住所", "氏名", "1趣旨", "2理由", "記",
               "3陳情事項", "以上"],
    "seigan": ["令和8年12月4日", "大阪市会議長様", "請願書", "請願者", "住所", "氏名", "紹介議員", "1趣旨", "2理由",
               "記", "3請願事項", "以上"],
}


@pytest.mark.parametrize("kind", pt.KINDS)
def test_each_kind_has_its_parts_in_order_in_the_pdf_and_the_docx(kind: str, osaka: dict[str, Any],
                                                                  base: Any) -> None:
    letter = build(kind, osaka, base)
    pages = pdf_pages(render_pdf(letter))
    preamble, body = pages[0], "".join(pages[1:])
    assert "提出前にお読みください" in preamble and "この用紙は提出しないでください" in preamble
    letter_text = body.split("提出の手引き")[0]
    assert in_order(letter_text, REQUIRED[kind]), letter_text[:400]
    assert ("紹介議員" in letter_text) == (kind == "seigan")
    # the gaps, their basis and the standards are cited, and who can change them
    for programme in ("生活保護", "国民健康保険", "公営住宅"):
        assert f"{programme}の対象とされていません" in letter_text
    assert "国保法施行規則1条" in letter_text and "社会権規約第12条" in letter_text  # the table's basis in words
    assert "国が改めることができます" in letter_text

    lines = docx_lines(render_docx(letter))
    text = "".join(line.replace("\t", "").replace("　", "").replace(" ", "") for line in lines)
    start = text.index("令和8年12月4日")
    assert "公開" in text[:start]  # the warning is on the page before the petition
    assert in_order(text[start:], REQUIRED[kind])


@pytest.mark.parametrize("kind", pt.KINDS)
def test_the_public_names_warning_is_on_the_preamble_page_never_in_the_body(kind: str, osaka: dict[str, Any],
                                                                           base: Any) -> None:
    letter = build(kind, osaka, base)
    preamble = "".join(p.ja for p in letter.preamble)
    assert "住所・氏名" in preamble and "公開" in preamble
    assert not any("公開" in p.ja_line for p in letter.paragraphs)
    pages = pdf_pages(render_pdf(letter, "en", None))
    assert "公開" in pages[0] and "madepublic" in pages[0]
    body = next(p for p in pages if "令和8年12月4日" in p)
    assert "公開" not in body
    assert letter.warnings and "publi" in letter.warnings[0].translated()


def test_unanswered_fields_are_blanks_and_typed_ones_are_printed(osaka: dict[str, Any], base: Any) -> None:
    blank = build("seigan", osaka, base)
    sender = [p for p in blank.paragraphs if p.style == "sender" and p.label_ja]
    assert {p.label_ja for p in sender} >= {"住所", "紹介議員"}
    assert all(p.ja.startswith("（") for p in sender), [p.ja for p in sender]
    filled = build("seigan", osaka, base, submitter=pt.Submitter("NPO法人 共生ネット 代表 山田", "大阪市北区1-1",
                                                               "", ("大阪 太郎",)))
    text = filled.japanese_text
    assert "NPO法人 共生ネット 代表 山田" in text and "大阪市北区1-1" in text and "紹介議員　大阪 太郎" in text
    assert "（電話番号又はメールアドレス" in text  # the contact left empty stays a blank


def test_the_diet_is_addressed_with_its_own_requests(osaka: dict[str, Any], base: Any) -> None:
    assert pt.addressees("seigan", "27100") == ["大阪市会議長　様", "衆議院議長　様", "参議院議長　様"]
    assert pt.addressees("chinjo", "27123") == ["大阪市会議長　様"]  # a ward: the city's assembly
    assert pt.addressees("yobo", "11203") == ["川口市長　様"]
    assert pt.addressees("chinjo", "11203") == ["川口市議会議長　様"]
    letter = build("seigan", osaka, base, to="衆議院議長　様")
    text = letter.japanese_text
    assert "衆議院議長　様" in text and "法令等の改正を行われたい" in text and "意見書" not in text
    assert "衆議院・参議院" in "".join(p.ja for p in letter.preamble)


def test_argued_standards_are_arguments_not_breaches(osaka: dict[str, Any], base: Any) -> None:
    rows = [copy.deepcopy(dict(r)) for r in pt.choose(osaka["rows"], ["provisional_release+applicant:welfare"])]
    for row in rows:
        for std in row["standards"]:
            std["mark"] = "argued" if std["instrument"] == "Refugee Convention" else "breach"
    assert any(s.get("mark") == "argued" for s in rows[0]["standards"])
    letter = pt.build_petition("chinjo", rows, place="27100", base=base, date=AS_OF)
    details = [p.ja for p in letter.paragraphs if p.style == "detail"]
    argued = [d for d in details if "難民条約" in d]
    assert argued and all("趣旨に照らし" in d and "と解されます" in d and "満たしていません" not in d for d in argued)
    breach = [d for d in details if "満たしていません" in d]
    assert breach and not any("難民条約" in d for d in breach)
    # a standard argued for one of the statuses named is argued for all of them
    two = rows + [copy.deepcopy(dict(r)) for r in pt.choose(osaka["rows"], ["provisional_release:welfare"])]
    for std in two[1]["standards"]:
        std["mark"] = "breach"
    joined = pt.build_petition("chinjo", two, place="27100", base=base, date=AS_OF)
    assert any("難民条約" in p.ja and "趣旨に照らし" in p.ja for p in joined.paragraphs)


def test_a_paragraph_given_with_a_standard_is_cited() -> None:
    ja, en = pt.standard_name({"instrument": "ICESCR", "article": "9", "paragraph": "38"})
    assert ja == "社会権規約第9条パラグラフ38" and en == "ICESCR art. 9, para 38"
    assert pt.standard_name({"instrument": "ICESCR", "article": "9; GC19 paras 36-38"})[0] == \
        "社会権規約第9条（一般的意見第19号パラグラフ36-38）"
    assert pt.standard_name({"instrument": "E/C.12/JPN/CO/3", "article": "para 22"})[0] == \
        "社会権規約委員会の総括所見（E/C.12/JPN/CO/3）パラグラフ22"


def test_only_published_counts_of_ten_or_more_are_cited(osaka: dict[str, Any], base: Any,
                                                        groups: list[counts.Group]) -> None:
    letter = build("chinjo", osaka, base, gaps=GAPS + ["supervision_measures:nhi", "temporary_visitor:nhi"],
                   groups=groups)
    text = letter.japanese_text
    assert "当会の調査" in text
    cited = [int(n) for n in re.findall(r"のうち([0-9]+)人が", text)]
    assert cited and min(cited) >= 10
    published = {n for g in groups for (_s, _p, o), n in g.cells.items() if o == "not_eligible" and n}
    assert set(cited) <= published
    # the rare statuses' cells are hidden: they are never cited
    assert not re.search(r"監理措置の回答者のうち", text) and not re.search(r"短期滞在の回答者のうち", text)
    for number in re.findall(r"([0-9]+)人", text):
        assert not 1 <= int(number) <= 9, number
    assert "10人未満の集計値を伏せた" in "".join(p.ja for p in letter.preamble)


def test_a_published_count_from_1_to_9_is_refused(osaka: dict[str, Any], base: Any,
                                                  groups: list[counts.Group]) -> None:
    g = groups[-1]
    key = ("provisional_release", "nhi", "not_eligible")
    assert g.cells[key]
    bad = counts.Group(g.municipality, g.quarter, g.statuses, g.programmes, {**g.cells, key: 7},
                       g.people_by_status, g.by_outcome, g.people)
    with pytest.raises(pt.PetitionError, match="1 to 9"):
        build("chinjo", osaka, base, groups=[bad])


def test_counts_read_back_from_the_csv_are_the_published_ones(groups: list[counts.Group]) -> None:
    out = io.StringIO()
    counts.write_csv(groups, out)
    back = pt.read_counts(out.getvalue())
    assert [(g.municipality, g.quarter, g.cells, g.people) for g in back] == \
        [(g.municipality, g.quarter, g.cells, g.people) for g in groups]
    tampered = out.getvalue().replace("<10", "3", 1)
    with pytest.raises(pt.PetitionError, match="1 to 9"):
        pt.read_counts(tampered)
    with pytest.raises(pt.PetitionError, match="should start with"):
        pt.read_counts("a,b\n")


def test_choosing_gaps(osaka: dict[str, Any]) -> None:
    rows = pt.choose(osaka["rows"], ["provisional_release:nhi"])
    assert {r["label"] for r in rows} == {"仮放免", "仮放免 (難民申請中, 初回)", "仮放免 (難民申請中, 2回目以降)"}
    assert [r["label"] for r in pt.choose(osaka["rows"], ["provisional_release+applicant:nhi"])] == [
        "仮放免 (難民申請中, 初回)", "仮放免 (難民申請中, 2回目以降)"]
    with pytest.raises(pt.PetitionError, match="not an exclusion"):
        pt.choose(osaka["rows"], ["permanent_resident:nhi"])
    with pytest.raises(pt.PetitionError, match="STATUS:PROGRAMME"):
        pt.choose(osaka["rows"], ["nhi"])
    with pytest.raises(pt.PetitionError, match="name the gaps"):
        pt.choose(osaka["rows"], [])


def test_the_command_line_writes_a_chinjo_citing_the_counts(tmp_path: Any, groups: list[counts.Group]) -> None:
    survey = tmp_path / "counts.csv"
    with survey.open("w", encoding="utf-8") as f:
        counts.write_csv(groups, f)
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "chinjo.pdf"
    status = main(["petition", "--kind", "chinjo", "--place", "27100", "--to", "大阪市会議長　様", "--counts",
                   str(survey), "--gap", "provisional_release:nhi", "--as-of", "2026-12-04", "--format", "pdf",
                   "--out", str(target)], stdout=out, stderr=err)
    assert status == 0, err.getvalue()
    pages = pdf_pages(target.read_bytes())
    assert "公開" in pages[0]
    assert "陳情書" in pages[1] and "当会の調査" in pages[1]
    docx = tmp_path / "seigan.docx"
    assert main(["petition", "--kind", "seigan", "--place", "27100", "--gap", "provisional_release:nhi",
                 "--out", str(docx)], stdout=out, stderr=err) == 0
    assert any("紹介議員" in line for line in docx_lines(docx.read_bytes()))
    err = io.StringIO()
    assert main(["petition", "--kind", "chinjo", "--place", "99999", "--out", str(target)], stderr=err) == 2
    assert "unknown municipality" in err.getvalue()
    err = io.StringIO()
    assert main(["petition", "--kind", "chinjo", "--place", "27100", "--gap", "nope", "--out",
                 str(target)], stderr=err) == 2
    assert "STATUS:PROGRAMME" in err.getvalue()


def test_the_preamble_translation_follows_a_right_to_left_reader(osaka: dict[str, Any], base: Any) -> None:
    letter = build("chinjo", osaka, base)
    arabic = "تحذير مهم"

    def gettext(msgid: str) -> str:
        return arabic if msgid.startswith("Important:") else msgid

    first = pdf_pages(render_pdf(letter, "ar", gettext))[0]
    assert "提出前にお読みください" in first and arabic.replace(" ", "") in first


def test_check_reports_a_broken_petition_phrase_at_its_line(tmp_path: Any) -> None:
    import shutil

    from helper.letters import templates as tpl

    letters = tmp_path / "letters"
    shutil.copytree(tpl.LETTERS_DIR, letters)
    path = letters / "petitions" / "petition.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("  breach:"))
    lines[i] = lines[i].replace("{standard}の定める", "{standrd}の定める", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found, _n = tpl.check_letters(letters)
    assert [str(p) for p in found] == [f"{path}:{i + 1}: phrases.breach: ja and text use different placeholders"]
    assert tpl.check_letters()[0] == []


def test_a_local_petition_cites_its_own_place_and_the_diet_every_place(osaka: dict[str, Any], base: Any,
                                                                     groups: list[counts.Group]) -> None:
    assert {g.municipality for g in groups} == {"27100", "11203"}
    local = build("chinjo", osaka, base, gaps=["provisional_release:nhi"], groups=groups).japanese_text
    assert "当会の調査（大阪市、2026年第4四半期）" in local and "川口市" not in local
    diet = build("seigan", osaka, base, gaps=["provisional_release:nhi"], groups=groups, to="参議院議長　様")
    assert "当会の調査（川口市" in diet.japanese_text and "当会の調査（大阪市" in diet.japanese_text


def test_a_committee_document_is_cited_with_the_paragraph_read_and_never_an_unconfirmed_one() -> None:
    observations = {"instrument": "ICCPR", "article": "7, 13", "document": "CCPR/C/JPN/CO/5", "paragraph": "25",
                    "document_title": "Human Rights Committee, concluding observations on Japan's fifth report"}
    assert pt.standard_name(observations) == (
        "自由権規約第7条・第13条（自由権規約委員会の総括所見CCPR/C/JPN/CO/5 パラグラフ25）",
        "ICCPR art. 7, 13, CCPR/C/JPN/CO/5 para 25")
    comment = {"instrument": "ICESCR", "article": "9", "document": "E/C.12/GC/19", "paragraph": None,
               "paragraph_unconfirmed": "37-38", "document_title": "CESCR General Comment No. 19: social security"}
    ja, en = pt.standard_name(comment)
    assert ja == "社会権規約第9条（一般的意見第19号E/C.12/GC/19）" and "37" not in ja + en
