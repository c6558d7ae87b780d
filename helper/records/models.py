"""The tables of the consultation records (SQLAlchemy 2). Migrations in ``migrations/`` create them.

Columns ending in ``_sealed`` hold values sealed by :mod:`helper.records.keys` (``kh1.<key id>.…``):
names, phone, address, date of birth, residence card number, notes, the answers and the result snapshot.
What is kept in the clear is what retention, ordering and the audit need and says nothing about the person
by itself: random ids, timestamps, dates of consultations, letters and replies, a letter's kind, a reply's
outcome code. The audit log holds no personal field: who (the staff account and role), what, when, and the
case's random id.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import ClassVar

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    SEALED: ClassVar[tuple[str, ...]] = ()  # the columns ``<name>_sealed`` of a table

    @property
    def row_id(self) -> str:
        return str(getattr(self, "id"))  # noqa: B009 - every sealed table has a random string id


class Person(Base):
    """One person's case: who they are (sealed), their consent, and when the case last changed."""

    __tablename__ = "people"
    SEALED = ("name", "name_kana", "birth_date", "address", "phone", "card_number", "notes")

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime())  # UTC, naive
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(), index=True)  # last change of anything in the case
    consent_at: Mapped[dt.datetime] = mapped_column(DateTime())
    consent_language: Mapped[str] = mapped_column(String(16))  # the language the consent screen was shown in
    consent_version: Mapped[str] = mapped_column(String(16))  # which consent text was agreed to
    name_sealed: Mapped[str | None] = mapped_column(Text)
    name_kana_sealed: Mapped[str | None] = mapped_column(Text)
    birth_date_sealed: Mapped[str | None] = mapped_column(Text)
    address_sealed: Mapped[str | None] = mapped_column(Text)
    phone_sealed: Mapped[str | None] = mapped_column(Text)
    card_number_sealed: Mapped[str | None] = mapped_column(Text)
    notes_sealed: Mapped[str | None] = mapped_column(Text)

    consultations: Mapped[list[Consultation]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Consultation.consulted_on")
    letters: Mapped[list[Letter]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True, order_by="Letter.sent_on")


class Consultation(Base):
    """One consultation: the answers as given that day and the results the rules gave (both sealed JSON)."""

    __tablename__ = "consultations"
    SEALED = ("answers", "result", "notes")

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    consulted_on: Mapped[dt.date] = mapped_column(Date())
    rules_as_of: Mapped[dt.date | None] = mapped_column(Date())
    created_at: Mapped[dt.datetime] = mapped_column(DateTime())
    answers_sealed: Mapped[str] = mapped_column(Text)
    result_sealed: Mapped[str | None] = mapped_column(Text)
    notes_sealed: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person] = relationship(back_populates="consultations")


class Letter(Base):
    """A letter sent for the person: its kind (a letter template id), when, to which office (sealed)."""

    __tablename__ = "letters"
    SEALED = ("office", "notes")

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[str | None] = mapped_column(ForeignKey("consultations.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(64))
    sent_on: Mapped[dt.date] = mapped_column(Date())
    created_at: Mapped[dt.datetime] = mapped_column(DateTime())
    office_sealed: Mapped[str | None] = mapped_column(Text)
    notes_sealed: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person] = relationship(back_populates="letters")
    replies: Mapped[list[OfficeReply]] = relationship(
        back_populates="letter", cascade="all, delete-orphan", passive_deletes=True,
        order_by="OfficeReply.received_on")


REPLY_OUTCOMES = ("granted", "partly_granted", "refused", "asked_for_more", "no_answer", "other")


class OfficeReply(Base):
    """What the office answered to a letter: an outcome code and notes (sealed)."""

    __tablename__ = "office_replies"
    SEALED = ("notes",)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    letter_id: Mapped[str] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), index=True)
    received_on: Mapped[dt.date] = mapped_column(Date())
    outcome: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime())
    notes_sealed: Mapped[str | None] = mapped_column(Text)

    letter: Mapped[Letter] = relationship(back_populates="replies")


class AuditEntry(Base):
    """Who did what to which case, when. No personal field: ``case_id`` is the case's random id, which
    points to nothing once the case is deleted; ``actor`` is a staff account, never a person served."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(24))
    case_id: Mapped[str | None] = mapped_column(String(32))


SEALED_TABLES: tuple[type[Base], ...] = (Person, Consultation, Letter, OfficeReply)
