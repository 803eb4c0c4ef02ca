"""Alembic, configured in code: revisions, upgrade at start, and the backup taken before it."""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DBAPIError

from diary.storage.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

# The newest revision in migrations/versions. Known without loading Alembic, so an
# up-to-date database opens fast; a test checks it against Alembic's own head.
HEAD_REVISION = "0011"

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"
# Any constant will do: every diary process serialises its migrations on this lock.
_PG_MIGRATION_LOCK = 0x6D696772


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config that needs no alembic.ini; `connection` is what env.py migrates."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision this code knows, as Alembic reads it from the scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise StorageError("diary was installed without its database migrations")
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; None for a database without diary tables."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def is_known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def backup_path(db_path: Path, revision: str | None) -> Path:
    """Where the copy of `db_path` taken before migrating from `revision` goes.

    Named for the file's last change: the copy holds the diary as it was then.
    """
    stamp = datetime.fromtimestamp(db_path.stat().st_mtime, UTC).strftime("%Y%m%d%H%M%S")
    candidate = db_path.with_name(f"{db_path.name}.bak-{stamp}-{revision or 'none'}")
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = db_path.with_name(f"{db_path.name}.bak-{stamp}-{revision or 'none'}-{counter}")
    return candidate


def backup_sqlite(db_path: Path, target: Path) -> None:
    """Copy a live SQLite database, WAL content included, with SQLite's online backup API.

    The copy is private from its first byte (0600, created exclusively, never through a
    link) and appears under `target` only when complete (written beside it, then renamed).
    """
    partial = target.with_name(f".{target.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    os.close(descriptor)
    try:
        source = sqlite3.connect(str(db_path))
        try:
            copy = sqlite3.connect(str(partial))
            try:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                copy.close()
        finally:
            source.close()
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def is_up_to_date(connection: Connection) -> bool:
    """Whether the database is at HEAD_REVISION: a plain read (no write lock, no Alembic)."""
    return _stored_revision(connection) == HEAD_REVISION


def upgrade_to_head(connection: Connection, shown_url: str, sqlite_path: Path | None) -> None:
    """Bring the database to the head revision; back a SQLite file up first if it has data.

    `connection` must be inside a transaction that serialises writers (BEGIN IMMEDIATE on
    SQLite); on PostgreSQL an advisory lock is taken here, so parallel starts migrate once.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
    if _stored_revision(connection) == HEAD_REVISION:
        return  # the common case, decided without importing Alembic
    tables = set(inspect(connection).get_table_names())
    revision = current_revision(connection)
    head = head_revision()
    if revision == head:
        return
    if revision is not None and not is_known_revision(revision):
        raise StorageError(
            f"database {shown_url} was written by a newer diary (revision {revision}); "
            "upgrade diary"
        )
    if tables and VERSION_TABLE not in tables:
        raise StorageError(
            f"database {shown_url} has tables but no diary schema version; "
            "it is not a diary database, refusing to change it"
        )
    if sqlite_path is not None and tables:
        target = backup_path(sqlite_path, revision)
        backup_sqlite(sqlite_path, target)
        log.info("backed up %s to %s before migrating", sqlite_path, target)
    log.info("migrating %s from revision %s to %s", shown_url, revision, head)
    from alembic import command

    command.upgrade(alembic_config(connection), "head")


def _stored_revision(connection: Connection) -> str | None:
    """The version row, read with plain SQL (None when there is no version table)."""
    try:
        with connection.begin_nested():
            return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    except DBAPIError:  # no such table yet: a new or foreign database
        return None
