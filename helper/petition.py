"""Petition drafts from the campaigners' gap table: 要望書 (to a mayor), 陳情書 (to an assembly chair) and 請願書
(to an assembly or either House of the Diet, with 紹介議員), as a :class:`helper.letters.Letter` that the letter
engine renders to PDF and DOCX (docs/letters.md §7).

Pure: ``build_petition(kind, rows, …)`` takes chosen gap-table rows (:func:`helper.gaps.gap_table`) and, optionally,
published counts (:func:`helper.counts.publish`), and returns the letter. What nobody said stays a blank to fill
(the submitter, their address, the introducing member); only published counts are cited, and a count from 1 to 9
can never reach the text; a standard marked ``argued`` is written as an argument, not as a breach. The warning
that submitters' names and addresses are made public is on the preamble page, never in the petition's body.

The phrases are data in ``letters/petitions/petition.yaml`` (Japanese and English gloss side by side).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from . import municipality as muni
from .letters.model import N_, Addressee, Letter, Message, Paragraph
from .letters.templates import LETTERS_DIR
from .letters.text import fill, placeholders
from .letters.wareki import to_wareki

Kind = Literal["yobo", "chinjo", "seigan"]
KINDS: tuple[Kind, ...] = ("yobo", "chinjo", "seigan")
TEMPLATE = LETTERS_DIR / "petitions" / "petition.yaml"
DIET = ("衆議院議長　様", "参議院議長　様")
# Assemblies that call themselves 市会 rather than 市議会 (their own names).
SHIKAI = frozenset({"大阪市", "京都市", "横浜市", "名古屋市", "神戸市"})
MAX_SOURCES_PER_GAP = 2
# one subject per petition: more than this is several petitions (and more than the page budget)
MAX_PROGRAMMES = 6
MAX_GAPS = 40


class PetitionError(ValueError):
    """Input a petition cannot be built from; ``message`` is an English msgid filled from ``params``."""

    def __init__(self, message: str, **params: str) -> None:
        super().__init__(fill(message, params))
        self.message = message
        self.params = params

    def text(self, gettext: Any = None) -> str:
        return fill((gettext or (lambda s: s))(self.message), self.params)


# ------------------------------------------------------------------------------------------------ template


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bi(_M):
    ja: str
    text: str


class FormSource(_M):
    cite: str
    url: str


class KindText(_M):
    document: Bi
    title: Bi
    sender: Bi
    items: Bi
    verb: Bi
    legal_basis: str


class PetitionTemplate(_M):
    schema_version: Literal[1]
    kind: Literal["petitions"]
    as_of: dt.date
    sources: list[FormSource]
    kinds: dict[Kind, KindText]
    phrases: dict[str, Bi]
    preamble: dict[str, Bi]
    guidance: dict[str, Bi]
    instruments: dict[str, Bi]
    committees: dict[str, str]


@lru_cache(maxsize=1)
def template() -> PetitionTemplate:
    return load_template(TEMPLATE)


def load_template(path: Path) -> PetitionTemplate:
    """Read the petitions' phrases; :class:`helper.letters.templates.TemplateError` lists every problem
    (``file:line: field: message``), as for the letter templates (``python -m helper check`` runs it)."""
    from .letters.templates import TemplateError, _problem, _read

    t, doc = _read(path, PetitionTemplate)
    problems = []
    groups = {"phrases": t.phrases, "preamble": t.preamble, "guidance": t.guidance, "instruments": t.instruments}
    groups.update({f"kinds.{k}": {f: getattr(v, f) for f in ("document", "title", "sender", "items", "verb")}
                   for k, v in t.kinds.items()})
    for name, group in groups.items():
        for key, bi in group.items():
            if placeholders(bi.ja) != placeholders(bi.text):
                where = (*name.split("."), key)
                problems.append(_problem(path, doc.line_of(where), ".".join(where),
                                         "ja and text use different placeholders"))
    if problems:
        raise TemplateError(problems)
    return t


# ------------------------------------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class Submitter:
    """What the submitter typed; anything empty is printed as a blank to fill by hand."""

    name: str = ""
    address: str = ""
    contact: str = ""
    introducers: tuple[str, ...] = ()  # 紹介議員 (請願書 only): usually left blank, they sign in person


def _get(obj: Any, key: str) -> Any:
    """A field of a row or a standard: a mapping key or an attribute (``mark``, ``paragraph`` may be absent)."""
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def status_group(row: Mapping[str, Any]) -> str:
    """The status group of a gap row, as :func:`helper.batch.status_group` names a survey's counts."""
    group = str(row["residence_status"])
    if row.get("designated_activity"):
        group += f"/{row['designated_activity']}"
    if row.get("refugee_procedure") and row["refugee_procedure"] != "none":
        group += f"+{row['refugee_procedure']}"
    return group


