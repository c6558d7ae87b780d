"""Bring a records database to the newest schema (Alembic ``upgrade head``), as the store does on opening."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from .config import ROOT

MIGRATIONS = ROOT / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine) -> None:
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
