"""When to leave for a meeting: its start less the travel the rules count, in real time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from diary.domain.departure import departure, time_to_leave
from diary.domain.model import Appointment, Kind
from diary.domain.rules import Bands

ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Australia/Sydney")


def _meeting(start: datetime, minutes: int = 60) -> Appointment:
    return Appointment("a", "Boiler service", start, start + timedelta(minutes=minutes), "x")


@given(
    zone=st.sampled_from(ZONES),
    moment=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
    ),
    travel=st.integers(min_value=1, max_value=240),
)
def test_the_departure_is_the_travel_before_the_start_in_real_time(
    zone: str, moment: datetime, travel: int
) -> None:
    start = moment.astimezone(ZoneInfo(zone))
    leave = departure(_meeting(start), Bands(travel, "Hauptstr. 5", 15))
    assert leave is not None
    assert start.astimezone(UTC) - leave.leave_at.astimezone(UTC) == timedelta(minutes=travel)
    assert leave.origin == "Hauptstr. 5"
    assert time_to_leave(_meeting(start), Bands(travel, None, 0), leave.leave_at)
    assert not time_to_leave(_meeting(start), Bands(travel, None, 0), start)


def test_no_departure_without_travel_or_for_a_block() -> None:
    start = datetime(2030, 1, 7, 9, tzinfo=ZoneInfo("Europe/London"))
    assert departure(_meeting(start), Bands(0, None, 15)) is None
    block = Appointment("b", "Lunch", start, start + timedelta(hours=1), "x", kind=Kind.BLOCK)
    assert departure(block, Bands(20, "Home", 0)) is None
