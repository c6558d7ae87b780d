"""``python -m helper gaps``: the campaigners' table on the command line (contract: docs/cli.md).

One place's table (text, ``--json`` or ``--csv``), several places side by side (``--compare``), every
municipality for one status and programme (``--overview``), and what changed when (``--timeline``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any, TextIO

from . import municipality as muni
from . import strict_yaml
from .reading import escape

OUTCOME_MARK = {"eligible": "yes", "not_eligible": "NO", "uncertain": "?"}


def add_parser(sub: Any) -> None:
    gp = sub.add_parser("gaps", help="which statuses each programme excludes, on what basis")
    gp.add_argument("--municipality", help="JIS X 0402 code, e.g. 27100")
    gp.add_argument("--as-of", dest="as_of", help="date the rules are applied at (YYYY-MM-DD)")
    out = gp.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON object")
    out.add_argument("--csv", action="store_true", help="print CSV, one line per status and programme")
    gp.add_argument("--programme", action="append", metavar="ID",
                    help="only this programme (repeat for more; default: all, or welfare for --overview)")
    mode = gp.add_mutually_exclusive_group()
    mode.add_argument("--compare", nargs="+", metavar="CODE", help="compare two or more places side by side")
    mode.add_argument("--overview", metavar="STATUS",
                      help="every municipality for one status (its label or number in the table, e.g. 仮放免 or 23)")
    mode.add_argument("--timeline", action="store_true", help="what changed when in the rules for the place")
    gp.add_argument("--rules", help="rules directory (default: the bundled rules)")
    gp.set_defaults(func=cmd_gaps)


def _error(field: str, message: str) -> int:
    print(f"error: {field}: {message}", file=sys.stderr)
    return 2


def _date(text: str | None) -> dt.date:
    return strict_yaml.check_date(dt.date.fromisoformat(text)) if text else dt.date.today()


def _status(text: str) -> str | None:
    from .gaps import VARIANTS

    labels = [label for label, _, _ in VARIANTS]
    if text.isdigit() and 1 <= int(text) <= len(labels):
        return labels[int(text) - 1]
    return text if text in labels else None


def cmd_gaps(args: argparse.Namespace, out: TextIO) -> int:
    # Imported here: the other commands do not load the engine for the parser.
    from . import campaign
    from .cli import _rules
    from .gaps import VARIANTS, gap_table, write_gap_text

    codes = args.compare or ([args.municipality] if args.municipality else [])
    for code in codes:
        if muni.get(code) is None:
            return _error("municipality", f"unknown municipality code {escape(code)}")
    try:
        as_of = _date(args.as_of)
    except ValueError as exc:
        why = str(exc) if str(exc).startswith("dates") else f"not a date (YYYY-MM-DD): {escape(args.as_of)}"
        return _error("as-of", why)
    if args.compare is not None and len(args.compare) < 2:
        return _error("compare", "give two or more municipality codes")
    base = _rules(args.rules, for_check=False)
    programmes = args.programme
    unknown = [p for p in programmes or [] if p not in base.programmes]
    if unknown:
        return _error("programme", f"unknown programme {escape(unknown[0])}; one of {', '.join(base.programmes)}")
    if args.overview is not None:
        label = _status(args.overview)
        if label is None:
            return _error("overview", f"unknown status {escape(args.overview)}; give a label or a number from 1 to "
                                      f"{len(VARIANTS)} (the rows of the table)")
        if programmes and len(programmes) > 1:
            return _error("programme", "the overview is for one programme")
        ov = campaign.overview(base, label, (programmes or ["welfare"])[0], as_of)
        _write_overview(ov, out, args)
    elif args.timeline:
        tl = campaign.timeline(base, args.municipality, as_of, programmes)
        _write_timeline(tl, out, args)
    elif args.compare:
        cmp = campaign.compare(base, args.compare, as_of, programmes)
        _write_compare(cmp, out, args)
    else:
        table = gap_table(base, args.municipality, as_of, programmes)
        if args.json:
            _json(table, out)
        elif args.csv:
            campaign.write_csv([table], out)
        else:
            write_gap_text(table, out)
    return 0


def _json(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _place(p: dict[str, Any]) -> str:
    return f"{p['name']} ({p['code']})" if p["code"] else "national rules"


def _write_compare(cmp: dict[str, Any], out: TextIO, args: argparse.Namespace) -> None:
    if args.json:
        _json(cmp, out)
        return
    import csv

    places = cmp["places"]
    if args.csv:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["status", "programme", "programme_title", "differs",
                    *[f"{p['code']} {name}" for p in places for name in ("outcome", "basis", "decided_by")]])
        for r in cmp["rows"]:
            w.writerow([r["label"], r["programme"], r["programme_title"], "yes" if r["differs"] else "",
                        *[x for c in r["cells"] for x in (c["outcome"], c["basis"] or "",
                                                           (c["layer"] or {}).get("name", ""))]])
        return
    out.write(f"Comparison as of {cmp['as_of']}: {', '.join(_place(p) for p in places)}\n")
    out.write(f"{cmp['differences']} differences (marked *).\n\n")
    for r in cmp["rows"]:
        if not r["differs"] and not r["basis_differs"]:
            continue
        mark = "*" if r["differs"] else "~"
        cells = "; ".join(
            f"{p['name']}: {OUTCOME_MARK[c['outcome']]}"
            + (f" ({(c['layer'] or {}).get('name')}: {c['basis']})" if c["basis"] else "")
            for p, c in zip(places, r["cells"], strict=True))
        out.write(f"{mark} {r['label']} / {r['programme_title']}: {cells}\n")
    out.write("\n* the outcome differs; ~ same outcome, decided by different rules or layers.\n")


def _write_overview(ov: dict[str, Any], out: TextIO, args: argparse.Namespace) -> None:
    if args.json:
        _json(ov, out)
        return
    if args.csv:
        import csv

        w = csv.writer(out, lineterminator="\n")
        w.writerow(["municipality", "municipality_name", "prefecture", "outcome", "gap", "basis", "decided_by",
                    "decided_by_level"])
        for r in ov["rows"]:
            layer = r["layer"] or {}
            w.writerow([r["code"], r["name"], r["prefecture"], r["outcome"], "yes" if r["gap"] else "",
                        r["basis"] or "", layer.get("name", ""), layer.get("level", "")])
        return
    c = ov["counts"]
    out.write(f"{ov['label']} / {ov['programme_title']} ({ov['programme_title_ja']}), as of {ov['as_of']}: "
              f"{c['eligible']} municipalities open, {c['uncertain']} uncertain, {c['not_eligible']} closed.\n\n")
    names = {r["code"]: r["name"] for r in ov["rows"]}
    for g in ov["groups"]:
        shown = ", ".join(names[code] for code in g["codes"][:8])
        more = f" and {g['count'] - 8} more" if g["count"] > 8 else ""
        by = f", decided by {g['layer']}" if g["layer"] else ""
        out.write(f"{OUTCOME_MARK[g['outcome']]:>3} {g['count']:>5}{by}: {shown}{more}\n")


def _write_timeline(tl: dict[str, Any], out: TextIO, args: argparse.Namespace) -> None:
    if args.json:
        _json(tl, out)
        return
    if args.csv:
        import csv

        w = csv.DictWriter(out, fieldnames=["date", "kind", "status", "subject", "title", "value", "previous",
                                            "until", "layer_name", "sources"], lineterminator="\n")
        w.writeheader()
        for e in tl["entries"]:
            w.writerow({**{k: e[k] for k in w.fieldnames if k != "sources"},
                        "sources": "; ".join(f"{s['short'] or s['title']} (verified {s['verified']})"
                                             for s in e["sources"])})
        return
    out.write(f"What changed when, as of {tl['as_of']}\n\n")
    for e in tl["entries"]:
        what = e["title"] if len(e["title"]) <= 90 else e["title"][:89] + "…"
        value = f": {e['previous']} → {e['value']}" if e["previous"] and e["value"] else (
            f": {e['value']}" if e["value"] else "")
        if len(value) > 70:
            value = value[:69] + "…"
        out.write(f"{e['date']}  {e['status']:<9} {e['kind']:<8} {what}{value}\n")
    if tl["stale"]:
        out.write(f"\nNo value on {tl['as_of']} (stale): {', '.join(tl['stale'])}\n")

