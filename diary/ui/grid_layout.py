"""Where each appointment of a day goes: overlapping ones side by side in columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from diary.services import Listed


DAY_MINUTES = 24 * 60


@dataclass(slots=True)
class Segment:
    """The part of one appointment that falls on one day, in minutes from local midnight."""

    listed: Listed
    day_index: int
    top: float
    bottom: float
    first: bool  # the appointment starts on this day
    last: bool  # the appointment ends on this day
    column: int = 0
    columns: int = 1

    @property
    def ref(self) -> str:
        return self.listed.appointment.ref


@dataclass(slots=True)
class DayLayout:
    """The laid-out segments of one day column."""

    day: date
    segments: list[Segment] = field(default_factory=list)


def minutes_into(day: date, moment: datetime, tz: ZoneInfo) -> float:
    """Wall-clock minutes from the start of `day` to `moment` (negative before it)."""
    local = moment.astimezone(tz)
    return (
        (local.date() - day).days * DAY_MINUTES
        + local.hour * 60
        + local.minute
        + (local.second / 60)
    )


def moment_at(day: date, minutes: float, tz: ZoneInfo) -> datetime:
    """The aware local time `minutes` of wall clock after the start of `day`."""
    whole = int(round(minutes))
    days, rest = divmod(whole, DAY_MINUTES)
    target = day + timedelta(days=days)
    return datetime.combine(target, time(rest // 60, rest % 60), tzinfo=tz)


def lay_out_days(days: list[date], items: list[Listed], tz: ZoneInfo) -> list[DayLayout]:
    """Split timed appointments into per-day segments and assign overlap columns."""
    layouts = [DayLayout(day) for day in days]
    index = {day: i for i, day in enumerate(days)}
    for listed in items:
        a = listed.appointment
        if not a.timed:
            continue
        first_day = a.start.astimezone(tz).date()
        last_day = (a.end - timedelta(microseconds=1)).astimezone(tz).date()
        day = max(first_day, days[0])
        while day <= last_day and day <= days[-1]:
            i = index[day]
            top = max(0.0, minutes_into(day, a.start, tz))
            bottom = min(float(DAY_MINUTES), minutes_into(day, a.end, tz))
            if bottom > top:
                layouts[i].segments.append(
                    Segment(listed, i, top, bottom, day == first_day, day == last_day)
                )
            day += timedelta(days=1)
    for layout in layouts:
        _assign_columns(layout.segments)
    return layouts


def _assign_columns(segments: list[Segment]) -> None:
    segments.sort(key=lambda s: (s.top, -s.bottom, s.ref))
    cluster: list[Segment] = []
    cluster_end = -1.0
    ends: list[float] = []  # per column: where its last segment ends
    for segment in segments:
        if cluster and segment.top >= cluster_end:
            _close(cluster, len(ends))
            cluster, ends = [], []
        for column, end in enumerate(ends):
            if end <= segment.top:
                segment.column = column
                ends[column] = segment.bottom
                break
        else:
            segment.column = len(ends)
            ends.append(segment.bottom)
        cluster.append(segment)
        cluster_end = max(cluster_end, segment.bottom)
    if cluster:
        _close(cluster, len(ends))


def _close(cluster: list[Segment], columns: int) -> None:
    for segment in cluster:
        segment.columns = columns
