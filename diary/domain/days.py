"""Days and instants: the local days a span touches, a day's bounds and working hours in a
zone, and the window of days every verdict reads (RFC 5545 §3.3.5 local times: a day is
23 or 25 hours long on a clock-change night).

Arithmetic is on UTC epoch seconds (`epoch`): datetimes that share a tzinfo compare and
subtract by their wall clock (PEP 495), which is wrong across a DST change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from diary.domain.model import Policy

# A buffer runs from the previous appointment whatever midnight lies between (a job ending
# 23:45 and one at 00:00 elsewhere still need the drive), so a verdict reads the days an
# appointment touches and one day either side of them.
LOOKAROUND = timedelta(days=1)
ONE_DAY = timedelta(days=1)
# Appointments further apart than this never follow on from each other (see `follows_on`).
_FRESH_START_DAYS = 7


def epoch(moment: datetime) -> float:
    return moment.timestamp()


def local_days(start: datetime, end: datetime, zone: str) -> list[date]:
    """The local calendar days that [start, end) touches in `zone`."""
    tz = ZoneInfo(zone)
    first = start.astimezone(tz).date()
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    days = [first]
    while days[-1] < last:
        days.append(days[-1] + timedelta(days=1))
    return days


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """Start of `day` and of the next day, in `zone` (23 or 25 hours apart at DST changes)."""
    tz = ZoneInfo(zone)
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    nxt = day + timedelta(days=1)
    return start, datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz)


def working_interval(day: date, policy: Policy) -> tuple[datetime, datetime] | None:
    """The working hours of `day` as aware datetimes, or None on a day off."""
    hours = policy.hours_on(day.weekday())
    if hours is None or hours.minutes <= 0:
        return None
    tz = ZoneInfo(policy.zone)
    return (
        datetime.combine(day, hours.start, tzinfo=tz),
        datetime.combine(day, hours.end, tzinfo=tz),
    )


def window_for(start: datetime, end: datetime, zone: str) -> tuple[datetime, datetime]:
    """The range whose appointments decide every verdict about [start, end).

    The whole local days of [start, end) in `zone`, widened by LOOKAROUND: the one place
    that says how far the rules look.
    """
    days = local_days(start, end, zone)
    return day_bounds(days[0], zone)[0] - LOOKAROUND, day_bounds(days[-1], zone)[1] + LOOKAROUND


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def wholly_inside(day: date, zone: str, lo: datetime, hi: datetime) -> bool:
    """Whether the whole local `day` lies inside [lo, hi)."""
    start, end = day_bounds(day, zone)
    return epoch(lo) <= epoch(start) and epoch(end) <= epoch(hi)


def covered_seconds(intervals: Iterable[tuple[float, float]]) -> float:
    """How much time (epoch seconds) the intervals cover together, overlaps counted once."""
    total = 0.0
    current_lo = current_hi = None
    for lo, hi in sorted(intervals):
        if current_hi is None or lo > current_hi:
            if current_hi is not None and current_lo is not None:
                total += current_hi - current_lo
            current_lo, current_hi = lo, hi
        else:
            current_hi = max(current_hi, hi)
    if current_hi is not None and current_lo is not None:
        total += current_hi - current_lo
    return total


def follows_on(
    earlier_end: float,
    earlier_day: date,
    later_start: float,
    later_day: date,
    working: Callable[[date], tuple[float, float] | None],
) -> bool:
    """Whether an appointment starting at `later_start` (local day `later_day`) follows
    on from one ending at `earlier_end` (`earlier_day`): its buffer runs from it.

    Consecutive appointments follow on whatever midnight lies between them; only the
    start of a working day between them is a fresh start (the owner sets out from the
    base again). Appointments a week or more apart never follow on.

    `working(day)` gives that day's working hours as epoch seconds (None on a day off).
    """
    if earlier_day == later_day:
        return True
    if (later_day - earlier_day).days >= _FRESH_START_DAYS:
        return False
    day = earlier_day + ONE_DAY
    while day <= later_day:
        hours = working(day)
        if hours is not None and earlier_end <= hours[0] <= later_start:
            return False
        day += ONE_DAY
    return True
