"""CalDAV sync (accounts, calendars, per-item state, conflicts, busy time) and the change
journal that lets every open window show what other writers changed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

Written by hand to match diary/storage/sync_schema.py and changes.py; tests/storage checks
they agree.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def _instant() -> sa.DateTime:
    return sa.DateTime(timezone=False)


def upgrade() -> None:
    op.create_table(
        "sync_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("diary_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("username", sa.String(200), nullable=False),
        sa.Column("push_bands", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created", _instant(), nullable=False),
        sa.Column("last_sync", _instant(), nullable=True),
        sa.Column("last_result", sa.Text(), server_default="", nullable=False),
        sa.Column("local_revision", sa.Integer(), server_default=sa.text("-1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["diary_id"],
            ["diaries.id"],
            name=op.f("fk_sync_accounts_diary_id_diaries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_accounts")),
        sa.UniqueConstraint("diary_id", "name", name=op.f("uq_sync_accounts_diary_id_name")),
    )
    op.create_table(
        "sync_collections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("wanted", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), server_default="", nullable=False),
        sa.Column("display_name", sa.Text(), server_default="", nullable=False),
        sa.Column("sync_token", sa.Text(), nullable=True),
        sa.Column("expanded_until", _instant(), nullable=True),
        sa.CheckConstraint("role IN ('diary', 'busy')", name=op.f("ck_sync_collections_role")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["sync_accounts.id"],
            name=op.f("fk_sync_collections_account_id_sync_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_collections")),
        sa.UniqueConstraint(
            "account_id", "role", "wanted", name=op.f("uq_sync_collections_account_id_role_wanted")
        ),
    )
    op.create_table(
        "sync_items",
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
        sa.CheckConstraint(
            "kind IN ('event', 'band', 'busy', 'other')", name=op.f("ck_sync_items_kind")
        ),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["sync_collections.id"],
            name=op.f("fk_sync_items_collection_id_sync_collections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_items")),
        sa.UniqueConstraint("collection_id", "href", name=op.f("uq_sync_items_collection_id_href")),
    )
    op.create_index("ix_sync_items_collection_id_uid", "sync_items", ["collection_id", "uid"])
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(255), nullable=False),
        sa.Column("title", sa.Text(), server_default="", nullable=False),
        sa.Column("fields", sa.Text(), server_default="{}", nullable=False),
        sa.Column("created", _instant(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["sync_accounts.id"],
            name=op.f("fk_sync_conflicts_account_id_sync_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
        sa.UniqueConstraint("account_id", "uid", name=op.f("uq_sync_conflicts_account_id_uid")),
    )
    op.create_table(
        "sync_busy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("diary_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(255), nullable=False),
        sa.Column("title", sa.Text(), server_default="", nullable=False),
        sa.Column("start_utc", _instant(), nullable=False),
        sa.Column("end_utc", _instant(), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["diary_id"],
            ["diaries.id"],
            name=op.f("fk_sync_busy_diary_id_diaries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["sync_items.id"],
            name=op.f("fk_sync_busy_item_id_sync_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_busy")),
    )
    op.create_index("ix_sync_busy_diary_id_start_utc", "sync_busy", ["diary_id", "start_utc"])
    op.create_index("ix_sync_busy_item_id", "sync_busy", ["item_id"])
    op.create_table(
        "diary_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("diary_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("start_utc", _instant(), nullable=True),
        sa.Column("end_utc", _instant(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diary_changes")),
    )
    op.create_index(
        "ix_diary_changes_diary_id_revision", "diary_changes", ["diary_id", "revision"]
    )


def downgrade() -> None:
    op.drop_table("diary_changes")
    op.drop_table("sync_busy")
    op.drop_table("sync_conflicts")
    op.drop_table("sync_items")
    op.drop_table("sync_collections")
    op.drop_table("sync_accounts")
