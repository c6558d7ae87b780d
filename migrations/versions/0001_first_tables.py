"""The first tables: people, consultations, letters, office replies and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("consent_at", sa.DateTime(), nullable=False),
        sa.Column("consent_language", sa.String(16), nullable=False),
        sa.Column("consent_version", sa.String(16), nullable=False),
        *[sa.Column(f"{name}_sealed", sa.Text(), nullable=True)
          for name in ("name", "name_kana", "birth_date", "address", "phone", "card_number", "notes")],
    )
    op.create_index("ix_people_updated_at", "people", ["updated_at"])
    op.create_table(
        "consultations",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("consulted_on", sa.Date(), nullable=False),
        sa.Column("rules_as_of", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("answers_sealed", sa.Text(), nullable=False),
        sa.Column("result_sealed", sa.Text(), nullable=True),
        sa.Column("notes_sealed", sa.Text(), nullable=True),
    )
    op.create_index("ix_consultations_person_id", "consultations", ["person_id"])
    op.create_table(
        "letters",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("consultation_id", sa.String(32), sa.ForeignKey("consultations.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("office_sealed", sa.Text(), nullable=True),
        sa.Column("notes_sealed", sa.Text(), nullable=True),
    )
    op.create_index("ix_letters_person_id", "letters", ["person_id"])
    op.create_table(
        "office_replies",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("letter_id", sa.String(32), sa.ForeignKey("letters.id", ondelete="CASCADE"), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(24), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("notes_sealed", sa.Text(), nullable=True),
    )
    op.create_index("ix_office_replies_letter_id", "office_replies", ["letter_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=True),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_case_id", "audit_log", ["case_id"])


def downgrade() -> None:
    for table in ("audit_log", "office_replies", "letters", "consultations", "people"):
        op.drop_table(table)
