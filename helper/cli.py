"""Command line: ``python -m helper evaluate|check|gaps|letter|petition`` (contract: docs/cli.md).

Exit status: 0 success; 1 the rules are broken or a rule test failed; 2 the input is invalid.
Nothing about a person is logged: errors name fields, never their values.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from . import cli_campaign, cli_staff
from . import municipality as muni
from .answers import AnswersError, read_answers
from .reading import escape
from .result import Advisory, Citation, Contact, MemberResult, Result
from .rules.loader import RulesInvalid, load_rules

MARK = {"eligible": "✔", "not_eligible": "✘", "uncertain": "?"}
WORD = {"eligible": "ELIGIBLE", "not_eligible": "NOT ELIGIBLE", "uncertain": "UNCERTAIN"}
RESULT_MARK = {"pass": "+", "fail": "-", "unknown": "?"}


def _rules(directory: str | None, *, for_check: bool = True) -> Any:
    try:
        return load_rules(directory, compile_all=for_check, include_tests=for_check, include_questions=for_check)
    except RulesInvalid as exc:
        if [p.field for p in exc.problems] == ["(directory)"]:  # --rules names no directory: invalid input
            print(f"error: rules: {exc.problems[0].message}", file=sys.stderr)
            raise SystemExit(2) from None
        for p in exc.problems:
            print(p, file=sys.stderr)
        raise SystemExit(1) from None


def _answers(path: str) -> Any:
    """The answers file, or None after one line on standard error naming the field (exit status 2)."""
    try:
        answers = read_answers(path)
        if answers.municipality and muni.get(answers.municipality) is None:
            raise AnswersError("municipality", f"unknown municipality code {answers.municipality}")
    except AnswersError as exc:
        print(f"error: invalid answers file: {exc.field}: {exc.message}", file=sys.stderr)
        return None
    return answers


def cmd_evaluate(args: argparse.Namespace, out: TextIO) -> int:
    from .engine import evaluate

    answers = _answers(args.file)
    if answers is None:
        return 2
    base = _rules(args.rules, for_check=False)
    try:
        result = evaluate(answers, base)
    except RulesInvalid as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        return 1
    if args.json:
        json.dump(result.to_json(), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        write_text(result, out)
    return 0


SEVERITY = {"urgent": "URGENT", "important": "IMPORTANT", "info": "NOTE"}
RELATION = {"spouse": "your spouse", "child": "your child", "parent": "your parent",
            "sibling": "your brother or sister",
            "other": "a member of your household", None: "a member of your household"}


def _cited(citations: list[Citation]) -> str:
    return ", ".join(f"{c.url} (verified {c.verified})" for c in citations)


def _who(member: MemberResult) -> str:
    who = RELATION.get(member.relation, RELATION[None])
    return f"{who} ({member.age})" if member.age is not None else who


def write_advisory(a: Advisory, out: TextIO, indent: str = "") -> None:
    out.write(f"{indent}!! {SEVERITY[a.severity]}: {a.title}\n")
    lead = a.if_ if a.applies == "maybe" else a.text
    out.write(f"{indent}   {lead}\n")
    out.write(f"{indent}   What to do: {a.do}\n")
    if a.contested:
        out.write(f"{indent}   Contested: {a.contested}\n")
    for c in a.contacts:
        details = _contact_details(c)
        out.write(f"{indent}   Who can help: {details}\n")
    out.write(f"{indent}   source: {_cited(a.citations)}\n")


def write_text(result: Result, out: TextIO) -> None:
    place = result.municipality
    where = f"{place.name} ({place.code})" if place.code else "no municipality given"
    out.write(f"Rules as of {result.as_of} for {where}\n")
    if place.note:
        out.write(f"  note: {place.note}\n")
    advisories = {a.id: a for a in result.advisories}
    first = [a for a in advisories.values()
             if not a.concerns or (a.severity == "urgent" and a.applies == "yes")]
    shown: set[str] = {a.id for a in first}
    if first:
        out.write("\nBefore anything else:\n")
        for a in first:
            write_advisory(a, out, "  ")
    for r in result.results:
        out.write(f"\n{MARK[r.outcome]} {r.title}: {WORD[r.outcome]}\n")
        for reason in r.reasons:
            out.write(f"    {RESULT_MARK[reason.result]} {reason.text}\n")
            out.write(f"      source: {_cited(reason.citations)}\n")
            for note in reason.notes or []:
                out.write(f"      note: {note}\n")
        if r.missing_facts:
            out.write(f"    would be settled by: {', '.join(r.missing_facts)}\n")
        for m in r.members or []:
            line = f"    for {_who(m)}: {MARK[m.outcome]} {WORD[m.outcome]}"
            if m.outcome != "not_eligible" and r.outcome != "eligible":
                line += " — they can get this in their own right"
            out.write(line + "\n")
            telling = [x for x in m.reasons if x.result != "pass"] or m.reasons[:1]
            for reason in telling:
                out.write(f"      {RESULT_MARK[reason.result]} {reason.text}\n")
        for aid in r.advisories:
            a = advisories[aid]
            if aid in shown:
                out.write(f"    !! see above: {a.title}\n")
            else:
                write_advisory(a, out, "    ")
                shown.add(aid)
        for step in r.next_steps:
            line = f"    next ({step.kind}): {step.if_ or step.text}"
            if step.ja:
                line += f"  「{step.ja}」"
            out.write(line + "\n")
            if step.contact is not None:
                details = _contact_details(step.contact)
                out.write(f"      at: {details}\n")
        for w in r.warnings:
            out.write(f"    warning: {w.if_ or w.text}\n")
        if r.alternatives:
            alts = ", ".join(f"{a.id} ({a.outcome})" for a in r.alternatives)
            out.write(f"    alternatives: {alts}\n")
    for sw in result.warnings:
        out.write(f"\nwarning: {sw.text}\n")


def _is_dir(path: str) -> bool:
    try:
        return Path(path).is_dir()  # False for a loop of links
    except OSError:
        return False


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from .letters.templates import check_letters
    from .ruletests import run_tests

    if args.letters and not _is_dir(args.letters):  # like --rules: no directory is invalid input
        print("error: letters: not a directory", file=sys.stderr)
        return 2
    # the letters first: their problems are printed even when the rules do not load
    letter_problems, n_templates = check_letters(Path(args.letters) if args.letters else None)
    for problem in letter_problems:
        print(problem, file=sys.stderr)
    base = _rules(args.rules)
    for w in base.warnings:
        print(f"{w} (warning)", file=out)
    report = run_tests(base)
    for failure in report.failures:
        print(failure, file=sys.stderr)
    for gap in report.coverage_gaps:
        print(gap, file=sys.stderr)
    from .rules.provenance import PRIMARY_SHARE_TARGET, primary_shares

    shares = primary_shares(base)
    for share in shares:
        print(share, file=out)
    reasons = shares[0]
    short = reasons.ratio < PRIMARY_SHARE_TARGET
    if short:
        print(f"the share of reasons backed by a primary source is below {PRIMARY_SHARE_TARGET:.0%}; "
              f"without one: {', '.join(reasons.unbacked)}", file=sys.stderr)
    n_conditions = len(base.conditions) + sum(len(layer.conditions) for layer, _ in base.layers.values())
    print(
        f"{len(base.files)} rule files, {len(base.programmes)} programmes, {n_conditions} conditions, "
        f"{len(base.parameters)} parameters, {len(base.sources)} sources; "
        f"{report.passed} test cases passed, {len(report.failures)} failed; "
        f"{len(report.coverage_gaps)} conditions lack a passing or failing case; {len(base.warnings)} warnings; "
        f"{n_templates} letter templates, {len(letter_problems)} letter problems",
        file=out,
    )
    return 1 if report.failures or report.coverage_gaps or short or letter_problems else 0


def cmd_letter(args: argparse.Namespace, out: TextIO) -> int:
    from . import letters
    from .letters.pdf import LetterTooLong

    if args.kind not in letters.kinds():
        print(f"error: kind: unknown letter {args.kind!r}; known: {', '.join(letters.kinds())}", file=sys.stderr)
        return 2

    target = Path(args.out)
    fmt = target.suffix.lower()
    if fmt not in (".pdf", ".docx"):
        print(f"error: out: the file name must end in .pdf or .docx: {escape(target.name)}", file=sys.stderr)
        return 2
    answers = _answers(args.file)
    if answers is None:
        return 2
    try:
        letter = letters.build_letter(args.kind, answers)
        if fmt == ".pdf":
            gettext = None
            if args.lang != "ja":
                from .i18n import LANGUAGES, translator

                if args.lang not in LANGUAGES:
                    print(f"error: lang: no translation for {args.lang!r}; one of {', '.join(LANGUAGES)}",
                          file=sys.stderr)
                    return 2
                gettext = translator(args.lang)
            data = letters.render_pdf(letter, args.lang, gettext)
        else:
            data = letters.render_docx(letter)
    except letters.MissingFacts as exc:
        print(f"error: the letter {args.kind} needs these facts: {', '.join(exc.fields)}", file=sys.stderr)
        return 2
    except letters.LetterInputError as exc:
        print(f"error: invalid answers file: {exc.field}: {exc.error.text()}", file=sys.stderr)
        return 2
    except LetterTooLong as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    tmp = target.with_name(f".{target.name}.partial")
    try:
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        print(f"error: out: cannot write {escape(str(target))}: {exc.strerror}", file=sys.stderr)
        return 2
    for w in letter.warnings:
        print(f"warning: {w.translated()}", file=sys.stderr)
    print(f"wrote {target} ({len(data):,} bytes)", file=out)
    return 0


def cmd_evaluate_batch(args: argparse.Namespace, out: TextIO) -> int:
    """Evaluate a survey file row by row: outcomes as CSV, and with --counts the suppressed counts."""
    from . import batch, counts, reading

    try:
        text = reading.read_path(args.file, batch.MAX_BATCH_BYTES, sys.stdin).decode("utf-8")
        rows = list(batch.read_rows(text, str(args.file)))
    except reading.ReadError as exc:
        print(f"error: survey file: {exc.message}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print("error: survey file: not valid UTF-8", file=sys.stderr)
        return 2
    except batch.BatchError as exc:
        print(f"error: survey file: {escape(str(exc))}", file=sys.stderr)
        return 2
    base = _rules(args.rules, for_check=False)
    if args.engine == "scalar":
        evaluated = list(batch.evaluate_rows(rows, base))
    else:  # the same outcomes, many rows at once (helper/vector)
        from .vector import evaluate_rows
        evaluated = evaluate_rows(rows, base)
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as f:
            valid, invalid = batch.write_outcomes(evaluated, f)
    else:
        valid, invalid = batch.write_outcomes(evaluated, out)
    if args.counts:
        with open(args.counts, "w", encoding="utf-8", newline="") as f:
            counts.write_csv(counts.publish(batch.records(evaluated)), f)
    bad = [(e.row.number, e.row.error) for e in evaluated if e.row.error is not None]
    for number, error in bad[:10]:
        print(f"row {number}: {error.field}: {error.message}", file=sys.stderr)
    if invalid:
        more = " (the first 10 above)" if invalid > 10 else ""
        print(f"{invalid} of {valid + invalid} rows invalid{more}; the others were evaluated", file=sys.stderr)
    return 1 if invalid else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m helper", description="kyosei-helper: social-support eligibility")
    sub = p.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="apply the rules to an answers file")
    ev.add_argument("file", help="answers file (JSON or YAML), or - for standard input")
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    ev.add_argument("--rules", help="rules directory (default: the bundled rules)")
    ev.set_defaults(func=cmd_evaluate)
    ch = sub.add_parser("check", help="validate every rule file and letter template, and run the rule test cases")
    ch.add_argument("--rules", help="rules directory (default: the bundled rules)")
    ch.add_argument("--letters", help="letters directory (default: the bundled letters/)")
    ch.set_defaults(func=cmd_check)
    cli_campaign.add_parser(sub)  # gaps: helper/cli_campaign.py
    bt = sub.add_parser("evaluate-batch", help="evaluate a survey file (CSV or JSON Lines), row by row")
    bt.add_argument("file", help="survey file: CSV with the answers file's dotted paths as columns, or JSON Lines")
    bt.add_argument("--out", help="write the outcomes CSV here (default: standard output)")
    bt.add_argument("--counts", help="also write counts by municipality, quarter, programme, status and outcome, "
                                     "every count from 1 to 9 and what would reveal one hidden (CSV)")
    bt.add_argument("--rules", help="rules directory (default: the bundled rules)")
    bt.add_argument("--engine", choices=("vector", "scalar"), default="vector",
                    help="vector (default): many rows at once; scalar: row by row (the same outcomes, slower)")
    bt.set_defaults(func=cmd_evaluate_batch)
    lt = sub.add_parser("letter", help="write a request letter in Japanese (PDF with a translation, or DOCX)")
    # The kind is checked when the command runs, so that other commands do not load the letter templates.
    lt.add_argument("kind", help="the letter to write, e.g. welfare_application")
    lt.add_argument("file", help="answers file (JSON or YAML), or - for standard input")
    lt.add_argument("--out", required=True, help="where to write it: a .pdf or .docx file")
    lt.add_argument("--lang", default="ja",
                    help="language of the translation printed after the Japanese letter (PDF only; default ja: none)")
    lt.set_defaults(func=cmd_letter)
    cli_staff.register(sub)
    from .cli_petition import add_parser as add_petition  # (its own module: the petition command)

    add_petition(sub)
    from .records.cli import add_parser as add_records  # consultation records' housekeeping (docs/records.md)

    add_records(sub)
    return p


def _contact_details(c: Contact) -> str:
    return " ".join(x for x in (c.name_ja or c.name, c.address, c.phone, c.hours) if x)


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run one command and return its exit status. The streams default to the process's own; tests pass
    their own to run the command line in-process (standard input for ``-``, errors to ``stderr``)."""
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    try:
        args = parser().parse_args(argv)
        return int(args.func(args, sys.stdout))
    except SystemExit as exc:  # a usage error (argparse) or broken rules: the status, as a process gives it
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    except BrokenPipeError:  # e.g. piped into head: not an error worth a traceback
        return 0
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
