"""Build a letter from an answers file: ``build_letter(kind, answers, overrides) -> Letter``.

Every value passes its field's check (helper/validators.py) before it is printed; a letter that needs a fact
that is missing raises :class:`MissingFacts` naming every missing field. Only what the request needs is
printed: a template declares the fields it uses, and a letter for a service that does not depend on the
residence status cannot use a status field (checked when the template is loaded).

This module is the generic machinery (reading and checking the answers, conditions, paragraphs, addressee,
notices). The values of each kind beyond its fields are computed by the small functions of
:mod:`helper.letters.derived` that its template names under ``derived:``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from .. import municipality as muni
from .. import validators as v
from ..answers import Answers
from ..result import Result
from . import derived
from . import templates as tpl
from .model import N_, Addressee, ChoiceOption, Letter, LetterField, Message, Paragraph
from .text import MissingValue, fill, placeholders
from .values import V, choice, city_of, lit, yen
from .values import date as date_value
from .values import is_japanese_national as _is_japanese_national
from .wareki import to_wareki

_MAYBE = N_("if this applies to you")


class LetterError(ValueError):
    """Base class of the errors a caller can show to the person."""


class UnknownKind(LetterError):
    def __init__(self, kind: str) -> None:
        super().__init__(f"unknown letter kind {kind!r}; known: {', '.join(tpl.kinds())}")
        self.kind = kind


class MissingFacts(LetterError):
    """The letter needs facts that the answers do not give. ``fields`` names them (answers paths)."""

    def __init__(self, fields: list[str]) -> None:
        super().__init__("missing: " + ", ".join(fields))
        self.fields = fields


class LetterInputError(LetterError):
    """A value that cannot go into the letter. ``message`` is an English msgid filled from ``params``."""

    def __init__(self, field_id: str, error: v.FieldError | str) -> None:
        err = error if isinstance(error, v.FieldError) else v.FieldError(error)
        super().__init__(f"{field_id}: {err.text()}")
        self.field = field_id
        self.message = err.message
        self.params = err.params
        self.error = err


class Contradiction(LetterInputError):
    """The answers contradict the letter kind: written as it stands, the letter would state something false.
    ``field`` is the answer to look at; ``message`` (a msgid filled from ``params``) says why and what to do."""


class TemplateBug(RuntimeError):
    """A template refers to a value the builder does not provide (a bug, never the user's fault)."""


# --------------------------------------------------------------------------------------------- fields


@dataclass(frozen=True)
class FieldSpec:
    """An editable field of a letter kind, with its validator (:meth:`validate`)."""

    id: str  # answers path; "letter.members.*.name" for every household member
    label_ja: str
    label: str  # msgid
    check: str
    required: bool = False  # always needed (some fields are needed only in some cases: see MissingFacts)
    max_length: int | None = None
    multiline: bool = False
    max_lines: int | None = None
    choices: tuple[ChoiceOption, ...] | None = None
    discloses: str | None = None
    japanese: bool = False
    minimum: int | None = None
    maximum: int | None = None
    max_items: int | None = None
    default: bool | None = None  # for flags: the value the letter assumes when nothing is given
    fact: bool = False  # a flag that states a fact: yes, no or not answered (never a checkbox)

    def validate(self, value: Any, *, today: dt.date | None = None) -> Any:
        """The normalised value, or :class:`helper.validators.FieldError`."""
        c = self.check
        if c == "name":
            return v.name(value, max_length=self.max_length or 100)
        if c == "kana":
            return v.kana(value, max_length=self.max_length or 100)
        if c == "text":
            return v.text(value, max_length=self.max_length or 200, multiline=self.multiline,
                          max_lines=self.max_lines or 12)
        if c == "postal_code":
            return v.postal_code(value)
        if c == "phone":
            return v.phone(value)
        if c == "date":
            return v.date(value, earliest=dt.date(1900, 1, 1), latest=dt.date(2100, 12, 31))
        if c == "birth_date":
            return v.birth_date(value, today=today)
        if c == "residence_card":
            return v.residence_card_number(value)
        if c == "individual_number":
            return v.individual_number(value)
        if c == "yen":
            return v.yen(value)
        if c == "flag":
            return v.flag(value)
        if c == "year":
            return v.year(value)
        if c == "count":
            return v.whole_number(value, minimum=self.minimum if self.minimum is not None else 0,
                                  maximum=self.maximum if self.maximum is not None else 99)
        if c == "choice":
            codes = {o.code for o in self.choices or ()}
            if not isinstance(value, str) or value.strip() not in codes:
                raise v.FieldError(N_("is not one of the choices"))
            return value.strip()
        if c == "choices":
            items = [x.strip() for x in value.split(",")] if isinstance(value, str) else value
            if not isinstance(items, list | tuple):
                raise v.FieldError(N_("expected a list of choices"))
            codes = {o.code for o in self.choices or ()}
            out: list[str] = []
            for item in items:
                if not isinstance(item, str) or item not in codes:
                    raise v.FieldError(N_("is not one of the choices"))
                if item in out:
                    raise v.FieldError(N_("lists an item twice"))
                out.append(item)
            return out
        if c == "text_list":
            items = [x for x in value.split("\n")] if isinstance(value, str) else value
            if not isinstance(items, list | tuple):
                raise v.FieldError(N_("expected a list"))
            cleaned = [v.text(x, max_length=self.max_length or 60) for x in items if str(x).strip()]
            if len(cleaned) > (self.max_items or 4):
                raise v.FieldError(N_("has more than {max} items"), max=self.max_items or 4)
            return cleaned
        if c == "municipality":
            if isinstance(value, int) and not isinstance(value, bool):
                value = f"{value:05d}"
            if not isinstance(value, str) or not re.fullmatch(r"[0-9]{5}", value.strip()) or muni.get(
                    value.strip()) is None:
                raise v.FieldError(N_("is not a known municipality code"))
            return value.strip()
        raise TemplateBug(f"unknown check {c}")  # pragma: no cover - the schema lists the checks


def _spec(fid: str, fdef: tpl.FieldDef, required: bool = False) -> FieldSpec:
    choices = None
    if fdef.choices:
        table = tpl.vocabulary()[fdef.choices]
        choices = tuple(ChoiceOption(code=code, ja=c.ja, text=c.text) for code, c in table.items())
    return FieldSpec(
        id=fid, label_ja=fdef.label.ja, label=fdef.label.text, check=fdef.check, required=required,
        max_length=fdef.max_length, multiline=fdef.multiline, max_lines=fdef.max_lines, choices=choices,
        discloses=fdef.discloses.text if fdef.discloses else None, japanese=fdef.japanese, minimum=fdef.minimum,
        maximum=fdef.maximum,
        max_items=fdef.max_items, default=fdef.default, fact=fdef.fact,
    )


def _template(kind: str) -> tpl.Template:
    try:
        return tpl.template(kind)
    except KeyError:
        raise UnknownKind(kind) from None


def _member_ids(t: tpl.Template) -> list[str]:
    return [tpl.MEMBER_PREFIX + f for f in t.member_fields] if "letter.members" in t.uses else []


def editable_fields(kind: str) -> list[FieldSpec]:
    """The fields of a letter kind that the review screen may edit, in order, each with its validator.

    Household members appear as ``letter.members.*.<field>``; pass ``letter.members.0.name`` etc. to
    :func:`build_letter` and :func:`validate_field`.
    """
    t = _template(kind)
    cat = tpl.field_catalogue()
    always = {r.field for r in t.required if r.field and r.when is None}
    out = [_spec(fid, cat[fid], fid in always) for fid in t.uses if fid != "letter.members"]
    if t.attachment_choices is not None:
        out = [s if s.id != "letter.attachments" else FieldSpec(**{
            **s.__dict__, "choices": tuple(c for c in s.choices or () if c.code in t.attachment_choices)})
            for s in out]
    out += [_spec(fid, cat[fid]) for fid in _member_ids(t)]
    return out


def field_spec(kind: str, field_id: str) -> FieldSpec:
    """The spec of one field of a letter kind (``letter.members.2.name`` resolves to the member field)."""
    generic = re.sub(r"^letter\.members\.[0-9]+\.", tpl.MEMBER_PREFIX, field_id)
    for spec in editable_fields(kind):
        if spec.id == generic:
            return spec
    raise LetterInputError(field_id, N_("is not a field of this letter"))


def validate_field(kind: str, field_id: str, value: Any) -> Any:
    """Validate one value as the letter would; raises :class:`LetterInputError`."""
    spec = field_spec(kind, field_id)
    try:
        return spec.validate(value)
    except v.FieldError as exc:
        raise LetterInputError(field_id, exc) from None


# --------------------------------------------------------------------------------------------- values


def _get(data: Any, path: str) -> Any:
    cur = data
    for part in path.split("."):
        if cur is None:
            return None
        if isinstance(cur, list):
            idx = int(part)
            cur = cur[idx] if idx < len(cur) else None
        else:
            cur = getattr(cur, part, None)
    return cur


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != []


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _default_rules() -> Any:
    from ..rules.loader import RulesInvalid, load_rules

    try:
        return load_rules(compile_all=False, include_tests=False)
    except RulesInvalid:  # pragma: no cover - the rule tests catch this; letters still work without counters
        return None


# --------------------------------------------------------------------------------------------- build


def _apply_overrides(kind: str, answers: Answers, overrides: dict[str, Any], today: dt.date) -> Answers:
    data = answers.model_dump(mode="python", exclude_none=True)
    for fid, raw in overrides.items():
        spec = field_spec(kind, fid)
        if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
            value = None
        else:
            try:
                value = spec.validate(raw, today=today)
            except v.FieldError as exc:
                raise LetterInputError(fid, exc) from None
        parts = fid.split(".")
        cur: Any = data
        for i, part in enumerate(parts[:-1]):
            nxt = parts[i + 1]
            if isinstance(cur, list):
                idx = int(part)
                while len(cur) <= idx:
                    cur.append({})
                cur = cur[idx]
                continue
            if part not in cur or cur[part] is None:
                cur[part] = [] if nxt.isdigit() else {}
            cur = cur[part]
        last = parts[-1]
        if value is None:
            if isinstance(cur, dict):
                cur.pop(last, None)
        else:
            cur[last] = value
    try:
        return Answers.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in err["loc"]) or "(top)"
        raise LetterInputError(loc, err["msg"].removeprefix("Value error, ")) from None


