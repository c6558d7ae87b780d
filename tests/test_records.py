"""The consultation records store (helper/records/), on SQLite and on PostgreSQL: sealed at rest, scrubbed
on deletion, rotated keys, an audit log without personal fields, retention, consent, a database that is down."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from helper.records import config
from helper.records.errors import (
    ConsentMissing,
    DataDirInsideClone,
    KeysMalformed,
    KeysMissing,
    NotAllowed,
    RecordNotFound,
    StoreUnavailable,
    UndecryptableRecord,
)
from helper.records.keys import KeyRing, keys_from_environment, new_key, parse_keys
from helper.records.models import AuditEntry
from helper.records.roles import Actor, Role
from helper.records.store import Consent, PersonDetails, Store
from tests.postgres import Cluster, pg_cluster  # noqa: F401 - the fixture

VOLUNTEER = Actor("volunteer-1", Role.VOLUNTEER)
COORDINATOR = Actor("coordinator-1", Role.COORDINATOR)
CAMPAIGNER = Actor("campaigner-1", Role.CAMPAIGNER)
CONSENT = Consent(True, "ja", "2026-12")
# Made-up values that appear nowhere else: if one is found in a database file, it was stored in the clear.
CANARY = PersonDetails(
    name="Canary Xylophonist Quenby", name_kana="カナリア・キュンビー", birth_date=dt.date(1987, 3, 29),
    address="9-87 Zzyzx-cho Canaryward", phone="090-5550-1987", card_number="ZQ98765432XY",
    notes="canary-note: tells the volunteer 寄生虫標本")
ANSWERS = {"applicant": {"status": "canary-status-provisional"}, "free_text": "canary-answer 鶯谷"}
RESULT = {"results": [{"id": "welfare", "outcome": "uncertain", "reason": "canary-result"}]}
K1, K2 = new_key("k1"), new_key("k2")


def canaries() -> list[bytes]:
    texts = [v for v in vars(CANARY).values() if isinstance(v, str)] + [
        "1987-03-29", ANSWERS["free_text"], ANSWERS["applicant"]["status"], "canary-result", "Sealed office 99"]
    out: list[bytes] = []
    for t in texts:
        out += [t.encode(), json.dumps(t).encode()]  # as typed, and as JSON writes it (\\u escapes)
    return out


@dataclass
class Backend:
    name: str
    url: str
    disk: Path  # everything on disk: the SQLite folder, or the PostgreSQL cluster's data folder with its WAL
    folder: Path  # this database's own files: the SQLite folder, or base/<oid> in the cluster
    cluster: Cluster | None = None

    def store(self, keys: str = K1, **kw: Any) -> Store:
        return Store.open(self.url, parse_keys(keys), **kw)

    def found(self, needles: list[bytes], *, everywhere: bool = False) -> list[tuple[str, bytes]]:
        hits = []
        for path in [p for p in (self.disk if everywhere else self.folder).rglob("*") if p.is_file()]:
            data = path.read_bytes()
            hits += [(path.name, n) for n in needles if n in data]
        return hits


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield Backend("sqlite", f"sqlite:///{tmp_path / config.SQLITE_NAME}", tmp_path, tmp_path)
    else:
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        url = cluster.create_database()
        engine = create_engine(url)
        with engine.connect() as conn:
            oid = conn.execute(text("SELECT oid FROM pg_database WHERE datname = current_database()")).scalar()
        engine.dispose()
        yield Backend("postgresql", url, cluster.data, cluster.data / "base" / str(oid), cluster)


@pytest.fixture
def store(backend: Backend) -> Iterator[Store]:
    s = backend.store()
    yield s
    s.close()


def full_case(store: Store) -> str:
    case_id = store.create_case(VOLUNTEER, CANARY, CONSENT)
    consultation = store.add_consultation(VOLUNTEER, case_id, dt.date(2026, 11, 2), ANSWERS, RESULT,
                                          rules_as_of=dt.date(2026, 11, 1), notes="canary-consultation-note")
    letter = store.add_letter(VOLUNTEER, case_id, "welfare_application", dt.date(2026, 11, 3),
                              office="Sealed office 99", notes="canary-letter-note", consultation_id=consultation)
    store.add_reply(VOLUNTEER, letter, dt.date(2026, 11, 20), "asked_for_more", notes="canary-reply-note")
    return case_id


def test_a_case_comes_back_whole(store: Store) -> None:
    case_id = full_case(store)
    case = store.view_case(VOLUNTEER, case_id)
    assert case.person == CANARY
    assert (case.consent_language, case.consent_version) == ("ja", "2026-12")
    [c] = case.consultations
    assert (c.answers, c.result, c.consulted_on, c.notes) == (ANSWERS, RESULT, dt.date(2026, 11, 2),
                                                              "canary-consultation-note")
    [letter] = case.letters
    assert (letter.kind, letter.office, letter.consultation_id) == ("welfare_application", "Sealed office 99", c.id)
    assert [(r.outcome, r.notes) for r in letter.replies] == [("asked_for_more", "canary-reply-note")]
    assert [s.name for s in store.list_cases(VOLUNTEER)] == [CANARY.name]


def test_canaries_are_absent_from_the_raw_files_and_the_wal(backend: Backend, store: Store) -> None:
    case_id = full_case(store)
    store.view_case(VOLUNTEER, case_id)
    if backend.name == "sqlite":
        wal = backend.folder / f"{config.SQLITE_NAME}-wal"
        assert wal.stat().st_size > 0, "the writes must still be in the WAL for this test to look there"
    else:
        with store.engine.connect() as conn:
            conn.execute(text("CHECKPOINT"))
    # The control: what is stored in the clear (the case's random id) is found, so the search does see data.
    assert backend.found([case_id.encode()], everywhere=True)
    assert backend.found(canaries(), everywhere=True) == []


def sealed_tokens(store: Store) -> list[bytes]:
    tokens = []
    with store.engine.connect() as conn:
        for table, columns in {"people": ["name", "address", "card_number", "notes"],
                               "consultations": ["answers", "result", "notes"], "letters": ["office", "notes"],
                               "office_replies": ["notes"]}.items():
            for row in conn.execute(text(f"SELECT {', '.join(c + '_sealed' for c in columns)} FROM {table}")):
                tokens += [t.split(".")[2][:40].encode() for t in row if t]
    return tokens


def test_deleting_a_case_leaves_nothing_of_it_in_the_data_folder(backend: Backend, store: Store) -> None:
    case_id = full_case(store)
    tokens = sealed_tokens(store)  # the deleted case's alone
    kept = store.create_case(VOLUNTEER, PersonDetails(name="someone else"), CONSENT)
    ids = [case_id.encode()]
    with store.engine.connect() as conn:  # only the deleted case has consultations, letters and replies
        ids += [r[0].encode() for r in conn.execute(text("SELECT id FROM consultations"))]
        ids += [r[0].encode() for r in conn.execute(text("SELECT id FROM letters"))]
        ids += [r[0].encode() for r in conn.execute(text("SELECT id FROM office_replies"))]
    store.scrub()
    # PostgreSQL's WAL segments are recycled, not wiped (docs/records.md): there, the database's files are checked.
    assert len(backend.found(tokens)) >= len(tokens) // 2  # the control: the search finds them
    store.delete_case(VOLUNTEER, case_id)
    entries = [e for e in store.audit_entries() if e.action == "delete"]
    assert [e.case_id for e in entries] == [case_id]
    # the audit log keeps the case's random id, by design; nothing else of the case is left anywhere
    assert backend.found(tokens + ids[1:]) == []
    assert store.list_cases(VOLUNTEER)[0].id == kept
    with pytest.raises(RecordNotFound):
        store.view_case(VOLUNTEER, case_id)
    if backend.name == "sqlite":
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1


def test_rotation_reseals_every_value_and_the_old_key_alone_opens_nothing(backend: Backend, store: Store) -> None:
    cases = [full_case(store) for _ in range(3)]
    before = store.key_use()
    assert list(before) == ["k1"]
    rotating = backend.store(f"{K2},{K1}")  # the new key first, the old one still listed
    report = rotating.rotate_keys(COORDINATOR)
    assert report.resealed == before["k1"]
    assert rotating.key_use() == {"k2": before["k1"]}
    assert rotating.rotate_keys(COORDINATOR).resealed == 0  # nothing left to do
    old_only, new_only = backend.store(K1), backend.store(K2)
    for case_id in cases:
        with pytest.raises(UndecryptableRecord):
            old_only.view_case(VOLUNTEER, case_id)
        assert new_only.view_case(VOLUNTEER, case_id).person == CANARY
    assert backend.found([b"kh1.k1."]) == []  # no value sealed with the old key left on disk
    for s in (rotating, old_only, new_only):
        s.close()


def test_without_the_key_nothing_opens(backend: Backend, store: Store) -> None:
    case_id = full_case(store)
    with pytest.raises(KeysMissing) as missing:
        keys_from_environment({})
    assert "KH_RECORD_KEYS" in missing.value.message
    other = backend.store(new_key("k1"))  # the same id, another key
    with pytest.raises(UndecryptableRecord):
        other.view_case(VOLUNTEER, case_id)
    other.close()


def test_a_sealed_value_does_not_open_in_another_row(store: Store) -> None:
    first = store.create_case(VOLUNTEER, PersonDetails(name="first"), CONSENT)
    second = store.create_case(VOLUNTEER, PersonDetails(name="second"), CONSENT)
    with store.engine.begin() as conn:
        token = conn.execute(text("SELECT name_sealed FROM people WHERE id = :i"), {"i": first}).scalar()
        conn.execute(text("UPDATE people SET name_sealed = :t WHERE id = :i"), {"t": token, "i": second})
    with pytest.raises(UndecryptableRecord):
        store.view_case(VOLUNTEER, second)


@pytest.mark.parametrize("setting", ["k1", "k1:short", "bad id!:" + K1.split(":")[1], f"{K1},{K1}", " , "])
def test_a_malformed_key_setting_is_refused_without_echoing_it(setting: str) -> None:
    with pytest.raises((KeysMalformed, KeysMissing)) as refused:
        parse_keys(setting)
    secret = setting.partition(":")[2]
    assert not secret or secret not in str(refused.value)
    assert "KeyRing" not in repr(refused.value) and K1.split(":")[1] not in repr(parse_keys(K1))


def test_100_views_by_three_roles_give_100_audit_entries_without_personal_fields(store: Store) -> None:
    case_id = full_case(store)
    before = len(store.audit_entries())
    for n in range(100):
        store.view_case(VOLUNTEER if n % 2 else COORDINATOR, case_id)
        with pytest.raises(NotAllowed):  # the campaigner reads no personal field, and is not let try
            store.view_case(CAMPAIGNER, case_id)
    for refused in (lambda: store.list_cases(CAMPAIGNER), lambda: store.export_case(CAMPAIGNER, case_id),
                    lambda: store.delete_case(CAMPAIGNER, case_id),
                    lambda: store.create_case(CAMPAIGNER, CANARY, CONSENT)):
        with pytest.raises(NotAllowed):
            refused()
    store.export_case(VOLUNTEER, case_id)
    store.delete_case(VOLUNTEER, case_id)
    entries = store.audit_entries()[before:]
    views = [e for e in entries if e.action == "view"]
    assert len(views) == 100
    assert {(e.actor, e.role) for e in views} == {("volunteer-1", "volunteer"), ("coordinator-1", "coordinator")}
    assert [e.action for e in entries[100:]] == ["export", "delete"]
    assert set(AuditEntry.__table__.columns.keys()) == {"id", "at", "actor", "role", "action", "case_id"}
    with store.engine.connect() as conn:
        raw = [str(v) for row in conn.execute(text("SELECT * FROM audit_log")) for v in row]
    assert not [c for c in canaries() for v in raw if c.decode() in v]


def test_export_holds_everything_kept_and_is_audited(store: Store) -> None:
    case_id = full_case(store)
    exported = store.export_case(VOLUNTEER, case_id)
    text_ = json.dumps(exported, ensure_ascii=False)
    assert exported["format"] == "kyosei-helper/case-export"
    for value in [v for v in vars(CANARY).values() if isinstance(v, str)] + ["1987-03-29", "canary-reply-note"]:
        assert value in text_
    assert exported["case"]["consultations"][0]["answers"] == ANSWERS
    assert store.audit_entries()[-1].action == "export"


def test_retention_deletes_cases_unchanged_for_180_days(backend: Backend) -> None:
    now = [dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)]
    store = backend.store(clock=lambda: now[0])
    quiet = store.create_case(VOLUNTEER, PersonDetails(name="quiet"), CONSENT)
    busy = store.create_case(VOLUNTEER, PersonDetails(name="busy"), CONSENT)
    now[0] += dt.timedelta(days=100)
    store.add_consultation(VOLUNTEER, busy, now[0].date(), ANSWERS)  # a change restarts the clock
    now[0] += dt.timedelta(days=80)
    assert store.purge_expired() == 0  # exactly 180 days: kept
    now[0] += dt.timedelta(minutes=1)
    assert store.purge_expired() == 1
    assert [c.id for c in store.list_cases(VOLUNTEER)] == [busy]
    assert [(e.action, e.case_id, e.role) for e in store.audit_entries() if e.action == "expire"] == [
        ("expire", quiet, "system")]
    now[0] += dt.timedelta(days=100)
    assert store.purge_expired() == 1 and store.list_cases(VOLUNTEER) == []
    store.close()
    short = backend.store(clock=lambda: now[0], retention_days=30)
    short.create_case(VOLUNTEER, PersonDetails(name="short"), CONSENT)
    now[0] += dt.timedelta(days=31)
    assert short.purge_expired() == 1
    short.close()


def test_retention_days_come_from_the_environment() -> None:
    assert config.retention_days({}) == 180
    assert config.retention_days({"KH_RECORD_RETENTION_DAYS": "30"}) == 30
    for bad in ("0", "-1", "many"):
        with pytest.raises(ValueError):
            config.retention_days({"KH_RECORD_RETENTION_DAYS": bad})


def test_nothing_is_saved_without_consent(store: Store) -> None:
    with pytest.raises(ConsentMissing):
        store.create_case(VOLUNTEER, CANARY, Consent(False, "ja", "2026-12"))
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM people")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 0


def test_a_database_that_is_down_gives_a_clear_error(backend: Backend, tmp_path: Path) -> None:
    if backend.name == "sqlite":
        with pytest.raises(StoreUnavailable) as down:
            Store.open(f"sqlite:///{tmp_path / 'no' / 'such' / 'folder.sqlite3'}", parse_keys(K1))
    else:
        assert backend.cluster is not None
        store = backend.store()
        store.create_case(VOLUNTEER, PersonDetails(name="before"), CONSENT)
        backend.cluster.kill()
        try:
            with pytest.raises(StoreUnavailable) as down:
                store.create_case(VOLUNTEER, CANARY, CONSENT)
            with pytest.raises(StoreUnavailable):
                Store.open(backend.url, parse_keys(K1))
        finally:
            backend.cluster.start()
        assert [c.name for c in store.list_cases(VOLUNTEER)] == ["before"]  # it recovers once the server is back
        store.close()
    assert "cannot be reached" in down.value.message and "Nothing was saved" in down.value.message
    assert down.value.__cause__ is None and down.value.__suppress_context__  # no driver text rides along


def test_the_migrations_create_exactly_the_models(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from helper.records.models import Base

    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert "alembic_version" in inspect(conn).get_table_names()


def test_sqlite_runs_in_wal_with_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'r.sqlite3'}", parse_keys(K1))
    with store.engine.connect() as conn:
        pragma: Callable[[str], Any] = lambda name: conn.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert (pragma("journal_mode"), pragma("synchronous"), pragma("foreign_keys")) == ("wal", 2, 1)
    store.close()


def test_the_default_database_is_a_sqlite_file_outside_the_clone(tmp_path: Path) -> None:
    env = {"KH_DATA_DIR": str(tmp_path / "records")}
    assert config.database_url(env) == f"sqlite:///{tmp_path / 'records' / config.SQLITE_NAME}"
    assert (tmp_path / "records").stat().st_mode & 0o077 == 0  # the owner's alone
    assert config.database_url({"DATABASE_URL": "postgresql://u@h/db"}) == "postgresql+psycopg://u@h/db"
    assert config.database_url({"DATABASE_URL": "postgres://u@h/db"}) == "postgresql+psycopg://u@h/db"
    for inside in (config.ROOT, config.ROOT / "data"):
        with pytest.raises(DataDirInsideClone):
            config.data_dir({"KH_DATA_DIR": str(inside)})


def test_the_errors_are_in_the_catalogs() -> None:
    from helper.i18n import translator
    from helper.records import errors

    messages = [getattr(errors, n) for n in ("DATABASE_DOWN", "NO_KEYS", "WRONG_KEY", "BAD_KEYS", "NOT_ALLOWED",
                                               "NOT_FOUND", "NO_CONSENT", "DATA_DIR_IN_CLONE")]
    for lang in ("ja", "ja@easy"):
        gettext = translator(lang)
        assert [m for m in messages if gettext(m) == m] == []


def test_a_key_ring_needs_a_key() -> None:
    with pytest.raises(KeysMissing):
        KeyRing(())


def test_ci_installs_the_postgresql_server_the_fixture_uses() -> None:
    import importlib.util
    import os

    from tests import postgres

    spec = importlib.util.spec_from_file_location("kh_tasks", config.ROOT / "tasks.py")
    assert spec and spec.loader
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    [pattern] = [path for path, pkg in tasks.SYSTEM_PACKAGES.items() if pkg == "postgresql"]
    bin_dir = postgres.server_bin()
    if bin_dir is not None:  # the pattern tasks.py checks finds the binaries the fixture starts
        import fnmatch

        assert fnmatch.fnmatch(str(bin_dir / "initdb"), pattern)
    assert os.path.dirname(pattern).endswith("/bin")


def test_campaigners_count_records_one_per_case_and_quarter_and_read_no_personal_field(store: Store) -> None:
    from helper.answers import read_answers
    from helper.counts import publish
    from helper.engine import evaluate
    from helper.rules.loader import load_rules

    answers = read_answers(config.ROOT / "examples" / "refugee-applicant-6-months.yaml")
    result = evaluate(answers, load_rules(None)).to_json()
    plain = json.loads(answers.model_dump_json(exclude_none=True))
    cases = [store.create_case(VOLUNTEER, PersonDetails(name=f"person {n}"), CONSENT) for n in range(12)]
    for case_id in cases:
        store.add_consultation(VOLUNTEER, case_id, dt.date(2026, 10, 5), plain, result)
    store.add_consultation(VOLUNTEER, cases[0], dt.date(2026, 11, 5), plain, result)  # same quarter: once
    store.add_consultation(VOLUNTEER, cases[1], dt.date(2027, 1, 5), plain, result)  # next quarter
    store.add_consultation(VOLUNTEER, cases[2], dt.date(2027, 1, 6), plain)  # no result snapshot: not counted
    records = store.count_records(CAMPAIGNER)
    assert sorted(r.quarter for r in records) == ["2026Q4"] * 12 + ["2027Q1"]
    assert {r.municipality for r in records} == {answers.municipality or "unknown"}
    assert all(r.outcomes == tuple((p["id"], p["outcome"]) for p in result["results"]) for r in records)
    text_ = repr(records)
    assert "person " not in text_ and not [c for c in cases if c in text_]
    assert store.audit_entries()[-1].action == "counts" and store.audit_entries()[-1].case_id is None
    groups = {(g.municipality, g.quarter): g for g in publish(records)}
    assert groups[(records[0].municipality, "2026Q4")].people == 12
    assert groups[(records[0].municipality, "2027Q1")].people is None  # one person: hidden
    with pytest.raises(NotAllowed):
        store.count_records(VOLUNTEER)
