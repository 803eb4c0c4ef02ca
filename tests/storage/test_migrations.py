"""Opening a database: file safety, SQLite settings, migrations, backups, version errors."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from diary.storage import StorageError, default_db_path, open_database, resolve_url
from diary.storage.migrate import alembic_config, backup_path, head_revision
from diary.storage.schema import Base
from diary.storage.search_schema import is_search_object
from diary.storage.types import UTCDateTime


def _path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def _backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.bak-*"))


def test_a_database_others_could_read_is_made_private_when_opened(db_url: str) -> None:
    open_database(db_url).close()
    path = _path(db_url)
    path.chmod(0o644)
    wal = path.with_name(path.name + "-wal")
    wal.write_bytes(b"")
    wal.chmod(0o664)
    open_database(db_url).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not wal.exists() or stat.S_IMODE(wal.stat().st_mode) == 0o600


def test_fresh_sqlite_file_is_private_and_safely_configured(db_url: str) -> None:
    database = open_database(db_url)
    try:
        assert stat.S_IMODE(_path(db_url).stat().st_mode) == 0o600
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
    finally:
        database.close()


def test_missing_parent_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "diary.sqlite3"
    open_database(f"sqlite:///{path}").close()
    assert path.exists()


def test_migrated_schema_matches_the_orm_metadata(any_db_url: str) -> None:
    database = open_database(any_db_url)
    try:
        with database.engine.connect() as connection:
            # The search index is derived data kept by triggers, outside the ORM.
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, kind, parent: not is_search_object(name),
                },
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        database.close()


def test_reopening_at_head_changes_nothing(db_url: str) -> None:
    open_database(db_url).close()
    open_database(db_url).close()
    assert _backups(_path(db_url)) == []


def test_an_older_database_is_backed_up_before_it_is_migrated(db_url: str) -> None:
    database = open_database(db_url)
    with database.engine.begin() as connection:
        # Data the migration must not lose, and which the backup must hold.
        connection.exec_driver_sql("CREATE TABLE keepsake (note TEXT)")
        connection.exec_driver_sql("INSERT INTO keepsake VALUES ('precious')")
        command.downgrade(alembic_config(connection), "base")
    database.close()

    reopened = open_database(db_url)
    try:
        with reopened.engine.connect() as connection:
            revision = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert revision.scalar() == head_revision()
    finally:
        reopened.close()

    (backup,) = _backups(_path(db_url))
    assert backup.name.endswith("-none")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT note FROM keepsake").fetchall() == [("precious",)]
        assert copy.execute("SELECT count(*) FROM alembic_version").fetchone() == (0,)


def test_a_database_from_a_newer_diary_is_refused_clearly(db_url: str) -> None:
    open_database(db_url).close()
    with sqlite3.connect(_path(db_url)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(StorageError, match=r"newer diary \(revision 9999_future\); upgrade diary"):
        open_database(db_url)
    assert _backups(_path(db_url)) == []


def test_a_foreign_sqlite_file_is_left_alone(db_url: str) -> None:
    with sqlite3.connect(_path(db_url)) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(StorageError, match="not a diary database"):
        open_database(db_url)


def test_backup_names_carry_the_file_time_and_revision(tmp_path: Path) -> None:
    path = tmp_path / "diary.sqlite3"
    path.touch()
    when = datetime(2024, 3, 31, 1, 2, 3, tzinfo=UTC)  # the file's last change, set on purpose
    os.utime(path, (when.timestamp(), when.timestamp()))
    first = backup_path(path, "0001")
    assert first.name == "diary.sqlite3.bak-20240331010203-0001"
    first.touch()
    assert backup_path(path, "0001").name == "diary.sqlite3.bak-20240331010203-0001-2"


def test_resolve_url_prefers_argument_then_environment_then_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_folders: dict[str, Path]
) -> None:
    assert default_db_path() == private_folders["data"] / "diary" / "diary.sqlite3"
    assert resolve_url(None) == f"sqlite:///{default_db_path()}"
    monkeypatch.setenv("DIARY_DB", "postgresql+psycopg://team@server/diary")
    assert resolve_url(None) == "postgresql+psycopg://team@server/diary"
    assert resolve_url("sqlite:///:memory:") == "sqlite:///:memory:"
    monkeypatch.chdir(tmp_path)
    assert resolve_url("mine.sqlite3") == f"sqlite:///{tmp_path / 'mine.sqlite3'}"


def test_in_memory_sqlite_works_for_quick_experiments() -> None:
    database = open_database("sqlite:///:memory:")
    try:
        assert database.ensure_diary("default", "Europe/London") == database.ensure_diary(
            "default", "UTC"
        )
    finally:
        database.close()


def test_instants_refuse_naive_datetimes() -> None:
    column_type = UTCDateTime()
    with pytest.raises(ValueError, match="naive"):
        column_type.process_bind_param(datetime(2024, 1, 1, 9, 0), dialect=None)  # type: ignore[arg-type]


def test_the_head_known_without_alembic_is_alembics_head() -> None:
    from diary.storage.migrate import HEAD_REVISION, head_revision

    assert head_revision() == HEAD_REVISION
