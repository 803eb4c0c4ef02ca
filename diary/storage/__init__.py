"""Persistence: SQLAlchemy schema, engine set-up, Alembic migrations and row mapping."""

from diary.storage.engine import Database, default_db_path, open_database, resolve_url
from diary.storage.errors import NotFound, StorageError

__all__ = [
    "Database",
    "NotFound",
    "StorageError",
    "default_db_path",
    "open_database",
    "resolve_url",
]
