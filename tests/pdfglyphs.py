"""The glyphs a rendered letter PDF draws, line by line and in visual order, beside HarfBuzz's shaping of the
same text, so that tests compare glyph sequences (order, joining forms, conjuncts) instead of sets of words.

The PDF side reads the page's content stream with pypdf (text matrix, font and size, each glyph's advance
from the font's ``/W`` widths) and identifies every glyph by its outline in the embedded subset font
(``/FontFile2`` through ``/CIDToGIDMap``). The expected side shapes text with uharfbuzz and the vendored font
file, and identifies each glyph by its outline in that file. Outlines, not glyph ids: the subset renumbers
glyphs, and two glyphs that look the same are the same thing on paper.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from helper.letters import fonts as F

Outline = tuple[Any, ...]


@dataclass(frozen=True)
class Glyph:
    font: str  # the vendored file it comes from, e.g. "NotoNaskhArabic-Regular.ttf"
    outline: Outline
    x: float  # where it is drawn, in points from the page's left edge
    text: str  # what it copies as (ToUnicode), for messages


@dataclass
class PageLine:
    y: float  # baseline, points from the bottom of the page
    glyphs: list[Glyph]

    @property
    def key(self) -> list[tuple[str, Outline]]:
        """The glyphs that draw something (see :func:`visible`), as (font file, outline)."""
        return visible([(g.font, g.outline) for g in self.glyphs])

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs).replace("\u200b", "")


def _outline(font: TTFont, name: str) -> Outline:
    glyf = font["glyf"]
    coords, ends, flags = glyf[name].getCoordinates(glyf)
    return (font["hmtx"].metrics[name][0], tuple(ends), tuple(int(f) & 1 for f in flags),
            tuple((round(x), round(y)) for x, y in coords))


@cache
def _vendored() -> dict[str, str]:
    """Font names (letters and digits only) → vendored file name."""
    out = {}
    for f in F.FONTS:
        with TTFont(F.path(f), lazy=True) as tt:
            for name_id in (1, 4, 6):  # family, full name, PostScript name (fpdf2 names the font after one)
                name = tt["name"].getDebugName(name_id)
                if name:
                    out[re.sub(r"[^0-9A-Za-z]", "", name)] = f.file
    return out


@cache
def _vendored_font(file: str) -> TTFont:
    return TTFont(F.FONT_DIR / file, lazy=True)


@cache
def _vendored_outline(file: str, gid: int) -> Outline:
    font = _vendored_font(file)
    return _outline(font, font.getGlyphName(gid))


def _to_unicode(font: Any) -> dict[int, str]:
    out: dict[int, str] = {}
    if "/ToUnicode" not in font:
        return out
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be") if dst else ""
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int.from_bytes(bytes.fromhex(dst), "big")
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(start + i)
    return out


class _PdfFont:
    """One Type0/CIDFontType2 font of the page: code → (outline, advance in 1/1000 em, text)."""

    def __init__(self, font: Any) -> None:
        name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
        self.file = _vendored()[re.sub(r"[^0-9A-Za-z]", "", name)]
        cid = font["/DescendantFonts"][0].get_object()
        self.default_width = float(cid.get("/DW", 1000))
        self.widths: dict[int, float] = {}
        w = cid.get("/W", [])
        i = 0
        while i < len(w):
            first = int(w[i])
            nxt = w[i + 1]
            if isinstance(nxt, list):  # first [w1 w2 …]
                for k, v in enumerate(nxt):
                    self.widths[first + k] = float(v)
                i += 2
            else:  # first last w
                for code in range(first, int(nxt) + 1):
                    self.widths[code] = float(w[i + 2])
                i += 3
        gidmap = cid["/CIDToGIDMap"].get_object().get_data()
        self.gid = lambda code: int.from_bytes(gidmap[code * 2:code * 2 + 2], "big")
        self.subset = TTFont(io.BytesIO(cid["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()))
        self.order = self.subset.getGlyphOrder()
        self.unicode = _to_unicode(font)

    def glyph(self, code: int) -> tuple[Outline, float, str]:
        return (_outline(self.subset, self.order[self.gid(code)]), self.widths.get(code, self.default_width),
                self.unicode.get(code, ""))


def _raw(string: Any) -> bytes:
    """The bytes of a string operand (two per glyph: the fonts are Identity-H)."""
    return bytes(getattr(string, "original_bytes", string))


def page_lines(data: bytes, page: int) -> list[PageLine]:
    """The lines of text of one page, top to bottom; on each, its glyphs from left to right.

    A line is every glyph drawn on one baseline (the label and the value of a field are one line). Within one
    text object the glyphs come in the order they are drawn, which is visual order (each is placed after the
    one before it, offsets for marks aside); text objects on the same baseline are ordered by where they start.
    """
    reader = PdfReader(io.BytesIO(data))
    pg = reader.pages[page]
    resources = pg["/Resources"]["/Font"]
    fonts: dict[str, _PdfFont] = {}
    blocks: list[tuple[float, float, list[Glyph]]] = []  # (baseline, start x, glyphs)
    state = {"font": None, "size": 0.0, "tc": 0.0}
    stack: list[dict[str, Any]] = []
    tm = [0.0, 0.0]
    lm = [0.0, 0.0]
    current: list[Glyph] | None = None
    baseline = 0.0

    def show(raw: bytes) -> None:
        nonlocal current
        font = state["font"]
        if font is None:
            raise AssertionError("text shown without a font")
        for i in range(0, len(raw) - 1, 2):
            code = (raw[i] << 8) | raw[i + 1]
            outline, width, text = font.glyph(code)
            if current is None:
                current = []
                blocks.append((baseline, tm[0], current))
            current.append(Glyph(font.file, outline, round(tm[0], 2), text))
            tm[0] += width / 1000 * state["size"] + state["tc"]

    for operands, op in ContentStream(pg.get_contents(), reader).operations:
        if op == b"q":
            stack.append(dict(state))
        elif op == b"Q":
            state = stack.pop()
        elif op == b"BT":
            tm[:] = [0.0, 0.0]
            lm[:] = [0.0, 0.0]
            current = None
            baseline = 0.0
        elif op == b"Tf":
            key = str(operands[0])
            if key not in fonts:
                fonts[key] = _PdfFont(resources[key].get_object())
            state["font"] = fonts[key]
            state["size"] = float(operands[1])
        elif op == b"Tc":
            state["tc"] = float(operands[0])
        elif op == b"Td":
            lm[0] += float(operands[0])
            lm[1] += float(operands[1])
            tm[:] = lm
            if current is None:
                baseline = tm[1]
        elif op == b"Tm":
            lm[:] = [float(operands[4]), float(operands[5])]
            tm[:] = lm
            if current is None:
                baseline = tm[1]
        elif op == b"Tj":
            show(_raw(operands[0]))
        elif op == b"TJ":
            for part in operands[0]:
                if isinstance(part, (int, float)):  # pypdf's NumberObject and FloatObject
                    tm[0] -= float(part) / 1000 * state["size"]
                else:
                    show(_raw(part))
        elif op == b"ET":
            current = None
    lines: list[PageLine] = []
    for y, _x, glyphs in sorted(blocks, key=lambda b: (-round(b[0]), b[1])):
        if lines and abs(lines[-1].y - y) < 1.0:
            lines[-1].glyphs.extend(glyphs)
        else:
            lines.append(PageLine(y, list(glyphs)))
    return lines


@cache
def _hb_font(file: str) -> Any:
    import uharfbuzz as hb

    return hb.Font(hb.Face(hb.Blob.from_file_path(str(F.FONT_DIR / file))))


def visible(glyphs: list[tuple[str, Outline]]) -> list[tuple[str, Outline]]:
    """Only the glyphs that draw something: spaces, and the isolate marks FSI … PDI (which HarfBuzz draws as a
    space without width), are not what the order of a line is about."""
    return [(f, o) for f, o in glyphs if o[3]]


def shaped(text: str, font: str, direction: str = "ltr", features: dict[str, bool] | None = None
           ) -> list[tuple[str, Outline]]:
    """HarfBuzz's glyphs for ``text`` in one vendored font (key of :data:`helper.letters.fonts.BY_KEY`), in
    visual order (left to right, also for right-to-left text), with the HarfBuzz defaults unless
    ``features`` says otherwise."""
    import uharfbuzz as hb

    file = F.BY_KEY[font].file
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = direction
    hb.shape(_hb_font(file), buf, features or {})
    return [(file, _vendored_outline(file, info.codepoint)) for info in buf.glyph_infos]


def _by_font(text: str, fonts: tuple[str, ...]) -> list[tuple[str, str]]:
    """``text`` in pieces, each drawn by the first of ``fonts`` that has its characters."""
    out: list[tuple[str, str]] = []
    for ch in text:
        key = next((k for k in fonts if ord(ch) in F.cmap(k)), fonts[0])
        if out and out[-1][1] == key:
            out[-1] = (out[-1][0] + ch, key)
        else:
            out.append((ch, key))
    return out


def visual(*runs: tuple[str, str | tuple[str, ...], str], features: dict[str, bool] | None = None
           ) -> list[tuple[str, Outline]]:
    """The visible glyphs of a line written as runs ``(text, fonts, direction)`` from left to right, each
    shaped on its own (the bidi algorithm cuts a line into runs of one direction; a run in a font that lacks
    some of its characters is cut again, each piece drawn by the first of ``fonts`` that has it). Within a
    right-to-left run the pieces come right to left."""
    out: list[tuple[str, Outline]] = []
    for text, fonts, direction in runs:
        pieces = _by_font(text, (fonts,) if isinstance(fonts, str) else fonts)
        if direction == "rtl":
            pieces.reverse()
        for piece, key in pieces:
            out += shaped(piece, key, direction, features)
    return visible(out)


def find_line(lines: list[PageLine], expected: list[tuple[str, Outline]]) -> PageLine | None:
    """The line whose glyphs are exactly ``expected``."""
    return next((ln for ln in lines if ln.key == expected), None)


def describe(lines: list[PageLine]) -> str:
    return "\n".join(f"{ln.y:7.2f}: {ln.text}" for ln in lines)
