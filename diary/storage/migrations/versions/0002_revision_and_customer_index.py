"""A change counter per diary (read caches check it) and an index for customer history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("diaries") as batch:
        batch.add_column(
            sa.Column("revision", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
    op.create_index("ix_appointments_customer_id", "appointments", ["customer_id"])


def downgrade() -> None:
    op.drop_index("ix_appointments_customer_id", table_name="appointments")
    with op.batch_alter_table("diaries") as batch:
        batch.drop_column("revision")
