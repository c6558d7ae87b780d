"""DOCX of the Japanese letter, for editing in Word or LibreOffice (python-docx).

A DOCX does not embed fonts: it names 游明朝 (with ＭＳ 明朝 as the East Asian fallback that Japanese office
PCs have) for every script slot, including the East Asian one (``w:eastAsia``), which python-docx's
``font.name`` leaves unset. Line breaking (禁則) is left to the word processor. Text goes in as runs: the
library escapes it, nothing is interpreted as markup.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .model import Letter, Paragraph

FONT = "游明朝"
FONT_EAST_ASIA = "游明朝"
BODY_PT = 10.5


def _set_fonts(rpr_parent: object) -> None:
    rpr = rpr_parent.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), FONT)
    fonts.set(qn("w:hAnsi"), FONT)
    fonts.set(qn("w:eastAsia"), FONT_EAST_ASIA)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "ja-JP")


def render_docx(letter: Letter) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(22)
    section.top_margin = section.bottom_margin = Mm(20)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.25
    core = doc.core_properties
    core.title = letter.title_ja
    core.author = ""
    core.last_modified_by = ""
    core.comments = ""
    core.keywords = ""

    if letter.preamble:  # read first, not handed in: its own page before the letter
        head = doc.add_paragraph()
        head.add_run("提出前にお読みください（この用紙は提出しないでください）").font.size = Pt(12)
        for p in letter.preamble:
            _paragraph(doc, p)
        doc.add_page_break()
    for p in letter.paragraphs:
        _paragraph(doc, p)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _paragraph(doc: DocxDocument, p: Paragraph) -> None:
    s = p.style
    if s == "blank":
        doc.add_paragraph("")
        return
    para = doc.add_paragraph()
    fmt = para.paragraph_format
    size = BODY_PT
    if s == "right" or s == "end":
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif s in ("title", "center"):
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if s == "title":
            size = 15
            fmt.space_before = Pt(10)
            fmt.space_after = Pt(8)
    elif s in ("sender_head", "sender"):
        fmt.left_indent = Mm(70 if s == "sender_head" else 74)
    elif s == "body":
        fmt.first_line_indent = Pt(BODY_PT)
    elif s == "heading":
        fmt.space_before = Pt(4)
        fmt.left_indent = Pt(BODY_PT * 1.5)
        fmt.first_line_indent = Pt(-BODY_PT * 1.5)
    elif s in ("field", "detail"):
        fmt.left_indent = Pt(BODY_PT * 1.5)
    elif s == "item":
        fmt.left_indent = Pt(BODY_PT * 3.5)
        fmt.first_line_indent = Pt(-BODY_PT * 2)
    if p.label_ja and s in ("field", "sender"):
        fmt.tab_stops.add_tab_stop(Mm(30) if s == "field" else Mm(18))
    text = _line(p)
    run = para.add_run(text)
    run.font.size = Pt(size)
    if p.signature:
        para.add_run("\t" + "＿" * 14)


def _line(p: Paragraph) -> str:
    if p.style in ("field", "sender") and p.label_ja:
        return f"{p.label_ja}\t{p.ja}" if p.ja else p.label_ja
    return p.ja_line
