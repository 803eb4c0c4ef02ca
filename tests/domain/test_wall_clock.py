"""Wall-clock times around clock changes: missing in spring, twice in autumn, else once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.departure import departure, time_to_leave
from diary.domain.model import Appointment, Kind
from diary.domain.rules import Bands
from diary.domain.wall_clock import MissingWallTime, instant_at, instants_at, is_repeated

# Both clock-change nights of zones north and south, east and west, and a half-hour one.
ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Australia/Sydney")
CHANGE_NIGHTS = [
    ("Europe/London", datetime(2030, 3, 31, 1, 30), 0),
    ("Europe/London", datetime(2030, 10, 27, 1, 30), 2),
    ("America/New_York", datetime(2030, 3, 10, 2, 30), 0),
    ("America/New_York", datetime(2030, 11, 3, 1, 30), 2),
    ("Australia/Lord_Howe", datetime(2030, 4, 7, 1, 45), 2),  # a half-hour change
    ("Australia/Lord_Howe", datetime(2030, 10, 6, 2, 15), 0),
]


@pytest.mark.parametrize(("zone", "wall", "count"), CHANGE_NIGHTS)
def test_change_nights_have_missing_and_repeated_times(
    zone: str, wall: datetime, count: int
) -> None:
    found = instants_at(wall, zone)
    assert len(found) == count
    if count == 0:
        with pytest.raises(MissingWallTime, match="does not exist"):
            instant_at(wall, zone)
    else:
        first, second = found
        assert second.timestamp() > first.timestamp()
        assert instant_at(wall, zone) == first and instant_at(wall, zone, later=True) == second
        assert is_repeated(first, zone) and is_repeated(second, zone)


@given(
    zone=st.sampled_from(ZONES),
    moment=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
    ),
)
def test_every_instant_is_found_again_from_its_wall_time(zone: str, moment: datetime) -> None:
    local = moment.astimezone(ZoneInfo(zone)).replace(second=0, microsecond=0)
    found = instants_at(local.replace(tzinfo=None), zone)
    assert local.timestamp() in [f.timestamp() for f in found]
    assert len(found) in (1, 2)
    assert is_repeated(local, zone) == (len(found) == 2)


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
