"""Imported events may have no length (RFC 5545 §3.6.1: DTSTART and no DTEND).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Nothing references the appointments table by foreign key, so the batch copy SQLite needs
to change a CHECK constraint loses nothing but the search index's triggers, which are
dropped before and made again after (see 0005 and diary.storage.search_index).
"""

from __future__ import annotations

from alembic import op

from diary.storage import search_schema

revision = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def _rebuilds_table() -> bool:
    """SQLite copies the table to change a constraint (its triggers go with it)."""
    return bool(op.get_bind().dialect.name == "sqlite")


def upgrade() -> None:
    if _rebuilds_table():
        search_schema.drop(op.get_bind())
    with op.batch_alter_table("appointments") as batch:
        batch.drop_constraint(op.f("ck_appointments_end_after_start"), type_="check")
        batch.create_check_constraint("end_not_before_start", "end_utc >= start_utc")
    if _rebuilds_table():
        search_schema.create(op.get_bind())


def downgrade() -> None:
    if _rebuilds_table():
        search_schema.drop(op.get_bind())
    op.execute("DELETE FROM appointments WHERE end_utc = start_utc")
    with op.batch_alter_table("appointments") as batch:
        batch.drop_constraint(op.f("ck_appointments_end_not_before_start"), type_="check")
        batch.create_check_constraint("end_after_start", "end_utc > start_utc")
    if _rebuilds_table():
        search_schema.create(op.get_bind())
