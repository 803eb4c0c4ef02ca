"""Persistence: SQLAlchemy schema, engine set-up, Alembic migrations and row mapping."""

from diary.storage.engine import Database, default_db_path, open_database, resolve_url
from diary.storage.errors import NotFound, StorageError

# The sync tables join Base.metadata whenever the storage layer is loaded, so migrations
# and the schema check see them (they live in their own module, not in schema.py).
from diary.storage import sync_schema as _sync_schema  # noqa: E402, F401  # isort: skip

__all__ = [
    "Database",
    "NotFound",
    "StorageError",
    "default_db_path",
    "open_database",
    "resolve_url",
]
