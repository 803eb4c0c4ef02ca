"""Daylight-saving changes: the rules count real minutes, never wall-clock arithmetic."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diary.domain.days import day_bounds, local_days
from diary.domain.model import Appointment, Kind, Policy, WorkingHours, later
from diary.domain.rules import Schedule
from diary.domain.slots import next_feasible_slot

CHANGES = [
    ("Europe/London", date(2026, 3, 29), 23),
    ("Europe/London", date(2026, 10, 25), 25),
    ("America/New_York", date(2026, 3, 8), 23),
    ("America/New_York", date(2026, 11, 1), 25),
]


def night_policy(zone: str) -> Policy:
    hours = WorkingHours(time(0, 0), time(6, 0))
    return Policy(zone=zone, week=(hours,) * 7, reserve_minutes=60)


@pytest.mark.parametrize(("zone", "day", "hours"), CHANGES)
def test_the_change_day_has_its_real_length(zone: str, day: date, hours: int) -> None:
    start, end = day_bounds(day, zone)
    assert (end.timestamp() - start.timestamp()) / 3600 == hours


@pytest.mark.parametrize(("zone", "day", "hours"), CHANGES)
def test_working_minutes_on_a_change_night_are_real_minutes(
    zone: str, day: date, hours: int
) -> None:
    policy = night_policy(zone)
    reserve = Schedule([], policy, {}, None, [day]).day_reserves()[day]
    assert reserve.working_minutes == (6 + hours - 24) * 60


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York"])
def test_a_buffer_across_the_autumn_fold_counts_real_minutes(zone: str) -> None:
    tz = ZoneInfo(zone)
    day = date(2026, 10, 25) if zone == "Europe/London" else date(2026, 11, 1)
    # 01:40 on the first pass of the repeated hour, then 01:05 on the second pass:
    # 25 real minutes later, though the wall clock went backwards.
    first_end = datetime(day.year, day.month, day.day, 1, 40, tzinfo=tz, fold=0)
    second_start = datetime(day.year, day.month, day.day, 1, 5, tzinfo=tz, fold=1)
    assert second_start.timestamp() - first_end.timestamp() == 25 * 60
    policy = night_policy(zone)
    a = Appointment("a", "A", first_end - timedelta(hours=1), first_end, zone, Kind.MEETING)
    b = Appointment("b", "B", second_start, later(second_start, timedelta(minutes=30)), zone)
    assert Schedule([a], policy, {}, None).violations_for(b) == []
    tight = replace(policy, wrapup_meeting_minutes=30)
    assert [v.rule.value for v in Schedule([a], tight, {}, None).violations_for(b)] == ["buffer"]


@pytest.mark.parametrize(("zone", "day", "hours"), CHANGES)
def test_slots_on_a_change_day_are_in_working_hours_and_real_length(
    zone: str, day: date, hours: int
) -> None:
    policy = Policy(zone=zone, week=(WorkingHours(time(8), time(18)),) * 7, reserve_minutes=0)
    after = datetime.combine(day, time(0), ZoneInfo(zone))
    empty = Schedule([], policy, {}, None)
    found = next_feasible_slot(
        timedelta(minutes=90), None, after, lambda lo, hi: empty, policy=policy
    )
    assert found is not None
    assert found.astimezone(ZoneInfo(zone)).time() == time(8, 0)
    assert found.astimezone(ZoneInfo(zone)).date() == day


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["Europe/London", "America/New_York"]),
    st.datetimes(
        min_value=datetime(2026, 3, 1), max_value=datetime(2026, 11, 30), timezones=st.just(UTC)
    ),
    st.integers(1, 48 * 60),
)
def test_local_days_cover_the_appointment_exactly(zone: str, start: datetime, minutes: int) -> None:
    end = start + timedelta(minutes=minutes)
    days = local_days(start, end, zone)
    assert days == sorted(set(days))
    first, last = day_bounds(days[0], zone)[0], day_bounds(days[-1], zone)[1]
    assert first.timestamp() <= start.timestamp() < end.timestamp() <= last.timestamp()
    for d in days:
        lo, hi = day_bounds(d, zone)
        assert lo.timestamp() < end.timestamp() and start.timestamp() < hi.timestamp()
