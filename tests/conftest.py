"""Fixtures for every test: private platform folders and databases on both back ends."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from tests.dav_servers import DavServer, start_server
from tests.memory_keyring import MemoryKeyring

POSTGRES_URL_ENV = "DIARY_TEST_POSTGRES_URL"
TRAVEL_ENV = "DIARY_TEST_TRAVEL"


def pytest_configure(config: pytest.Config) -> None:
    """Move the process clock for the whole session when DIARY_TEST_TRAVEL says so.

    `+1100d` moves it that many days ahead; an ISO 8601 instant with offset puts it there.
    The clock keeps ticking from that point (`make pytest-moved-clock`). Only this session's
    process travels: tests that must agree with a child process give both the same clock.
    """
    travel = os.environ.get(TRAVEL_ENV, "")
    if not travel:
        return
    import time_machine

    if travel.startswith("+") and travel.endswith("d"):
        destination = datetime.now(UTC) + timedelta(days=int(travel[1:-1]))
    else:
        destination = datetime.fromisoformat(travel)
    traveller = time_machine.travel(destination, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)
    print(f"{TRAVEL_ENV}: the clock reads {datetime.now(UTC).isoformat()}")
REQUIRE_POSTGRES_ENV = "DIARY_REQUIRE_POSTGRES"


@pytest.fixture(scope="session", autouse=True)
def session_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The platform folders of fixtures wider than a test (a module's template diary): the
    session's own, so nothing such a fixture writes (a backup, a log) lands in $HOME."""
    root = tmp_path_factory.mktemp("session-xdg")
    with pytest.MonkeyPatch.context() as patch:
        for kind in ("DATA", "CONFIG", "STATE", "CACHE"):
            (root / kind.lower()).mkdir()
            patch.setenv(f"XDG_{kind}_HOME", str(root / kind.lower()))
        patch.delenv("DIARY_DB", raising=False)
        yield


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point platformdirs' data/config/state/cache folders into tmp_path: no test touches $HOME."""
    folders = {}
    for kind in ("DATA", "CONFIG", "STATE", "CACHE"):
        folder = tmp_path / "xdg" / kind.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(f"XDG_{kind}_HOME", str(folder))
        folders[kind.lower()] = folder
    # A DIARY_DB from the developer's shell must never leak into a test.
    monkeypatch.delenv("DIARY_DB", raising=False)
    return folders


@pytest.fixture
def desktop_umask() -> Iterator[None]:
    """The umask of a desktop session (022): a writer that relies on the process umask to be
    private shows up (the installed program sets 077 itself, diary.__main__)."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A SQLite file URL in tmp_path (the file does not exist yet)."""
    return f"sqlite:///{tmp_path / 'diary.sqlite3'}"


def _reset_postgres(url: str) -> None:
    """Drop everything in the test database: each test starts from an empty schema."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            # A test that forgot to close its Database would otherwise block DROP SCHEMA.
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The PostgreSQL test database, emptied before and after the test.

    Skips when DIARY_TEST_POSTGRES_URL is unset, unless DIARY_REQUIRE_POSTGRES=1 (CI),
    where a missing server is a failure.
    """
    url = os.environ.get(POSTGRES_URL_ENV, "")
    if not url:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(f"{REQUIRE_POSTGRES_ENV}=1 but {POSTGRES_URL_ENV} is not set")
        pytest.skip(f"{POSTGRES_URL_ENV} is not set (see .ci/run)")
    _reset_postgres(url)
    yield url
    _reset_postgres(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db_url(request: pytest.FixtureRequest) -> str:
    """A fresh database URL on each back end: a SQLite file, then PostgreSQL (if available)."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_url")
        return url
    url = request.getfixturevalue("db_url")
    return url


@pytest.fixture(scope="session", params=["radicale", "xandikos"])
def dav_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DavServer]:
    """A CalDAV server on 127.0.0.1 for the whole run, once as Radicale, once as Xandikos.

    Tests share it: each makes its own calendar (tests.dav_servers.fresh_calendar).
    """
    server = start_server(request.param, tmp_path_factory.mktemp(request.param))
    yield server
    server.kill()


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """Every test gets an empty in-memory keyring; child processes get none at all."""
    import keyring

    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("DIARY_CALDAV_PASSWORD", raising=False)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Each test starts with untranslated messages: a window set to German must not leak."""
    from diary import i18n

    i18n.install("en_US")
    yield
    i18n.install("en_US")
