"""Persistence: SQLAlchemy schema, engine set-up, Alembic migrations and row mapping."""

from diary.storage.engine import Database, default_db_path, open_database, resolve_url
from diary.storage.errors import NotFound, StorageError

# The change journal and the sync tables join Base.metadata whenever the storage layer is
# loaded, so migrations and the schema check see them (they have modules of their own).
from diary.storage import changes as _changes  # noqa: E402, F401  # isort: skip
from diary.storage import sync_schema as _sync_schema  # noqa: E402, F401  # isort: skip

__all__ = [
    "Database",
    "NotFound",
    "StorageError",
    "default_db_path",
    "open_database",
    "resolve_url",
]
