"""Finding the earliest (or nearest) start that breaks no rule, inside working hours."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from diary.domain.days import day_bounds, epoch, working_interval
from diary.domain.model import Appointment, Kind, Location, Policy
from diary.domain.rules import Schedule
from diary.domain.travel import travel_minutes

SLOT_STEP = timedelta(minutes=5)
SEARCH_DAYS = 366
CHUNK_DAYS = 7
PROBE_UID = "diary-slot-probe"

# Loads the snapshot of every appointment overlapping [lo, hi).
ScheduleLoader = Callable[[datetime, datetime], Schedule]


def _round_up(moment: float, step: float) -> float:
    return math.ceil(moment / step - 1e-9) * step


def _round_down(moment: float, step: float) -> float:
    return math.floor(moment / step + 1e-9) * step


def _probe(
    start: float,
    duration: timedelta,
    location: Location | None,
    kind: Kind,
    wrapup_minutes: int | None,
    zone: str,
) -> Appointment:
    begin = datetime.fromtimestamp(start, UTC)
    return Appointment(
        uid=PROBE_UID,
        title="",
        start=begin,
        end=begin + duration,
        zone=zone,
        kind=kind,
        location=location,
        wrapup_minutes=wrapup_minutes,
    )


def _fits(schedule: Schedule, probe: Appointment) -> bool:
    """No rule broken, not even a warning: a suggested slot is one the owner can trust."""
    return not schedule.clearly_breaks(probe) and not schedule.violations_for(probe)


def _days(first: date, step: int, count: int) -> Iterator[date]:
    for i in range(count):
        yield first + timedelta(days=i * step)


def _chunks(
    first: date, step: int, count: int, zone: str
) -> Iterator[tuple[list[date], datetime, datetime]]:
    """Days to search, a day first and then ever larger runs: most searches end on the
    first day, and a long search still costs one range query a week."""
    i, size = 0, 1
    while i < count:
        chunk = list(_days(first + timedelta(days=i * step), step, min(size, count - i)))
        lo_day, hi_day = min(chunk), max(chunk)
        yield chunk, day_bounds(lo_day, zone)[0], day_bounds(hi_day, zone)[1]
        i += size
        size = min(size * 2, CHUNK_DAYS)


def next_feasible_slot(
    duration: timedelta,
    location: Location | None,
    after: datetime,
    load: ScheduleLoader,
    *,
    policy: Policy,
    kind: Kind = Kind.MEETING,
    wrapup_minutes: int | None = None,
    ignore_ref: str | None = None,
    search_days: int = SEARCH_DAYS,
) -> datetime | None:
    """The earliest start at or after `after` that breaks no rule, or None within a year."""
    return _search(
        duration, location, after, load, policy, kind, wrapup_minutes, ignore_ref, search_days, 1
    )


def latest_feasible_slot(
    duration: timedelta,
    location: Location | None,
    before: datetime,
    not_before: datetime,
    load: ScheduleLoader,
    *,
    policy: Policy,
    kind: Kind = Kind.MEETING,
    wrapup_minutes: int | None = None,
    ignore_ref: str | None = None,
) -> datetime | None:
    """The latest start at or before `before` (and not before `not_before`) that fits."""
    days = max(0, (before - not_before).days + 2)
    found = _search(
        duration,
        location,
        before,
        load,
        policy,
        kind,
        wrapup_minutes,
        ignore_ref,
        min(days, 14),
        -1,
    )
    if found is not None and epoch(found) < epoch(not_before):
        return None
    return found


def nearest_feasible_slot(
    duration: timedelta,
    location: Location | None,
    around: datetime,
    not_before: datetime,
    load: ScheduleLoader,
    *,
    policy: Policy,
    kind: Kind = Kind.MEETING,
    wrapup_minutes: int | None = None,
    ignore_ref: str | None = None,
) -> datetime | None:
    """The feasible start closest to `around`, earlier or later, never before `not_before`."""
    start = max(around, not_before, key=epoch)
    later = next_feasible_slot(
        duration,
        location,
        start,
        load,
        policy=policy,
        kind=kind,
        wrapup_minutes=wrapup_minutes,
        ignore_ref=ignore_ref,
    )
    if epoch(around) <= epoch(not_before):
        return later
    earlier = latest_feasible_slot(
        duration,
        location,
        around,
        not_before,
        load,
        policy=policy,
        kind=kind,
        wrapup_minutes=wrapup_minutes,
        ignore_ref=ignore_ref,
    )
    if earlier is None:
        return later
    if later is None:
        return earlier
    return earlier if epoch(around) - epoch(earlier) < epoch(later) - epoch(around) else later


def _search(
    duration: timedelta,
    location: Location | None,
    origin: datetime,
    load: ScheduleLoader,
    policy: Policy,
    kind: Kind,
    wrapup_minutes: int | None,
    ignore_ref: str | None,
    search_days: int,
    direction: int,
) -> datetime | None:
    step = SLOT_STEP.total_seconds()
    length = duration.total_seconds()
    zone = policy.zone
    tz = ZoneInfo(zone)
    bound = epoch(origin)
    first_day = origin.astimezone(tz).date()
    for days, lo, hi in _chunks(first_day, direction, search_days, zone):
        schedule = load(lo, hi)
        if ignore_ref is not None:
            schedule = schedule.without(ignore_ref)
        reserves = schedule.day_reserves()
        for day in days:
            hours = working_interval(day, policy)
            if hours is None:
                continue
            reserve = reserves.get(day)
            if reserve is not None and reserve.free_minutes - length / 60 < reserve.reserve_minutes:
                continue  # a feasible booking takes at least its own length from the free time
            ws, we = epoch(hours[0]), epoch(hours[1])
            probe = _probe(ws, duration, location, kind, wrapup_minutes, zone)
            for start in _candidates(schedule, day, ws, we, probe, bound, step, direction):
                if _fits(schedule, _probe(start, duration, location, kind, wrapup_minutes, zone)):
                    return datetime.fromtimestamp(start, tz)
    return None


def _candidates(
    schedule: Schedule,
    day: date,
    ws: float,
    we: float,
    probe: Appointment,
    bound: float,
    step: float,
    direction: int,
) -> list[float]:
    """Starts where a constraint just stops binding: the only places an extreme slot can be."""
    policy = schedule.policy
    length = epoch(probe.end) - epoch(probe.start)
    lo_day, hi_day = day_bounds(day, policy.zone)
    # Everything of the day: a meeting that ends before the working day starts still binds
    # the first slot through its wrap-up and the drive from it (and one that starts after
    # the working day ends binds the last slot through the drive there).
    today = list(schedule.near(lo_day, hi_day))
    places = {schedule.base, *(a.location for a in today)}
    points: set[float] = set()
    if direction > 0:
        arrivals = {travel_minutes(p, probe.location, schedule.travel, policy) * 60 for p in places}
        points.add(_round_up(max(ws, bound), step))
        for t in arrivals:
            points.add(_round_up(ws + t, step))
        for a in today:
            for t in arrivals | {0}:
                points.add(_round_up(epoch(a.end) + policy.wrapup_for(a) * 60 + t, step))
        ordered = sorted(p for p in points if p >= bound)
    else:
        own_wrapup = policy.wrapup_for(probe) * 60
        points.add(_round_down(min(we - length, bound), step))
        for a in today:
            for t in (travel_minutes(probe.location, a.location, schedule.travel, policy) * 60, 0):
                points.add(_round_down(epoch(a.start) - own_wrapup - t - length, step))
        ordered = sorted((p for p in points if p <= bound), reverse=True)
    return [p for p in ordered if ws <= p and p + length <= we]
