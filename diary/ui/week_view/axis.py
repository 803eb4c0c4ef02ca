"""The grid's time axis: where an instant of a shown day goes, in minutes down its column,
and which instant a point of a column stands for. No Qt: `geometry` makes pixels of it.

Boxes are placed by instants, not by clock minutes: a minute of real time is a minute of
the axis. On most weeks the axis is the 24 hours of the clock. When the clocks go back on a
shown day, the repeated hour is on the axis twice (the second time as a span of its own
right after the first), so an appointment inside it has a place and one across it its real
length. When the clocks go forward, the hour that does not exist that day is hatched in its
column (it exists on the other days shown); shown alone, that day has no such hour at all.
A wall-clock time that does not exist is read as RFC 5545 says (`diary.domain.local_time`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from diary.domain.local_time import (
    DAY_MINUTES,
    Stretch,
    WallTime,
    day_start,
    day_stretches,
    wall_moment,
)

__all__ = ["DAY_MINUTES", "HourMark", "Span", "TimeAxis", "WallTime"]


@dataclass(frozen=True, slots=True)
class Span:
    """A run of the axis: wall-clock minutes [wall_start, wall_end) after midnight, the
    first time they happen on a day (`occurrence` 0) or the second (1, a repeated hour),
    from axis minute `top`. `zone_name` tells the two runs of a repeated hour apart."""

    top: float
    wall_start: float
    wall_end: float
    occurrence: int
    zone_name: str | None = None

    @property
    def bottom(self) -> float:
        return self.top + self.wall_end - self.wall_start


@dataclass(frozen=True, slots=True)
class HourMark:
    """An hour line: its axis position, the wall-clock time it marks, and the zone's
    abbreviation where the hour happens twice that week ("BST" and "GMT")."""

    position: float
    at: time
    zone_name: str | None


# A day's wall-clock runs: (stretch, wall start, wall end, occurrence).
_Run = tuple[Stretch, float, float, int]


class TimeAxis:
    """The vertical axis of the shown `days` in zone `tz`, in minutes from the top.

    `length` is the axis in minutes (1440 on most weeks, 1500 with a repeated hour).
    """

    def __init__(self, days: list[date], tz: ZoneInfo) -> None:
        self.days = list(days)
        self.tz = tz
        self._starts = {day: day_start(day, tz).timestamp() for day in self.days}
        runs = {day: _runs(day_stretches(day, tz)) for day in self.days}
        # The usual week: one run of 24 hours a day, and a position is plain arithmetic.
        self.plain = all(
            len(r) == 1 and r[0][1] == 0 and r[0][2] == DAY_MINUTES for r in runs.values()
        )
        self._runs = runs
        self.spans = [Span(0.0, 0.0, float(DAY_MINUTES), 0)] if self.plain else _spans(runs)
        self.length = self.spans[-1].bottom

    # -- instants to positions ---------------------------------------------------------

    def position(self, day: date, moment: datetime, *, end: bool = False) -> float:
        """Minutes from the top of `day`'s column to `moment` (a shown day). Instants
        before the day are negative, those after it past `length`. `end`: `moment` ends
        something, so an instant where two runs meet counts to the first."""
        return self.position_at(day, moment.timestamp(), end=end)

    def position_at(self, day: date, seconds: float, *, end: bool = False) -> float:
        """`position` of the instant `seconds` after the epoch."""
        start = self._starts.get(day)
        if start is None:  # not a shown day: only its distance matters to the caller
            start = day_start(day, self.tz).timestamp()
            return (seconds - start) / 60
        if self.plain:
            return (seconds - start) / 60
        runs = self._runs[day]
        first, last = runs[0][0], runs[-1][0]
        if seconds < first.start.timestamp() or (end and seconds == first.start.timestamp()):
            return (seconds - first.start.timestamp()) / 60
        if seconds > last.end.timestamp() or (not end and seconds == last.end.timestamp()):
            return self.length + (seconds - last.end.timestamp()) / 60
        for stretch, wall_start, wall_end, occurrence in runs:
            lo = stretch.start.timestamp() + (wall_start - stretch.wall_start) * 60
            hi = lo + (wall_end - wall_start) * 60
            if lo <= seconds < hi or (end and lo < seconds <= hi):
                wall = wall_start + (seconds - lo) / 60
                span = self._span_of(wall, occurrence, end=end)
                return span.top + wall - span.wall_start
        return (seconds - start) / 60  # not reached: the runs cover the day

    def _span_of(self, wall: float, occurrence: int, *, end: bool = False) -> Span:
        for span in self.spans:
            if span.occurrence != occurrence:
                continue
            if span.wall_start <= wall < span.wall_end or (
                end and span.wall_start < wall <= span.wall_end
            ):
                return span
        raise LookupError(f"no span holds wall minute {wall} ({occurrence})")

    def runs_of(self, day: date) -> list[tuple[datetime, datetime]]:
        """The instants of a shown `day` as the axis has them in one piece each (UTC): a day
        whose hour is skipped is two pieces where that hour stays on the axis."""
        pieces: list[tuple[datetime, datetime]] = []
        for stretch, wall_start, wall_end, _occurrence in self._runs[day]:
            lo = stretch.start + timedelta(minutes=wall_start - stretch.wall_start)
            hi = lo + timedelta(minutes=wall_end - wall_start)
            if pieces and pieces[-1][1] == lo and self._joined(day, lo):
                pieces[-1] = (pieces[-1][0], hi)
            else:
                pieces.append((lo, hi))
        return pieces

    def _joined(self, day: date, moment: datetime) -> bool:
        """Whether the axis runs on without a break at `moment` (the end of a run)."""
        return abs(self.position(day, moment, end=True) - self.position(day, moment)) < 1e-6

    # -- positions to instants ---------------------------------------------------------

    def wall_time_at(self, day: date, minutes: float) -> WallTime:
        """The instant `minutes` down `day`'s column (to the second), read as RFC 5545 reads
        a wall-clock time: `exists` is False where that time does not exist on `day`."""
        if self.plain:
            return wall_moment(day, minutes, self.tz)
        clamped = min(max(minutes, 0.0), self.length)
        for span in self.spans:
            if span.top <= clamped < span.bottom or clamped == self.length == span.bottom:
                wall = span.wall_start + (minutes - span.top)
                return wall_moment(day, wall, self.tz, fold=span.occurrence)
        return wall_moment(day, minutes, self.tz)

    def moment_at(self, day: date, minutes: float) -> datetime:
        """The instant `minutes` down `day`'s column (see `wall_time_at`)."""
        return self.wall_time_at(day, minutes).moment

    def clock_position(self, day: date, at: time) -> float:
        """Where the wall-clock time `at` of `day` is (working hours, the first hour shown)."""
        minutes = at.hour * 60 + at.minute
        if self.plain:
            return float(minutes)
        return self.position(day, wall_moment(day, minutes, self.tz).moment)

    def day_start(self, day: date) -> datetime:
        """The first instant of `day`, in the zone."""
        return day_start(day, self.tz).astimezone(self.tz)

    # -- what the gutter and the background show ---------------------------------------

    def hour_marks(self) -> list[HourMark]:
        """Each whole hour of wall-clock time on the axis, in order. Where the axis runs on
        past hours no shown day has (the night the clocks go forward, shown alone), the
        first hour after them says its zone ("02:00 BST")."""
        marks = []
        reached = 0.0  # the latest wall-clock minute the axis has had
        for span in self.spans:
            hour = int(-(-span.wall_start // 60))  # the first whole hour in the span
            after_gap = span.occurrence == 0 and span.wall_start > reached
            while hour * 60 < span.wall_end:
                if hour < 24:
                    position = span.top + hour * 60 - span.wall_start
                    name = span.zone_name
                    if after_gap and name is None:
                        name = self.moment_at(self.days[0], position).tzname()
                    marks.append(HourMark(position, time(hour), name))
                after_gap = False
                hour += 1
            reached = max(reached, span.wall_end)
        return marks

    def absent(self, day: date) -> list[tuple[float, float]]:
        """The runs of the axis (top, bottom) that `day` does not have: the hour skipped
        when the clocks go forward, or the repeat of an hour another shown day has twice."""
        if self.plain:
            return []
        have = [(wall_start, wall_end, occ) for _s, wall_start, wall_end, occ in self._runs[day]]
        missing = []
        for span in self.spans:
            cuts = [(span.wall_start, span.wall_end)]
            for lo, hi, occurrence in have:
                if occurrence == span.occurrence:
                    cuts = [piece for cut in cuts for piece in _minus(cut, (lo, hi))]
            for lo, hi in cuts:
                missing.append((span.top + lo - span.wall_start, span.top + hi - span.wall_start))
        return missing


def _runs(stretches: tuple[Stretch, ...]) -> list[_Run]:
    """A day's stretches as wall-clock runs: a stretch whose clock times the day already had
    (the clocks went back) is the second occurrence of those times, then the first of later."""
    runs: list[_Run] = []
    reached = 0.0  # the latest wall-clock minute the day has had so far
    for stretch in stretches:
        lo, hi = stretch.wall_start, stretch.wall_end
        if lo < reached:
            repeat_end = min(hi, reached)
            runs.append((stretch, lo, repeat_end, 1))
            lo = repeat_end
        if lo < hi:
            runs.append((stretch, lo, hi, 0))
        reached = max(reached, hi)
    return runs


def _spans(runs: dict[date, list[_Run]]) -> list[Span]:
    """The axis of days with these runs: every wall-clock minute some shown day has, in
    order, and after a repeated hour's first run its second."""
    firsts = _union(
        [(lo, hi) for day_runs in runs.values() for _s, lo, hi, occ in day_runs if not occ]
    )
    repeats: dict[tuple[float, float], tuple[str, str]] = {}
    for day_runs in runs.values():
        for i, (stretch, lo, hi, occurrence) in enumerate(day_runs):
            if occurrence:
                before = next((s for s, a, b, o in day_runs[:i] if not o and a <= lo < b), stretch)
                repeats.setdefault((lo, hi), (before.zone_name, stretch.zone_name))
    cuts = sorted({edge for pair in repeats for edge in pair})
    spans: list[Span] = []
    top = 0.0
    for lo, hi in firsts:
        points = sorted({lo, hi, *(cut for cut in cuts if lo < cut < hi)})
        for start, stop in zip(points, points[1:], strict=False):
            inside = [pair for pair in repeats if pair[0] <= start and stop <= pair[1]]
            name = repeats[inside[0]][0] if inside else None
            spans.append(Span(top, start, stop, 0, name))
            top += stop - start
            for (first, last), (_first_name, second_name) in sorted(repeats.items()):
                if last == stop:
                    spans.append(Span(top, first, last, 1, second_name))
                    top += last - first
    return spans


def _union(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for lo, hi in sorted(intervals):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _minus(cut: tuple[float, float], hole: tuple[float, float]) -> list[tuple[float, float]]:
    lo, hi = cut
    a, b = hole
    if b <= lo or hi <= a:
        return [cut]
    return [piece for piece in ((lo, a), (b, hi)) if piece[1] > piece[0]]
