"""Splitting appointments into day segments and placing overlaps side by side (no Qt)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from diary.ui.week_view.axis import TimeAxis
from diary.ui.week_view.layout import lay_out_days

from tests.domain.clock_nights import NIGHTS
from tests.ui.week_view.parts import MONDAY, TZ, WEEK, at, listed
from tests.ui.week_view.test_axis import instant, shown


def test_overlapping_appointments_share_their_day_side_by_side() -> None:
    items = [
        listed("a", at(MONDAY, 9), at(MONDAY, 11)),
        listed("b", at(MONDAY, 10), at(MONDAY, 12)),
        listed("c", at(MONDAY, 11), at(MONDAY, 12)),  # a has ended: a's column again
        listed("d", at(MONDAY, 13), at(MONDAY, 14)),  # alone
    ]
    layouts = lay_out_days(TimeAxis(WEEK, TZ), items)
    placed = {s.ref: (s.column, s.columns) for s in layouts[0].segments}
    assert placed == {"a": (0, 2), "b": (1, 2), "c": (0, 2), "d": (0, 1)}
    assert all(not layout.segments for layout in layouts[1:])


def test_an_appointment_over_midnight_has_a_part_on_each_day() -> None:
    tuesday = WEEK[1]
    night = listed("night", at(MONDAY, 22), at(tuesday, 2))
    layouts = lay_out_days(TimeAxis(WEEK, TZ), [night])
    first, second = layouts[0].segments[0], layouts[1].segments[0]
    assert (first.top, first.bottom, first.first, first.last) == (22 * 60, 24 * 60, True, False)
    assert (second.top, second.bottom, second.first, second.last) == (0, 2 * 60, False, True)


def test_cancelled_and_all_day_appointments_have_no_box() -> None:
    from dataclasses import replace

    from diary.domain.model import Kind

    whole_day = listed("holiday", at(MONDAY, 0), at(WEEK[1], 0), kind=Kind.ALL_DAY)
    cancelled = listed("off", at(MONDAY, 9), at(MONDAY, 10))
    cancelled = replace(cancelled, appointment=replace(cancelled.appointment, cancelled=True))
    layouts = lay_out_days(TimeAxis(WEEK, TZ), [whole_day, cancelled])
    assert all(not layout.segments for layout in layouts)


@settings(max_examples=200, deadline=None)
@given(st.tuples(st.sampled_from(NIGHTS), st.booleans()), st.floats(0, 1), st.floats(0, 1))
# From 01:33 BST to 01:20 GMT: across the repeat, ending at a wall-clock time before its start.
@example((("Europe/London", date(2030, 10, 27)), False), 0.0625, 0.09375)
def test_an_appointment_on_a_clock_change_night_is_drawn_at_its_real_length(
    case: tuple[tuple[str, date], bool], first: float, second: float
) -> None:
    """Its parts add up to its real minutes, none of them on an hour its day skips; each
    part carries the appointment (its title is painted in each)."""
    (zone, night), week = case
    tz = ZoneInfo(zone)
    days = shown(night, week)
    start, end = sorted((instant(night, tz, first), instant(night, tz, second)))
    assume(end - start >= timedelta(minutes=1))
    axis = TimeAxis(days, tz)
    item = listed("job", start.astimezone(tz), end.astimezone(tz))
    segments = lay_out_days(axis, [item])[days.index(night)].segments
    real = (end - start).total_seconds() / 60
    assert sum(s.bottom - s.top for s in segments) == pytest.approx(real, abs=1e-6)
    for segment in segments:
        for lo, hi in axis.absent(night):
            assert segment.bottom <= lo or hi <= segment.top
    assert segments[0].first and segments[-1].last


def test_an_appointment_inside_the_repeated_hour_has_its_place() -> None:
    london = ZoneInfo("Europe/London")
    sunday = date(2030, 10, 27)
    repeat = listed(
        "repeat",
        datetime(2030, 10, 27, 1, 10, tzinfo=london, fold=1),
        datetime(2030, 10, 27, 1, 50, tzinfo=london, fold=1),
    )
    first = listed(
        "first",
        datetime(2030, 10, 27, 1, 10, tzinfo=london),
        datetime(2030, 10, 27, 1, 50, tzinfo=london),
    )
    axis = TimeAxis(shown(sunday, week=True), london)
    layouts = lay_out_days(axis, [repeat, first])
    placed = {s.ref: (s.top, s.bottom, s.columns) for s in layouts[6].segments}
    assert placed == {"first": (70, 110, 1), "repeat": (130, 170, 1)}  # one above the other
