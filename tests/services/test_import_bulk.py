"""An import stores its rows many to a statement: every row lands, in the list and in search.

Dates are in December 2026, after the fixture's clock (23 Nov 2026), on purpose.
"""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from diary.domain.model import Appointment
from diary.services import DiaryService, Draft
from diary.storage import bulk, search_schema
from diary.storage.migrate import alembic_config

from tests.services.conftest import NOW

TZ = ZoneInfo("Europe/London")
WORDS = ["alder", "birch", "cedar", "damson", "elder", "fir", "gorse", "hazel", "ivy", "juniper"]


def _calendar(count: int) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//diary tests//bulk//EN"]
    first = datetime(2026, 12, 1, 8)
    for number in range(count):
        start = first + timedelta(days=number // 8, hours=number % 8)
        lines += [
            "BEGIN:VEVENT",
            f"UID:bulk-{number}@test",
            "DTSTAMP:20261101T000000Z",
            f"DTSTART;TZID=Europe/London:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/London:{start + timedelta(minutes=30):%Y%m%dT%H%M%S}",
            # A word only this event has: search must find exactly it.
            f"SUMMARY:Visit {WORDS[number // 10 % 10]}{WORDS[number % 10]}",
            "END:VEVENT",
        ]
    return "\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n"


def test_more_rows_than_one_statement_holds_all_land_and_are_found(
    service: DiaryService, tmp_path: Path
) -> None:
    # 23 columns a row: 43 rows a statement; 100 rows are three statements, the last short.
    path = tmp_path / "bulk.ics"
    path.write_text(_calendar(100), encoding="utf-8")
    summary = service.calendar().import_calendar(path)
    assert summary.added == 100
    listed = service.listing(datetime(2026, 12, 1, tzinfo=TZ), datetime(2026, 12, 20, tzinfo=TZ))
    assert sorted(item.appointment.uid for item in listed) == sorted(
        f"bulk-{n}@test" for n in range(100)
    )
    for number in (0, 42, 43, 86, 99):
        word = f"{WORDS[number // 10 % 10]}{WORDS[number % 10]}"
        found = service.search(word).appointments
        assert [a.uid for a in found] == [f"bulk-{number}@test"], word


# -- the search index files an import's rows itself (search_schema.deferred_appointments) --


def _shuffled_calendar(count: int) -> str:
    """Events out of time order (the index's own order), at two places, with notes, a
    cancelled one and a weekly series with a moved occurrence: what a trigger filed."""
    rng = random.Random(12)
    numbers = list(range(count))
    rng.shuffle(numbers)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//diary tests//bulk//EN"]
    for number in numbers:
        start = datetime(2026, 12, 1, 8) + timedelta(days=number // 8, hours=number % 8)
        lines += [
            "BEGIN:VEVENT",
            f"UID:shuffled-{number}@test",
            "DTSTAMP:20261101T000000Z",
            f"DTSTART;TZID=Europe/London:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/London:{start + timedelta(minutes=30):%Y%m%dT%H%M%S}",
            f"SUMMARY:Visit {WORDS[number // 10 % 10]}{WORDS[number % 10]}",
            f"DESCRIPTION:note{number}",
            f"LOCATION:{'Kitchen' if number % 3 else 'Bath'}",
            *(["STATUS:CANCELLED"] if number == 7 else []),
            "END:VEVENT",
        ]
    lines += [
        "BEGIN:VEVENT",
        "UID:weekly@test",
        "DTSTAMP:20261101T000000Z",
        "DTSTART;TZID=Europe/London:20261202T070000",
        "DTEND;TZID=Europe/London:20261202T073000",
        "RRULE:FREQ=WEEKLY",
        "SUMMARY:Standup quokka",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:weekly@test",
        "DTSTAMP:20261101T000000Z",
        "RECURRENCE-ID;TZID=Europe/London:20261209T070000",
        "DTSTART;TZID=Europe/London:20261209T063000",
        "DTEND;TZID=Europe/London:20261209T070000",
        "SUMMARY:Standup wombat",
        "END:VEVENT",
    ]
    return "\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n"


def _documents(connection: Connection) -> list[tuple[object, ...]]:
    """The appointments' search documents, as stored."""
    if connection.dialect.name == "postgresql":
        sql = "SELECT id, diary_id, start_utc, document::text FROM search_appointments ORDER BY id"
    else:
        sql = (
            "SELECT rowid, id, title, notes, customer, place FROM search_appointments "
            "ORDER BY rowid"
        )
    return [tuple(row) for row in connection.exec_driver_sql(sql)]


def _as_rebuilt(engine: Engine) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The documents as they are, and as a rebuild from the tables makes them."""
    with engine.begin() as connection:
        found = _documents(connection)
        search_schema.rebuild(connection)
        return found, _documents(connection)


def test_an_import_out_of_time_order_is_indexed_as_a_rebuild_indexes_it(
    service: DiaryService, tmp_path: Path
) -> None:
    path = tmp_path / "shuffled.ics"
    path.write_text(_shuffled_calendar(100), encoding="utf-8")
    summary = service.calendar().import_calendar(path)
    assert summary.added == 100  # 99 events (one cancelled: skipped) and the series
    found, rebuilt = _as_rebuilt(service.store.database.engine)
    assert len(found) > 99  # the events and the series' stored occurrences
    assert found == rebuilt
    for number in (0, 1, 42, 43, 86, 99):
        word = f"{WORDS[number // 10 % 10]}{WORDS[number % 10]}"
        assert [a.uid for a in service.search(word).appointments] == [f"shuffled-{number}@test"]
    assert [a.uid for a in service.search("note42").appointments] == ["shuffled-42@test"]
    assert service.search(WORDS[0] + WORDS[7]).empty  # the cancelled one
    kitchen = {a.uid for a in service.search("hauptstr", limit=200).appointments}
    assert kitchen == {f"shuffled-{n}@test" for n in range(100) if n % 3 and n != 7}
    moved = service.search("wombat").appointments
    assert [(a.series_uid, a.start) for a in moved] == [
        ("weekly@test", datetime(2026, 12, 9, 6, 30, tzinfo=TZ))
    ]
    assert service.search("quokka").appointments  # the stored occurrences


def test_after_an_import_writes_are_indexed_by_the_triggers_again(
    service: DiaryService, tmp_path: Path
) -> None:
    path = tmp_path / "shuffled.ics"
    path.write_text(_shuffled_calendar(60), encoding="utf-8")
    service.calendar().import_calendar(path)
    start = datetime(2026, 12, 20, 10, tzinfo=TZ)
    outcome = service.book(Draft("Gutter platypus", start, start + timedelta(hours=1)))
    assert outcome.ok
    assert [a.title for a in service.search("platyp").appointments] == ["Gutter platypus"]
    engine = service.store.database.engine
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            deferring = connection.exec_driver_sql(f"SELECT count(*) FROM {search_schema.DEFERRED}")
            assert deferring.scalar() == 0
    found, rebuilt = _as_rebuilt(engine)
    assert found == rebuilt


def test_a_statement_failing_mid_insert_leaves_what_it_inserted_indexed(db_url: str) -> None:
    service = DiaryService.open(db_url, zone="Europe/London", clock=lambda: NOW)
    try:
        start = datetime(2026, 12, 1, 8, tzinfo=TZ)
        appointments = [
            Appointment(
                f"row-{n % 60}@test",
                f"Row alpaca{n}",
                start + timedelta(hours=n),
                start + timedelta(hours=n, minutes=30),
                "Europe/London",
            )
            for n in range(70)
        ]
        rows = [
            bulk.row_values(service.store.diary_id, a, now=NOW) for a in appointments
        ]  # rows 60-69 repeat the uids of 0-9: the second statement breaks UNIQUE
        engine = service.store.database.engine
        with Session(engine) as session:
            with pytest.raises(IntegrityError):
                bulk.insert_rows(session, service.store.diary_id, rows)
            connection = session.connection()
            inserted = connection.exec_driver_sql("SELECT count(*) FROM appointments").scalar()
            assert 0 < inserted < 60  # the first statement's rows, filed
            assert len(_documents(connection)) == inserted
            deferring = connection.exec_driver_sql(f"SELECT count(*) FROM {search_schema.DEFERRED}")
            assert deferring.scalar() == 0
            session.rollback()
        found, rebuilt = _as_rebuilt(engine)
        assert found == rebuilt == []
    finally:
        service.close()


_CRASHING_IMPORT = """
import os, sys
from datetime import UTC, datetime
from sqlalchemy.engine import Connection
from diary.services import DiaryService

statements = 0
execute = Connection.exec_driver_sql

def dying(self, statement, *args, **kwargs):
    global statements
    result = execute(self, statement, *args, **kwargs)
    if statement.startswith("INSERT INTO appointments"):
        statements += 1
        if statements == 2:  # rows inserted, their documents not yet filed
            os._exit(9)
    return result

Connection.exec_driver_sql = dying
service = DiaryService.open(sys.argv[1], zone="Europe/London",
                            clock=lambda: datetime(2026, 11, 23, 7, tzinfo=UTC))
service.calendar().import_calendar(sys.argv[2])
"""


def test_a_crash_mid_import_leaves_neither_rows_nor_documents(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "shuffled.ics"
    path.write_text(_shuffled_calendar(100), encoding="utf-8")
    DiaryService.open(db_url, zone="Europe/London", clock=lambda: NOW).close()
    died = subprocess.run(
        [sys.executable, "-c", _CRASHING_IMPORT, db_url, str(path)], check=False, timeout=120
    )
    assert died.returncode == 9
    service = DiaryService.open(db_url, zone="Europe/London", clock=lambda: NOW)
    try:
        engine = service.store.database.engine
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM appointments").scalar() == 0
            assert _documents(connection) == []
            deferring = connection.exec_driver_sql(f"SELECT count(*) FROM {search_schema.DEFERRED}")
            assert deferring.scalar() == 0
        assert service.calendar().import_calendar(path).added == 100
        assert [a.uid for a in service.search("note42").appointments] == ["shuffled-42@test"]
        found, rebuilt = _as_rebuilt(engine)
        assert found == rebuilt
    finally:
        service.close()


def _insert_trigger(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(
            connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'search_appointments_ai'"
            ).scalar()
        )


def test_a_diary_from_before_0010_gets_the_deferrable_trigger_and_keeps_its_index(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "shuffled.ics"
    path.write_text(_shuffled_calendar(40), encoding="utf-8")
    service = DiaryService.open(db_url, zone="Europe/London", clock=lambda: NOW)
    service.calendar().import_calendar(path)
    engine = service.store.database.engine
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0009")
    assert search_schema.DEFERRED not in _insert_trigger(engine)
    service.close()
    # Opened again, it is upgraded: the rows it filed by the trigger, then an import.
    older = DiaryService.open(db_url, zone="Europe/London", clock=lambda: NOW)
    try:
        assert search_schema.DEFERRED in _insert_trigger(older.store.database.engine)
        path.write_text(_shuffled_calendar(100), encoding="utf-8")
        assert older.calendar().import_calendar(path).added == 60
        assert [a.uid for a in older.search("note77").appointments] == ["shuffled-77@test"]
        assert [a.uid for a in older.search("note17").appointments] == ["shuffled-17@test"]
        found, rebuilt = _as_rebuilt(older.store.database.engine)
        assert found == rebuilt
    finally:
        older.close()
