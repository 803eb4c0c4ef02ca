"""The read cache never hides a change, whoever made it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from diary.domain.model import Appointment, Rule
from diary.services import DiaryService, Draft

TZ = ZoneInfo("Europe/London")
NINE = datetime(2026, 11, 24, 9, 0, tzinfo=TZ)


def probe() -> Appointment:
    return Appointment("probe", "Probe", NINE, NINE + timedelta(hours=1), "Europe/London")


def test_a_booking_by_another_process_shows_in_the_next_preview(any_db_url: str) -> None:
    mine = DiaryService.open(any_db_url, zone="Europe/London")
    theirs = DiaryService.open(any_db_url, zone="Europe/London")
    try:
        assert mine.preview(probe()) == ()  # loads and caches the day
        theirs.book(Draft("Their visit", NINE, NINE + timedelta(minutes=30)))
        assert Rule.DOUBLE_BOOKING in {v.rule for v in mine.preview(probe())}
        assert mine.suggest(timedelta(hours=1), None, NINE) != NINE
    finally:
        mine.close()
        theirs.close()


def test_a_policy_change_shows_in_the_next_preview(any_db_url: str) -> None:
    service = DiaryService.open(any_db_url, zone="Europe/London")
    try:
        assert service.preview(probe()) == ()
        service.set_policy("hours.tue", "10:00-18:00")
        assert [v.rule for v in service.preview(probe())] == [Rule.AFTER_HOURS]
    finally:
        service.close()


def test_a_write_transaction_sees_its_own_writes(any_db_url: str) -> None:
    service = DiaryService.open(any_db_url, zone="Europe/London")
    try:
        assert service.preview(probe()) == ()  # the day is cached at this revision
        first = service.book(Draft("First", NINE, NINE + timedelta(minutes=30)))
        assert first.ok
        second = service.book(Draft("Second", NINE, NINE + timedelta(minutes=30)))
        assert second.refused  # judged against the booking just made, not the cached day
    finally:
        service.close()