class _Builder:
    def __init__(self, t: tpl.Template, answers: Answers, rules: Any, today: dt.date) -> None:
        self.t = t
        self.a = answers
        self.rules = rules
        self.today = today
        self.cat = tpl.field_catalogue()
        self.values: dict[str, Any] = {}  # field id -> normalised value (validated)
        self.ctx: dict[str, Any] = {}  # placeholder / condition name -> V, bool or list
        self.printed: set[str] = set()
        self.members: list[dict[str, Any]] = []
        self._result: Result | None = None

    # -- reading and checking the answers

    def read(self) -> None:
        specs = {s.id: s for s in editable_fields(self.t.id)}
        for fid in self.t.uses:
            if fid == "letter.members":
                continue
            raw = _get(self.a, fid)
            if fid == "letter.attachments" and raw and self.t.attachment_choices is not None:
                # the answers file may list documents for other letters too: keep this letter's
                offered = set(self.t.attachment_choices)
                raw = [x for x in raw if x in offered]
            if not _present(raw):
                continue
            try:
                self.values[fid] = specs[fid].validate(raw, today=self.today)
            except v.FieldError as exc:
                raise LetterInputError(fid, exc) from None
        if "letter.members" in self.t.uses:
            for i, m in enumerate(_get(self.a, "letter.members") or []):
                row: dict[str, Any] = {}
                for sub in self.t.member_fields:
                    raw = getattr(m, sub, None)
                    if not _present(raw):
                        continue
                    try:
                        row[sub] = specs[tpl.MEMBER_PREFIX + sub].validate(raw, today=self.today)
                    except v.FieldError as exc:
                        raise LetterInputError(f"letter.members.{i}.{sub}", exc) from None
                self.members.append(row)

    # -- the context: every value a template can print or test

    def context(self) -> None:
        """The names a template can print or test: its fields' values, ``always``, ``date``, then the
        values of the derived functions it names (:mod:`helper.letters.derived`)."""
        c = self.ctx
        c["always"] = True
        for fid, value in self.values.items():
            fdef = self.cat[fid]
            if fdef.check == "flag":
                c[fid] = value
            elif fdef.check in ("date", "birth_date"):
                c[fid] = date_value(value, fid)
            elif fdef.check == "yen":
                c[fid] = yen(value, fid)
            elif fdef.check in ("year", "count"):
                c[fid] = lit(str(value), fid)
            elif fdef.check == "choice":
                c[fid] = self.choice(fdef.choices or "", value, fid)
            elif fdef.check == "choices":
                c[fid] = [self.choice(fdef.choices or "", x, fid) for x in value]
            elif fdef.check == "text_list":
                c[fid] = [lit(x, fid) for x in value]
            elif fdef.check == "municipality":
                m = muni.get(value)
                c[fid] = lit(m.name if m else value, fid)
            else:
                c[fid] = lit(value, fid)
        day = self.values.get("letter.date") or self.a.as_of or self.today
        self.day = day
        c["date"] = date_value(day, "letter.date")
        derived.run(self, self.t.derived)

    def refusals(self) -> None:
        """Raise :class:`Contradiction` for the first ``refuse`` entry whose condition holds."""
        for r in self.t.refuse:
            if self.cond(r.when, record=False):
                params = {k: self.ctx[k].text for k in placeholders(r.text) if isinstance(self.ctx.get(k), V)}
                missing = placeholders(r.text) - set(params)
                if missing:
                    raise TemplateBug(f"{self.t.id}: refusal {r.text[:30]!r} needs {sorted(missing)}")
                raise Contradiction(r.field, v.FieldError(r.text, **params))

    def choice(self, table: str, code: str, *sources: str) -> V:
        """A coded answer as printed (its Japanese may name the card: ``{card_name}``)."""
        extra = {}
        if "card_name" in self.ctx:
            extra["card_name"] = self.ctx["card_name"].ja
        return choice(table, code, *sources, fill_ja=extra)

    def evaluation(self) -> Result | None:
        """What the rules say for these answers (once per letter), or None without rules."""
        if self._result is None and self.rules is not None:
            from ..engine import evaluate

            try:
                self._result = evaluate(self.a, self.rules, today=self.today)
            except Exception:  # noqa: BLE001 - a broken rule must not stop a letter; what it adds is advice
                self._result = None
        return self._result

    def advisories(self) -> list[Paragraph]:
        """The immigration advisories that concern this letter's programme, for the guidance printed with it."""
        result = self.evaluation() if self.t.programme else None
        if result is None:
            return []
        from ..i18n import translator

        ja = translator("ja")
        out = []
        for a in result.advisories:
            if self.t.programme not in a.concerns:
                continue
            for text in ((a.if_ or a.text) if a.applies == "maybe" else a.text, a.do):
                out.append(Paragraph(style="body", ja=ja(text), text=text, values={}))
        return out

    def notices(self, warnings: list[Message]) -> list[Paragraph]:
        """The warnings that concern this letter, for the paper (guidance sheet and translation), not only the
        screen: the letter's own warnings, the rules' warnings for its programme ("maybe" ones in their
        conditional form), and, when the rules say the office will probably refuse, the other help to ask about."""
        from ..i18n import translator

        ja = translator("ja")
        out = []
        for w in warnings:
            # the Japanese sheet gets the values as the letter prints them (令和7年, 80,000円)
            ja_values = {k: self.ctx[k].ja for k in w.values if isinstance(self.ctx.get(k), V)}
            try:
                ja_text = fill(ja(w.text), {**w.values, **ja_values})
            except MissingValue:
                ja_text = w.translated(ja)
            out.append(Paragraph(style="body", ja=ja_text, text=w.text, values=w.values, translate=w.translate))
        result = self.evaluation() if self.t.programme else None
        mine = result.programme(self.t.programme) if result is not None and self.t.programme else None
        if result is None or mine is None:
            return out
        for rw in mine.warnings:
            if rw.kind == "stale" or rw.id in self.t.skip_warnings:
                continue
            if rw.applies == "maybe" and not rw.if_:
                # no conditional wording yet: the plain text, marked as possibly not applying
                out.append(Paragraph(
                    style="body", ja=f"{ja(rw.text)}（{ja(_MAYBE)}）", text="{warning} ({maybe})",
                    values={"warning": rw.text, "maybe": _MAYBE}, translate=["maybe", "warning"]))
                continue
            text = rw.if_ if rw.applies == "maybe" and rw.if_ else rw.text
            # (a warning's own "ja" is a phrase to say at the counter, not its translation)
            out.append(Paragraph(style="body", ja=ja(text), text=text))
        if mine.outcome == "not_eligible":
            titles = {r.id: (r.title, r.title_ja) for r in result.results}
            alts = [titles[a.id] for a in mine.alternatives or []
                    if a.outcome != "not_eligible" and a.id in titles]
            if alts:
                values = {f"a{i}": t for i, (t, _ja) in enumerate(alts)}
                values["alternatives"] = "; ".join("{" + k + "}" for k in values)
                out.append(Paragraph(
                    style="body", ja="ほかに相談できる支援：" + "、".join(j for _t, j in alts),
                    text=N_("Other help you can ask about: {alternatives}"), values=values,
                    translate=sorted(values)))
        return out

    # -- what is missing

    def missing(self) -> list[str]:
        out: list[str] = []
        for r in self.t.required:
            if r.when is not None and not self.cond(r.when, record=False):
                continue
            if r.field == "letter.members":
                if not self.members:
                    out.append("letter.members")
                continue
            if r.field:
                if r.field == "municipality":
                    if not self.a.municipality:
                        out.append("municipality")
                elif r.field not in self.values:
                    out.append(r.field)
            elif not any(f in self.values or (f == "letter.members" and self.members) for f in r.any or []):
                out.append(r.name or "")
        size = self.values.get("household.size")
        if size is not None and self.members and len(self.members) != size - 1:
            raise LetterInputError("letter.members", v.FieldError(
                N_("lists {n} other people, but the household has {size} people"), n=len(self.members), size=size))
        needed = [f for f in self.t.member_fields if f != "residence_expiry"]
        for i, m in enumerate(self.members):
            for sub in needed:
                if sub == "residence_status":
                    if self.t.status == "printed" and sub not in m and not _is_japanese_national(m.get("nationality")):
                        out.append(f"letter.members.{i}.{sub}")
                elif sub not in m:
                    out.append(f"letter.members.{i}.{sub}")
        return list(dict.fromkeys(out))

    # -- conditions

    def cond(self, c: Any, *, record: bool = True, negated: bool = False) -> bool:
        if isinstance(c, str):
            value = self.ctx.get(c)
            truth = bool(value) if not isinstance(value, V) else bool(value.ja or value.text)
            if truth and record and not negated and c in self.cat:
                self.printed.add(c)
            return truth
        (op, arg), = c.items()
        if op == "not":
            return not self.cond(arg, record=record, negated=not negated)
        if op == "no":  # answered "no": a statement the person chose, unlike an unanswered flag
            truth = self.ctx.get(arg) is False
            if truth and record and not negated and arg in self.cat:
                self.printed.add(arg)
            return truth
        results = [self.cond(x, record=False, negated=negated) for x in arg]
        ok = all(results) if op == "all" else any(results)
        if ok and record:
            for x in arg:
                self.cond(x, record=True, negated=negated)
        return ok

    # -- paragraphs

    def paragraphs(self) -> list[Paragraph]:
        out: list[Paragraph] = []
        section = 0
        sub = 0
        for block in self.t.blocks:
            if block.when is not None and not self.cond(block.when, record=False):
                continue
            if block.style == "blank":
                out.append(Paragraph(style="blank", ja=""))
                continue
            items: list[dict[str, Any]]
            if block.each:
                items = self.ctx.get(block.each) or []
            else:
                items = [{}]
            if block.join and items:
                items = [_joined(items, numbered=block.number)]
            made_any = False
            for item in items:
                number = None
                if block.join:
                    pass
                elif block.number and block.style == "heading":
                    number = str(section + 1)
                elif block.number:
                    number = f"({sub + 1})"
                p = self._paragraph(block, item, number)
                if p is None:
                    continue
                made_any = True
                if block.number and block.style == "heading":
                    section += 1
                    sub = 0
                elif block.number:
                    sub += 1
                out.append(p)
            if made_any and block.when is not None:
                self.cond(block.when, record=True)
        return _without_empty_headings(out)

    def _paragraph(self, block: tpl.Block, item: dict[str, Any], number: str | None) -> Paragraph | None:
        ctx = self.ctx | item
        ja_t = block.ja if block.ja is not None else "{" + (block.field or "") + "}"
        text_t = block.text if block.text is not None else "{" + (block.field or "") + "}"
        if "__joined__" in item:  # the English of each item is translated on its own
            text_t = text_t.replace("{item}", item["__joined__"])
        fdef = self.cat[block.field] if block.field else None
        label = block.label or (fdef.paper_label or fdef.label if fdef else None)
        used: list[str] = []
        try:
            ja = fill(ja_t, _ja_values(ctx, ja_t), used.append)
            label_ja = fill(label.ja, _ja_values(ctx, label.ja), used.append) if label else None
        except MissingValue as exc:
            if block.optional:
                return None
            raise TemplateBug(f"{self.t.id}: block {block.style} {ja_t[:30]!r} needs {exc.args[0]!r}") from None
        values, translate = _text_values(ctx, text_t)
        label_values, label_translate = _text_values(ctx, label.text) if label else ({}, [])
        for key in used:
            value = ctx.get(key)
            if isinstance(value, V):
                self.printed.update(value.sources or ((key,) if key in self.cat else ()))
        return Paragraph(
            style=block.style, ja=ja, text=text_t, values=values, translate=translate, number=number,
            label_ja=label_ja, label=label.text if label else None, label_values=label_values,
            label_translate=label_translate, signature=block.signature,
        )

    # -- addressee

    def addressee(self) -> Addressee:
        t = self.t
        key = t.addressee
        if key == "housing":
            key = "prefecture_housing" if self.values.get("letter.housing_operator") == "prefecture" else "city_housing"
        preset = tpl.addressees()[key]
        code = self.a.municipality
        place = muni.get(code) if code else None
        if place is None:
            name = preset.none
        else:
            city = city_of(place)
            short = place.name.split("郡", 1)[1] if "郡" in place.name else place.name
            names = {"name": place.name, "short": short, "city": city.name if city else place.name,
                     "prefecture": place.prefecture}
            if place.level == "ward":
                formula = preset.by_city.get(place.parent or "", preset.ward)
            elif place.level == "prefecture":
                formula = preset.none
            elif short.endswith(("町", "村")):
                formula = preset.town
            else:
                formula = preset.city
            name = fill(formula, names)
        contact_fields: dict[str, Any] = {}
        if self.rules is not None and place is not None:
            lookup = code
            if key == "prefecture_housing":
                lookup = muni.chain(code)[0].code if muni.chain(code) else code
            try:
                rs = self.rules.ruleset_for(lookup)
                found = rs.contacts.get(preset.contact)
            except Exception:  # noqa: BLE001 - a broken layer must not stop a letter: no counter then
                found = None
            if found is not None and found[1] != "00000":
                contact = found[0]
                from ..rules.ruleset import resolve_sources

                contact_fields = {
                    "office": contact.name_ja, "postal_code": contact.postal_code, "address": contact.address,
                    "phone": contact.phone, "sources": [s["url"] for s in resolve_sources(rs, contact.sources)],
                }
            elif found is not None and found[0].local is not None and key != "prefecture_housing":
                # No layer names the counter: the municipality's own office, as Japan Post lists it.
                from ..offices import office_of
                from ..rules.ruleset import resolve_sources

                office = office_of(code)
                if office is not None:
                    contact_fields = {"postal_code": office.postal_code, "address": office.address,
                                      "sources": [s["url"] for s in resolve_sources(rs, found[0].local.sources)]}
        edited = self.values.get("letter.addressee")
        return Addressee(name=edited or name, preset=name, **contact_fields)

    # -- fields, disclosures, warnings

    def fields(self, missing: set[str]) -> list[LetterField]:
        out = []
        conditional_required = self._required_now()
        for spec in editable_fields(self.t.id):
            if spec.id.startswith(tpl.MEMBER_PREFIX):
                sub = spec.id.removeprefix(tpl.MEMBER_PREFIX)
                for i, m in enumerate(self.members):
                    out.append(_field(spec, f"letter.members.{i}.{sub}", m.get(sub), f"letter.members.{i}.{sub}"
                                      in missing or sub in ("name", "relation"), "letter.members" in self.printed))
                continue
            out.append(_field(spec, spec.id, self.values.get(spec.id), spec.id in conditional_required,
                              spec.id in self.printed))
        return out

    def _required_now(self) -> set[str]:
        out = set()
        for r in self.t.required:
            if r.when is None or self.cond(r.when, record=False):
                out.update([r.field] if r.field else (r.any or []))
        return out

    def disclosures(self) -> list[str]:
        out: list[str] = []
        asked = self.t.status == "asked"
        for fid in list(self.t.uses):
            if fid == "letter.members":
                fid = tpl.MEMBER_PREFIX + "name"
                if "letter.members" not in self.printed:
                    continue
            elif fid not in self.printed:
                continue
            text = self.cat[fid].discloses.text if self.cat[fid].discloses else None
            if asked and fid in tpl.STATUS_FIELDS:
                text = N_("the residence status and period of stay you ask about (the letter does not say they are "
                          "yours)")
            if text and text not in out:
                out.append(text)
        return out

    def warnings(self) -> list[Message]:
        out = []
        for w in self.t.warnings:
            if self.cond(w.when, record=False):
                values, translate = _text_values(self.ctx, w.text)
                out.append(Message(text=w.text, values=values, translate=translate))
        not_japanese = [self.cat[fid].label.ja for fid, value in self.values.items()
                        if self.cat[fid].japanese and fid in self.printed and not _looks_japanese(value)]
        if not_japanese:
            out.append(Message(
                text=N_("Some details are not written in Japanese: {fields}. The letter goes to a Japanese office: "
                        "write them in Japanese, or ask a supporter to help."),
                values={"fields": "、".join(not_japanese)}))
        return out


