"""Opening a database: where it lives, SQLite settings, migrations, and write transactions."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from diary.about import data_folder
from diary.db_url import without_password
from diary.domain.clock import Clock, SystemClock
from diary.storage.errors import StorageError
from diary.storage.migrate import is_up_to_date, upgrade_to_head
from diary.storage.schema import DiaryRow
from diary.storage.stamps import CLOCK_KEY

log = logging.getLogger(__name__)

DB_ENV = "DIARY_DB"
DEFAULT_DIARY = "default"
# Execution option read by the "begin" listener: which BEGIN a SQLite transaction starts with.
_SQLITE_BEGIN = "diary_sqlite_begin"
# Set in a connection's info by `_note_write` when a statement that changes data ran.
_WROTE = "diary_wrote"
# Statements that change nothing: anything else counts as a write (when unsure, a write).
_READ_ONLY = frozenset({"SELECT", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "SHOW"})
PRIVATE_MODE = 0o600


def default_db_path() -> Path:
    """The SQLite file used when neither --db nor DIARY_DB says otherwise."""
    return data_folder() / "diary.sqlite3"


def resolve_url(arg: str | None) -> str:
    """The database URL from --db, else $DIARY_DB, else the default file; paths become URLs."""
    value = arg or os.environ.get(DB_ENV) or str(default_db_path())
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().absolute()}"


def _sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL; None for in-memory databases and other back ends."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser().absolute()


def _create_private_file(path: Path) -> None:
    """Create the database file readable by its owner only (it holds customers' details)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new folder: ours only
    if not path.exists():
        descriptor = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_MODE)
        os.close(descriptor)


def _tighten(path: Path) -> None:
    """An existing database (and its journals) others may read is made 0600: called once it
    opened as a database, so a file given by mistake is left as it was."""
    for file in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))):
        try:
            found = file.stat()
            if found.st_mode & 0o077 and found.st_uid == os.getuid():
                file.chmod(PRIVATE_MODE)
        except OSError:
            continue  # gone meanwhile, or on a mount that refuses chmod


def _note_write(connection: Connection, _cursor: Any, statement: str, *_rest: Any) -> None:
    """after_cursor_execute: remember that this connection's transaction changed data."""
    words = statement.lstrip().split(None, 1)
    if not words or words[0].upper() not in _READ_ONLY:
        connection.info[_WROTE] = True


def _sqlite_engine(url: str, in_memory: bool) -> Engine:
    # isolation_level=None stops pysqlite from issuing its own BEGIN (and from committing
    # before DDL), so the "begin" listener can choose BEGIN or BEGIN IMMEDIATE itself.
    options: dict[str, Any] = {"connect_args": {"isolation_level": None}}
    if in_memory:
        options["poolclass"] = StaticPool
        options["connect_args"]["check_same_thread"] = False
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql(connection.get_execution_options().get(_SQLITE_BEGIN, "BEGIN"))

    return engine


