"""Row <-> domain value round trips and the indexed overlap query, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from diary.domain.model import Appointment, Channel, Kind, Policy, WorkingHours
from diary.storage import Database, NotFound, StorageError, address_book, open_database
from diary.storage import repository as repo

LONDON = ZoneInfo("Europe/London")
DAY = datetime(2024, 6, 3, tzinfo=LONDON)  # a Monday


@pytest.fixture
def database(any_db_url: str) -> Iterator[Database]:
    opened = open_database(any_db_url)
    yield opened
    opened.close()


def _at(hour: int, minute: int = 0, day: datetime = DAY) -> datetime:
    return day.replace(hour=hour, minute=minute)


def _appt(uid: str, start: datetime, end: datetime, **fields: Any) -> Appointment:
    fields.setdefault("title", uid)
    return Appointment(uid=uid, start=start, end=end, zone="Europe/London", **fields)


def test_an_appointment_across_the_spring_change_keeps_instant_and_zone(
    database: Database,
) -> None:
    # 2024-03-31: London clocks jump from 01:00 GMT to 02:00 BST.
    start = datetime(2024, 3, 31, 0, 30, tzinfo=LONDON)
    end = datetime(2024, 3, 31, 3, 30, tzinfo=LONDON)
    with database.write("default") as (session, diary):
        repo.save_appointment(session, diary.id, _appt("spring", start, end, notes="café ☕"))

    with database.write("default") as (session, diary):
        loaded = repo.appointment_by_uid(session, diary.id, "spring")

    assert loaded is not None
    assert loaded.zone == "Europe/London"
    assert loaded.start == start and loaded.end == end
    assert loaded.start.utcoffset() == timedelta(0)
    assert loaded.end.utcoffset() == timedelta(hours=1)
    assert loaded.end.astimezone(UTC) - loaded.start.astimezone(UTC) == timedelta(hours=2)
    assert loaded.start.tzinfo == LONDON
    assert loaded.notes == "café ☕"
    assert loaded.created is not None and loaded.created.tzinfo is not None


def test_the_second_of_two_autumn_half_past_ones_survives(database: Database) -> None:
    second = datetime(2024, 10, 27, 1, 30, fold=1, tzinfo=LONDON)  # 01:30 GMT, after 01:30 BST
    with database.write("default") as (session, diary):
        repo.save_appointment(session, diary.id, _appt("fold", second, second + timedelta(hours=1)))
        loaded = repo.appointment_by_uid(session, diary.id, "fold")
    assert loaded is not None
    assert loaded.start.astimezone(UTC) == datetime(2024, 10, 27, 1, 30, tzinfo=UTC)


def test_overlap_query_finds_exactly_the_overlapping_ones(database: Database) -> None:
    with database.write("default") as (session, diary):
        for appointment in (
            _appt("ends-at-ten", _at(8), _at(10)),
            _appt("inside", _at(10, 15), _at(10, 45)),
            _appt("across-eleven", _at(10, 30), _at(11, 30)),
            _appt("starts-at-eleven", _at(11), _at(12)),
            _appt("cancelled", _at(10), _at(11), cancelled=True),
            _appt(
                "other-day",
                _at(10, day=DAY + timedelta(days=1)),
                _at(11, day=DAY + timedelta(days=1)),
            ),
        ):
            repo.save_appointment(session, diary.id, appointment)
        # Saved last, so the look-back bound must have grown for it to be found.
        repo.save_appointment(
            session,
            diary.id,
            _appt(
                "week-long",
                DAY - timedelta(days=5),
                DAY + timedelta(hours=10, minutes=1),
                kind=Kind.BLOCK,
            ),
        )

    with database.session() as session:
        diary_id = database.ensure_diary("default", "UTC")
        found = repo.appointments_overlapping(session, diary_id, _at(10), _at(11))
        with_cancelled = repo.appointments_overlapping(
            session, diary_id, _at(10), _at(11), include_cancelled=True
        )
        span = repo.max_span(session, diary_id)

    assert [a.uid for a in found] == ["week-long", "inside", "across-eleven"]
    assert {a.uid for a in with_cancelled} == {"week-long", "inside", "across-eleven", "cancelled"}
    assert span == timedelta(days=5, hours=10, minutes=1)


def test_the_overlap_query_refuses_naive_bounds(database: Database) -> None:
    with database.write("default") as (session, diary), pytest.raises(ValueError, match="aware"):
        repo.appointments_overlapping(session, diary.id, datetime(2024, 1, 1), _at(11))


def test_saving_again_updates_in_place(database: Database) -> None:
    with database.write("default") as (session, diary):
        first = repo.save_appointment(session, diary.id, _appt("a", _at(9), _at(10)))
    with database.write("default") as (session, diary):
        moved = replace(first, sequence=1, title="moved").moved_to(_at(14))
        second = repo.save_appointment(session, diary.id, moved)
        everything = repo.appointments_overlapping(session, diary.id, _at(0), _at(23))
    assert [a.uid for a in everything] == ["a"]
    assert second.start == _at(14) and second.sequence == 1 and second.title == "moved"
    assert second.created == first.created
    assert first.updated is not None and second.updated is not None
    assert second.updated >= first.updated


def test_customers_locations_and_travel(database: Database) -> None:
    with database.write("default") as (session, diary):
        ada = address_book.add_customer(
            session, "Ada", email="ada@example.org", prefers=Channel.TEXT
        )
        office = address_book.add_location(
            session, "Office", address="1 High St", lat=51.5, lon=-0.1
        )
        phone = address_book.add_location(session, "Phone", remote=True)
        address_book.set_travel(session, office.id, phone.id, 0)
        address_book.set_travel(session, phone.id, office.id, 25)
        address_book.set_travel(session, phone.id, office.id, 30)
        repo.save_appointment(
            session, diary.id, _appt("visit", _at(9), _at(10), customer=ada, location=office)
        )
        with pytest.raises(StorageError, match="already exists"):
            address_book.add_customer(session, "Ada")

    with database.write("default") as (session, diary):
        visit = repo.appointment_by_uid(session, diary.id, "visit")
        assert visit is not None and visit.customer == ada and visit.location == office
        assert address_book.customer_by_name(session, "Ada") == ada
        assert address_book.customer_by_name(session, "Bob") is None
        assert address_book.location_by_name(session, "Phone") == phone
        assert address_book.location_by_id(session, office.id) == office
        assert address_book.all_locations(session) == [office, phone]
        assert address_book.travel_table(session) == {
            (office.id, phone.id): 0,
            (phone.id, office.id): 30,
        }
        renamed = address_book.update_customer(session, replace(ada, name="Ada L.", phone="0123"))
        assert address_book.all_customers(session) == [renamed]
        assert renamed.phone == "0123"


def test_missing_things_are_reported(database: Database) -> None:
    with database.write("default") as (session, diary):
        ghost = address_book.add_customer(session, "Ghost")
    with database.write("default") as (session, diary):
        with pytest.raises(NotFound, match="appointment 'nope'"):
            repo.delete_appointment(session, diary.id, "nope")
        with pytest.raises(NotFound, match="customer #"):
            repo.save_appointment(
                session, diary.id, _appt("x", _at(9), _at(10), customer=replace(ghost, id=9999))
            )
        assert repo.appointment_by_uid(session, diary.id, "nope") is None


def test_delete_removes_the_appointment(database: Database) -> None:
    with database.write("default") as (session, diary):
        repo.save_appointment(session, diary.id, _appt("gone", _at(9), _at(10)))
    with database.write("default") as (session, diary):
        repo.delete_appointment(session, diary.id, "gone")
    with database.write("default") as (session, diary):
        assert repo.appointment_by_uid(session, diary.id, "gone") is None


def test_a_failed_write_changes_nothing(database: Database) -> None:
    with pytest.raises(RuntimeError), database.write("default") as (session, diary):
        repo.save_appointment(session, diary.id, _appt("half", _at(9), _at(10)))
        raise RuntimeError("boom")
    with database.write("default") as (session, diary):
        assert repo.appointment_by_uid(session, diary.id, "half") is None


def test_diaries_are_separate(database: Database) -> None:
    with database.write("home") as (session, home):
        repo.save_appointment(session, home.id, _appt("a", _at(9), _at(10)))
    with database.write("work") as (session, work):
        repo.save_appointment(session, work.id, _appt("a", _at(9), _at(10), title="other"))
        assert len(repo.appointments_overlapping(session, work.id, _at(0), _at(23))) == 1


def test_policy_round_trip(database: Database) -> None:
    with database.write("default", zone="Europe/London") as (session, diary):
        assert repo.load_policy(session, diary) == Policy(zone="Europe/London")
        policy = Policy(
            zone="Europe/Berlin",
            week=(WorkingHours(time(7, 30), time(16, 0)), None, None, None, None, None, None),
            reserve_minutes=90,
            base_location_id=3,
            road_factor=1.4,
        )
        repo.save_policy(session, diary, policy)
    with database.write("default") as (session, diary):
        assert repo.load_policy(session, diary) == policy
        assert diary.zone == "Europe/Berlin"


def test_a_corrupt_policy_is_a_clear_error(database: Database) -> None:
    with database.write("default") as (session, diary):
        diary.policy_json = '{"week": ["8-late", null, null, null, null, null, null]}'
        with pytest.raises(StorageError, match="HH:MM-HH:MM"):
            repo.load_policy(session, diary)


def test_the_look_back_is_real_time_across_a_clock_change(database: Database) -> None:
    # 23 real hours, 10:45 GMT to 10:45 BST; wall-clock look-back from 10:30 BST would miss it.
    start = datetime(2024, 3, 30, 10, 45, tzinfo=LONDON)
    end = datetime(2024, 3, 31, 10, 45, tzinfo=LONDON)
    with database.write("default") as (session, diary):
        repo.save_appointment(session, diary.id, _appt("overnight", start, end, kind=Kind.BLOCK))
        found = repo.appointments_overlapping(
            session,
            diary.id,
            datetime(2024, 3, 31, 10, 30, tzinfo=LONDON),
            datetime(2024, 3, 31, 11, 0, tzinfo=LONDON),
        )
        assert repo.max_span(session, diary.id) == timedelta(hours=23)
    assert [a.uid for a in found] == ["overnight"]