def gap_id(row: Mapping[str, Any]) -> str:
    """``STATUS:PROGRAMME`` as the command line names a gap (the status group of the row)."""
    return f"{status_group(row)}:{row['programme']}"


def choose(rows: Iterable[Mapping[str, Any]], wanted: Sequence[str]) -> list[Mapping[str, Any]]:
    """The excluded rows named by ``STATUS:PROGRAMME`` (STATUS a status group, or a residence status for all of
    its variants). Nothing is chosen for the campaigner: without ``wanted``, :class:`PetitionError` names a few."""
    gaps = [r for r in rows if r.get("outcome") == "not_eligible"]
    if not wanted:
        examples = ", ".join(dict.fromkeys(gap_id(r) for r in gaps if r.get("standards")))
        raise PetitionError(N_("name the gaps to cite as STATUS:PROGRAMME, for example: {examples}"),
                            examples=", ".join(examples.split(", ")[:4]))
    out: list[Mapping[str, Any]] = []
    for spec in wanted:
        status, sep, programme = spec.partition(":")
        if not sep or not status or not programme:
            raise PetitionError(N_("“{gap}” is not STATUS:PROGRAMME, such as provisional_release:nhi"), gap=spec)
        found = [r for r in gaps if r["programme"] == programme
                 and (status_group(r) == status or r["residence_status"] == status)]
        if not found:
            raise PetitionError(N_("“{gap}” is not an exclusion in this gap table"), gap=spec)
        out += [r for r in found if r not in out]
    return out


# ------------------------------------------------------------------------------------------------ names


def city_of(code: str) -> muni.Municipality:
    place = muni.get(code)
    if place is None:
        raise PetitionError(N_("{code} is not a known municipality code"), code=code)
    if place.level == "ward" and place.parent:
        return muni.get(place.parent) or place
    return place


def assembly_of(code: str) -> str:
    """The assembly's own name: 大阪市会, 堺市議会, 大阪府議会."""
    place = city_of(code)
    if place.level == "prefecture":
        return f"{place.name}議会"
    return f"{place.name}会" if place.name in SHIKAI else f"{place.name}議会"


def addressees(kind: Kind, code: str) -> list[str]:
    """The preset 宛先 of a kind for a place: the mayor for a 要望書, the assembly chair for a 陳情書, the
    assembly chair or the Speaker / President of either House for a 請願書."""
    place = city_of(code)
    if kind == "yobo":
        return [f"{place.name}知事　様" if place.level == "prefecture" else f"{place.name}長　様"]
    chair = f"{assembly_of(code)}議長　様"
    return [chair] if kind == "chinjo" else [chair, *DIET]


def _programme_names(base: Any) -> dict[str, str]:
    if base is None:
        return {}
    return {pid: getattr(p, "title_ja", None) or pid for pid, (p, _f) in base.programmes.items()}


_LAYER_FILE = re.compile(r"/layers/([0-9]{5})[^/]*$")


