"""The records store: cases saved with consent, sealed at rest, every access in the audit log.

Every method that writes does it in one transaction together with its audit entry, and returns only
after the commit: what a method has returned is on disk (SQLite in WAL mode with ``synchronous=FULL``;
PostgreSQL's default ``fsync`` and ``synchronous_commit``). A database that cannot be reached raises
:class:`~helper.records.errors.StoreUnavailable`; the questionnaire never calls the store, so it goes on.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from . import config
from .errors import ConsentMissing, NotAllowed, RecordNotFound, StoreUnavailable
from .keys import KeyRing, key_id_of, keys_from_environment
from .models import REPLY_OUTCOMES, SEALED_TABLES, AuditEntry, Base, Consultation, Letter, OfficeReply, Person, new_id
from .roles import SYSTEM, Actor

EXPORT_FORMAT = "kyosei-helper/case-export"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _naive(moment: dt.datetime) -> dt.datetime:
    """UTC without the zone, as the columns hold it (SQLite keeps no zone)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


@dataclass
class PersonDetails:
    """What identifies the person; every field is sealed in the database."""

    name: str | None = None
    name_kana: str | None = None
    birth_date: dt.date | None = None
    address: str | None = None
    phone: str | None = None
    card_number: str | None = None  # residence card number
    notes: str | None = None


@dataclass(frozen=True)
class Consent:
    """The person's consent, given on the consent screen in their language before anything is saved."""

    given: bool
    language: str
    version: str


@dataclass
class ReplyRecord:
    id: str
    received_on: dt.date
    outcome: str
    notes: str | None


@dataclass
class LetterRecord:
    id: str
    kind: str
    sent_on: dt.date
    office: str | None
    notes: str | None
    consultation_id: str | None
    replies: list[ReplyRecord] = field(default_factory=list)


@dataclass
class ConsultationRecord:
    id: str
    consulted_on: dt.date
    rules_as_of: dt.date | None
    answers: dict[str, Any]
    result: dict[str, Any] | None
    notes: str | None


@dataclass
class Case:
    id: str
    created_at: dt.datetime
    updated_at: dt.datetime
    consent_at: dt.datetime
    consent_language: str
    consent_version: str
    person: PersonDetails
    consultations: list[ConsultationRecord]
    letters: list[LetterRecord]


@dataclass(frozen=True)
class CaseSummary:
    id: str
    name: str | None
    updated_at: dt.datetime


@dataclass(frozen=True)
class Rotation:
    rows: int  # rows read
    resealed: int  # values sealed anew with the newest key


def _context(table: str, column: str, row_id: str) -> str:
    return f"{table}.{column}:{row_id}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a commit is on disk, WAL included, before it returns
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted content is overwritten, not only unlinked
    finally:
        cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})


