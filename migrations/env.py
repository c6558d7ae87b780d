"""Alembic environment for the consultation records (helper/records/).

The store runs ``upgrade head`` itself when it opens (helper/records/migrate.py) and hands its own
connection over in ``config.attributes["connection"]``; the ``alembic`` command line (alembic.ini) uses
``DATABASE_URL`` or the default SQLite file instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from helper.records.config import database_url
from helper.records.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    # batch mode lets later revisions alter SQLite tables (SQLite has no ALTER COLUMN)
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    engine = create_engine(database_url())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
