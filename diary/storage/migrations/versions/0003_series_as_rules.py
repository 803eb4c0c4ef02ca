"""Series are their rules: stored occurrences become a derived, rebuildable range.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Before, every occurrence up to a two-year horizon (at most 5000) was stored and the
horizon was topped up at start. Now the rule and the overrides are the truth; the
occurrences stored for range queries are derived. This migration keeps every override
(moved, edited, cancelled occurrences; a forced occurrence's reason makes it one),
drops the derived rows (the app expands those series from their rules until its next
write stores them again) and records RANGE=THISANDFUTURE on overrides.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


# Plain ALTER TABLE only (ADD, RENAME and DROP COLUMN; SQLite >= 3.35): a batch copy of
# `series` would drop the table, and ON DELETE CASCADE would take every occurrence with it.


def upgrade() -> None:
    op.execute("ALTER TABLE series RENAME COLUMN expanded_until TO materialised_until")
    op.add_column("series", sa.Column("materialised_from", sa.DateTime(timezone=False)))
    op.add_column("series", sa.Column("last_start_utc", sa.DateTime(timezone=False)))
    op.add_column(
        "series",
        sa.Column("spread_seconds", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    op.add_column(
        "appointments",
        sa.Column("this_and_future", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.execute("UPDATE series SET spread_seconds = duration_seconds, materialised_until = NULL")
    # An occurrence stored with an override reason (a forced booking) differs from its rule.
    op.execute(
        "UPDATE appointments SET is_override = TRUE "
        "WHERE series_id IS NOT NULL AND override_reason IS NOT NULL"
    )
    op.execute("DELETE FROM appointments WHERE series_id IS NOT NULL AND is_override = FALSE")


def downgrade() -> None:
    # The older code reads a NULL expanded_until as "nothing stored yet" and refills.
    op.execute("UPDATE series SET materialised_until = NULL")
    op.execute("DELETE FROM appointments WHERE series_id IS NOT NULL AND is_override = FALSE")
    op.execute("ALTER TABLE appointments DROP COLUMN this_and_future")
    op.execute("ALTER TABLE series DROP COLUMN spread_seconds")
    op.execute("ALTER TABLE series DROP COLUMN last_start_utc")
    op.execute("ALTER TABLE series DROP COLUMN materialised_from")
    op.execute("ALTER TABLE series RENAME COLUMN materialised_until TO expanded_until")