class Store:
    """Open with :meth:`open`, which runs the migrations; then act as a staff :class:`Actor`."""

    def __init__(self, engine: Engine, keys: KeyRing, *, clock: Callable[[], dt.datetime] = utc_now,
                 retention_days: int = config.RETENTION_DAYS) -> None:
        self.engine = engine
        self.keys = keys
        self.clock = clock
        self.retention_days = retention_days
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str | None = None, keys: KeyRing | None = None, *,
             clock: Callable[[], dt.datetime] = utc_now, retention_days: int | None = None,
             migrate_schema: bool = True) -> Store:
        keys = keys if keys is not None else keys_from_environment()  # no key: nothing opens, say so first
        engine = make_engine(url or config.database_url())
        store = cls(engine, keys, clock=clock,
                    retention_days=retention_days if retention_days is not None else config.retention_days())
        if migrate_schema:
            from . import migrate  # Alembic only when the schema is checked, not in every short-lived writer

            try:
                migrate.upgrade(engine)
            except DBAPIError as exc:
                engine.dispose()
                if not _unreachable(exc):
                    raise
                raise StoreUnavailable(type(exc.orig).__name__) from None
        return store

    def close(self) -> None:
        self.engine.dispose()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # ------------------------------------------------------------------ plumbing

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        try:
            with self._sessions.begin() as session:
                yield session
        except DBAPIError as exc:
            if not _unreachable(exc):
                raise
            # ``from None``: the driver's message may quote the statement, never worth the risk
            raise StoreUnavailable(type(exc.orig).__name__) from None

    def _now(self) -> dt.datetime:
        return _naive(self.clock())

    def _check(self, actor: Actor, action: str) -> None:
        if not actor.may(action):
            raise NotAllowed(f"{actor.role} may not {action}")

    def _audit(self, session: Session, actor: Actor, action: str, case_id: str | None) -> None:
        session.add(AuditEntry(at=self._now(), actor=actor.id, role=str(actor.role), action=action,
                               case_id=case_id))

    def _seal(self, value: str | None, table: str, column: str, row_id: str) -> str | None:
        return None if value is None else self.keys.seal(value, _context(table, column, row_id))

    def _open(self, token: str | None, table: str, column: str, row_id: str) -> str | None:
        return None if token is None else self.keys.open(token, _context(table, column, row_id))

    def _person(self, session: Session, case_id: str) -> Person:
        person = session.get(Person, case_id)
        if person is None:
            raise RecordNotFound()
        return person

    def _seal_person(self, person: Person, details: PersonDetails) -> None:
        values = asdict(details)
        if details.birth_date is not None:
            values["birth_date"] = details.birth_date.isoformat()
        for name in Person.SEALED:
            setattr(person, f"{name}_sealed", self._seal(values[name], "people", name, person.id))

    # ------------------------------------------------------------------ casework

    def create_case(self, actor: Actor, details: PersonDetails, consent: Consent) -> str:
        """Save a new case; refused without the person's consent. Returns the case's id."""
        self._check(actor, "create")
        if not consent.given:
            raise ConsentMissing()
        now = self._now()
        person = Person(id=new_id(), created_at=now, updated_at=now, consent_at=now,
                        consent_language=consent.language, consent_version=consent.version)
        self._seal_person(person, details)
        with self._transaction() as session:
            session.add(person)
            self._audit(session, actor, "create", person.id)
        return person.id

    def update_person(self, actor: Actor, case_id: str, details: PersonDetails) -> None:
        self._check(actor, "update")
        with self._transaction() as session:
            person = self._person(session, case_id)
            self._seal_person(person, details)
            person.updated_at = self._now()
            self._audit(session, actor, "update", case_id)

    def add_consultation(self, actor: Actor, case_id: str, consulted_on: dt.date, answers: dict[str, Any],
                         result: dict[str, Any] | None = None, *, rules_as_of: dt.date | None = None,
                         notes: str | None = None) -> str:
        """Keep one consultation: the answers and the results as they were on that date."""
        self._check(actor, "update")
        row = Consultation(id=new_id(), person_id=case_id, consulted_on=consulted_on, rules_as_of=rules_as_of,
                           created_at=self._now())
        row.answers_sealed = self.keys.seal(json.dumps(answers, ensure_ascii=False, sort_keys=True),
                                            _context("consultations", "answers", row.id))
        row.result_sealed = self._seal(None if result is None else json.dumps(result, ensure_ascii=False),
                                       "consultations", "result", row.id)
        row.notes_sealed = self._seal(notes, "consultations", "notes", row.id)
        with self._transaction() as session:
            person = self._person(session, case_id)
            person.updated_at = row.created_at
            session.add(row)
            self._audit(session, actor, "update", case_id)
        return row.id

    def add_letter(self, actor: Actor, case_id: str, kind: str, sent_on: dt.date, *, office: str | None = None,
                   notes: str | None = None, consultation_id: str | None = None) -> str:
        self._check(actor, "update")
        row = Letter(id=new_id(), person_id=case_id, kind=kind, sent_on=sent_on, consultation_id=consultation_id,
                     created_at=self._now())
        row.office_sealed = self._seal(office, "letters", "office", row.id)
        row.notes_sealed = self._seal(notes, "letters", "notes", row.id)
        with self._transaction() as session:
            person = self._person(session, case_id)
            person.updated_at = row.created_at
            session.add(row)
            self._audit(session, actor, "update", case_id)
        return row.id

    def add_reply(self, actor: Actor, letter_id: str, received_on: dt.date, outcome: str, *,
                  notes: str | None = None) -> str:
        """Keep what the office answered to a letter."""
        self._check(actor, "update")
        if outcome not in REPLY_OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(REPLY_OUTCOMES)}")
        row = OfficeReply(id=new_id(), letter_id=letter_id, received_on=received_on, outcome=outcome,
                          created_at=self._now())
        row.notes_sealed = self._seal(notes, "office_replies", "notes", row.id)
        with self._transaction() as session:
            letter = session.get(Letter, letter_id)
            if letter is None:
                raise RecordNotFound()
            letter.person.updated_at = row.created_at
            session.add(row)
            self._audit(session, actor, "update", letter.person_id)
        return row.id

    def list_cases(self, actor: Actor) -> list[CaseSummary]:
        """Every case with its name, most recently changed first (one audit entry for the list)."""
        self._check(actor, "list")
        with self._transaction() as session:
            people = session.scalars(select(Person).order_by(Person.updated_at.desc())).all()
            summaries = [CaseSummary(p.id, self._open(p.name_sealed, "people", "name", p.id), p.updated_at)
                         for p in people]
            self._audit(session, actor, "list", None)
        return summaries

    def _case(self, person: Person) -> Case:
        def person_field(name: str) -> str | None:
            return self._open(getattr(person, f"{name}_sealed"), "people", name, person.id)

        values: dict[str, Any] = {name: person_field(name) for name in Person.SEALED}
        if values["birth_date"] is not None:
            values["birth_date"] = dt.date.fromisoformat(values["birth_date"])
        consultations = []
        for c in person.consultations:
            result = self._open(c.result_sealed, "consultations", "result", c.id)
            consultations.append(ConsultationRecord(
                c.id, c.consulted_on, c.rules_as_of,
                json.loads(self.keys.open(c.answers_sealed, _context("consultations", "answers", c.id))),
                None if result is None else json.loads(result),
                self._open(c.notes_sealed, "consultations", "notes", c.id)))
        letters = [
            LetterRecord(
                lt.id, lt.kind, lt.sent_on, self._open(lt.office_sealed, "letters", "office", lt.id),
                self._open(lt.notes_sealed, "letters", "notes", lt.id), lt.consultation_id,
                [ReplyRecord(r.id, r.received_on, r.outcome,
                             self._open(r.notes_sealed, "office_replies", "notes", r.id)) for r in lt.replies])
            for lt in person.letters]
        return Case(person.id, person.created_at, person.updated_at, person.consent_at, person.consent_language,
                    person.consent_version, PersonDetails(**values), consultations, letters)

    def view_case(self, actor: Actor, case_id: str) -> Case:
        """The whole case, opened; the view is audited even when it fails to open (a wrong key)."""
        self._check(actor, "view")
        with self._transaction() as session:
            self._person(session, case_id)
            self._audit(session, actor, "view", case_id)
        with self._transaction() as session:
            return self._case(self._person(session, case_id))

    def export_case(self, actor: Actor, case_id: str) -> dict[str, Any]:
        """Everything kept about the person, as JSON for them to take (their right of access)."""
        self._check(actor, "export")
        with self._transaction() as session:
            case = self._case(self._person(session, case_id))
            self._audit(session, actor, "export", case_id)
        return {"format": EXPORT_FORMAT, "version": 1, "exported_at": self._now().isoformat() + "Z",
                "case": json.loads(json.dumps(asdict(case), default=_json_default))}

    def delete_case(self, actor: Actor, case_id: str) -> None:
        """Delete the case and everything in it; then scrub the database files of what was deleted."""
        self._check(actor, "delete")
        with self._transaction() as session:
            session.delete(self._person(session, case_id))
            self._audit(session, actor, "delete", case_id)
        self.scrub()

    def count_records(self, actor: Actor) -> list[Any]:
        """The anonymised records campaigners' counts are made of (:class:`helper.counts.Record`): one per
        case and quarter, from the case's last consultation in that quarter (municipality, status group and
        the outcome per programme of its result snapshot). Publish them through :func:`helper.counts.publish`,
        which suppresses small cells. Opening the sealed values happens here; no personal field leaves."""
        from ..answers import Answers
        from ..batch import status_group
        from ..counts import Record, quarter_of

        self._check(actor, "counts")
        latest: dict[tuple[str, str], Consultation] = {}
        with self._transaction() as session:
            for c in session.scalars(select(Consultation).order_by(Consultation.consulted_on, Consultation.created_at)):
                if c.result_sealed is not None:
                    latest[(c.person_id, quarter_of(c.consulted_on))] = c
            self._audit(session, actor, "counts", None)
        out = []
        for (_, quarter), c in sorted(latest.items()):
            answers = Answers.model_validate(
                json.loads(self.keys.open(c.answers_sealed, _context("consultations", "answers", c.id))))
            result = json.loads(self.keys.open(c.result_sealed or "", _context("consultations", "result", c.id)))
            outcomes = tuple((r["id"], r["outcome"]) for r in result.get("results", []))
            out.append(Record(answers.municipality or "unknown", quarter, status_group(answers), outcomes))
        return out

    # ------------------------------------------------------------------ housekeeping

    def purge_expired(self, actor: Actor = SYSTEM) -> int:
        """Delete every case unchanged for :attr:`retention_days`; returns how many."""
        self._check(actor, "expire")
        cutoff = self._now() - dt.timedelta(days=self.retention_days)
        with self._transaction() as session:
            expired = session.scalars(select(Person).where(Person.updated_at < cutoff)).all()
            for person in expired:
                self._audit(session, actor, "expire", person.id)
                session.delete(person)
        if expired:
            self.scrub()
        return len(expired)

    def rotate_keys(self, actor: Actor = SYSTEM) -> Rotation:
        """Seal every value anew with the newest key, in one transaction (all rows or none)."""
        self._check(actor, "rotate_keys")
        rows = resealed = 0
        with self._transaction() as session:
            for model in SEALED_TABLES:
                table = model.__tablename__
                for row in session.scalars(select(model)).all():
                    rows += 1
                    for name in model.SEALED:
                        token = getattr(row, f"{name}_sealed")
                        if token is None:
                            continue
                        fresh = self.keys.reseal(token, _context(table, name, row.row_id))
                        if fresh is not None:
                            setattr(row, f"{name}_sealed", fresh)
                            resealed += 1
            self._audit(session, actor, "rotate_keys", None)
        self.scrub()  # the old ciphertexts must not linger in free pages, where the old key would open them
        return Rotation(rows, resealed)

    def key_use(self) -> dict[str, int]:
        """How many sealed values each key id seals: after a rotation, only the newest."""
        counts: dict[str, int] = {}
        with self._transaction() as session:
            for model in SEALED_TABLES:
                for row in session.scalars(select(model)).all():
                    for name in model.SEALED:
                        token = getattr(row, f"{name}_sealed")
                        if token is not None:
                            key_id = key_id_of(token)
                            counts[key_id] = counts.get(key_id, 0) + 1
        return counts

    def audit_entries(self) -> list[AuditEntry]:
        with self._transaction() as session:
            return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all())

    def scrub(self) -> None:
        """Overwrite what was deleted: on SQLite, VACUUM and an emptied WAL; on PostgreSQL, VACUUM FULL
        (tables rewritten into new files; PostgreSQL's own WAL segments are recycled, not wiped)."""
        try:
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                if self.dialect == "sqlite":
                    conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
                    conn.execute(text("VACUUM"))
                    conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
                elif self.dialect == "postgresql":
                    for table in Base.metadata.sorted_tables:
                        conn.execute(text(f'VACUUM FULL "{table.name}"'))
                    conn.execute(text("CHECKPOINT"))
        except DBAPIError as exc:
            if not _unreachable(exc):
                raise
            raise StoreUnavailable(type(exc.orig).__name__) from None


def _unreachable(exc: DBAPIError) -> bool:
    """The database is down, gone or locked (rather than refusing a statement)."""
    return isinstance(exc, (OperationalError, InterfaceError)) or exc.connection_invalidated


def _json_default(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat() + ("Z" if value.tzinfo is None else "")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
