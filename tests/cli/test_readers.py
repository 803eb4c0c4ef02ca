"""Readers never wait and never write (issue 16): listing, checking, exporting and reports
take no write lock, change no byte of the database and answer from the last committed state
while another process holds a write (a long import, say)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from diary.cli import main

from tests.cli.runner import NOW, Diary

# Every command that only reads; each must succeed while a writer holds the lock.
READERS: list[tuple[str, ...]] = [
    ("list", "--from", "2026-11-23", "--to", "2026-11-29"),
    ("list", "--from", "2026-11-23", "--to", "2026-11-29", "--json"),
    ("check", "--from", "2026-11-23", "--to", "2026-11-29"),
    ("check", "--json"),
    ("suggest", "--duration", "60", "--location", "Kitchen"),
    ("customer", "list", "--json"),
    ("customer", "show", "Ada", "--json"),
    ("policy", "show"),
    ("promise", "list", "--json"),
    ("promise", "list", "--at-risk"),
    ("promise", "suggest-due", "--effort", "120"),
    ("promise", "tell", "1"),
    ("report", "customers", "--from", "2026-11-23", "--to", "2026-11-29"),
]


def _fill(diary: Diary) -> str:
    diary.ok("location", "add", "Home")
    diary.ok("location", "add", "Kitchen")
    diary.ok("travel", "set", "Home", "Kitchen", "20")
    diary.ok("policy", "set", "base", "Home")
    diary.ok("customer", "add", "Ada", "--email", "ada@example.com")
    uid = diary.ok(
        "add",
        "--title",
        "Survey",
        "--start",
        "2026-11-24T10:00",
        "--duration",
        "60",
        "--customer",
        "Ada",
        "--location",
        "Kitchen",
    ).strip()
    diary.ok("promise", "add", "--customer", "Ada", "--what", "Quote", "--due", "2026-11-26T17:00")
    return uid


def _outputs(diary: Diary, out: Path) -> dict[tuple[str, ...], str]:
    answers = {}
    for command in READERS:
        code, printed, err = diary(*command)
        assert code in (0, 1), (command, err)  # `check` exits 1 when it finds problems
        assert "Traceback" not in err
        answers[command] = printed
    for name, command in (
        ("export", ("export", str(out / "phone.ics"))),
        (
            "csv",
            (
                "report",
                "customers",
                "--from",
                "2026-11-23",
                "--to",
                "2026-11-29",
                "--csv",
                str(out / "report.csv"),
            ),
        ),
    ):
        code, _printed, err = diary(*command)
        assert code == 0, (name, err)
    return answers


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_reading_commands_change_no_byte_of_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "diary.sqlite3"
    diary = Diary(db, capsys)
    _fill(diary)
    before = _digest(db)
    revision = _revision(db)
    _outputs(diary, tmp_path)
    assert _digest(db) == before, "a read changed the database file"
    assert _revision(db) == revision
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0


def _revision(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        (value,) = connection.execute("SELECT revision FROM diaries").fetchone()
    return int(value)


@contextmanager
def _sqlite_writer_holding_the_lock(db: Path) -> Iterator[None]:
    """Another process's long write: BEGIN IMMEDIATE and an uncommitted appointment."""
    connection = sqlite3.connect(db, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE appointments SET title = 'uncommitted'")
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


def test_readers_answer_from_the_last_commit_while_a_writer_holds_the_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "diary.sqlite3"
    diary = Diary(db, capsys)
    _fill(diary)
    expected = _outputs(diary, tmp_path)
    # Were any of these to take the write lock, it would wait out the 10 s busy timeout
    # and fail with "database is locked".
    with _sqlite_writer_holding_the_lock(db):
        during = _outputs(diary, tmp_path)
    assert during == expected
    assert "uncommitted" not in "".join(during.values())


@pytest.mark.postgres
def test_readers_do_not_wait_for_a_postgres_writer(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A reader that asked for the diary's row lock would wait for the writer: with a lock
    # timeout it fails at once instead of hanging the test.
    impatient = pg_url + ("&" if "?" in pg_url else "?") + "options=-c%20lock_timeout%3D3000"
    diary = Diary(Path(impatient), capsys)
    diary.db = impatient  # type: ignore[assignment]
    _fill(diary)
    expected = _outputs(diary, tmp_path)
    engine = create_engine(pg_url, poolclass=NullPool)
    try:
        with engine.connect() as writer:
            writer.execute(text("SELECT id FROM diaries FOR UPDATE"))
            writer.execute(text("UPDATE appointments SET title = 'uncommitted'"))
            during = _outputs(diary, tmp_path)
            writer.rollback()
    finally:
        engine.dispose()
    assert during == expected


def test_a_new_diary_is_still_created_by_the_first_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new.sqlite3"
    code = main(
        ["--db", str(db), "list", "--from", "2026-11-23", "--to", "2026-11-24"], clock=lambda: NOW
    )
    assert code == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT name FROM diaries").fetchall() == [("default",)]


def test_printing_reads_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`diary print` (the window's views drawn offscreen) while a writer holds the lock."""
    from diary import app

    db = tmp_path / "diary.sqlite3"
    diary = Diary(db, capsys)
    _fill(diary)
    before = _digest(db)
    with _sqlite_writer_holding_the_lock(db):
        for view, name in (("week", "week.pdf"), ("agenda", "agenda.png")):
            argv = [
                "--db",
                str(db),
                "--tz",
                "Europe/London",
                "print",
                "--view",
                view,
                "--date",
                "2026-11-24",
                "--out",
                str(tmp_path / name),
            ]
            assert main(argv, clock=lambda: NOW, printer=app.print_view) == 0
            assert (tmp_path / name).stat().st_size > 0
    assert _digest(db) == before