def decider(row: Mapping[str, Any], base: Any) -> str | None:
    """Who can change the exclusion: ``national``, ``prefecture`` or ``municipality`` (the row's ``layer``
    when the gap table gives it, else the file that defines the deciding condition)."""
    layer = row.get("layer")
    if isinstance(layer, str) and layer:
        if layer in ("national", "prefecture", "municipality"):
            return layer
        if re.fullmatch(r"[0-9]{5}", layer):
            return "national" if layer == "00000" else "prefecture" if layer.endswith("000") else "municipality"
    if base is None or not row.get("rule"):
        return None
    found = base.conditions.get(row["rule"])
    if found is None:
        return None
    m = _LAYER_FILE.search(str(found[1].file).replace("\\", "/"))
    if m is None:
        return "national"
    return "prefecture" if m.group(1).endswith("000") else "municipality"


_JA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_PRIMARY = ("statute", "notice", "government_answer", "ruling", "municipal", "un_document", "operator")


def basis(row: Mapping[str, Any], base: Any) -> str:
    """The legal basis in words: the row's own ``basis`` when the gap table gives one, else the Japanese names
    of its primary sources (「国民健康保険法施行規則 第1条」), else the rule's id as a last resort."""
    given = row.get("basis")
    if isinstance(given, str) and given.strip():
        return given.strip()
    names: list[str] = []
    if base is not None:
        by_url = {s.url: s for s, _o in base.sources.values()}
        for url in row.get("sources") or []:
            s = by_url.get(url)
            if s is None or s.kind not in _PRIMARY:
                continue
            name = _japanese_name(s.title)
            if name and name not in names:
                names.append(name)
    if names:
        return "、".join(names[:3])
    t = template()
    return fill(t.phrases["basis_unknown"].ja, {"rule": str(row.get("rule") or "")})


def _japanese_name(title: str) -> str | None:
    """The Japanese name in a source's title: its head when it starts in Japanese (up to the first bracket),
    else the first bracketed part written in Japanese (「内閣参質210第23号」)."""
    if _JA.match(title):
        return re.split(r" \(|（|:", title, maxsplit=1)[0].strip()
    for inner in re.findall(r"\(([^()]*)\)", title):
        if _JA.search(inner):
            return inner.split(",")[0].strip()
    return None


def standard_name(std: Any) -> tuple[str, str]:
    """A standard as the petition names it (Japanese, English): the treaty and article, then the committee's
    document (a General Comment or observations on Japan) with its paragraph where one was read beside the
    passage. A paragraph number not so read (``paragraph_unconfirmed``) is never printed."""
    t = template()
    instrument = str(_get(std, "instrument") or "")
    article = str(_get(std, "article") or "")
    document = _get(std, "document")
    paragraph = _get(std, "paragraph")
    known = t.instruments.get(instrument)
    if known is not None:
        ja, en = known.ja + _article_ja(article), f"{known.text} art. {article}"
    else:  # an older entry that names the committee's document as its instrument
        committee = next((name for prefix, name in t.committees.items() if instrument.startswith(prefix)), None)
        ja = f"{committee}（{instrument}）" if committee else instrument
        ja, en = ja + _article_ja(article), f"{instrument} {article}".strip()
    if document:
        title = str(_get(std, "document_title") or "")
        gc = re.search(r"General Comment No\. ?([0-9]+)", title)
        committee = next((name for prefix, name in t.committees.items() if str(document).startswith(prefix)), None)
        named = f"一般的意見第{gc.group(1)}号" if gc else (committee or "")
        para_ja = f"パラグラフ{paragraph}" if paragraph not in (None, "") else ""
        ja += f"（{named}{document}{' ' + para_ja if para_ja else ''}）"
        en += f", {document}" + (f" para {paragraph}" if paragraph not in (None, "") else "")
    elif paragraph not in (None, "") and str(paragraph) not in article:
        ja += f"パラグラフ{paragraph}"
        en += f", para {paragraph}"
    return ja, en


