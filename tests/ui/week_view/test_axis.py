"""The time axis places instants by real time, over both clock-change nights of several
zones, in the week (the night and six other days) and in the day view (the night alone)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diary.ui.week_view.axis import TimeAxis

from tests.domain.clock_nights import NIGHTS, day_length

LONDON = ZoneInfo("Europe/London")
AUTUMN, SPRING = date(2030, 10, 27), date(2030, 3, 31)  # Sundays: London's clocks change


def shown(night: date, week: bool) -> list[date]:
    """The night alone, or the week from the Monday before it (the night somewhere in it)."""
    if not week:
        return [night]
    monday = night - timedelta(days=night.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


def instant(day: date, tz: ZoneInfo, share: float) -> datetime:
    """The instant `share` of the way through local `day` (to the second)."""
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    return start + timedelta(seconds=int(share * (day_length(day, tz).total_seconds() - 1)))


def skipped_between(axis: TimeAxis, day: date, top: float, bottom: float) -> float:
    """Minutes of the axis between two positions that `day` does not have."""
    return sum(max(0.0, min(hi, bottom) - max(lo, top)) for lo, hi in axis.absent(day))


NIGHT_AND_VIEW = st.tuples(st.sampled_from(NIGHTS), st.booleans())


@settings(max_examples=250, deadline=None)
@given(NIGHT_AND_VIEW, st.floats(0, 1), st.floats(0, 1))
def test_the_axis_is_real_time_on_a_clock_change_night(
    case: tuple[tuple[str, date], bool], first: float, second: float
) -> None:
    (zone, night), week = case
    tz = ZoneInfo(zone)
    axis = TimeAxis(shown(night, week), tz)
    early, late = sorted((instant(night, tz, first), instant(night, tz, second)))
    top, bottom = axis.position(night, early), axis.position(night, late)
    assert 0 <= top <= bottom <= axis.length
    real = (late - early).total_seconds() / 60
    # A minute of real time is a minute of the axis, except where the axis holds an hour
    # another shown day has and this one skips (hatched in its column).
    assert bottom - top == pytest.approx(real + skipped_between(axis, night, top, bottom))
    if not week:
        assert axis.absent(night) == []
        assert axis.length * 60 == day_length(night, tz).total_seconds()


@settings(max_examples=250, deadline=None)
@given(NIGHT_AND_VIEW, st.integers(0, 6), st.floats(0, 1))
def test_each_instant_of_a_shown_day_is_found_again_where_it_is_drawn(
    case: tuple[tuple[str, date], bool], index: int, share: float
) -> None:
    (zone, night), week = case
    tz = ZoneInfo(zone)
    days = shown(night, week)
    day = days[index % len(days)]
    axis = TimeAxis(days, tz)
    moment = instant(day, tz, share)
    found = axis.wall_time_at(day, axis.position(day, moment))
    assert found.exists
    assert abs(found.moment.timestamp() - moment.timestamp()) < 1


def test_the_repeated_hour_is_on_the_axis_twice() -> None:
    axis = TimeAxis(shown(AUTUMN, week=True), LONDON)
    assert axis.length == 25 * 60
    first = datetime(2030, 10, 27, 1, 30, tzinfo=LONDON)  # BST
    second = datetime(2030, 10, 27, 1, 30, tzinfo=LONDON, fold=1)  # GMT
    assert axis.position(AUTUMN, second) - axis.position(AUTUMN, first) == 60
    labels = [(mark.at.hour, mark.zone_name) for mark in axis.hour_marks()[:4]]
    assert labels == [(0, None), (1, "BST"), (1, "GMT"), (2, None)]
    saturday = AUTUMN - timedelta(days=1)
    assert axis.absent(saturday) == [(120.0, 180.0)]  # Saturday has 01:00 once
    assert axis.absent(AUTUMN) == []


def test_the_skipped_hour_is_hatched_in_the_week_and_gone_from_the_day() -> None:
    week = TimeAxis(shown(SPRING, week=True), LONDON)
    assert week.length == 24 * 60
    assert week.absent(SPRING) == [(60.0, 120.0)]
    day = TimeAxis([SPRING], LONDON)
    assert day.length == 23 * 60
    marks = [(mark.at.hour, mark.zone_name) for mark in day.hour_marks()[:3]]
    assert marks == [(0, None), (2, "BST"), (3, None)]
    half_past_one = week.wall_time_at(SPRING, 90)
    assert not half_past_one.exists
    assert (half_past_one.moment.hour, half_past_one.moment.minute) == (2, 30)


def test_an_ordinary_week_is_the_24_hours_of_the_clock() -> None:
    days = shown(date(2030, 6, 12), week=True)
    axis = TimeAxis(days, LONDON)
    assert axis.plain and axis.length == 24 * 60
    assert axis.position(days[2], datetime(2030, 6, 12, 9, 45, tzinfo=LONDON)) == 9 * 60 + 45
    assert [mark.position for mark in axis.hour_marks()] == [h * 60 for h in range(24)]
