"""The grid's time axis: where an instant of a shown day goes, in minutes down its column.

No Qt here: the axis maps instants to minutes and back; `geometry` turns minutes into pixels.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_MINUTES = 24 * 60


class TimeAxis:
    """The vertical axis of the shown `days` in zone `tz`, in minutes from the top.

    A position is the wall-clock minutes from the start of the day asked about (negative
    before it, past `length` after it), so instants of other days continue the scale.
    """

    def __init__(self, days: list[date], tz: ZoneInfo) -> None:
        self.days = list(days)
        self.tz = tz
        self.length = float(DAY_MINUTES)

    def position(self, day: date, moment: datetime) -> float:
        """Minutes from the top of `day`'s column to `moment`."""
        local = moment.astimezone(self.tz)
        return (
            (local.date() - day).days * DAY_MINUTES
            + local.hour * 60
            + local.minute
            + (local.second / 60)
        )

    def moment_at(self, day: date, minutes: float) -> datetime:
        """The instant `minutes` down `day`'s column (whole minutes)."""
        whole = int(round(minutes))
        days, rest = divmod(whole, DAY_MINUTES)
        target = day + timedelta(days=days)
        return datetime.combine(target, time(rest // 60, rest % 60), tzinfo=self.tz)

    def clock_position(self, day: date, at: time) -> float:
        """Where the wall-clock time `at` of `day` is (working hours, the first hour shown)."""
        return float(at.hour * 60 + at.minute)

    def hour_marks(self) -> list[tuple[float, datetime]]:
        """Each hour line: its position and the instant it stands for (labelled in the gutter)."""
        anchor = self.days[0]
        return [(float(hour * 60), self.moment_at(anchor, hour * 60)) for hour in range(24)]

    def day_start(self, day: date) -> datetime:
        """The first instant of `day`."""
        return datetime.combine(day, time(0), tzinfo=self.tz)
