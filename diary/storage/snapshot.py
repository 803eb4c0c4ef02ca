"""Portable snapshots of a diary database: one SQLite file in diary's own schema.

- `write_snapshot(database, target)`: a SQLite database is copied with SQLite's online
  backup API (a consistent copy that does not stop writers); any other back end
  (PostgreSQL) is read in one repeatable-read transaction and written table by table into
  a new SQLite file migrated to the same schema. Either way the result opens with
  `open_database("sqlite:///...")` and restores on either back end.
- `inspect_snapshot(path)`: is it a SQLite file, intact (`PRAGMA integrity_check`), at a
  schema revision this diary knows? Raises `SnapshotRefused` saying why not.
- `replace_with_snapshot(database, path)`: every row of the database replaced by the
  snapshot's, in one write transaction (readers see the old state or the new one).

The snapshot holds every diary of the database (a team's PostgreSQL may hold several).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Table, delete, func, insert, inspect, select, text, update

from diary.storage.engine import Database, open_database
from diary.storage.errors import StorageError
from diary.storage.migrate import HEAD_REVISION, VERSION_TABLE, is_known_revision
from diary.storage.schema import Base, DiaryRow
from diary.storage.sync_schema import AccountRow, CollectionRow

SQLITE_HEADER = b"SQLite format 3\x00"
COPY_BATCH = 2000  # rows per INSERT when copying a table
COUNTED = ("appointments", "customers", "promises", "diaries")


class SnapshotRefused(StorageError):
    """The file is not a diary snapshot this diary can restore; the reason says why."""


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """What a snapshot holds: its schema revision and the number of rows of the main tables."""

    revision: str
    counts: dict[str, int]

    @property
    def current(self) -> bool:
        """At this diary's schema revision (an older one is migrated when restored)."""
        return self.revision == HEAD_REVISION


def _tables(connection: Connection) -> list[Table]:
    """diary's tables present in the database behind `connection`, parents first."""
    present = set(inspect(connection).get_table_names())
    return [table for table in Base.metadata.sorted_tables if table.name in present]


def _batches(connection: Connection, table: Table) -> Iterator[list[dict[str, object]]]:
    result = connection.execute(select(table).order_by(*table.primary_key.columns))
    while rows := result.mappings().fetchmany(COPY_BATCH):
        yield [dict(row) for row in rows]


def _copy_rows(source: Connection, target: Connection, tables: list[Table]) -> None:
    for table in tables:
        for batch in _batches(source, table):
            target.execute(insert(table), batch)


def write_snapshot(database: Database, target: Path) -> None:
    """Write the whole database to `target`, an empty or missing file, as a SQLite snapshot.

    Raises StorageError for an in-memory database (there is no file to copy) or when the
    copy fails.
    """
    if database.dialect_name == "sqlite":
        source_file = database.sqlite_file
        if source_file is None:
            raise StorageError("an in-memory database has no file to back up")
        try:
            with (
                closing(sqlite3.connect(source_file)) as source,
                closing(sqlite3.connect(target)) as copy,
            ):
                source.backup(copy)
                # A snapshot is one self-contained file: no -wal beside it when opened.
                copy.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.Error as error:
            raise StorageError(f"cannot back up {source_file}: {error}") from error
        return
    snapshot = open_database(f"sqlite:///{target}", database.clock)
    try:
        reading = database.engine.execution_options(isolation_level="REPEATABLE READ")
        with reading.connect() as source, snapshot.writer_engine.begin() as copy:
            source.execute(text("SET TRANSACTION READ ONLY"))
            _copy_rows(source, copy, _tables(source))
    finally:
        snapshot.close()
    with closing(sqlite3.connect(target)) as copy:
        copy.execute("PRAGMA journal_mode=DELETE")


def inspect_snapshot(path: Path) -> SnapshotInfo:
    """Check `path` is an intact diary snapshot of a known schema revision; what it holds.

    Opens the file read-write (give it a private copy: a damaged file is never touched in
    place). Raises SnapshotRefused with the reason otherwise.
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise SnapshotRefused(f"cannot read it: {error.strerror}") from None
    if header != SQLITE_HEADER:
        raise SnapshotRefused("not a diary backup (not a SQLite database file)")
    try:
        with closing(sqlite3.connect(path)) as connection:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise SnapshotRefused(f"the file is damaged ({problems[0]})")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if VERSION_TABLE not in tables or "diaries" not in tables:
                raise SnapshotRefused("not a diary backup (no diary schema in it)")
            revision = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
            counts = {
                name: int(connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0])
                for name in COUNTED
                if name in tables
            }
    except sqlite3.DatabaseError as error:
        raise SnapshotRefused(f"the file is damaged ({error})") from None
    if revision is None:
        raise SnapshotRefused("not a diary backup (no schema version in it)")
    if not is_known_revision(str(revision[0])):
        raise SnapshotRefused(
            f"written by a newer diary (schema revision {revision[0]}); upgrade diary first"
        )
    return SnapshotInfo(str(revision[0]), counts)


def snapshot_revisions(path: Path) -> dict[int, int]:
    """Each diary's revision by id in the snapshot at `path` (compare `Database.revisions`)."""
    try:
        reading = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        with closing(reading) as connection:
            rows = connection.execute("SELECT id, revision FROM diaries")
            return {int(diary): int(revision) for diary, revision in rows}
    except sqlite3.Error as error:
        raise SnapshotRefused(f"cannot read {path}: {error}") from None


def replace_with_snapshot(database: Database, snapshot: Database) -> None:
    """Replace every row of `database` by those of `snapshot` (both at the head revision).

    One write transaction: on SQLite it holds the write lock, on PostgreSQL it locks the
    diaries against writers (readers go on reading the old state until it commits). Each
    diary's revision ends above any it had, so no reader's cache takes the new rows for old.
    The CalDAV sync state comes back as old as the backup, so it is marked as needing a full
    comparison: no sync-token (the next sync lists the whole calendar and compares every
    ETag with what the restored diary last saw) and no "unchanged here since" revision.
    """
    with database.writer_engine.begin() as target, snapshot.engine.connect() as source:
        if database.dialect_name == "postgresql":
            target.execute(text("LOCK TABLE diaries IN EXCLUSIVE MODE"))
        before = target.execute(select(func.max(DiaryRow.revision))).scalar() or 0
        tables = _tables(target)
        missing = {t.name for t in tables} - {t.name for t in _tables(source)}
        if missing:
            raise SnapshotRefused(f"the backup lacks the tables {', '.join(sorted(missing))}")
        for table in reversed(tables):
            target.execute(delete(table))
        _copy_rows(source, target, tables)
        target.execute(update(DiaryRow).values(revision=DiaryRow.revision + before + 1))
        # The server moved on since the backup (diary's own later writes among them): a
        # token from then would have the next sync trust the restored picture of what the
        # server holds for everything it does not report.
        target.execute(update(CollectionRow).values(sync_token=None, ctag=None))
        target.execute(update(AccountRow).values(local_revision=-1))
        if database.dialect_name == "postgresql":
            _reset_sequences(target, tables)


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """After rows were inserted with their ids, let PostgreSQL's sequences go on above them."""
    for table in tables:
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or columns[0].type.python_type is not int:
            continue
        column = columns[0].name
        connection.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE((SELECT MAX({column}) FROM {table.name}), 0) + 1, false)"
            ),
            {"table": table.name, "column": column},
        )
