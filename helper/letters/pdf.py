"""PDF rendering with fpdf2: A4, embedded subset fonts from ``fonts/``, text shaping (uharfbuzz), Japanese
line breaking done here (:mod:`helper.letters.linebreak`), one ``cell`` per line, never markdown or HTML.

Layout: the Japanese letter to submit (at most two pages), then — unless the reader's language is Japanese —
the translation for understanding, marked as such on every page, then how to hand it in.
"""

from __future__ import annotations

import copy
import io
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from .. import bidi
from . import fonts as F
from . import fpdf_fixes
from .linebreak import wrap
from .model import N_, Letter, Paragraph, translate_msgid

fpdf_fixes.apply()  # joiners and combining marks shaped with their letters (see fpdf_fixes)

PT = 0.3528  # mm per point
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 22.0, 22.0, 20.0, 20.0
BODY_PT = 10.5
TITLE_PT = 15.0
SMALL_PT = 8.5
MAX_JA_PAGES = 2
JA_SIZES = (10.5, 10.0, 9.5, 9.0, 8.5)
RTL_LANGS = {"ar", "fa", "ckb", "ur", "ps", "he", "prs"}
LINE_FACTOR = {"mincho": 1.6, "serif": 1.7, "arabic": 1.95, "myanmar": 2.25, "devanagari": 1.95, "tamil": 1.95,
               "sinhala": 2.0, "ethiopic": 1.85}

Gettext = Callable[[str], str]


class LetterTooLong(ValueError):
    """The Japanese letter does not fit its page budget; shorten the free-text fields."""


@dataclass
class Line:
    text: str
    x: float  # offset from the left margin, mm
    w: float  # width, mm
    align: str = "L"
    size: float = BODY_PT
    font: str = "mincho"
    gap_before: float = 0.0
    gray: bool = False
    signature_from: float | None = None  # draw a signature line from this x offset
    keep_with_next: bool = False
    label: tuple[str, float, float] | None = None  # (text, x, w): a label drawn on the same line, in Japanese
    base: str = "mincho"  # the section's main font (for the runs of the line that are not a complex script)

    @property
    def height(self) -> float:
        return self.size * PT * LINE_FACTOR.get(self.font, 1.7)


@dataclass
class Section:
    lines: list[Line] = field(default_factory=list)
    header: list[Line] = field(default_factory=list)  # repeated at the top of every page
    footer: str = "{page}/{pages}"
    rtl: bool = False
    base: str = "mincho"
    pages: list[list[Line]] = field(default_factory=list)


# Layout tables are used by HarfBuzz, which reads the font file itself; fpdf2 drops them from the embedded
# subset anyway. Removing them from fontTools' copy before subsetting saves decompiling them. The font-wide
# hinting tables go too: the glyphs are embedded without their TrueType instructions (see _GlyphsOnDemand).
_HINTING_TABLES = ("fpgm", "prep", "cvt ", "cvar", "VDMX", "LTSH")
_UNUSED_TABLES = ("GSUB", "GPOS", "GDEF", "MATH", "hdmx", "FFTM", "meta", "vhea", "vmtx", "JSTF", "BASE", "morx",
                  "kern", "DSIG") + _HINTING_TABLES
_PROTOTYPES: dict[str, TTFFont] = {}
_PROTO_LOCK = threading.Lock()
SHAPING = {"liga": False, "clig": False, "kern": False}


@dataclass(frozen=True)
class _Outlines:
    """The glyph outlines of one font file as stored (``glyf`` bytes per glyph) and its advance widths, read
    once per process and shared, read-only, by every document."""

    raw: dict[str, bytes]
    metrics: dict[str, tuple[int, int]]
    # the bytes of each glyph used so far, without its instructions (trimming is slow: once per glyph per
    # process; bytes are immutable, so threads can share them)
    unhinted: dict[str, bytes] = field(default_factory=dict)


_OUTLINES: dict[str, _Outlines] = {}


def _outlines(path: str) -> _Outlines:
    found = _OUTLINES.get(path)
    if found is None:
        from fontTools.ttLib import TTFont as FTFont

        with _PROTO_LOCK:
            found = _OUTLINES.get(path)
            if found is None:
                with FTFont(path, lazy=True) as tt:
                    glyphs = tt["glyf"].glyphs
                    raw = {name: bytes(getattr(g, "data", b"")) for name, g in glyphs.items()}
                    found = _Outlines(raw, dict(tt["hmtx"].metrics))
                _OUTLINES[path] = found
    return found


