"""Consultation records for staff: cases saved with the person's consent, sealed at rest, every view,
export and deletion audited, on SQLite (default) or PostgreSQL (``DATABASE_URL``). See docs/records.md.

The person-facing questionnaire never imports this package: it works whether or not a database exists.
"""
