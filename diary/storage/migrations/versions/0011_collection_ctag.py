"""A calendar remembers the server's CTag as the last sync with nothing to send read it.

`sync_collections.ctag` (CalendarServer's getctag): a sync whose diary side is unchanged
asks the server for it first, and when it is the same, nothing changed there either, so
the sync-collection REPORT is not needed. Empty until the next such sync.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_collections") as batch:
        batch.add_column(sa.Column("ctag", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_collections") as batch:
        batch.drop_column("ctag")
