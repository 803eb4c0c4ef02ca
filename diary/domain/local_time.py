"""A local day as it really runs: its stretches of one UTC offset, and wall-clock times on it.

A day in a zone with daylight saving is 23, 24 or 25 hours long. On the night the clocks go
back an hour of wall-clock time happens twice (a fold); on the night they go forward an hour
never happens (a gap). These helpers say which instants a day holds and what a wall-clock
time on it means, so that a view can place by instants and say when a time does not exist.

A wall-clock time in a gap is read with the UTC offset before the gap (RFC 5545, 3.3.5:
"the DATE-TIME value should be interpreted using the UTC offset before the gap in local
times"), so 01:30 on the night London's clocks go forward is 02:30 BST; `zoneinfo` reads
`fold=0` that way too.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_MINUTES = 24 * 60
_PROBE = timedelta(minutes=15)  # offsets are looked at this often, then the change is bisected


@dataclass(frozen=True, slots=True)
class Stretch:
    """Part of a local day with one UTC offset: the instants [start, end) (UTC), and the
    wall-clock minutes since the day's midnight at `start`."""

    start: datetime
    end: datetime
    wall_start: float
    offset: timedelta
    zone_name: str  # the zone's abbreviation in this stretch ("BST", "GMT")

    @property
    def minutes(self) -> float:
        """Real minutes in the stretch."""
        return (self.end - self.start).total_seconds() / 60

    @property
    def wall_end(self) -> float:
        return self.wall_start + self.minutes


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of local `day` (its midnight, or the end of a gap at midnight), UTC."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


@functools.lru_cache(maxsize=512)
def day_stretches(day: date, zone: ZoneInfo) -> tuple[Stretch, ...]:
    """The stretches of local `day` in `zone`, in time order: one on most days, two on the
    night the clocks change (the second starts at the change)."""
    start, end = day_start(day, zone), day_start(day + timedelta(days=1), zone)
    changes: list[datetime] = []
    last = start
    offset = _offset(start, zone)
    if _offset(end - timedelta(seconds=1), zone) != offset or end - start != timedelta(days=1):
        probe = start + _PROBE
        while probe < end:
            if _offset(probe, zone) != offset:
                changes.append(_change_between(last, probe, zone))
                offset = _offset(probe, zone)
            last = probe
            probe += _PROBE
        if _offset(end - timedelta(seconds=1), zone) != offset:
            changes.append(_change_between(last, end - timedelta(seconds=1), zone))
    stretches = []
    bounds = [start, *changes, end]
    midnight = datetime.combine(day, time(0))
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        local = lo.astimezone(zone)
        wall = (local.replace(tzinfo=None) - midnight).total_seconds() / 60
        stretches.append(Stretch(lo, hi, wall, _offset(lo, zone), local.tzname() or ""))
    return tuple(stretches)


def _offset(moment: datetime, zone: ZoneInfo) -> timedelta:
    return moment.astimezone(zone).utcoffset() or timedelta(0)


def _change_between(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """The first instant (to the second) in (before, after] with after's offset."""
    wanted = _offset(after, zone)
    lo, hi = before, after
    while hi - lo > timedelta(seconds=1):
        middle = lo + (hi - lo) / 2
        middle = middle.replace(microsecond=0)
        if _offset(middle, zone) == wanted:
            hi = middle
        else:
            lo = middle
    return hi


def wall_moment(day: date, wall_minutes: float, zone: ZoneInfo, fold: int = 0) -> WallTime:
    """The instant of wall-clock `wall_minutes` after local midnight of `day`, as RFC 5545
    reads it: in a fold, the first occurrence (`fold=1`: the second); in a gap, with the
    offset before the gap. Minutes past the day (or before it) run into the next (previous)."""
    whole = int(round(wall_minutes * 60))
    days, seconds = divmod(whole, DAY_MINUTES * 60)
    target = day + timedelta(days=days)
    naive = datetime.combine(target, time(0)) + timedelta(seconds=seconds)
    moment = naive.replace(tzinfo=zone, fold=fold)
    real = moment.astimezone(UTC).astimezone(zone)
    return WallTime(real, real.replace(tzinfo=None) == naive, naive)


@dataclass(frozen=True, slots=True)
class WallTime:
    """What a wall-clock time means: the instant (in the zone, as it really reads there),
    whether that time exists on the clock that day, and the time asked for."""

    moment: datetime
    exists: bool
    asked: datetime  # naive: the wall-clock time asked for


def is_ambiguous(moment: datetime, zone: ZoneInfo) -> bool:
    """Whether the wall-clock time of `moment` happens twice in `zone` (a fold)."""
    local = moment.astimezone(zone)
    other = local.replace(fold=1 - local.fold)
    return other.utcoffset() != local.utcoffset()