def _article_ja(article: str) -> str:
    """「9; GC19 paras 36-38」 -> 「第9条（一般的意見第19号パラグラフ36-38）」; 「para 22」 -> 「パラグラフ22」."""
    head, _sep, rest = article.partition(";")
    head = head.strip()
    out = ""
    m = re.fullmatch(r"([0-9]+)((?:\([0-9a-z]+\))*)(.*)", head)
    if re.fullmatch(r"[0-9]+(?:, ?[0-9]+)+", head):
        out = "・".join(f"第{n.strip()}条" for n in head.split(","))
    elif m:
        out = f"第{m.group(1)}条{m.group(2)}{m.group(3)}"
    elif head.startswith("para"):
        out = "パラグラフ" + head.split(" ", 1)[-1]
    else:
        out = head
    rest = rest.strip()
    if rest:
        gc = re.fullmatch(r"GC ?([0-9]+) paras? (.+)", rest)
        out += f"（一般的意見第{gc.group(1)}号パラグラフ{gc.group(2)}）" if gc else f"（{rest}）"
    return out


# ------------------------------------------------------------------------------------------------ counts


@dataclass(frozen=True)
class Cited:
    """A published count the petition cites: never a hidden cell, never 1 to 9."""

    municipality: str
    quarter: str
    status: str
    programme: str
    people: int


def cited_counts(rows: Sequence[Mapping[str, Any]], groups: Iterable[Any]) -> tuple[list[Cited], list[Any]]:
    """The published ``not_eligible`` counts of the chosen gaps (10 or more), and the groups they come from.
    A hidden cell (``None``) is never cited; a published value from 1 to 9 is refused as an error, since
    :func:`helper.counts.publish` never publishes one."""
    wanted = {(status_group(r), r["programme"]) for r in rows}
    out: list[Cited] = []
    used: list[Any] = []
    for g in groups:
        for (status, programme, outcome), n in g.cells.items():
            if outcome != "not_eligible" or (status, programme) not in wanted or n is None:
                continue
            if 1 <= n <= 9:
                raise PetitionError(N_("a count from 1 to 9 was given as published; only suppressed counts can "
                                       "be cited"))
            if n >= 10:
                out.append(Cited(g.municipality, g.quarter, status, programme, n))
                if g not in used:
                    used.append(g)
    return out, used


# ------------------------------------------------------------------------------------------------ building


def _p(style: str, bi: Any, values: Mapping[str, str] | None = None, **kw: Any) -> Paragraph:
    vals = dict(values or {})
    return Paragraph(style=style, ja=fill(bi.ja, vals), text=bi.text, values=vals, **kw)  # type: ignore[arg-type]


def _label(style: str, label: Any, value_ja: str, value_text: str, **kw: Any) -> Paragraph:
    return Paragraph(style=style, ja=value_ja, text="{value}", values={"value": value_text}, label_ja=label.ja,  # type: ignore[arg-type]
                     label=label.text, **kw)


