"""SeriesService: repeating appointments booked in the diary, judged, exported, extended."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import event

from diary.domain.model import Rule
from diary.services import DiaryService, Draft, InputError, NotFoundError, Repeat
from diary.services.clock import FixedClock

from .conftest import NOW

LONDON = ZoneInfo("Europe/London")
YEAR = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 11, 1, tzinfo=UTC))
DECEMBER = (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def at(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def weekly_visit(**changes: object) -> Draft:
    values: dict[str, object] = {
        "title": "Weekly visit",
        "start": at(24, 10),
        "end": at(24, 11),
        "location": "Kitchen",
        "customer": "Zoë Müller-Łukasik",
    }
    values.update(changes)
    return Draft(**values)  # type: ignore[arg-type]


def _events(path: Path) -> list[dict[str, object]]:
    calendar = Calendar.from_ical(path.read_bytes())
    return [dict(e) for e in calendar.walk("VEVENT") if e.get("X-DIARY-BUFFER") is None]


def test_a_series_is_queryable_by_range_in_any_window(service: DiaryService) -> None:
    outcome = service.book_series(weekly_visit(), Repeat("weekly"))
    assert outcome.ok and outcome.appointment is not None
    uid = outcome.appointment.uid
    assert outcome.appointment.ref == f"{uid}#20261124T100000Z"
    december = service.listing(datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    assert [item.appointment.start.day for item in december] == [1, 8, 15, 22, 29]
    assert {item.appointment.uid for item in december} == {uid}
    # Wall-clock time is kept across the change to summer time.
    april = service.listing(datetime(2027, 4, 1, tzinfo=UTC), datetime(2027, 4, 8, tzinfo=UTC))
    assert [i.appointment.start.astimezone(LONDON).hour for i in april] == [10]
    # No horizon: three years ahead, and thirty, the series is still there every week.
    everything = service.listing(NOW, NOW + timedelta(days=3 * 366))
    assert len(everything) == 157
    starts = [item.appointment.start for item in everything]
    assert all((b - a) == timedelta(days=7) for a, b in zip(starts, starts[1:], strict=False))
    far = service.listing(datetime(2056, 6, 1, tzinfo=UTC), datetime(2056, 7, 1, tzinfo=UTC))
    assert [i.appointment.start.astimezone(LONDON).hour for i in far] == [10] * 4


def test_a_series_with_a_count_or_an_end_date_stops(service: DiaryService) -> None:
    counted = service.book_series(weekly_visit(), Repeat("daily", count=3))
    assert counted.ok
    dated = service.book_series(
        weekly_visit(start=at(24, 14), end=at(24, 15), location=None),
        Repeat("weekly", interval=2, until=date(2027, 1, 5)),
    )
    assert dated.ok
    found = service.listing(*YEAR)
    by_uid: dict[str, list[int]] = {}
    for item in found:
        by_uid.setdefault(item.appointment.uid, []).append(item.appointment.start.day)
    assert counted.appointment is not None and dated.appointment is not None
    assert by_uid[counted.appointment.uid] == [24, 25, 26]
    assert by_uid[dated.appointment.uid] == [24, 8, 22, 5]


def test_a_clash_refuses_the_whole_series_and_stores_nothing(service: DiaryService) -> None:
    blocker = service.book(
        Draft(title="Boiler", start=at(8, 10, month=12), end=at(8, 11, month=12))
    )
    assert blocker.ok
    before = service.listing(*YEAR)
    outcome = service.book_series(weekly_visit(), Repeat("weekly"))
    assert outcome.refused and outcome.appointment is None
    assert Rule.DOUBLE_BOOKING in {v.rule for v in outcome.violations}
    assert any(v.other_title == "Boiler" for v in outcome.violations)
    assert outcome.nearest is not None
    assert outcome.nearest.date() == date(2026, 12, 8) and outcome.nearest != at(8, 10, month=12)
    assert service.listing(*YEAR) == before

    with pytest.raises(InputError):
        service.book_series(weekly_visit(), Repeat("weekly"), force=True)
    forced = service.book_series(weekly_visit(), Repeat("weekly"), force=True, reason="agreed")
    assert forced.ok and forced.appointment is not None
    stored = {i.appointment.ref: i for i in service.listing(*YEAR)}
    clash = stored[f"{forced.appointment.uid}#20261208T100000Z"]
    assert clash.appointment.override_reason == "agreed"
    assert stored[f"{forced.appointment.uid}#20261201T100000Z"].appointment.override_reason is None


def test_bad_repeats_are_input_errors(service: DiaryService) -> None:
    with pytest.raises(InputError):
        service.book_series(weekly_visit(), Repeat("hourly"))
    with pytest.raises(InputError):
        service.book_series(weekly_visit(), Repeat("weekly", until=date(2026, 11, 1)))
    with pytest.raises(NotFoundError):
        service.book_series(weekly_visit(location="Mars"), Repeat("weekly"))


def test_export_writes_one_rrule_event_with_exdate_and_a_recurrence_id_override(
    service: DiaryService, tmp_path: Path
) -> None:
    outcome = service.book_series(weekly_visit(), Repeat("weekly"))
    assert outcome.appointment is not None
    uid = outcome.appointment.uid
    service.cancel(f"{uid}#20261201T100000Z")
    moved = service.move(f"{uid}#20261208T100000Z", at(8, 14, month=12))
    assert moved.ok
    # The moved occurrence is found at its new time by a range query.
    afternoon = service.listing(at(8, 13, month=12), at(8, 16, month=12))
    assert [i.appointment.ref for i in afternoon] == [f"{uid}#20261208T100000Z"]

    path = tmp_path / "out.ics"
    service.calendar().export_calendar(path, datetime(2026, 11, 1, tzinfo=UTC))
    mine = [e for e in _events(path) if str(e["UID"]) == uid]
    masters = [e for e in mine if "RECURRENCE-ID" not in e]
    overrides = [e for e in mine if "RECURRENCE-ID" in e]
    assert len(masters) == 1
    master = masters[0]
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY"
    assert master["DTSTART"].dt == at(24, 10)
    exdates = [d.dt for d in master["EXDATE"].dts]
    assert exdates == [at(1, 10, month=12)]
    assert len(overrides) == 1
    assert overrides[0]["RECURRENCE-ID"].dt == at(8, 10, month=12)
    assert overrides[0]["DTSTART"].dt == at(8, 14, month=12)

    # Back in: the same series, with the move and the cancellation.
    fresh = DiaryService.open("sqlite://", zone="Europe/London", clock=lambda: NOW)
    try:
        summary = fresh.calendar().import_calendar(path)
        assert summary.series == 1
        again = {i.appointment.ref: i.appointment for i in fresh.listing(*YEAR)}
        assert f"{uid}#20261201T100000Z" not in again
        assert again[f"{uid}#20261208T100000Z"].start == at(8, 14, month=12)
        assert again[f"{uid}#20261215T100000Z"].location is not None
    finally:
        fresh.close()


def test_cancelling_a_series_cancels_every_occurrence(
    service: DiaryService, tmp_path: Path
) -> None:
    outcome = service.book_series(weekly_visit(), Repeat("weekly"))
    assert outcome.appointment is not None
    uid = outcome.appointment.uid
    cancelled = service.cancel_series(uid)
    assert cancelled.appointment is not None and cancelled.appointment.cancelled
    assert date(2026, 12, 1) in cancelled.changed_days
    assert service.listing(*YEAR) == []
    with pytest.raises(NotFoundError):
        service.cancel_series(uid)
    path = tmp_path / "out.ics"
    service.calendar().export_calendar(path, datetime(2026, 11, 1, tzinfo=UTC))
    mine = [e for e in _events(path) if str(e["UID"]) == uid]
    assert len(mine) == 1 and str(mine[0]["STATUS"]) == "CANCELLED"
    assert "EXDATE" not in mine[0]


@pytest.fixture
def moving(any_db_url: str) -> Iterator[tuple[DiaryService, FixedClock]]:
    clock = FixedClock(NOW)
    svc = DiaryService.open(any_db_url, zone="Europe/London", clock=clock)
    yield svc, clock
    svc.close()


def test_reading_never_writes_and_a_later_write_moves_the_stored_range_on(
    moving: tuple[DiaryService, FixedClock],
) -> None:
    service, clock = moving
    open_ended = service.book_series(weekly_visit(location=None, customer=None), Repeat("weekly"))
    assert open_ended.appointment is not None
    uid = open_ended.appointment.uid
    with service.store.read() as uow:
        stored = uow.series.by_uid(uid)
    assert stored is not None and stored.materialised_until is not None
    assert stored.last_start is None  # the rule never ends

    # Three years on, nothing was written meanwhile: the window still lists every week,
    # expanded from the rule, and listing writes nothing (not even the revision).
    clock.advance(timedelta(days=3 * 365))
    week = (clock() + timedelta(days=2), clock() + timedelta(days=16))
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    engine = service.database.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        listed = service.listing(*week)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(listed) == 2 and {i.appointment.uid for i in listed} == {uid}
    assert not [s for s in statements if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]

    # The next write stores the occurrences around the new now.
    assert service.book(Draft(title="Boiler", start=at(1, 8, year=2030), end=at(1, 9, year=2030)))
    with service.store.read() as uow:
        moved = uow.series.by_uid(uid)
    assert moved is not None and moved.materialised_until is not None
    assert moved.materialised_until > clock() + timedelta(days=150)
    assert service.listing(*week) == listed


def test_a_moved_occurrence_far_ahead_is_kept_in_the_list_and_the_export(
    service: DiaryService, tmp_path: Path
) -> None:
    outcome = service.book_series(weekly_visit(), Repeat("weekly"))
    assert outcome.appointment is not None
    uid = outcome.appointment.uid
    # Ten years ahead: nothing is stored there, the occurrence comes from the rule.
    ref = f"{uid}#20361125T100000Z"
    moved = service.move(ref, datetime(2036, 11, 25, 15, tzinfo=LONDON))
    assert moved.ok, moved.violations
    day = service.listing(datetime(2036, 11, 25, tzinfo=UTC), datetime(2036, 11, 26, tzinfo=UTC))
    assert [(i.appointment.ref, i.appointment.start.hour) for i in day] == [(ref, 15)]
    path = tmp_path / "out.ics"
    service.calendar().export_calendar(path, datetime(2026, 11, 1, tzinfo=UTC))
    overrides = [e for e in _events(path) if str(e["UID"]) == uid and "RECURRENCE-ID" in e]
    assert [o["DTSTART"].dt for o in overrides] == [datetime(2036, 11, 25, 15, tzinfo=LONDON)]


def test_a_series_that_begins_years_ahead_is_exported_and_read_back_whole(
    service: DiaryService, tmp_path: Path
) -> None:
    # Nothing of it is stored (it begins past the derived range): the rule alone decides.
    start = at(24, 10, year=2031)
    booked = service.book_series(
        weekly_visit(start=start, end=at(24, 11, year=2031)), Repeat("weekly", count=5)
    )
    assert booked.ok and booked.appointment is not None
    uid = booked.appointment.uid
    path = tmp_path / "out.ics"
    service.calendar().export_calendar(path)  # open-ended: from 30 days ago on
    masters = [e for e in _events(path) if str(e["UID"]) == uid and "RRULE" in e]
    assert len(masters) == 1
    other = DiaryService.open("sqlite://", zone="Europe/London", clock=FixedClock(NOW))
    try:
        other.calendar().import_calendar(path)
        window = (start - timedelta(days=1), start + timedelta(days=60))
        starts = [i.appointment.start for i in other.listing(*window)]
        assert starts == [start + timedelta(weeks=week) for week in range(5)]
    finally:
        other.close()


def test_until_includes_an_evening_occurrence_west_of_greenwich() -> None:
    from datetime import date

    from diary.services import Repeat

    rule = Repeat("daily", until=date(2026, 12, 4)).rrule("America/New_York")
    # 23:59:59 in New York on 4 December is 04:59:59 UTC on the 5th.
    assert rule == "FREQ=DAILY;UNTIL=20261205T045959Z"


def test_the_migration_keeps_overrides_and_drops_what_the_rule_derives(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import text

    from diary.storage import open_database
    from diary.storage.migrate import alembic_config

    service = DiaryService.open(db_url, zone="Europe/London", clock=lambda: NOW)
    outcome = service.book_series(weekly_visit(location=None, customer=None), Repeat("weekly"))
    assert outcome.appointment is not None
    uid = outcome.appointment.uid
    moved = service.move(f"{uid}#20261208T100000Z", at(8, 15, month=12))
    assert moved.ok
    service.close()
    database = open_database(db_url)
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0002")
    database.close()

    again = DiaryService.open(db_url, zone="Europe/London", clock=lambda: NOW)
    try:
        with again.database.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT is_override FROM appointments WHERE series_id IS NOT NULL")
            ).all()
        assert rows == [(True,)]  # the move; the rest is the rule's, expanded when read
        december = again.listing(*DECEMBER)
        got = [(i.appointment.start.day, i.appointment.start.hour) for i in december]
        assert got == [(1, 10), (8, 15), (15, 10), (22, 10), (29, 10)]
    finally:
        again.close()
