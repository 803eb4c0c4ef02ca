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
    first: bool  # the appointment starts in this segment
    last: bool  # the appointment ends in this segment
    column: int = 0
    columns: int = 1
    reach: float = 0.0  # where its box ends on the axis (a short one is drawn taller)

    @property
    def ref(self) -> str:
        return self.listed.appointment.ref


@dataclass(slots=True)
class DayLayout:
    """The laid-out segments of one day column."""

    day: date
    segments: list[Segment] = field(default_factory=list)


def lay_out_days(axis: TimeAxis, items: list[Listed], min_minutes: float = 0.0) -> list[DayLayout]:
    """Split timed appointments into per-day segments (a day whose skipped hour stays on the
    axis splits them there too) and assign overlap columns. A segment takes at least
    `min_minutes` of the axis when columns are assigned (a short box is drawn that tall)."""
    days, tz = axis.days, axis.tz
    layouts = [DayLayout(day) for day in days]
    index = {day: i for i, day in enumerate(days)}
    runs = {day: axis.runs_of(day) for day in days}
    for listed in items:
        a = listed.appointment
        if not a.timed:
            continue
        first_day = a.start.astimezone(tz).date()
        last_day = (a.end - timedelta(microseconds=1)).astimezone(tz).date()
        day = max(first_day, days[0])
        while day <= last_day and day <= days[-1]:
            i = index[day]
            for lo, hi in runs[day]:
                # By timestamp: datetimes of one zone compare by the wall clock, whichever
                # of the two 01:30 of a repeated hour they are (PEP 495).
                start = max(a.start.timestamp(), lo.timestamp())
                end = min(a.end.timestamp(), hi.timestamp())
                if end <= start:
                    continue
                top = max(0.0, axis.position_at(day, start))
                bottom = min(axis.length, axis.position_at(day, end, end=True))
                if bottom > top:
                    layouts[i].segments.append(
                        Segment(
                            listed,
                            i,
                            top,
                            bottom,
                            start == a.start.timestamp(),
                            end == a.end.timestamp(),
                            reach=max(bottom, top + min_minutes),
                        )
                    )
            day += timedelta(days=1)
    for layout in layouts:
        _assign_columns(layout.segments)
    return layouts


def _assign_columns(segments: list[Segment]) -> None:
    segments.sort(key=lambda s: (s.top, -s.reach, s.ref))
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
                ends[column] = segment.reach
                break
        else:
            segment.column = len(ends)
            ends.append(segment.reach)
        cluster.append(segment)
        cluster_end = max(cluster_end, segment.reach)
    if cluster:
        _close(cluster, len(ends))


def _close(cluster: list[Segment], columns: int) -> None:
    for segment in cluster:
        segment.columns = columns
