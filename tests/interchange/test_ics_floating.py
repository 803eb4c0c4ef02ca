"""Floating times given a zone, on their own: calendars built in memory, no file parsed.

Dates are in 2030, far from any real today; nothing reads a clock.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from diary.interchange.ics_floating import standard_times

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def _calendar(start: datetime, *, x_wr_timezone: str | None = None) -> Calendar:
    calendar = Calendar()
    if x_wr_timezone is not None:
        calendar.add("X-WR-TIMEZONE", x_wr_timezone)
    event = Event()
    event.add("UID", "visit")
    event.add("DTSTART", start)
    calendar.add_component(event)
    return calendar


def _start(calendar: Calendar) -> datetime:
    event = next(c for c in calendar.subcomponents if isinstance(c, Event))
    value = event.decoded("DTSTART")
    assert isinstance(value, datetime)
    return value


def test_nothing_to_move_returns_the_calendar_itself() -> None:
    zoned = _calendar(datetime(2030, 3, 4, 9, tzinfo=NEW_YORK))
    assert standard_times(zoned, "Europe/Berlin") is zoned
    declared = _calendar(datetime(2030, 3, 4, 9, tzinfo=NEW_YORK), x_wr_timezone="Europe/Berlin")
    assert standard_times(declared, "Europe/Berlin") is declared


def test_floating_times_are_placed_in_the_zone_given() -> None:
    placed = _start(standard_times(_calendar(datetime(2030, 3, 4, 9)), "Europe/Berlin"))
    assert placed == datetime(2030, 3, 4, 9, tzinfo=BERLIN)
    assert placed.tzinfo == BERLIN


def test_x_wr_timezone_moves_utc_times_into_its_zone_at_the_same_instant() -> None:
    utc = datetime(2030, 3, 4, 8, tzinfo=UTC)
    moved = _start(standard_times(_calendar(utc, x_wr_timezone="Europe/Berlin"), "Europe/Berlin"))
    assert moved == utc
    assert moved.utcoffset() == BERLIN.utcoffset(datetime(2030, 3, 4, 9))
    assert moved.hour == 9