class _GlyphsOnDemand(Mapping[str, Any]):
    """The ``glyf`` table's glyphs for one document: a glyph object is made from the shared bytes the first
    time the subsetter asks for it (a few hundred of IPAex明朝's 12,000), without its TrueType hinting
    instructions. Decompiling every glyph for every document was a third of a render; the instructions were
    40 % of the embedded Japanese font, and PDF viewers rasterise without them."""

    def __init__(self, shared: _Outlines) -> None:
        self._raw = shared.raw
        self._unhinted = shared.unhinted
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        glyph = self._made.get(name)
        if glyph is None:
            from fontTools.ttLib.tables._g_l_y_f import Glyph

            data = self._unhinted.get(name)
            if data is None:
                glyph = Glyph(self._raw[name])  # KeyError for an unknown name, as a dict
                glyph.trim(remove_hinting=True)
                self._unhinted[name] = bytes(getattr(glyph, "data", b""))
            glyph = Glyph(self._unhinted[name])  # a document's own object: the subsetter renumbers components
            self._made[name] = glyph
        return glyph

    def __setitem__(self, name: str, glyph: Any) -> None:
        self._made[name] = glyph

    def __contains__(self, name: object) -> bool:
        return name in self._raw or name in self._made

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def _fresh_ttfont(path: str, proto: Any = None) -> object:
    """A fontTools object for one document's subset. With ``proto`` (the same font, parsed once), the glyph
    order is copied from it and the tables that the embedded subset does not need are left out: the
    character map (a CIDFontType2 font is addressed by glyph ids through CIDToGIDMap, and text extraction
    uses the ToUnicode map), and the glyph names of the ``post`` table (a version 3 ``post`` without names,
    as in most embedded subsets). Parsing those two tables of IPAex明朝 was a third of a render. The outlines
    and widths come from :func:`_outlines`, shared between documents; hinting is left out."""
    from fontTools.ttLib import TTFont, newTable

    tt = TTFont(path, recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    for tag in _UNUSED_TABLES:
        if tag in tt:
            del tt[tag]
    if proto is not None:
        tt.setGlyphOrder(proto.ttfont.getGlyphOrder())
        if "cmap" in tt:
            cmap = newTable("cmap")
            cmap.tableVersion = 0
            cmap.tables = []
            tt["cmap"] = cmap
        if "post" in tt:
            old = proto.ttfont["post"]
            post = newTable("post")
            post.formatType = 3.0
            for attr in ("italicAngle", "underlinePosition", "underlineThickness", "isFixedPitch", "minMemType42",
                         "maxMemType42", "minMemType1", "maxMemType1"):
                setattr(post, attr, getattr(old, attr))
            tt["post"] = post
        if "glyf" in tt and "hmtx" in tt:
            shared = _outlines(path)
            glyf = newTable("glyf")
            glyf.glyphOrder = tt.getGlyphOrder()
            glyf.glyphs = _GlyphsOnDemand(shared)
            glyf._reverseGlyphOrder = {}
            tt["glyf"] = glyf
            hmtx = newTable("hmtx")
            hmtx.metrics = dict(shared.metrics)  # the subsetter replaces the dict; the shared one is never touched
            tt["hmtx"] = hmtx
            maxp = tt["maxp"]
            if maxp.tableVersion == 0x00010000:  # no instructions left: no storage for them (as fontTools does)
                maxp.maxZones, maxp.maxTwilightPoints, maxp.maxStorage = 1, 0, 0
                maxp.maxFunctionDefs = maxp.maxInstructionDefs = maxp.maxStackElements = 0
                maxp.maxSizeOfInstructions = 0
    return tt


def _own_hbfont(proto: TTFFont) -> Any:
    from fpdf.fonts import HarfBuzzFont

    return HarfBuzzFont(proto.hbfont.face)


def _add_font(pdf: FPDF, key: str, path: str) -> None:
    """``pdf.add_font`` with the parsed metrics of each font kept between documents (parsing IPAex明朝's
    12,000 widths takes longer than laying out a letter). Each document still gets its own fontTools
    object to subset; only read-only data (widths, cmap, HarfBuzz face) is shared."""
    proto = _PROTOTYPES.get(key)
    if proto is None:
        with _PROTO_LOCK:
            proto = _PROTOTYPES.get(key)
            if proto is None:
                scratch = FPDF()
                scratch.add_font(key, fname=path)
                proto = scratch.fonts[key]
                _ = proto.hbfont  # load the HarfBuzz face once
                _PROTOTYPES[key] = proto
    try:
        font = TTFFont.__new__(TTFFont)
        for name in TTFFont.__slots__:
            if hasattr(proto, name):
                setattr(font, name, getattr(proto, name))
        font.i = len(pdf.fonts) + 1
        # fpdf2 writes the document's object id and font file into the descriptor while it outputs:
        # a descriptor shared between documents rendered in parallel gets another document's ids.
        font.desc = copy.copy(proto.desc)
        cw = defaultdict(proto.cw.default_factory)
        cw.update(proto.cw)
        font.cw = cw
        font.ttfont = _fresh_ttfont(path, proto)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font.color_font = None
        # HarfBuzz: the face (read-only) is shared; each document gets its own font object, because fpdf2
        # sets the point size on it while shaping and documents may be rendered in parallel threads
        font._hbfont = _own_hbfont(proto)
        font.subset = SubsetMap(font)
        _map_silent_glyphs(font.subset)
    except Exception:  # pragma: no cover - an fpdf2 whose internals changed: the plain, slower way
        pdf.add_font(key, fname=path)
        pdf.fonts[key].ttfont.recalcBBoxes = False
        return
    pdf.fonts[key] = font


ZWSP = 0x200B


def _map_silent_glyphs(subset: SubsetMap) -> None:
    """fpdf2 gives all the characters of a shaped cluster (Burmese ဒေါ်: four characters, several glyphs) to
    its first glyph and none to the others, which then have no ToUnicode entry: text extraction and copying
    show their raw codes as stray characters ("ဒေ0ါ်"). Map them to ZERO WIDTH SPACE instead, which copies
    as nothing visible (the validators strip U+200B from input, so it is never part of a value)."""
    original = subset.get_glyph

    def get_glyph(glyph: Any = None, unicode: Any = None, glyph_name: Any = None, glyph_width: Any = None) -> Any:
        if glyph is not None and unicode == ():
            unicode = (ZWSP,)
        return original(glyph=glyph, unicode=unicode, glyph_name=glyph_name, glyph_width=glyph_width)

    get_glyph.cache_clear = getattr(original, "cache_clear", lambda: None)  # type: ignore[attr-defined]
    subset.get_glyph = get_glyph  # type: ignore[method-assign]


# Widths measured once per document: line breaking measures each word and candidate line many times. Not
# once per process: the keys are the letter's own words and lines (names, addresses, the person's story),
# which a process-wide cache would keep in memory after the session ends. Bounded: cleared when full.
_CACHE_LIMIT = 200_000


def _remember(cache: dict[tuple[Any, ...], float], key: tuple[Any, ...], value: float) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value


class _PDF(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4", unit="mm")
        self.set_margins(MARGIN_L, MARGIN_T, MARGIN_R)
        self.c_margin = 0  # text starts exactly at the cell edge, as with text()
        self.set_auto_page_break(False)
        self.set_creator("kyosei-helper")
        self._shaping: tuple[bool, str] | None = None
        self._order: list[str] = []  # registered fonts, the section's main font first
        self._fallbacks: tuple[str, ...] | None = None
        self.direction = "ltr"
        self._widths: dict[tuple[Any, ...], float] = {}
        self._line_widths: dict[tuple[Any, ...], float] = {}

    def shaping(self, on: bool) -> None:
        """Text shaping (HarfBuzz) only where a script needs it: CJK and Latin in NFC do not, and the plain
        path is several times faster."""
        state = (on, self.direction)
        if state == self._shaping:
            return
        if on:
            self.set_text_shaping(True, features=SHAPING, direction=self.direction)
        else:
            self.set_text_shaping(False)
        self._shaping = state

    def set_base(self, base: str) -> None:
        """The section's main font: first in line for characters the line's font lacks."""
        self._order = [base] + [k for k in self.fonts if k != base]

    def _use_fallbacks(self, key: str) -> None:
        # every other font, the section's main font first: a Burmese line still finds 世帯主 in 明朝
        wanted = tuple(k for k in self._order if k != key)
        if wanted != self._fallbacks:
            self.set_fallback_fonts(list(wanted), exact_match=False)
            self._fallbacks = wanted

    def use_font(self, key: str, size: float) -> None:
        self.set_font(key, size=size)
        self._use_fallbacks(key)
        # fpdf2 2.8.9: when the first fragment of a line comes from a fallback font, the page font is set
        # inside the line's q/Q and lost, so the next line has no font. Setting it at page level first
        # (an empty text object) avoids that.
        if not getattr(self, "current_font_is_set_on_page", True):
            self.text(MARGIN_L, MARGIN_T, "")

    def _font_of(self, ch: str, key: str) -> Any:
        """The font fpdf2 draws ``ch`` with when ``key`` is the current font (its fallback rule)."""
        cp = ord(ch)
        font = self.fonts[key]
        if cp in font.cmap:
            return font
        for k in self._order:
            if k != key and cp in self.fonts[k].cmap:
                return self.fonts[k]
        return font

    def width(self, text: str, key: str, size: float) -> float:
        shaped = F.needs_shaping(text) or self.direction == "rtl"
        # every input of the measurement: the fonts in fallback order (which fonts a document has), the font,
        # the size, the text, and the direction when HarfBuzz shapes it
        k = (tuple(self._order), key, size, text, self.direction if shaped else "")
        w = self._widths.get(k)
        if w is None:
            if shaped:
                if self.font_family != key or self.font_size_pt != size:
                    self.set_font(key, size=size)
                self._use_fallbacks(key)
                self.shaping(True)
                w = self.get_string_width(text)
            else:  # the same sum of advance widths as fpdf2 without shaping, without its per-call overhead
                w = sum(self._font_of(ch, key).cw[ord(ch)] for ch in text) * size / 1000 / self.k
            _remember(self._widths, k, w)
        return w

    def text_width(self, text: str, base: str, size: float) -> float:
        """The width of a line as :func:`_draw` draws it: in runs (see :func:`fonts.segments`), or whole when
        it is a right-to-left line on a right-to-left page."""
        k = (tuple(self._order), self.direction, base, size, text)
        w = self._line_widths.get(k)
        if w is None:
            if self.direction == "rtl" and F.has_rtl(text):
                w = self.width(text, F.line_font(text, base), size)
            else:
                w = sum(self.width(t, f, size) for t, f in F.segments(text, base))
            _remember(self._line_widths, k, w)
        return w

    def single_font(self, text: str, key: str) -> bool:
        font = self.fonts[key]
        return all(ord(ch) in font.cmap for ch in text)


def _identity(s: str) -> str:
    return s


def render_pdf(letter: Letter, lang: str = "ja", gettext: Gettext | None = None) -> bytes:
    g = gettext or _identity
    lang = lang or "ja"
    with_translation = lang != "ja"
    rtl = lang.split("@")[0].split("_")[0] in RTL_LANGS
    latin_base = "mincho" if lang.startswith("ja") else "serif"

    pdf = _PDF()
    sections: list[Section] = []
    translation = Section(base=latin_base, rtl=rtl) if with_translation else None
    guidance = Section(base=latin_base if with_translation else "mincho", rtl=rtl if with_translation else False)

    if with_translation and F.unprintable(_all_text(letter, g, True)):
        g = _identity  # a catalogue in a script without a vendored font: English rather than empty boxes
    texts = _all_text(letter, g, with_translation)
    unprintable = F.unprintable(texts)
    if unprintable:  # the validators keep such characters out of every value
        raise ValueError(f"no letter font has {', '.join(f'U+{ord(c):04X}' for c in unprintable[:5])}")
    needed = set(F.fonts_for(texts, "mincho")) | set(F.fonts_for(texts, latin_base)) | {"mincho", latin_base}
    for f in F.FONTS:
        if f.key in needed:
            _add_font(pdf, f.key, str(F.path(f)))
    pdf.set_base("mincho")
    if letter.preamble:  # read first, not handed in: its own pages before the letter
        preamble = Section(base="mincho", rtl=rtl and with_translation)
        pdf.direction = "rtl" if preamble.rtl else "ltr"
        _layout_preamble(pdf, letter, preamble, g, with_translation, latin_base)
        pdf.direction = "ltr"
        _paginate(preamble, top=MARGIN_T)
        sections.append(preamble)
        pdf.set_base("mincho")
    budget = max(letter.max_pages, MAX_JA_PAGES)
    for size in JA_SIZES:  # a long letter is set a little smaller before it is refused
        ja_section = Section(base="mincho")
        _layout_japanese(pdf, letter, ja_section, size)
        _paginate(ja_section, top=MARGIN_T)
        if len(ja_section.pages) <= budget:
            break
    else:
        raise LetterTooLong(f"the Japanese letter needs {len(ja_section.pages)} pages; the limit is {budget}")
    sections.append(ja_section)
    if translation is not None:
        pdf.direction = "rtl" if rtl else "ltr"
        pdf.set_base(latin_base)
        _layout_translation(pdf, letter, translation, g)
        _paginate(translation, top=MARGIN_T)
        sections.append(translation)
        pdf.direction = "ltr"
    pdf.direction = "rtl" if guidance.rtl else "ltr"
    pdf.set_base(guidance.base)
    _layout_guidance(pdf, letter, guidance, g, with_translation, latin_base)
    pdf.direction = "ltr"
    _paginate(guidance, top=MARGIN_T)
    sections.append(guidance)

    for section in sections:
        pdf.direction = "rtl" if section.rtl else "ltr"
        pdf.set_base(section.base)
        n = len(section.pages)
        for i, page in enumerate(section.pages, start=1):
            pdf.add_page()
            y = MARGIN_T
            for line in section.header:
                y = _draw(pdf, line, y, section)
            if section.header:
                y += 2
            for line in page:
                y = _draw(pdf, line, y, section)
            if n > 1 and section.footer:
                pdf.use_font("mincho", SMALL_PT)
                pdf.set_text_color(110)
                pdf.set_xy(MARGIN_L, PAGE_H - MARGIN_B + 6)
                pdf.shaping(False)
                pdf.cell(PAGE_W - MARGIN_L - MARGIN_R, 5, section.footer.format(page=i, pages=n), align="C")
                pdf.set_text_color(0)
    buf = io.BytesIO()
    pdf.output(buf)
    missing = sorted({chr(c) for f in pdf.fonts.values() for c in getattr(f, "missing_glyphs", [])})
    if missing:  # never a silent gap in a letter (the validators keep unprintable characters out)
        raise RuntimeError(f"no font drew {', '.join(f'U+{ord(c):04X}' for c in missing)}")
    return buf.getvalue()


def _all_text(letter: Letter, g: Gettext, with_translation: bool) -> str:
    parts = [letter.title_ja, letter.addressee.name, _JA_PREAMBLE]
    parts += [p.ja_line for p in letter.preamble]
    if with_translation:
        parts += [p.translated_line(g) for p in letter.preamble]
    parts += [p.ja_line for p in letter.paragraphs]
    parts += [p.ja for p in letter.guidance]
    if with_translation:
        parts += [_notice(g), translate_msgid(letter.title, g)]
        parts += [p.translated_line(g) for p in letter.paragraphs]
        parts += [p.translated(g) for p in letter.guidance]
        parts += [translate_msgid(d, g) for d in letter.disclosures]
        parts += [g(s) for s in _GUIDE_STRINGS]
    return "\n".join(parts) + "".join(_JA_STRINGS)


# ------------------------------------------------------------------------------------------------ Japanese

EPW = PAGE_W - MARGIN_L - MARGIN_R
SENDER_X = EPW * 0.30


def _em(size: float = BODY_PT) -> float:
    return size * PT


def _paragraph_lines(
    pdf: _PDF, text: str, *, x: float, w: float, base: str, size: float = BODY_PT, align: str = "L",
    first_x: float | None = None, gap_before: float = 0.0, gray: bool = False, keep_with_next: bool = False,
) -> list[Line]:
    """Wrap one paragraph. ``first_x`` puts the first line elsewhere (first-line or hanging indents)."""
    out: list[Line] = []
    for n, para in enumerate(text.split("\n")):
        fx = first_x if (first_x is not None and n == 0) else x
        first_w = w - (fx - x)

        def measure(s: str) -> float:
            return pdf.text_width(s, base, size)

        budget = 0.995
        for _attempt in range(4):
            lines = wrap(para, w * budget, measure, first_width=first_w * budget) if para else [""]
            too_wide = [ln for i, ln in enumerate(lines) if pdf.text_width(ln, base, size) >
                        (first_w if i == 0 else w) + 0.01]
            if not too_wide:
                break
            budget -= 0.02
        if bidi.has_isolates(para):
            lines = bidi.balance(lines)
        for i, ln in enumerate(lines):
            lx = fx if i == 0 else x
            out.append(Line(ln, lx, (first_w if i == 0 else w), align, size, F.line_font(ln, base),
                            gap_before if (n == 0 and i == 0) else 0.0, gray, base=base))
    if out and keep_with_next:
        out[-1].keep_with_next = True
    return out


def _layout_japanese(pdf: _PDF, letter: Letter, section: Section, size: float = BODY_PT) -> None:
    lines = section.lines
    em = _em(size)
    fields = [p for p in letter.paragraphs if p.style == "field" and p.label_ja]
    label_w = _label_width(pdf, fields, size)
    sender_label_w = _label_width(pdf, [p for p in letter.paragraphs if p.style == "sender" and p.label_ja], size,
                                  cap=7)

    def para(text: str, **kw: Any) -> list[Line]:
        kw.setdefault("size", size)
        return _paragraph_lines(pdf, text, base="mincho", **kw)

    for p in letter.paragraphs:
        s = p.style
        if s == "blank":
            lines.append(Line("", 0, EPW, size=size * 0.6))
        elif s == "right":
            lines += para(p.ja, x=0, w=EPW, align="R")
        elif s == "addressee":
            lines += para(p.ja, x=0, w=EPW * 0.75, size=size + 1, gap_before=2)
        elif s == "title":
            lines += para(p.ja, x=0, w=EPW, size=TITLE_PT, align="C", gap_before=4)
            lines.append(Line("", 0, EPW, size=size * 0.4))
        elif s == "sender_head":
            lines += para(p.ja, x=SENDER_X, w=EPW - SENDER_X)
        elif s == "sender":
            lines += _label_value(pdf, p, x=SENDER_X + em, w=EPW - SENDER_X - em, label_w=sender_label_w, size=size)
        elif s == "body":
            lines += para(p.ja, x=0, w=EPW, first_x=em)
        elif s == "center":
            lines += para(p.ja, x=0, w=EPW, align="C", gap_before=1.2)
        elif s == "heading":
            prefix = f"{p.number}　" if p.number else ""
            lines += para(prefix + p.ja, x=em * 1.5, w=EPW - em * 1.5, first_x=0, gap_before=1.0,
                          keep_with_next=True)
        elif s == "field":
            lines += _label_value(pdf, p, x=em * 1.5, w=EPW - em * 1.5, label_w=label_w, size=size)
        elif s == "detail":
            lines += para(p.ja, x=em * 1.5, w=EPW - em * 1.5)
        elif s == "item":
            prefix = f"{p.number}　" if p.number else ""
            hang = pdf.width(prefix, "mincho", size) if prefix else 0
            lines += para(prefix + p.ja, x=em * 1.5 + hang, w=EPW - em * 1.5 - hang, first_x=em * 1.5)
        elif s == "end":
            lines += para(p.ja, x=0, w=EPW, align="R", gap_before=1.2)


def _label_width(pdf: _PDF, paragraphs: list[Paragraph], size: float, cap: float = 11) -> float:
    em = _em(size)
    widest = max((pdf.width(p.label_ja or "", "mincho", size) for p in paragraphs), default=0)
    return min(widest + em, cap * em)


def _label_value(pdf: _PDF, p: Paragraph, *, x: float, w: float, label_w: float, size: float) -> list[Line]:
    label = p.label_ja or ""
    if pdf.width(label, "mincho", size) > label_w - _em(size) * 0.5:
        # a long label: label on its own line, value below it
        out = _paragraph_lines(pdf, label, x=x, w=w, base="mincho", size=size)
        if p.ja:
            out += _paragraph_lines(pdf, p.ja, x=x + label_w, w=w - label_w, base="mincho", size=size)
        return out
    value_lines = _paragraph_lines(pdf, p.ja, x=x + label_w, w=w - label_w, base="mincho", size=size) if p.ja else []
    label_line = Line(label, x, label_w, "L", size, F.line_font(label, "mincho"))
    if p.signature:
        label_line.signature_from = x + label_w
        return [label_line]
    if not value_lines:
        return [label_line]
    # the label shares the first value line: drawn as two cells on one line
    value_lines[0].label = (label, x, label_w)
    return value_lines


# ------------------------------------------------------------------------------------------------ translation


def _notice(g: Gettext) -> str:
    return g(N_("Translation for your understanding only. Do not hand in this page: hand in the Japanese letter."))


_JA_NOTICE = "参考訳（内容を理解するためのもの）。提出するのは日本語の書面です。この訳は提出しないでください。"
_READ_FIRST = N_("Read this before you hand in the letter:")
_GUIDE_STRINGS = [
    _READ_FIRST,
    N_("How to hand in the letter"),
    N_("What the letter tells the office"),
    N_("What the letter does not say"),
]
_JA_GUIDE = "提出の手引き（この用紙は提出しないでください）"
_JA_STRINGS = [_JA_NOTICE, _JA_GUIDE, "（{page}/{pages}）"]


def _layout_translation(pdf: _PDF, letter: Letter, section: Section, g: Gettext) -> None:
    base = section.base
    align = "R" if section.rtl else "L"
    em = _em()
    section.header = _paragraph_lines(pdf, _isolated(_notice(g), section.rtl), x=0, w=EPW, base=base, size=9.5,
                                      align=align, gray=True)
    section.header += _paragraph_lines(pdf, _JA_NOTICE, x=0, w=EPW, base="mincho", size=8.5, align=align, gray=True)
    lines = section.lines
    if letter.notices:  # the warnings come before the letter they are about, in the reader's language
        lines += _rtl_aware(pdf, g(_READ_FIRST), 0, base, align, section.rtl, 0, keep=True)
        for n in letter.notices:
            lines += _rtl_aware(pdf, "• " + n.translated(g), em, base, align, section.rtl, 0.6)
        lines.append(Line("", 0, EPW, size=BODY_PT))
    for p in letter.paragraphs:
        s = p.style
        text = p.translated_line(g)
        if s == "blank":
            lines.append(Line("", 0, EPW, size=BODY_PT * 0.6))
            continue
        if s == "title":
            lines += _paragraph_lines(pdf, _isolated(text, section.rtl), x=0, w=EPW, base=base, size=13, align="C",
                                      gap_before=3)
            continue
        indent = {"heading": 0, "field": 1.5, "detail": 1.5, "item": 1.5, "sender": 1.0, "sender_head": 0}.get(s, 0)
        gap = 1.2 if s in ("heading", "center", "end") else 0.0
        if p.signature:
            continue  # the applicant signs the Japanese letter, not the translation
        lines += _rtl_aware(pdf, text, indent * em, base, align, section.rtl, gap, keep=s == "heading")


def _isolated(text: str, rtl: bool) -> str:
    """In a right-to-left section, a text with right-to-left letters gets its Japanese runs, dates, phone
    numbers, postal codes and other digit groups isolated (FSI … PDI, see :mod:`helper.bidi`): after Arabic
    letters the digits of 090-1234-5678 are "Arabic numbers", which a hyphen does not join, and the bidi
    algorithm would print 5678-1234-090. Each paragraph of the text on its own (the lines of a paragraph
    are balanced after wrapping, see :func:`helper.bidi.balance`)."""
    if not rtl or not F.has_rtl(text):
        return text
    return "\n".join(bidi.isolate_runs(part) for part in text.split("\n"))


def _rtl_aware(pdf: _PDF, text: str, indent: float, base: str, align: str, rtl: bool, gap: float,
               keep: bool = False) -> list[Line]:
    text = _isolated(text, rtl)
    if rtl:  # indent from the right: the cell starts at the margin and stops short
        return _paragraph_lines(pdf, text, x=0, w=EPW - indent, base=base, align=align, gap_before=gap,
                                keep_with_next=keep)
    return _paragraph_lines(pdf, text, x=indent, w=EPW - indent, base=base, align=align, gap_before=gap,
                            keep_with_next=keep)


def _layout_guidance(pdf: _PDF, letter: Letter, section: Section, g: Gettext, with_translation: bool,
                     base: str) -> None:
    em = _em()
    lines = section.lines
    align = "R" if section.rtl else "L"
    # every page says that it is not to be handed in
    if with_translation:
        section.header = _rtl_aware(pdf, g("How to hand in the letter"), 0, base, align, section.rtl, 0)
        section.header += _paragraph_lines(pdf, _JA_GUIDE, x=0, w=EPW, base="mincho", size=9, align=align, gray=True)
    else:
        section.header = _paragraph_lines(pdf, _JA_GUIDE, x=0, w=EPW, base="mincho", size=12)
    for p in letter.guidance:
        if with_translation:
            lines += _rtl_aware(pdf, "• " + p.translated(g), em, base, align, section.rtl, 1.0)
            lines += _paragraph_lines(pdf, p.ja, x=(0 if section.rtl else em * 1.5), w=EPW - em * 1.5, base="mincho",
                                      size=SMALL_PT, align=align, gray=True)
        else:
            lines += _paragraph_lines(pdf, "・" + p.ja, x=em, w=EPW - em, base="mincho", first_x=0, gap_before=1.0)
    if with_translation and letter.disclosures:
        lines.append(Line("", 0, EPW, size=BODY_PT))
        lines += _rtl_aware(pdf, g("What the letter tells the office"), 0, base, align, section.rtl, 1.5, keep=True)
        for d in letter.disclosures:
            lines += _rtl_aware(pdf, "• " + translate_msgid(d, g), 1.5 * em, base, align, section.rtl, 0)
        lines += _rtl_aware(pdf, g("What the letter does not say"), 0, base, align, section.rtl, 1.5, keep=True)
        for d in letter.withheld:
            lines += _rtl_aware(pdf, "• " + translate_msgid(d, g), 1.5 * em, base, align, section.rtl, 0)


_JA_PREAMBLE = "提出前にお読みください（この用紙は提出しないでください）"


def _layout_preamble(pdf: _PDF, letter: Letter, section: Section, g: Gettext, with_translation: bool,
                     base: str) -> None:
    """The page read before the letter (a petition's warnings): Japanese, each paragraph with its translation
    beneath when the reader's language is not Japanese. Every page says it is not handed in."""
    em = _em()
    section.header = _paragraph_lines(pdf, _JA_PREAMBLE, x=0, w=EPW, base="mincho", size=12)
    for p in letter.preamble:
        if p.style == "blank":
            section.lines.append(Line("", 0, EPW, size=BODY_PT * 0.6))
            continue
        if p.style == "heading":
            section.lines += _paragraph_lines(pdf, p.ja_line, x=0, w=EPW, base="mincho", gap_before=1.5,
                                              keep_with_next=True)
        else:
            section.lines += _paragraph_lines(pdf, "・" + p.ja_line, x=em, w=EPW - em, base="mincho", first_x=0,
                                              gap_before=1.0)
        if with_translation and p.text:
            pdf.set_base(base)
            lines = _rtl_aware(pdf, p.translated_line(g), em * 1.5, base, "R" if section.rtl else "L", section.rtl, 0)
            for line in lines:
                line.gray = True
            section.lines += lines
            pdf.set_base("mincho")


# ------------------------------------------------------------------------------------------------ pages


def _paginate(section: Section, top: float) -> None:
    header_h = sum(line.height + line.gap_before for line in section.header) + (2 if section.header else 0)
    limit = PAGE_H - MARGIN_B - top - header_h
    pages: list[list[Line]] = [[]]
    used = 0.0
    lines = section.lines
    i = 0
    while i < len(lines):
        # a group: lines that must stay together (a label with its value, a heading with the next line)
        group = [lines[i]]
        while group[-1].keep_with_next and i + len(group) < len(lines):
            group.append(lines[i + len(group)])
        h = sum(line.gap_before + line.height for line in group)
        if used + h > limit and pages[-1]:
            pages.append([])
            used = 0.0
        pages[-1].extend(group)
        used += h
        i += len(group)
    section.pages = [p for p in pages if p] or [[]]


def _draw(pdf: _PDF, line: Line, y: float, section: Section) -> float:
    y += line.gap_before
    h = line.height
    if line.label is not None:
        text, x, w = line.label
        pdf.use_font("mincho", line.size)
        pdf.set_xy(MARGIN_L + x, y)
        pdf.shaping(F.needs_shaping(text))
        pdf.cell(w, h, text, align="L")
    if line.text:
        # a line without right-to-left letters keeps its own direction, even on a right-aligned page
        rtl = section.rtl and F.has_rtl(line.text)
        pdf.direction = "rtl" if rtl else "ltr"
        if line.gray:
            pdf.set_text_color(90)
        if rtl:  # whole, so that the bidi algorithm orders the runs
            pdf.use_font(line.font, line.size)
            pdf.set_xy(MARGIN_L + line.x, y)
            pdf.shaping(True)
            pdf.cell(line.w, h, line.text, align=line.align)
        else:  # run by run, each in its own font (see fonts.segments)
            runs = F.segments(line.text, line.base)
            widths = [pdf.width(t, f, line.size) for t, f in runs]
            total = sum(widths)
            cx = MARGIN_L + line.x + {"L": 0.0, "R": line.w - total, "C": (line.w - total) / 2}.get(line.align, 0.0)
            baseline = y + 0.5 * h + 0.3 * line.size / pdf.k
            for (t, f), w in zip(runs, widths, strict=True):
                pdf.use_font(f, line.size)
                if not F.needs_shaping(t) and pdf.single_font(t, f):
                    pdf.text(cx, baseline, t)  # one font, no shaping: a plain text object, where cell() puts it
                else:
                    pdf.set_xy(cx, y)
                    pdf.shaping(F.needs_shaping(t))
                    pdf.cell(w, h, t)
                cx += w
        if line.gray:
            pdf.set_text_color(0)
    if line.signature_from is not None:
        pdf.set_draw_color(60)
        pdf.set_line_width(0.2)
        base = y + h * 0.78
        pdf.line(MARGIN_L + line.signature_from, base, MARGIN_L + EPW, base)
    return y + h
