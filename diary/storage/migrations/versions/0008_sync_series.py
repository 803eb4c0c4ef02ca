"""Repeating appointments in the CalDAV sync: a sync item may be a whole series (its rule
and every override, one resource per UID).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

Only the check on sync_items.kind changes. SQLite cannot alter a CHECK constraint, so
there the table is copied (Alembic's batch mode, from the definition below).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

NEW = "kind IN ('event', 'series', 'band', 'busy', 'other')"
OLD = "kind IN ('event', 'band', 'busy', 'other')"


def _items(check: str) -> sa.Table:
    return sa.Table(
        "sync_items",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("href", sa.String(1000), nullable=False),
        sa.Column("uid", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(8), server_default="event", nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("base_ics", sa.Text(), server_default="", nullable=False),
        sa.Column("base_hash", sa.String(64), server_default="", nullable=False),
        sa.Column("local_fields", sa.Text(), server_default="{}", nullable=False),
        sa.Column("local_stamp", sa.String(120), server_default="", nullable=False),
        sa.CheckConstraint(check, name="ck_sync_items_kind"),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["sync_collections.id"],
            name="fk_sync_items_collection_id_sync_collections",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sync_items"),
        sa.UniqueConstraint("collection_id", "href", name="uq_sync_items_collection_id_href"),
        sa.Index("ix_sync_items_collection_id_uid", "collection_id", "uid"),
    )


def _check(check: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("sync_items", copy_from=_items(check), recreate="always"):
            pass
        return
    op.drop_constraint(op.f("ck_sync_items_kind"), "sync_items", type_="check")
    op.create_check_constraint(op.f("ck_sync_items_kind"), "sync_items", check)


def upgrade() -> None:
    _check(NEW)


def downgrade() -> None:
    op.execute("DELETE FROM sync_items WHERE kind = 'series'")
    _check(OLD)