def build_petition(
    kind: Kind,
    rows: Sequence[Mapping[str, Any]],
    *,
    place: str,
    to: str | None = None,
    groups: Iterable[Any] = (),
    submitter: Submitter | None = None,
    base: Any = None,
    date: dt.date | None = None,
) -> Letter:
    """The petition ``kind`` citing the gap-table ``rows`` (excluded cells) of the municipality ``place`` (its
    code), addressed to ``to`` (default: the kind's first preset), with the published counts of ``groups``.
    ``base`` (the rule base) gives the programmes' Japanese names, the sources' names and who decides."""
    if kind not in KINDS:
        raise PetitionError(N_("unknown petition kind {kind}: one of yobo, chinjo, seigan"), kind=str(kind))
    rows = [r for r in rows if r.get("outcome") == "not_eligible"]
    if not rows:
        raise PetitionError(N_("choose at least one exclusion (a gap) for the petition to cite"))
    if len({r["programme"] for r in rows}) > MAX_PROGRAMMES or len(rows) > MAX_GAPS:
        raise PetitionError(N_("more than {n} programmes or {m} gaps: a petition keeps to one subject; split it"),
                            n=str(MAX_PROGRAMMES), m=str(MAX_GAPS))
    t = template()
    k = t.kinds[kind]
    ph = t.phrases
    sub = submitter or Submitter()
    city = city_of(place)
    presets = addressees(kind, place)
    addressee = (to or "").strip() or presets[0]
    to_diet = addressee in DIET or "衆議院" in addressee or "参議院" in addressee
    day = date or dt.date.today()
    names = _programme_names(base)

    def prog(pid: str) -> str:
        return names.get(pid, pid)

    labels = list(dict.fromkeys(re.split(r" \(", str(r["label"]), maxsplit=1)[0] for r in rows))
    programmes = list(dict.fromkeys(str(r["programme"]) for r in rows))
    groups_ja = "・".join(labels)
    subject = fill(ph["subject"].ja, {"groups": groups_ja})
    title_ja = fill(k.title.ja, {"subject": subject})

    paras: list[Paragraph] = [
        _p("right", ph["date"], {"date": to_wareki(day)}),
        _p("addressee", ph["addressee"], {"addressee": addressee}),
        Paragraph(style="title", ja=title_ja, text=k.title.text, values={"subject": subject}),
        _p("sender_head", k.sender),
        _label("sender", ph["address"], sub.address or ph["blank"].ja, sub.address or ph["blank"].text),
        _label("sender", ph["name"], sub.name or ph["blank"].ja, sub.name or ph["blank"].text, signature=False),
        _label("sender", ph["contact"], sub.contact or ph["blank_contact"].ja,
               sub.contact or ph["blank_contact"].text),
    ]
    if kind == "seigan":
        if sub.introducers:
            for name in sub.introducers:
                paras.append(_label("sender", ph["introducer"], name, name))
        else:
            paras.append(_label("sender", ph["introducer"], ph["blank"].ja, ph["blank"].text))
        paras.append(_p("sender", ph["introducer_sign"]))
    paras.append(Paragraph(style="blank", ja=""))
    if kind != "seigan" and not to_diet:
        paras.append(_p("body", ph["courtesy_city"]))

    place_name = city.name
    paras.append(_p("heading", ph["purpose_head"], number="1"))
    paras.append(_p("detail", ph["purpose"], {
        "place": place_name, "groups": groups_ja, "programmes": "・".join(prog(p) for p in programmes),
        "verb": k.verb.ja}))
    # (the English gloss gets the English verb: a value the translation shows as the letter's own word)
    paras[-1] = paras[-1].model_copy(update={"values": {**paras[-1].values, "verb": k.verb.text}})

    paras.append(_p("heading", ph["reasons_head"], number="2"))
    n = 0
    for pid, members in _by_programme(rows).items():
        n += 1
        who = decider(members[0], base)
        decider_bi = ph.get(who or "")
        bases = "、".join(dict.fromkeys(basis(r, base) for r in members))
        gap_vals = {"status": "・".join(dict.fromkeys(str(r["label"]) for r in members)), "programme": prog(pid),
                    "basis": bases, "decider": decider_bi.ja if decider_bi else ""}
        gap_p = _p("item", ph["gap"], gap_vals, number=f"({n})")
        if decider_bi:
            gap_p = gap_p.model_copy(update={"values": {**gap_vals, "decider": decider_bi.text},
                                             "translate": ["decider"]})
        paras.append(gap_p)
        for mark, cited_std in _standards(members).items():
            bi = ph["argued"] if mark == "argued" else ph["breach"]
            paras.append(Paragraph(style="detail", ja=fill(bi.ja, {"standard": "、".join(j for j, _e in cited_std)}),
                                   text=bi.text, values={"standard": "; ".join(e for _j, e in cited_std)}))
    # A local petition cites the survey of its own place (its wards included); one to the Diet, every place's.
    local = [g for g in groups if to_diet or _same_city(g.municipality, city.code)]
    cited, used = cited_counts(rows, local)
    label_of = {(status_group(r), r["programme"]): str(r["label"]) for r in rows}
    if cited:
        n += 1
        first = True
        for c in cited:
            where = muni.get(c.municipality)
            area = where.name if where else c.municipality
            vals = {"area": area, "quarter": c.quarter, "status": label_of[(c.status, c.programme)],
                    "programme": prog(c.programme), "n": str(c.people)}
            para = _p("item" if first else "detail", ph["count"],
                      {**vals, "quarter": re.sub(r"^([0-9]{4})Q([1-4])$", r"\1年第\2四半期", c.quarter)},
                      number=f"({n})" if first else None)
            paras.append(para.model_copy(update={"values": vals}))  # the translation keeps 2026Q4
            first = False
        for g in used:
            if g.people is not None and g.people >= 10:
                paras.append(_p("detail", ph["count_total"], {"n": str(g.people)}))
            else:
                paras.append(_p("detail", ph["count_small"]))

    paras.append(_p("center", ph["ki"]))
    paras.append(_p("heading", k.items, number="3"))
    grouped: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        who = decider(r, base) or "national"
        grouped.setdefault((str(r["programme"]), "national" if who == "national" else "local"), []).append(
            str(r["label"]))
    for i, ((pid, level), statuses) in enumerate(grouped.items(), start=1):
        if level == "local":
            bi = ph["local_fix"]
        elif to_diet:
            bi = ph["national_diet"]
        elif kind == "yobo":
            bi = ph["national_mayor"]
        else:
            bi = ph["national_assembly"]
        paras.append(_p("item", bi, {"statuses": "・".join(dict.fromkeys(statuses)), "programme": prog(pid),
                                     "place": place_name}, number=f"({i})"))
    if kind == "yobo":
        paras.append(Paragraph(style="blank", ja=""))
        paras.append(_p("body", ph["reply"]))
    paras.append(_p("end", ph["end"]))

    assembly = "衆議院・参議院" if to_diet else assembly_of(place)
    pre = t.preamble
    document = {"document": k.document.ja}
    preamble = [
        _p("heading", pre["heading"]),
        Paragraph(style="body", ja=fill((pre["public_mayor"] if kind == "yobo" else pre["public_assembly"]).ja,
                                        document),
                  text=(pre["public_mayor"] if kind == "yobo" else pre["public_assembly"]).text,
                  values={"document": k.document.text}, translate=["document"]),
        _p("body", pre["blanks"]),
    ]
    if kind == "seigan":
        preamble.append(_p("body", pre["introducer"]))
    preamble += [_p("body", pre["one_subject"]), _p("body", pre["verify"], {"assembly": assembly})]
    if cited:
        preamble.append(_p("body", pre["counts"]))
    preamble.append(_p("body", pre["draft"]))

    sources = "；".join(f"{s.cite} {s.url}" for s in t.sources)
    guidance = [_p("body", t.guidance["copies"])]
    if kind != "yobo" and not to_diet:
        guidance.append(_p("body", t.guidance["opinion"]))
    guidance.append(_p("body", t.guidance["sources"], {"sources": sources}))
    refs = _references(rows)
    for url in refs:
        guidance.append(Paragraph(style="body", ja=url, text="{url}", values={"url": url}))

    warning = Message(text=(pre["public_mayor"] if kind == "yobo" else pre["public_assembly"]).text,
                      values={"document": k.document.text}, translate=["document"])
    return Letter(
        kind=f"petition_{kind}", title_ja=title_ja, title=k.title.text, date=day, date_ja=to_wareki(day),
        addressee=Addressee(name=addressee, preset=presets[0]), fields=[], paragraphs=paras, guidance=guidance,
        disclosures=[N_("the submitter's name, address and contact as you fill them in: they are made public")],
        withheld=[N_("any person's own case"), N_("any count under 10")], warnings=[warning], notices=[],
        legal_basis=k.legal_basis, template_as_of=t.as_of, preamble=preamble, max_pages=4,
    )


