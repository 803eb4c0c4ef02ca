"""Backups the owner can restore (issue 16): daily after the first change, kept 7 daily and
4 weekly, private files, and a restore that brings back exactly what the backup held.

The clock is a FixedClock in November 2026 moved by hand (dates far from now on purpose),
so "a week ago" and "the first change of the day" are the test's, whatever the real date.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from diary.services import DiaryService, Draft, InputError
from diary.services.backups import AUTOMATIC, BEFORE_RESTORE, MANUAL, BackupRefused
from diary.services.clock import FixedClock

MONDAY = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)  # a week before the "today" of the test
LONDON = "Europe/London"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY)


@pytest.fixture
def service(any_db_url: str, clock: FixedClock) -> Iterator[DiaryService]:
    svc = DiaryService.open(any_db_url, zone=LONDON, clock=clock)
    svc.backups.zone = ZoneInfo(LONDON)  # "today" is the test's, not the machine's
    yield svc
    svc.close()


def _fill(service: DiaryService) -> None:
    service.add_location("Home", address="1 Home St")
    service.add_location("Kitchen", address="Hauptstr. 5")
    service.set_travel("Home", "Kitchen", 20)
    service.set_policy("base", "Home")
    service.add_customer("Ada", email="ada@example.com", prefers="text")
    start = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)
    service.book(
        Draft(
            "Kitchen survey", start, start + timedelta(hours=1), customer="Ada", location="Kitchen"
        )
    )
    service.add_promise(
        "Ada", "Quote for the kitchen", datetime(2026, 11, 20, 17, tzinfo=UTC), effort=90
    )


def _state(service: DiaryService) -> dict[str, Any]:
    """Everything the owner would notice: appointments, customers, promises, policy."""
    lo, hi = datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)
    return {
        "appointments": [
            (asdict(item.appointment), item.flag_names) for item in service.listing(lo, hi)
        ],
        "customers": [asdict(c) for c in service.customers()],
        # As stored (whether one is late depends on the clock, not on the backup).
        "promises": [asdict(v.promise) for v in service.promises(include_done=True)],
        "policy": asdict(service.policy()),
        "policy rows": service.policy_rows(),
    }


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_first_change_of_each_day_leaves_one_private_backup(
    service: DiaryService, clock: FixedClock
) -> None:
    assert service.backups.backups() == []
    _fill(service)  # many changes on Monday: one backup
    [monday] = service.backups.backups()
    assert monday.kind == AUTOMATIC and monday.taken == MONDAY
    assert _mode(monday.path) == 0o600 and _mode(monday.path.parent) == 0o700
    service.policy_rows()  # reading is no change
    clock.advance(timedelta(days=1))
    service.policy_rows()
    assert len(service.backups.backups()) == 1
    service.add_customer("Bo")
    assert [b.taken for b in service.backups.backups()] == [MONDAY + timedelta(days=1), MONDAY]


def test_a_days_backup_is_brought_up_to_date_before_the_next_days_first_write(
    service: DiaryService, clock: FixedClock
) -> None:
    _fill(service)
    monday_evening = _state(service)
    [monday] = service.backups.backups()
    clock.advance(timedelta(days=2))
    service.add_customer("Bo")
    wednesday, refreshed = service.backups.backups()
    assert refreshed.path == monday.path and refreshed.taken == MONDAY
    assert wednesday.taken == MONDAY + timedelta(days=2)
    restored = service.restore_backup(str(monday.path))
    assert _state(service) == monday_evening
    # Thursday's first write does not rewrite Wednesday's backup with the restored state.
    wednesday_bytes = wednesday.path.read_bytes()
    clock.advance(timedelta(days=1))
    service.add_customer("Cy")
    assert wednesday.path.read_bytes() == wednesday_bytes
    assert restored.kept_as.path.exists()


def test_automatic_backups_are_kept_seven_daily_and_four_weekly(
    service: DiaryService, clock: FixedClock
) -> None:
    for day in range(60):
        clock.set(MONDAY + timedelta(days=day, hours=1))
        service.add_customer(f"Customer {day}")
    backups = service.backups.backups()
    days = [(b.taken - MONDAY).days for b in backups]
    # The last seven days, then the newest of each of the four most recent weeks (Sundays).
    assert days == [59, 58, 57, 56, 55, 54, 53, 48, 41]
    assert {b.kind for b in backups} == {AUTOMATIC}


def test_a_restore_of_last_weeks_backup_brings_back_exactly_last_week(
    service: DiaryService, clock: FixedClock
) -> None:
    _fill(service)
    last_week = _state(service)
    [backup] = service.backups.backups()
    clock.advance(timedelta(days=7))
    # A week of changes: new, moved and cancelled appointments, customers, promises, policy.
    first = service.listing(MONDAY, MONDAY + timedelta(days=7))[0].appointment
    service.move(first.ref, first.start + timedelta(hours=2), force=True, reason="customer asked")
    start = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    added = service.book(Draft("Bathroom", start, start + timedelta(hours=2), customer="Ada"))
    assert added.appointment is not None
    service.cancel(added.appointment.ref)
    service.add_customer("Bo", phone="+44 20 7946 0000")
    promise = service.promises()[0].promise
    service.done(promise.id)
    service.set_policy("reserve", "90")
    service.set_policy("hours.sat", "09:00-12:00")
    this_week = _state(service)
    assert this_week != last_week

    restored = service.restore_backup(str(backup.path))

    assert _state(service) == last_week
    assert restored.counts["appointments"] == 1 and restored.counts["customers"] == 1
    assert restored.kept_as.kind == BEFORE_RESTORE
    # The state the restore replaced is a backup too: restoring it undoes the restore.
    service.restore_backup(str(restored.kept_as.path))
    assert _state(service) == this_week


def test_a_restored_diary_goes_on_taking_bookings(service: DiaryService, any_db_url: str) -> None:
    _fill(service)
    backup = service.backups.take()
    assert backup.kind == MANUAL
    service.add_customer("Bo")
    service.restore_backup(backup.path.name)  # a name from `diary backup list` will do
    service.add_customer("Cy")  # new ids go on above the restored ones (PostgreSQL sequences)
    assert [c.name for c in service.customers()] == ["Ada", "Cy"]
    other = DiaryService.open(any_db_url, zone=LONDON)
    try:
        assert [c.name for c in other.customers()] == ["Ada", "Cy"]
    finally:
        other.close()


def _refused_file(kind: str, tmp_path: Path, service: DiaryService) -> Path:
    path = tmp_path / f"{kind}.sqlite3"
    if kind == "text":
        path.write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n")
    elif kind == "other app":
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE notes (body TEXT)")
    elif kind in ("newer", "damaged"):
        good = service.backups.take(tmp_path / "good.sqlite3")
        data = bytearray(good.path.read_bytes())
        if kind == "damaged":
            # Scribble over the pages after the first (the schema stays readable).
            for offset in range(4096 + 100, len(data), 97):
                data[offset] = 0xA5
            path.write_bytes(bytes(data))
        else:
            path.write_bytes(bytes(data))
            with sqlite3.connect(path) as connection:
                connection.execute("UPDATE alembic_version SET version_num = '9999'")
    elif kind == "empty":
        path.write_bytes(b"")
    return path


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("text", "not a diary backup"),
        ("empty", "not a diary backup"),
        ("other app", "not a diary backup"),
        ("damaged", "damaged"),
        ("newer", "newer diary"),
        ("missing", "no such file"),
    ],
)
def test_a_file_that_cannot_be_restored_changes_nothing(
    service: DiaryService, tmp_path: Path, kind: str, says: str
) -> None:
    _fill(service)
    before = _state(service)
    path = _refused_file(kind, tmp_path, service)
    backups = service.backups.backups()
    with pytest.raises(BackupRefused, match=says) as refused:
        service.restore_backup(str(path))
    assert refused.value.where == str(path)
    assert _state(service) == before
    assert service.backups.backups() == backups, "no before-restore backup of a refusal"


def test_a_backup_of_an_older_schema_is_migrated_when_restored(
    service: DiaryService, tmp_path: Path
) -> None:
    from alembic import command

    from diary.storage.engine import _sqlite_engine
    from diary.storage.migrate import alembic_config

    old = tmp_path / "old.sqlite3"
    engine = _sqlite_engine(f"sqlite:///{old}", in_memory=False)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.exec_driver_sql(
            "INSERT INTO diaries (name, zone, max_span_seconds, policy_json) "
            "VALUES ('default', 'Europe/London', 0, '')"
        )
        connection.exec_driver_sql(
            "INSERT INTO customers (name, email, phone, prefers, notes, created, updated) "
            "VALUES ('Old Customer', '', '', 'email', '', '2025-01-01 00:00:00', "
            "'2025-01-01 00:00:00')"
        )
    engine.dispose()
    _fill(service)
    service.restore_backup(str(old))
    assert [c.name for c in service.customers()] == ["Old Customer"]


def test_backup_to_a_file_refuses_a_link_and_the_database_itself(
    service: DiaryService, tmp_path: Path
) -> None:
    _fill(service)
    (tmp_path / "link.sqlite3").symlink_to(tmp_path / "elsewhere.sqlite3")
    with pytest.raises(InputError, match="symbolic link"):
        service.backups.take(tmp_path / "link.sqlite3")
    assert not (tmp_path / "elsewhere.sqlite3").exists()
    file = service.database.sqlite_file
    if file is not None:
        with pytest.raises(InputError, match="database"):
            service.backups.take(file)


def test_what_a_killed_backup_left_behind_is_cleared_a_day_later(
    service: DiaryService, clock: FixedClock
) -> None:
    _fill(service)
    folder = service.backups.folder
    half = folder / ".diary-20261116T080000Z-automatic.sqlite3.x1y2z3.tmp.sqlite3"
    half.write_bytes(b"SQLite format 3\x00half")
    work = folder / ".restore-abc123"
    work.mkdir()
    (work / "restoring.sqlite3").write_bytes(b"")
    fresh = folder / ".diary-20261116T080000Z-manual.sqlite3.q.tmp.sqlite3"
    fresh.write_bytes(b"")
    old = (MONDAY - timedelta(days=2)).timestamp()
    for path in (half, work):
        os.utime(path, (old, old))
    service.backups.prune()
    assert not half.exists() and not work.exists()
    assert fresh.exists(), "one being written right now is left alone"
