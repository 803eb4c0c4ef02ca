"""Imported events may have no length (RFC 5545 §3.6.1: DTSTART and no DTEND).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Nothing references the appointments table by foreign key, so the batch copy SQLite needs
to change a CHECK constraint loses nothing.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("appointments") as batch:
        batch.drop_constraint(op.f("ck_appointments_end_after_start"), type_="check")
        batch.create_check_constraint("end_not_before_start", "end_utc >= start_utc")


def downgrade() -> None:
    op.execute("DELETE FROM appointments WHERE end_utc = start_utc")
    with op.batch_alter_table("appointments") as batch:
        batch.drop_constraint(op.f("ck_appointments_end_not_before_start"), type_="check")
        batch.create_check_constraint("end_after_start", "end_utc > start_utc")