def _same_city(code: str, city: str) -> bool:
    try:
        return city_of(code).code == city
    except PetitionError:  # "unknown": rows without a municipality
        return False


def _by_programme(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """The chosen rows by programme, in the order chosen: one reason per programme, naming every status."""
    out: dict[str, list[Mapping[str, Any]]] = {}
    for r in rows:
        out.setdefault(str(r["programme"]), []).append(r)
    return out


def _standards(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """The standards of some rows, each once, by how the petition may cite them: ``breach`` (it falls short)
    or ``argued`` (an argument, e.g. the Refugee Convention for applicants). A standard argued for any of the
    rows is argued for all: the weaker claim is the one that holds for every status named."""
    marks: dict[tuple[str, str], str] = {}
    for r in rows:
        for std in r.get("standards") or []:
            name = standard_name(std)
            mark = "argued" if _get(std, "mark") == "argued" else "breach"
            if marks.get(name) != "argued":
                marks[name] = mark
    out: dict[str, list[tuple[str, str]]] = {}
    for name, mark in marks.items():
        out.setdefault(mark, []).append(name)
    return dict(sorted(out.items()))  # breach first, then argued


def _references(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The sources of the chosen gaps and of their standards, for the guidance sheet (a few per gap)."""
    out: list[str] = []
    for r in rows:
        for url in list(r.get("sources") or [])[:MAX_SOURCES_PER_GAP]:
            if url not in out:
                out.append(url)
        for std in r.get("standards") or []:
            url = _get(std, "source")
            if url and url not in out:
                out.append(str(url))
    return out


# ------------------------------------------------------------------------------------------------ counts CSV


MAX_COUNTS_BYTES = 64 * 1024 * 1024
_COUNT_COLUMNS = ["municipality", "quarter", "programme", "status", "outcome", "people"]


def read_counts(text: str) -> list[Any]:
    """The groups of a counts CSV as :func:`helper.counts.write_csv` writes it (``<10`` for a hidden count).
    Raises :class:`PetitionError` naming the line: a bad header, a bad number, or a published count from 1
    to 9 (such a file was not suppressed, and nothing of it is cited)."""
    import csv
    import io

    from .counts import ALL, HIDDEN, OUTCOMES, Group

    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = next(reader, None)
    if header is None or [h.strip() for h in header] != _COUNT_COLUMNS:
        raise PetitionError(N_("the counts file should start with the line {header}"),
                            header=",".join(_COUNT_COLUMNS))
    found: dict[tuple[str, str], dict[tuple[str, str, str], int | None]] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(_COUNT_COLUMNS):
            raise PetitionError(N_("counts file, line {line}: expected {n} cells"), line=str(number),
                                n=str(len(_COUNT_COLUMNS)))
        municipality, quarter, programme, status, outcome, people = (c.strip() for c in cells)
        if people == HIDDEN:
            value: int | None = None
        elif re.fullmatch(r"[0-9]{1,9}", people):
            value = int(people)
            if 1 <= value <= 9:
                raise PetitionError(N_("counts file, line {line}: a count from 1 to 9 is published; only "
                                       "suppressed counts can be cited"), line=str(number))
        else:
            raise PetitionError(N_("counts file, line {line}: the count should be a number or <10"),
                                line=str(number))
        if outcome != ALL and outcome not in OUTCOMES:
            raise PetitionError(N_("counts file, line {line}: unknown outcome"), line=str(number))
        found.setdefault((municipality, quarter), {})[(status, programme, outcome)] = value
    groups = []
    for (municipality, quarter), table in sorted(found.items()):
        statuses = tuple(sorted({s for s, _p, _o in table if s != ALL}))
        programmes = tuple(sorted({p for _s, p, _o in table}))
        shown = {(s, p, o): table.get((s, p, o)) for s in statuses for p in programmes for o in OUTCOMES}
        first = programmes[0] if programmes else ""
        groups.append(Group(
            municipality, quarter, statuses, programmes, shown,
            {s: table.get((s, first, ALL)) for s in statuses},
            {(p, o): table.get((ALL, p, o)) for p in programmes for o in OUTCOMES},
            table.get((ALL, first, ALL))))
    return groups
