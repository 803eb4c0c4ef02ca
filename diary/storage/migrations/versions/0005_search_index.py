"""The full-text index behind search (Ctrl+F): FTS5 on SQLite, tsvector + GIN on PostgreSQL.

Derived data kept by triggers; see diary.storage.search_index. A later migration that
rebuilds `appointments`, `customers`, `locations` or `promises` in SQLite batch mode drops
their triggers with the old table: it must call `search_schema.drop` before and
`search_schema.create` after (tests/services/test_search.py would catch the loss).

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

from diary.storage import search_schema

revision = "0005"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    search_schema.create(op.get_bind())


def downgrade() -> None:
    search_schema.drop(op.get_bind())
