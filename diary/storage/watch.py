"""Noticing that another connection committed to the database, cheaply, from one thread.

SQLite: `PRAGMA data_version` on a connection of our own changes whenever another
connection commits (https://sqlite.org/pragma.html#pragma_data_version); polling it costs
a read of the WAL index, no disk I/O. PostgreSQL: LISTEN on the diary's channel; every
write transaction NOTIFYs it at commit (`diary.storage.changes.notify`).
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any, Protocol

from sqlalchemy.engine import make_url

from diary.storage.changes import channel

POLL_SECONDS = 0.1  # SQLite: how often data_version is read (a change shows within this)


class CommitWatcher(Protocol):
    def wait(self, timeout: float) -> bool:
        """Block up to `timeout` seconds; True when another connection may have committed."""
        ...

    def close(self) -> None: ...


class _Stopped:
    """For a database no other process can write (in memory): waits, never fires."""

    def __init__(self) -> None:
        self._closed = threading.Event()

    def wait(self, timeout: float) -> bool:
        self._closed.wait(timeout)
        return False

    def close(self) -> None:
        self._closed.set()


class SqliteWatcher:
    """Polls `PRAGMA data_version` on a read-only connection of its own."""

    def __init__(self, path: str) -> None:
        self._connection = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, check_same_thread=False, timeout=1.0
        )
        self._closed = threading.Event()
        self._version = self._read()

    def _read(self) -> int:
        row = self._connection.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def wait(self, timeout: float) -> bool:
        waited = 0.0
        while not self._closed.is_set():
            try:
                version = self._read()
            except sqlite3.Error:
                version = self._version  # locked for a moment (a checkpoint): look again
            if version != self._version:
                self._version = version
                return True
            if waited >= timeout:
                return False
            step = min(POLL_SECONDS, timeout - waited) if timeout > waited else POLL_SECONDS
            if self._closed.wait(step):
                return False
            waited += step
        return False

    def close(self) -> None:
        self._closed.set()
        self._connection.close()


class PostgresWatcher:
    """LISTENs on the diary's channel over a connection of its own."""

    def __init__(self, url: str, diary_id: int) -> None:
        import psycopg

        conninfo = make_url(url).set(drivername="postgresql").render_as_string(
            hide_password=False
        )
        self._connection: Any = psycopg.connect(conninfo, autocommit=True)
        self._connection.execute(f'LISTEN "{channel(diary_id)}"')
        self._closed = threading.Event()

    def wait(self, timeout: float) -> bool:
        if self._closed.is_set():
            return False
        for _notice in self._connection.notifies(timeout=timeout, stop_after=1):
            return True
        return False

    def close(self) -> None:
        if not self._closed.is_set():
            self._closed.set()
            self._connection.close()


def watcher_for(url: str, diary_id: int) -> CommitWatcher:
    """The watcher that fits the database at `url`."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return PostgresWatcher(url, diary_id)
    database = parsed.database or ""
    if backend == "sqlite" and database and database != ":memory:" and not database.startswith(
        "file:"
    ):
        return SqliteWatcher(database)
    return _Stopped()
