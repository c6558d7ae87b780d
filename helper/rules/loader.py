"""Load every rule file, validate it, check references, and build a :class:`RuleBase`.

Problems are collected, not raised one at a time, and each names ``file:line: field: message``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import strict_yaml
from ..answers import FACT_KINDS, MEMBER_FIELD_KINDS
from ..reading import escape
from . import schema as s
from .compiler import CompileError, Origin
from .provenance import host_problem, standard_problem
from .tables import Table, read_table

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
NATIONAL = "00000"
STALE_AFTER_DAYS = 365


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        # File names, keys and messages may hold what a file held: never print raw control characters.
        return escape(f"{self.file}:{self.line or 1}: {self.field}: {self.message}")


class RulesInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class LoadedFile:
    path: Path
    display: str
    doc: strict_yaml.Document
    model: s.Model


@dataclass
class RuleBase:
    """All rule files of a directory, validated; compiled rule sets are built on demand."""

    directory: Path
    files: list[LoadedFile]
    programmes: dict[str, tuple[s.Programme, LoadedFile]] = field(default_factory=dict)
    conditions: dict[str, tuple[s.Condition, Origin]] = field(default_factory=dict)
    values: dict[str, tuple[s.Value, Origin]] = field(default_factory=dict)
    parameters: dict[str, tuple[s.Parameter, Origin]] = field(default_factory=dict)
    sources: dict[str, tuple[s.Source, Origin]] = field(default_factory=dict)
    standards: dict[str, tuple[s.Standard, Origin]] = field(default_factory=dict)
    not_a_gap_when: tuple[Any, Origin] | None = None  # the standards file's: where no standard is attached
    advisories: dict[str, tuple[s.Advisory, Origin]] = field(default_factory=dict)
    layers: dict[str, tuple[s.Layer, LoadedFile]] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)  # CSV tables of table parameters, by file
    tests: list[tuple[s.TestCase, Origin]] = field(default_factory=list)
    questions: tuple[s.Question, ...] = ()
    sections: tuple[s.Section, ...] = ()
    warnings: list[Problem] = field(default_factory=list)
    _rulesets: dict[tuple[str, ...], Any] = field(default_factory=dict)

    def file_of(self, name: str) -> LoadedFile:
        return next(f for f in self.files if f.display == name)

    def locate(self, origin: Origin, path: tuple[str | int, ...] = ()) -> tuple[str, int | None]:
        lf = self.file_of(origin.file)
        return origin.file, lf.doc.line_of(path or origin.path)

    def ruleset_for(self, municipality: str | None) -> Any:
        from .ruleset import build_ruleset, layer_chain

        chain = layer_chain(self, municipality)
        key = tuple(code for code, _ in chain)
        rs = self._rulesets.get(key)
        if rs is None:
            try:
                rs = self._rulesets[key] = build_ruleset(self, chain)
            except CompileError as exc:
                file, line = self.locate(exc.origin, exc.path)
                raise RulesInvalid([Problem(file, line, strict_yaml.format_path(exc.path), exc.message)]) from None
        return rs


def _pydantic_problems(exc: ValidationError, lf_display: str, doc: strict_yaml.Document) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        path = _data_path(doc.data, err["loc"])
        msg = err["msg"]
        on_key = "[key]" in err["loc"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
            on_key = True
        elif err["type"] == "missing":
            msg = f"required field '{err['loc'][-1]}' is missing"
        elif on_key:
            msg = f"id {msg[0].lower()}{msg[1:]}"
        problems.append(Problem(lf_display, doc.line_of(path, key=on_key), strict_yaml.format_path(path), msg))
    # One mistake inside a union often produces several errors at the same place: keep the first.
    seen: set[tuple[int | None, str]] = set()
    out = []
    for p in problems:
        if (p.line, p.field) not in seen:
            seen.add((p.line, p.field))
            out.append(p)
    return out


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Map a pydantic error location onto the path in the YAML data, dropping union tag names."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
    return tuple(path)


def _source_ids(refs: tuple[Any, ...]) -> list[tuple[int, str]]:
    return [(i, r if isinstance(r, str) else r.id) for i, r in enumerate(refs)]


def read_file(path: Path, display: str, skip_kinds: frozenset[str] = frozenset()) -> tuple[
        LoadedFile | None, list[Problem]]:
    try:
        doc = strict_yaml.read(path)
    except strict_yaml.YamlError as exc:
        return None, [Problem(display, exc.line, strict_yaml.format_path(exc.path), exc.message)]
    data = doc.data
    if not isinstance(data, dict):
        return None, [Problem(display, 1, "(top)", "a rule file is a mapping with schema_version and kind")]
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in s.FILE_KINDS:
        return None, [Problem(display, doc.line_of(("kind",)), "kind",
                              f"must be one of {', '.join(sorted(s.FILE_KINDS))}")]
    if kind in skip_kinds:
        return None, []
    version = data.get("schema_version")
    if type(version) is not int or version != 1:  # not True, not 1.0
        return None, [Problem(display, doc.line_of(("schema_version",)), "schema_version",
                              "unknown schema version (this program reads version 1)")]
    try:
        model = s.FILE_KINDS[kind].model_validate(data)
    except ValidationError as exc:
        return None, _pydantic_problems(exc, display, doc)
    return LoadedFile(path, display, doc, model), []


def load_rules(directory: Path | str | None = None, *, today: dt.date | None = None,
               compile_all: bool = True, include_tests: bool = True, include_questions: bool = True) -> RuleBase:
    """Load and check a rules directory. Raises :class:`RulesInvalid` listing every problem.

    With ``compile_all`` (the default, and what ``check`` uses) every layer's rule set is compiled
    now, so an error in any municipality's layer is found; without it, only the national rules
    are, and a municipality's rule set is compiled when first asked for. Without
    ``include_tests`` the test cases under ``tests/`` are not read, and without ``include_questions``
    the questionnaire is not (evaluation needs neither).
    """
    directory = Path(directory) if directory else RULES_DIR
    try:
        is_dir = directory.is_dir()
    except OSError:  # e.g. a name too long; a loop of links is simply not a directory
        is_dir = False
    if not is_dir:
        raise RulesInvalid([Problem(str(directory), None, "(directory)", "not a directory")])
    problems: list[Problem] = []
    files: list[LoadedFile] = []
    for path in sorted([*directory.rglob("*.yaml"), *directory.rglob("*.yml")]):
        if not include_tests and path.relative_to(directory).parts[0] == "tests":
            continue
        display = str(path)
        lf, errs = read_file(path, display, frozenset() if include_questions else frozenset({"questions"}))
        problems += errs
        if lf:
            files.append(lf)
    base = RuleBase(directory, files)
    problems += _register(base)
    if not problems:
        problems += _check_references(base)
    if not problems:
        problems += _load_tables(base)
    if not problems:
        from .ruleset import build_ruleset, layer_chain

        # Compile the national rules and every layer's chain, so errors in overrides surface now.
        chains = {(NATIONAL,)}
        if compile_all:
            chains |= {tuple(c for c, _ in layer_chain(base, code)) for code in base.layers}
        for key in sorted(chains):
            if key in base._rulesets:  # built already as the parent of a ward
                continue
            try:
                chain = layer_chain(base, key[-1] if key[-1] != NATIONAL else None)
                base._rulesets[key] = build_ruleset(base, chain)
            except CompileError as exc:
                file, line = base.locate(exc.origin, exc.path)
                problems.append(Problem(file, line, strict_yaml.format_path(exc.path), exc.message))
    errors = list(dict.fromkeys(p for p in problems if p.severity == "error"))  # once, not once per layer
    if errors:
        raise RulesInvalid(errors)
    base.warnings = _staleness(base, today or dt.date.today())
    return base


def _register(base: RuleBase) -> list[Problem]:
    problems: list[Problem] = []
    first_seen: dict[tuple[str, str], str] = {}

    def claim(kind: str, ident: str, lf: LoadedFile, path: tuple[str | int, ...]) -> bool:
        key = (kind, ident)
        line = lf.doc.line_of(path, key=True)
        if key in first_seen:
            problems.append(Problem(lf.display, line, strict_yaml.format_path(path),
                                    f"duplicate {kind} id '{ident}' (first in {first_seen[key]})"))
            return False
        first_seen[key] = f"{lf.display}:{line}"
        return True

    for lf in base.files:
        m = lf.model
        if isinstance(m, s.Programme):
            if claim("programme", m.id, lf, ("id",)):
                base.programmes[m.id] = (m, lf)
            for cid, cond in m.conditions.items():
                if claim("condition", cid, lf, ("conditions", cid)):
                    base.conditions[cid] = (cond, Origin(lf.display, ("conditions", cid)))
            for vid, val in m.values.items():
                if claim("value", vid, lf, ("values", vid)):
                    base.values[vid] = (val, Origin(lf.display, ("values", vid)))
            for i, g in enumerate(m.next_steps + m.warnings):
                sec = "next_steps" if i < len(m.next_steps) else "warnings"
                idx = i if i < len(m.next_steps) else i - len(m.next_steps)
                claim("guidance", g.id, lf, (sec, idx, "id"))
        elif isinstance(m, s.ValuesFile):
            for vid, val in m.values.items():
                if claim("value", vid, lf, ("values", vid)):
                    base.values[vid] = (val, Origin(lf.display, ("values", vid)))
        elif isinstance(m, s.ParametersFile):
            for pid, par in m.parameters.items():
                if claim("parameter", pid, lf, ("parameters", pid)):
                    base.parameters[pid] = (par, Origin(lf.display, ("parameters", pid)))
        elif isinstance(m, s.SourcesFile):
            for sid, src in m.sources.items():
                if claim("source", sid, lf, ("sources", sid)):
                    base.sources[sid] = (src, Origin(lf.display, ("sources", sid)))
        elif isinstance(m, s.StandardsFile):
            for sid, std in m.standards.items():
                if claim("standard", sid, lf, ("standards", sid)):
                    base.standards[sid] = (std, Origin(lf.display, ("standards", sid)))
            if m.not_a_gap_when is not None:
                base.not_a_gap_when = (m.not_a_gap_when, Origin(lf.display, ()))
        elif isinstance(m, s.AdvisoriesFile):
            for aid, adv in m.advisories.items():
                if claim("advisory", aid, lf, ("advisories", aid)):
                    base.advisories[aid] = (adv, Origin(lf.display, ("advisories", aid)))
        elif isinstance(m, s.Layer):
            if claim("layer", m.code, lf, ("code",)):
                base.layers[m.code] = (m, lf)
            for prog, items in m.guidance.items():
                for i, g in enumerate(items):
                    claim("guidance", g.id, lf, ("guidance", prog, i, "id"))
        elif isinstance(m, s.QuestionsFile):
            if base.questions:
                problems.append(Problem(lf.display, 1, "kind", "only one questions file is allowed"))
            base.questions, base.sections = m.questions, m.sections
            section_ids = {sec.id for sec in m.sections}
            for i, q in enumerate(m.questions):
                claim("question", q.fact, lf, ("questions", i, "fact"))
                if q.section not in section_ids:
                    problems.append(Problem(lf.display, lf.doc.line_of(("questions", i, "section")),
                                            f"questions[{i}].section", f"unknown section '{q.section}'"))
                if q.fact != "municipality" and q.fact not in fact_types():
                    problems.append(Problem(lf.display, lf.doc.line_of(("questions", i, "fact")),
                                            f"questions[{i}].fact", f"unknown fact '{q.fact}'"))
                if (q.widget == "choice") != bool(q.options):
                    problems.append(Problem(lf.display, lf.doc.line_of(("questions", i, "widget")),
                                            f"questions[{i}].options",
                                            "a choice needs options; only a choice has them"))
        elif isinstance(m, s.TestsFile):
            for i, case in enumerate(m.tests):
                claim("test name", case.name, lf, ("tests", i, "name"))
                base.tests.append((case, Origin(lf.display, ("tests", i))))
    if NATIONAL not in base.layers and not problems:
        problems.append(Problem(str(base.directory), None, "(layers)",
                                f"no national layer (kind: layer, code: '{NATIONAL}')"))
    return problems


def _check_references(base: RuleBase) -> list[Problem]:
    """Sources, standards, programmes, parameters, contacts and layer parents that do not exist."""
    from .. import municipality

    problems: list[Problem] = []

    def bad(lf: LoadedFile, path: tuple[str | int, ...], message: str, *, key: bool = False) -> None:
        line = lf.doc.line_of(path, key=key)
        problems.append(Problem(lf.display, line, strict_yaml.format_path(path), message))

    def sources(lf: LoadedFile, path: tuple[str | int, ...], refs: tuple[Any, ...]) -> None:
        for i, sid in _source_ids(refs):
            if sid not in base.sources:
                bad(lf, path + ("sources", i), f"unknown source '{sid}'")

    national_contacts = set(base.layers[NATIONAL][0].contacts) if NATIONAL in base.layers else set()

    def guidance(lf: LoadedFile, path: tuple[str | int, ...], g: s.Guidance) -> None:
        sources(lf, path, g.sources)
        if g.contact and g.contact not in national_contacts:
            bad(lf, path + ("contact",), f"unknown contact '{g.contact}' (declare it in the national layer)")

    def condition(lf: LoadedFile, path: tuple[str | int, ...], c: s.Condition) -> None:
        sources(lf, path, c.sources)
        for i, std in enumerate(c.standards):
            sid = std if isinstance(std, str) else std.id
            if sid not in base.standards:
                bad(lf, path + ("standards", i), f"unknown standard '{sid}'")

    by_file = {lf.display: lf for lf in base.files}
    for src, origin in base.sources.values():
        problem = host_problem(src)
        if problem:
            bad(by_file[origin.file], origin.path + ("url",), problem)
    for std, origin in base.standards.values():
        for key, problem in standard_problem(std):
            bad(by_file[origin.file], origin.path + (key,), problem)
    for c, origin in base.conditions.values():
        condition(by_file[origin.file], origin.path, c)
    for v, origin in base.values.values():
        sources(by_file[origin.file], origin.path, v.sources)
        if v.on_members and v.args:
            bad(by_file[origin.file], origin.path + ("on_members",), "a value with args cannot be on_members")
    for p, origin in base.parameters.values():
        sources(by_file[origin.file], origin.path, p.sources)
    for adv, origin in base.advisories.values():
        lf = by_file[origin.file]
        sources(lf, origin.path, adv.sources)
        for i, pid in enumerate(adv.concerns):
            if pid not in base.programmes:
                bad(lf, origin.path + ("concerns", i), f"unknown programme '{pid}'")
        for i, cid in enumerate(adv.help):
            if cid not in national_contacts:
                bad(lf, origin.path + ("help", i), f"unknown contact '{cid}' (declare it in the national layer)")
    for prog, lf in base.programmes.values():
        for sec in ("next_steps", "warnings"):
            for i, g in enumerate(getattr(prog, sec)):
                guidance(lf, (sec, i), g)
        for i, alt in enumerate(prog.alternatives):
            if alt not in base.programmes:
                bad(lf, ("alternatives", i), f"unknown programme '{alt}'")
    for code, (layer, lf) in base.layers.items():
        if code == NATIONAL:
            if layer.level != "national" or layer.parent is not None:
                bad(lf, ("level",), f"the layer {NATIONAL} is the national layer: level national, no parent")
            continue
        m = municipality.get(code)
        if m is None:
            bad(lf, ("code",), f"no municipality has the code {code}")
            continue
        if layer.level != m.level:
            bad(lf, ("level",), f"{m.full_name} ({code}) is a {m.level}, not a {layer.level}")
        if layer.parent is None:
            bad(lf, ("parent",), f"a {layer.level} layer needs a parent (national is {NATIONAL})")
        elif layer.parent not in base.layers:
            bad(lf, ("parent",), f"no layer has the code {layer.parent}")
        else:
            ancestors = [a.code for a in municipality.chain(code)[:-1] if a.code in base.layers] or [NATIONAL]
            if layer.parent != ancestors[-1]:
                bad(lf, ("parent",), f"the parent of {code} is {ancestors[-1]}, the nearest enclosing layer")
        for cid, c in layer.conditions.items():
            if cid not in base.conditions:
                bad(lf, ("conditions", cid), f"overrides unknown condition '{cid}'", key=True)
            condition(lf, ("conditions", cid), c)
        for pid, p in layer.parameters.items():
            if pid not in base.parameters:
                bad(lf, ("parameters", pid), f"overrides unknown parameter '{pid}'", key=True)
            sources(lf, ("parameters", pid), p.sources)
        for key, contact in layer.contacts.items():
            if code != NATIONAL and key not in national_contacts:
                bad(lf, ("contacts", key), f"unknown contact '{key}' (declare it in the national layer)", key=True)
            sources(lf, ("contacts", key), contact.sources)
            if contact.local is not None:
                if code != NATIONAL:
                    bad(lf, ("contacts", key, "local"), "only a national counter is named from the municipality")
                sources(lf, ("contacts", key, "local"), contact.local.sources)
        for prog, items in layer.guidance.items():
            if prog not in base.programmes:
                bad(lf, ("guidance", prog), f"unknown programme '{prog}'", key=True)
            for i, g in enumerate(items):
                guidance(lf, ("guidance", prog, i), g)
    for case, origin in base.tests:
        lf = by_file[origin.file]
        for section in ("expect", "reasons_include", "missing_include"):
            for pid in getattr(case, section):
                if pid not in base.programmes:
                    bad(lf, origin.path + (section, pid), f"unknown programme '{pid}'", key=True)
        for cid in case.conditions:
            if cid not in base.conditions:
                bad(lf, origin.path + ("conditions", cid), f"unknown condition '{cid}'", key=True)
    for p, origin in base.parameters.values():
        problems += _check_dated(by_file[origin.file], origin.path, p.values, p.type)
    for layer, lf in base.layers.values():
        for pid, p in layer.parameters.items():
            if pid in base.parameters:
                problems += _check_dated(lf, ("parameters", pid), p.values, base.parameters[pid][0].type)
    return problems


def _load_tables(base: RuleBase) -> list[Problem]:
    """Read the CSV file of every dated value of a table parameter (national or a layer's), checked
    against the columns the parameter declares; a problem names the CSV file, line and column."""
    problems: list[Problem] = []
    entries = [(p, p.values) for p, _ in base.parameters.values()]
    entries += [(base.parameters[pid][0], o.values) for layer, _ in base.layers.values()
                for pid, o in layer.parameters.items()]
    for param, values in entries:
        for v in values:
            if v.file is None or v.file in base.tables:
                continue
            path = base.directory / v.file
            table, errs = read_table(path, str(path), param.keys, param.columns)
            problems += [Problem(str(path), e.line, e.field, e.message) for e in errs]
            if table is not None:
                base.tables[v.file] = table
    return problems


_TYPE_CHECK = {
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "yen": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
    "ratio": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 10,
    "text": lambda v: isinstance(v, str),
    "codes": lambda v: isinstance(v, tuple) and all(isinstance(x, str) for x in v),
    "numbers": lambda v: isinstance(v, tuple) and all(isinstance(x, int) and not isinstance(x, bool) for x in v),
    "brackets": lambda v: isinstance(v, tuple) and all(isinstance(x, s.Bracket) for x in v),
    "boolean": lambda v: isinstance(v, bool),
    "table": lambda v: False,  # a table's values are files
}


def _check_dated(lf: LoadedFile, path: tuple[str | int, ...], values: tuple[s.DatedValue, ...],
                 ptype: str) -> list[Problem]:
    """Values must match the parameter's type, be in date order, and not overlap."""
    problems = []
    previous: s.DatedValue | None = None
    for i, v in enumerate(values):
        here = path + ("values", i)
        if v.value is not None and not _TYPE_CHECK[ptype](v.value):
            problems.append(Problem(lf.display, lf.doc.line_of(here + ("value",)),
                                    strict_yaml.format_path(here + ("value",)),
                                    "a table's values are CSV files (file:)" if ptype == "table"
                                    else f"expected a value of type {ptype}"))
        if v.file is not None and ptype != "table":
            problems.append(Problem(lf.display, lf.doc.line_of(here + ("file",)),
                                    strict_yaml.format_path(here + ("file",)), f"a {ptype} parameter has no file"))
        if v.until is not None and v.until < v.from_:
            problems.append(Problem(lf.display, lf.doc.line_of(here + ("until",)),
                                    strict_yaml.format_path(here + ("until",)), "until is before from"))
        if previous is not None:
            if v.from_ <= previous.from_:
                problems.append(Problem(lf.display, lf.doc.line_of(here + ("from",)),
                                        strict_yaml.format_path(here + ("from",)), "values must be in date order"))
            elif previous.until is not None and v.from_ <= previous.until:
                problems.append(Problem(lf.display, lf.doc.line_of(here + ("from",)),
                                        strict_yaml.format_path(here + ("from",)), "overlaps the previous value"))
        previous = v
    return problems


def _staleness(base: RuleBase, today: dt.date) -> list[Problem]:
    """Sources not verified for over a year, and parameters with no value today."""
    out = []
    for sid, (src, origin) in base.sources.items():
        age = (today - src.verified).days
        if age > STALE_AFTER_DAYS:
            file, line = base.locate(origin, origin.path + ("verified",))
            out.append(Problem(file, line, f"sources.{sid}.verified",
                               f"last verified {src.verified.isoformat()}, {age} days ago", "warning"))
    params = [(pid, p.values, origin) for pid, (p, origin) in base.parameters.items()]
    for layer, lf in base.layers.values():
        params += [(pid, p.values, Origin(lf.display, ("parameters", pid))) for pid, p in layer.parameters.items()]
    for pid, values, origin in params:
        if not any(v.from_ <= today and (v.until is None or today <= v.until) for v in values):
            file, line = base.locate(origin)
            out.append(Problem(file, line, strict_yaml.format_path(origin.path),
                               f"parameter '{pid}' has no value on {today.isoformat()}", "warning"))
    return out


FACT_TYPES: dict[str, str] = {}
ITEM_TYPES: dict[str, str] = {}


def _compiler_type(kind: str) -> str:
    from .compiler import BOOL, NUM, RECORDS, TEXT

    return {"bool": BOOL, "number": NUM, "text": TEXT, "records": RECORDS}[kind]


def fact_types() -> dict[str, str]:
    """Type of each fact an expression may read, from the answers models."""
    if not FACT_TYPES:
        FACT_TYPES.update({name: _compiler_type(kind) for name, kind in FACT_KINDS.items()})
    return FACT_TYPES


def item_types() -> dict[str, str]:
    """Type of each field of a member record (``relation`` is ``self`` for the one assessed)."""
    if not ITEM_TYPES:
        from .compiler import NUM

        ITEM_TYPES.update({name: _compiler_type(kind) for name, kind in MEMBER_FIELD_KINDS.items()})
        ITEM_TYPES["member"] = NUM  # 0 for the person of the answers, 1… for the members in order
    return ITEM_TYPES
