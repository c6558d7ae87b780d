"""``python -m helper petition``: a 要望書, 陳情書 or 請願書 citing the gap table (and published counts), as PDF
or DOCX (docs/cli.md). Registered by :func:`add_parser` from :mod:`helper.cli`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any, TextIO

from . import municipality as muni
from . import strict_yaml
from .reading import escape


def add_parser(sub: Any) -> None:
    pt = sub.add_parser("petition", help="write a petition (要望書, 陳情書 or 請願書) citing the gap table")
    pt.add_argument("--kind", required=True, choices=["yobo", "chinjo", "seigan"],
                    help="yobo: 要望書 to the mayor; chinjo: 陳情書 to the assembly chair; seigan: 請願書 (紹介議員)")
    pt.add_argument("--place", required=True, help="municipality code, e.g. 27100")
    pt.add_argument("--to", help="addressee as printed (default: the mayor or the assembly chair of the place)")
    pt.add_argument("--gap", action="append", default=[], metavar="STATUS:PROGRAMME",
                    help="an exclusion to cite, e.g. provisional_release:nhi (repeat; default: every exclusion "
                         "with a standard)")
    pt.add_argument("--counts", help="counts CSV written by evaluate-batch --counts (only published counts are cited)")
    pt.add_argument("--as-of", dest="as_of", help="date of the rules and of the petition (YYYY-MM-DD; default today)")
    pt.add_argument("--name", default="", help="submitter (or organisation and representative); default: a blank")
    pt.add_argument("--address", default="", help="submitter's address; default: a blank")
    pt.add_argument("--contact", default="", help="phone or e-mail; default: a blank")
    pt.add_argument("--introducer", action="append", default=[], help="紹介議員 (請願書; default: a blank)")
    pt.add_argument("--format", choices=["pdf", "docx"], help="default: from the extension of --out")
    pt.add_argument("--lang", default="ja", help="language of the translation printed in the PDF (default ja: none)")
    pt.add_argument("--out", required=True, help="where to write it")
    pt.add_argument("--rules", help="rules directory (default: the bundled rules)")
    pt.set_defaults(func=cmd_petition)


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_petition(args: argparse.Namespace, out: TextIO) -> int:
    from . import petition, reading
    from .cli import _rules
    from .gaps import gap_table
    from .letters import render_docx, render_pdf
    from .letters.pdf import LetterTooLong

    if muni.get(args.place) is None:
        return _error(f"place: unknown municipality code {escape(args.place)}")
    try:
        as_of = strict_yaml.check_date(dt.date.fromisoformat(args.as_of)) if args.as_of else dt.date.today()
    except ValueError:
        return _error(f"as-of: not a date (YYYY-MM-DD): {escape(args.as_of)}")
    target = Path(args.out)
    fmt = args.format or target.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "docx"):
        return _error(f"out: give --format pdf|docx or a file name ending in .pdf or .docx: {escape(target.name)}")
    gettext = None
    if args.lang != "ja":
        from .i18n import LANGUAGES, translator

        if args.lang not in LANGUAGES:
            return _error(f"lang: no translation for {escape(args.lang)}; one of {', '.join(LANGUAGES)}")
        gettext = translator(args.lang)
    groups: list[Any] = []
    try:
        if args.counts:
            try:
                raw = reading.read_path(args.counts, petition.MAX_COUNTS_BYTES, sys.stdin)
                groups = petition.read_counts(raw.decode("utf-8"))
            except reading.ReadError as exc:
                return _error(f"counts: {exc.message}")
            except UnicodeDecodeError:
                return _error("counts: not valid UTF-8")
        base = _rules(args.rules, for_check=False)
        table = gap_table(base, args.place, as_of)
        rows = petition.choose(table["rows"], args.gap)
        submitter = petition.Submitter(args.name.strip(), args.address.strip(), args.contact.strip(),
                                       tuple(x.strip() for x in args.introducer if x.strip()))
        letter = petition.build_petition(args.kind, rows, place=args.place, to=args.to, groups=groups,
                                         submitter=submitter, base=base, date=as_of)
        data = render_pdf(letter, args.lang, gettext) if fmt == "pdf" else render_docx(letter)
    except petition.PetitionError as exc:
        return _error(escape(exc.text()))
    except LetterTooLong as exc:
        return _error(f"{exc}: cite fewer gaps")
    tmp = target.with_name(f".{target.name}.partial")
    try:
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        return _error(f"out: cannot write {escape(str(target))}: {exc.strerror}")
    for w in letter.warnings:
        print(f"warning: {w.translated()}", file=sys.stderr)
    print(f"wrote {target} ({len(data):,} bytes)", file=out)
    return 0
