"""The PostgreSQL search documents carry their appointment's diary and start.

GIN cannot hand matches over in time order, and the planner misjudges how many rows a
prefix query matches, so a broad query ("High Street": every visit) joined thousands of
matches to `appointments` before keeping the 20 nearest (54-92 ms on the 100,000-appointment
bench diary). With the start beside the document and a btree on (diary_id, start_utc, id),
"the matches from now on, soonest first" is one index walk. The index is derived data: it is
dropped and built again from the tables. SQLite (FTS5, ordered by its rowid) is unchanged.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

from diary.storage import search_schema

revision = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        search_schema.drop(bind)
        search_schema.create(bind)


def downgrade() -> None:
    # 0005's triggers would write documents without the new columns: the index goes, and
    # search reads the tables until it is built again (slower, never wrong).
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        search_schema.drop(bind)
