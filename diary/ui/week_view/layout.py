"""Where each appointment of a shown day goes: overlapping ones side by side in columns.

No Qt here: segments are in minutes of the `TimeAxis`; `geometry` makes rectangles of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from diary.ui.week_view.axis import TimeAxis

if TYPE_CHECKING:
    from diary.services import Listed


@dataclass(slots=True)
class Segment:
    """The part of one appointment that falls on one shown day, in minutes of the axis."""

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


def lay_out_days(axis: TimeAxis, items: list[Listed]) -> list[DayLayout]:
    """Split timed appointments into per-day segments and assign overlap columns."""
    days, tz = axis.days, axis.tz
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
            top = max(0.0, axis.position(day, a.start))
            bottom = min(axis.length, axis.position(day, a.end))
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