_CONTENT = ("field", "detail", "item")


def _without_empty_headings(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A heading with nothing under it (no field, detail or item before the next heading or the end) is left
    out, and the numbered headings that remain are numbered again from 1."""
    kept = [p for i, p in enumerate(paragraphs) if p.style != "heading" or (
        i + 1 < len(paragraphs) and paragraphs[i + 1].style in _CONTENT)]
    out = []
    n = 0
    for p in kept:
        if p.style == "heading" and p.number:
            n += 1
            p = p.model_copy(update={"number": str(n)})
        out.append(p)
    return out


def _joined(items: list[dict[str, Any]], numbered: bool = False) -> dict[str, Any]:
    """Items of a list printed as one paragraph: the Japanese sentences run on; the English ones get a space.
    With ``numbered``, each item is preceded by (1), (2) …

    The English is kept per item (a msgid each) in numbered keys, so that each sentence is translated."""
    out: dict[str, Any] = {}
    ja_parts = []
    keys = []
    for n, i in enumerate(items):
        out[f"item{n}"] = i["item"]
        if numbered:
            out[f"n{n}"] = lit(f"({n + 1})")
            ja_parts.append(f"({n + 1}) {i['item'].ja}")
            keys.append(f"{{n{n}}} {{item{n}}}")
        else:
            ja_parts.append(i["item"].ja)
            keys.append(f"{{item{n}}}")
    joined_keys = ("; " if numbered else " ").join(keys)
    out["item"] = V(("　" if numbered else "").join(ja_parts), joined_keys, False,
                    tuple(s for i in items for s in i["item"].sources))
    out["__joined__"] = joined_keys
    return out


def _looks_japanese(value: Any) -> bool:
    if isinstance(value, list):
        return all(_looks_japanese(x) for x in value)
    return bool(_JAPANESE.search(str(value)))


def _field(spec: FieldSpec, fid: str, value: Any, required: bool, printed: bool) -> LetterField:
    return LetterField(
        id=fid, label_ja=spec.label_ja, label=spec.label, check=spec.check, value=value, required=required,
        max_length=spec.max_length, multiline=spec.multiline, choices=list(spec.choices) if spec.choices else None,
        discloses=spec.discloses, printed=printed and value is not None,
    )


def _ja_values(ctx: dict[str, Any], template: str) -> dict[str, str]:
    out = {}
    for key in placeholders(template):
        value = ctx.get(key)
        if isinstance(value, V):
            out[key] = value.ja
    return out


def _text_values(ctx: dict[str, Any], template: str) -> tuple[dict[str, str], list[str]]:
    values: dict[str, str] = {}
    translate: list[str] = []
    pending = list(placeholders(template))
    while pending:
        key = pending.pop()
        if key in values:
            continue
        value = ctx.get(key)
        if not isinstance(value, V) or not (value.ja or value.text):
            continue
        values[key] = value.text
        if value.tr:
            translate.append(key)
            pending.extend(placeholders(value.text))  # e.g. {card_name} inside a coded value
    return values, sorted(translate)


def build_letter(
    kind: str,
    answers: Answers | dict[str, Any],
    overrides: dict[str, Any] | None = None,
    *,
    rules: Any = None,
    today: dt.date | None = None,
) -> Letter:
    """Build the letter ``kind`` for ``answers``, with the review screen's edits in ``overrides``
    (``{field id: value}``; an empty value clears the field). Raises :class:`UnknownKind`,
    :class:`LetterInputError` (a value fails its check) or :class:`MissingFacts`.
    """
    t = _template(kind)
    today = today or dt.date.today()
    if not isinstance(answers, Answers):
        try:
            answers = Answers.model_validate(answers)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            raise LetterInputError(".".join(str(p) for p in err["loc"]) or "(top)", err["msg"]) from None
    if answers.municipality and muni.get(answers.municipality) is None:
        raise LetterInputError("municipality", N_("is not a known municipality code"))
    if overrides:
        answers = _apply_overrides(kind, answers, overrides, today)
    b = _Builder(t, answers, rules if rules is not None else _default_rules(), today)
    b.read()
    b.context()
    b.refusals()
    missing = b.missing()
    if missing:
        raise MissingFacts(missing)
    addressee = b.addressee()
    b.ctx["addressee"] = lit(addressee.name, "letter.addressee")
    paragraphs = b.paragraphs()
    guidance = []
    for g in t.guidance:
        ja = _fill_or_drop(g.ja, b.ctx)
        if ja is not None:
            values, translate = _text_values(b.ctx, g.text)
            guidance.append(Paragraph(style="body", ja=ja, text=g.text, values=values, translate=translate))
    if addressee.office:
        where = "　".join(x for x in (addressee.office, f"〒{addressee.postal_code}" if addressee.postal_code else None,
                                      addressee.address, f"電話 {addressee.phone}" if addressee.phone else None) if x)
        guidance.insert(0, Paragraph(style="body", ja=f"提出先：{where}", text=N_("Where to hand it in: {office}"),
                                     values={"office": where}))
    guidance += b.advisories()
    warnings = b.warnings()
    notices = b.notices(warnings)
    guidance = notices + guidance
    return Letter(
        kind=kind, title_ja=t.title.ja, title=t.title.text, date=b.day, date_ja=to_wareki(b.day),
        addressee=addressee, fields=b.fields(set(missing)), paragraphs=paragraphs, guidance=guidance,
        disclosures=b.disclosures(), withheld=[w.text for w in t.withheld], warnings=warnings, notices=notices,
        legal_basis=t.legal_basis,
        template_as_of=t.as_of,
    )


def _fill_or_drop(template: str, ctx: dict[str, Any]) -> str | None:
    try:
        return fill(template, _ja_values(ctx, template))
    except MissingValue:
        return None