def open_database(url: str, clock: Clock | None = None) -> Database:
    """Connect to `url`, creating and migrating the schema as needed (with a backup first).

    `clock` stamps what is written (created/updated); the program passes its one clock,
    a bare storage test gets the wall clock.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        shown = without_password(url)[:80]
        raise StorageError(f"cannot open database: {shown!r} is not a database URL") from None
    shown = without_password(url)
    try:
        sqlite_path = _sqlite_file(url)
        if parsed.get_backend_name() == "sqlite":
            # The engine first: an unknown driver is refused before any file is made.
            engine = _sqlite_engine(url, in_memory=sqlite_path is None)
            if sqlite_path is not None:
                _create_private_file(sqlite_path)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except NoSuchModuleError:
        raise StorageError(
            f"cannot open database {shown}: no database driver named {parsed.drivername!r}"
        ) from None
    except (OSError, ImportError, ValueError, ArgumentError) as error:
        raise StorageError(f"cannot open database {shown}: {error}") from error
    event.listen(engine, "after_cursor_execute", _note_write)
    database = Database(url, engine, clock or SystemClock())
    try:
        # A plain read first: a database that is up to date opens without the write lock
        # (so `list` answers while another process imports).
        with engine.connect() as connection:
            current = is_up_to_date(connection)
        if not current:
            with database.writer_engine.begin() as connection:
                upgrade_to_head(connection, shown, sqlite_path)
        if sqlite_path is not None:
            _tighten(sqlite_path)
    except StorageError:
        engine.dispose()
        raise
    except DBAPIError as error:  # OperationalError, "file is not a database", ...
        engine.dispose()
        raise StorageError(f"cannot open database {shown}: {error.orig}") from error
    return database


class Database:
    """An open, migrated database: read sessions and per-diary serialised write transactions."""

    def __init__(self, url: str, engine: Engine, clock: Clock) -> None:
        self.url = url
        self.clock = clock
        self.engine = engine
        self.dialect_name = engine.dialect.name
        self.writer_engine: Engine = engine
        if self.dialect_name == "sqlite":
            # BEGIN IMMEDIATE takes SQLite's write lock at once: two writers cannot both read
            # "slot free" and then both book it.
            self.writer_engine = engine.execution_options(**{_SQLITE_BEGIN: "BEGIN IMMEDIATE"})
        # Storage stamps rows with the session's clock (see `stamps.now`).
        info = {CLOCK_KEY: clock}
        self._reader = sessionmaker(engine, expire_on_commit=False, info=info)
        self._writer = sessionmaker(self.writer_engine, expire_on_commit=False, info=info)
        # Called on the writing thread before each write transaction begins, and after each
        # one that changed something has committed: the daily backups hang here. A failing
        # hook is logged, never raised.
        self.before_write: list[Callable[[], object]] = []
        self.after_change: list[Callable[[], object]] = []

    def kept_at(self) -> str:
        """Where this database is, for people: the SQLite file, else the URL without its
        password (never shown, never logged)."""
        file = _sqlite_file(self.url)
        if file is not None:
            return str(file)
        return without_password(self.url)

    @property
    def files(self) -> tuple[Path, ...]:
        """The SQLite file and its journal files; none for an in-memory or server database."""
        path = _sqlite_file(self.url)
        if path is None:
            return ()
        return (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal")))

    def session(self) -> Session:
        """A session for reading (its transaction is plain, it takes no write lock)."""
        return self._reader()

    @contextmanager
    def write(self, diary_name: str, *, zone: str = "UTC") -> Iterator[tuple[Session, DiaryRow]]:
        """One write transaction on `diary_name`, serialised against every other writer of it.

        The diary is created (with `zone`) if missing. Commits when the block ends normally,
        rolls back when it raises. The diary's revision is raised only when the transaction
        changed something: a write that found nothing to do leaves the database as it was.
        """
        self._run(self.before_write)
        changed = False
        with self._writer() as session, session.begin():
            connection = session.connection()
            connection.info[_WROTE] = False
            diary = self._lock_diary(session, diary_name, zone)
            yield session, diary
            session.flush()
            changed = connection.info.pop(_WROTE, True)
            if changed:
                session.execute(
                    update(DiaryRow)
                    .where(DiaryRow.id == diary.id)
                    .values(revision=DiaryRow.revision + 1)
                )
        if changed:
            self._run(self.after_change)

    @staticmethod
    def has_written(session: Session) -> bool:
        """Whether the write transaction of `session` (from `write`) changed data so far:
        what decides if the diary's revision is raised when it commits."""
        session.flush()
        return bool(session.connection().info.get(_WROTE, True))

    def _run(self, hooks: list[Callable[[], object]]) -> None:
        for hook in list(hooks):
            try:
                hook()
            except Exception:  # a backup that failed must not fail the owner's change
                log.exception("a hook around a write to %s failed", self.kept_at())

    def revisions(self) -> dict[int, int]:
        """Each diary's revision by id (a plain read): equal revisions, equal contents."""
        with self.session() as session:
            rows = session.execute(select(DiaryRow.id, DiaryRow.revision))
            return {diary: revision for diary, revision in rows}

    def ensure_diary(self, name: str, zone: str) -> int:
        """The id of diary `name`, created with `zone` if it does not exist yet.

        An existing diary is found with a plain read: opening a diary to read it takes no
        write lock and changes nothing.
        """
        with self.session() as session:
            found = session.scalar(select(DiaryRow.id).where(DiaryRow.name == name))
        if found is not None:
            return found
        with self.write(name, zone=zone) as (_session, diary):
            return diary.id

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite file; None for an in-memory SQLite database or another back end."""
        return _sqlite_file(self.url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({without_password(self.url)!r})"

    def _lock_diary(self, session: Session, name: str, zone: str) -> DiaryRow:
        # SQLite ignores FOR UPDATE: there BEGIN IMMEDIATE already holds the database's lock.
        locked = select(DiaryRow).where(DiaryRow.name == name).with_for_update()
        diary = session.scalars(locked).one_or_none()
        if diary is None:
            self._insert_diary(session, name, zone)
            diary = session.scalars(locked).one()
        return diary

    def _insert_diary(self, session: Session, name: str, zone: str) -> None:
        """Insert the diary row unless a concurrent writer has just done so."""
        values = {"name": name, "zone": zone, "max_span_seconds": 0, "policy_json": ""}
        # Each dialect's module is imported where it is used: loading the PostgreSQL
        # dialect costs a SQLite diary's every start ~0.05 s (bench/cli_bench.py).
        if self.dialect_name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            session.execute(pg_insert(DiaryRow).values(values).on_conflict_do_nothing())
        elif self.dialect_name == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            session.execute(sqlite_insert(DiaryRow).values(values).on_conflict_do_nothing())
        else:
            try:
                with session.begin_nested():
                    session.execute(insert(DiaryRow).values(values))
            except IntegrityError:
                pass  # someone else created it; the caller's SELECT ... FOR UPDATE finds it
