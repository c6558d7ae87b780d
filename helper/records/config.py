"""Where the records live: ``DATABASE_URL`` for PostgreSQL, else a SQLite file in a data folder outside
the program's folder (``KH_DATA_DIR``, or the platform's user data folder)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .errors import DataDirInsideClone

ROOT = Path(__file__).resolve().parents[2]  # the program's folder (the clone)
APP = "kyosei-helper"
SQLITE_NAME = "records.sqlite3"
RETENTION_DAYS = 180  # default: records are deleted 180 days after their last change
RETENTION_ENV = "KH_RECORD_RETENTION_DAYS"


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The records folder, created (owner only) if missing; never inside the program's folder."""
    env = environ if environ is not None else os.environ
    if env.get("KH_DATA_DIR"):
        folder = Path(env["KH_DATA_DIR"]).expanduser()
    else:
        try:
            from platformdirs import user_data_path

            folder = user_data_path(APP, appauthor=False)
        except ImportError:  # pragma: no cover - platformdirs is a dependency; this is the XDG default
            folder = Path.home() / ".local" / "share" / APP
    folder = folder.resolve()
    if folder == ROOT or ROOT in folder.parents:
        raise DataDirInsideClone()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def database_url(environ: Mapping[str, str] | None = None) -> str:
    """``DATABASE_URL`` with the psycopg 3 driver named, or the SQLite file in :func:`data_dir`."""
    env = environ if environ is not None else os.environ
    url = env.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{data_dir(env) / SQLITE_NAME}"
    for plain in ("postgres://", "postgresql://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def retention_days(environ: Mapping[str, str] | None = None) -> int:
    env = environ if environ is not None else os.environ
    value = env.get(RETENTION_ENV, "").strip()
    if not value:
        return RETENTION_DAYS
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{RETENTION_ENV} must be a whole number of days, at least 1")
    return int(value)
