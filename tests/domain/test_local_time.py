"""A local day as it really runs, over both clock-change nights of several zones: its
stretches cover it exactly, and every instant of it is found again from its wall-clock time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diary.domain.local_time import day_stretches, is_ambiguous, wall_moment

from tests.domain.clock_nights import NIGHTS, day_length

LONDON = ZoneInfo("Europe/London")


def test_the_nights_of_each_kind_are_there() -> None:
    lengths = {day_length(night, ZoneInfo(zone)) for zone, night in NIGHTS}
    assert {timedelta(hours=23), timedelta(hours=25), timedelta(hours=23, minutes=30)} <= lengths
    assert len(NIGHTS) == 24  # six zones, two nights a year, two years


@pytest.mark.parametrize(("zone", "night"), NIGHTS)
def test_the_stretches_of_a_night_cover_it_once(zone: str, night: date) -> None:
    tz = ZoneInfo(zone)
    stretches = day_stretches(night, tz)
    start = datetime.combine(night, time(0), tzinfo=tz).astimezone(UTC)
    assert stretches[0].start == start
    # Two stretches, the second from the change to the second; or one, when the clocks
    # go forward at midnight (the day starts at 01:00).
    assert len(stretches) == 2 or stretches[0].wall_start > 0
    for before, after in zip(stretches, stretches[1:], strict=False):
        assert before.end == after.start
    assert sum(s.minutes for s in stretches) * 60 == day_length(night, tz).total_seconds()
    for stretch in stretches:
        inside = [stretch.start, stretch.end - timedelta(seconds=1)]
        assert {m.astimezone(tz).utcoffset() for m in inside} == {stretch.offset}


def test_an_ordinary_day_is_one_stretch_of_24_hours() -> None:
    (stretch,) = day_stretches(date(2030, 6, 12), LONDON)
    assert (stretch.wall_start, stretch.minutes, stretch.zone_name) == (0, 24 * 60, "BST")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NIGHTS), st.floats(0, 1))
def test_every_instant_of_a_night_is_found_from_its_wall_clock_time(
    night: tuple[str, date], share: float
) -> None:
    zone, day = night
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    seconds = int(share * (day_length(day, tz).total_seconds() - 1))
    moment = start + timedelta(seconds=seconds)
    local = moment.astimezone(tz)
    wall = (local.replace(tzinfo=None) - datetime.combine(day, time(0))).total_seconds() / 60
    found = wall_moment(day, wall, tz, fold=local.fold)
    assert found.exists
    # (Instants are compared by timestamp: Python's == says an instant in a fold is never
    # equal to one in another zone, PEP 495.)
    assert found.moment.timestamp() == moment.timestamp()
    assert found.moment.utcoffset() == local.utcoffset()  # as it reads on the clock there


def test_a_time_the_clocks_skip_is_read_with_the_offset_before_the_gap() -> None:
    # RFC 5545, 3.3.5: 01:30 on the night London's clocks go forward is 01:30 GMT, which the
    # clock shows as 02:30 BST.
    found = wall_moment(date(2030, 3, 31), 90, LONDON)
    assert not found.exists
    assert found.moment.timestamp() == datetime(2030, 3, 31, 1, 30, tzinfo=UTC).timestamp()
    assert (found.moment.hour, found.moment.minute, found.moment.tzname()) == (2, 30, "BST")
    assert found.asked == datetime(2030, 3, 31, 1, 30)


def test_the_repeated_hour_is_told_apart() -> None:
    first = wall_moment(date(2030, 10, 27), 90, LONDON)
    second = wall_moment(date(2030, 10, 27), 90, LONDON, fold=1)
    assert (second.moment - first.moment) == timedelta(0)  # same wall clock, tzinfo compares so
    assert second.moment.timestamp() - first.moment.timestamp() == 3600
    assert is_ambiguous(first.moment, LONDON) and is_ambiguous(second.moment, LONDON)
    assert not is_ambiguous(wall_moment(date(2030, 10, 27), 150, LONDON).moment, LONDON)
