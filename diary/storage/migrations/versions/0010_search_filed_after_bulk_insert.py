"""SQLite: a bulk insert files its appointments in the search index itself, after inserting.

The row trigger stands aside while `search_appointments_deferred` holds a row, which only
an inserting transaction ever puts there (see `search_schema.deferred_appointments`): FTS5
filed an import's rows one by one at a write-out nearly each (out of rowid order), most of
the time an import spent inserting. The documents are the same; nothing is rebuilt.
PostgreSQL is unchanged.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

from diary.storage import search_schema

revision = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def _has_sqlite_index() -> bool:
    bind = op.get_bind()
    return bind.dialect.name == "sqlite" and search_schema.indexed(bind)


def upgrade() -> None:
    if not _has_sqlite_index():
        return
    bind = op.get_bind()
    # A diary created at this revision has both already (0005 creates the current index).
    bind.exec_driver_sql(f"DROP TABLE IF EXISTS {search_schema.DEFERRED}")
    bind.exec_driver_sql(search_schema.SQLITE_DEFERRED_TABLE)
    bind.exec_driver_sql("DROP TRIGGER IF EXISTS search_appointments_ai")
    bind.exec_driver_sql(search_schema.SQLITE_INSERT_TRIGGER)


def downgrade() -> None:
    if not _has_sqlite_index():
        return
    bind = op.get_bind()
    bind.exec_driver_sql("DROP TRIGGER IF EXISTS search_appointments_ai")
    bind.exec_driver_sql(search_schema.SQLITE_INSERT_TRIGGER_BEFORE_0010)
    bind.exec_driver_sql(f"DROP TABLE IF EXISTS {search_schema.DEFERRED}")
