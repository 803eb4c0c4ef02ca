"""The field cases (tests/data/field-cases/README.md) with the values their README expects.

Each file failed in diary when it was tried; the expected values are what the owner's
phone shows. Clocks are fixed (FixedClock) at dates chosen around each case.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from diary.services import DiaryService
from diary.services.clock import FixedClock

from ..interchange import readers

FIELD = Path(__file__).resolve().parents[1] / "data" / "field-cases"
LONDON = ZoneInfo("Europe/London")


def _open(url: str, now: datetime) -> DiaryService:
    return DiaryService.open(url, zone="Europe/London", clock=FixedClock(now))


@pytest.fixture
def diary(any_db_url: str) -> Iterator[DiaryService]:
    service = _open(any_db_url, datetime(2026, 11, 30, 12, tzinfo=UTC))
    yield service
    service.close()


def _local(moment: datetime) -> tuple[date, time]:
    local = moment.astimezone(LONDON)
    return local.date(), local.time()


def test_16_a_daily_stand_up_since_2012_is_there_every_day(diary: DiaryService) -> None:
    summary = diary.calendar().import_calendar(FIELD / "16-long-running-daily-series.ics")
    assert (summary.added, summary.series) == (1, 1)
    # Today's week, a summer week years ahead, and its first week in 2012.
    for first in (date(2026, 11, 30), date(2031, 7, 14), date(2012, 1, 2)):
        lo = datetime.combine(first, time(0), LONDON)
        week = diary.listing(lo, lo + timedelta(days=7))
        assert [_local(i.appointment.start) for i in week] == [
            (first + timedelta(days=n), time(9, 30)) for n in range(7)
        ]
        assert {_local(i.appointment.end)[1] for i in week} == {time(9, 45)}


def test_16_three_years_on_without_a_write_the_stand_up_is_still_listed(any_db_url: str) -> None:
    service = _open(any_db_url, datetime(2026, 11, 30, 12, tzinfo=UTC))
    try:
        service.calendar().import_calendar(FIELD / "16-long-running-daily-series.ics")
    finally:
        service.close()
    later = _open(any_db_url, datetime(2029, 11, 30, 12, tzinfo=UTC))
    try:
        lo = datetime(2029, 12, 3, tzinfo=LONDON)
        week = later.listing(lo, lo + timedelta(days=7))
        assert len(week) == 7
    finally:
        later.close()


@pytest.mark.parametrize(
    "now",
    [datetime(2026, 11, 30, 12, tzinfo=UTC), datetime(2031, 6, 1, tzinfo=UTC)],
    ids=["stored", "expanded-from-the-rule"],
)
def test_22_this_and_future_moves_the_rest_of_the_course(db_url: str, now: datetime) -> None:
    diary = _open(db_url, now)
    try:
        _check_22(diary)
    finally:
        diary.close()


def _check_22(diary: DiaryService) -> None:
    summary = diary.calendar().import_calendar(FIELD / "22-thisandfuture-range.ics")
    assert summary.series == 1
    listed = diary.listing(datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 3, 1, tzinfo=UTC))
    got = [
        (
            i.appointment.start.astimezone(LONDON).strftime("%d %b %H:%M"),
            i.appointment.end.astimezone(LONDON).strftime("%H:%M"),
            i.appointment.title,
        )
        for i in listed
    ]
    assert got == [
        ("04 Jan 18:00", "19:00", "Evening course"),
        ("11 Jan 18:00", "19:00", "Evening course"),
        ("18 Jan 18:00", "19:00", "Evening course"),
        ("25 Jan 19:00", "20:00", "Evening course (new time)"),
        ("01 Feb 19:00", "20:00", "Evening course (new time)"),
        ("08 Feb 19:00", "20:00", "Evening course (new time)"),
    ]


def test_22_imports_twice_without_change(diary: DiaryService) -> None:
    diary.calendar().import_calendar(FIELD / "22-thisandfuture-range.ics")
    again = diary.calendar().import_calendar(FIELD / "22-thisandfuture-range.ics")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)


def test_02_a_vtimezone_named_gmt_with_summer_time_decides_the_time(
    diary: DiaryService,
) -> None:
    summary = diary.calendar().import_calendar(FIELD / "02-tzid-gmt-custom-bst.ics")
    assert summary.added == 1
    day = diary.listing(datetime(2026, 7, 23, tzinfo=UTC), datetime(2026, 7, 24, tzinfo=UTC))
    (talk,) = [i.appointment for i in day]
    assert talk.start == datetime(2026, 7, 23, 9, 20, tzinfo=UTC)  # 10:20 BST, not 11:20
    assert _local(talk.start)[1] == time(10, 20) and _local(talk.end)[1] == time(10, 50)
    assert talk.zone == "Europe/London"


def test_06_a_stale_duplicate_uid_loses_to_the_higher_sequence(diary: DiaryService) -> None:
    summary = diary.calendar().import_calendar(FIELD / "06-duplicate-uid-sequence.ics")
    assert (summary.added, summary.series) == (1, 1)
    said = [r.describe(summary.source) for r in summary.repairs]
    assert len(said) == 1 and "stale copy" in said[0] and "SEQUENCE 1" in said[0]
    autumn = diary.listing(datetime(2026, 7, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    days = [i.appointment.start.astimezone(LONDON).date().isoformat() for i in autumn]
    assert days == ["2026-08-03", "2026-08-17", "2026-09-14", "2026-09-28", "2026-10-12"]
    assert all(i.appointment.all_day for i in autumn)


def test_16_an_export_is_read_at_09_30_london_time_in_summer_by_other_clients(
    diary: DiaryService, tmp_path: Path
) -> None:
    diary.calendar().import_calendar(FIELD / "16-long-running-daily-series.ics")
    path = tmp_path / "standup.ics"
    diary.calendar().export_calendar(path, datetime(2026, 11, 1, tzinfo=UTC), buffers=False)
    summers = [(datetime(2027, 7, 5, tzinfo=UTC), datetime(2027, 7, 8, tzinfo=UTC))]
    summers.append((datetime(2036, 7, 7, tzinfo=UTC), datetime(2036, 7, 10, tzinfo=UTC)))
    for lo, hi in summers:
        wanted = {
            (
                "field-16-standup@example.test",
                f"{day:%Y%m%d}T083000Z",  # 09:30 BST
                f"{day:%Y%m%d}T084500Z",
            )
            for day in (lo + timedelta(days=n) for n in range(3))
        }
        assert readers.icalendar_occurrences(path.read_bytes(), lo, hi) == wanted
        assert readers.vobject_occurrences(path.read_bytes(), lo, hi) == wanted
        if readers.icaljs_ready():
            assert readers.icaljs_occurrences(path, lo, hi) == wanted
