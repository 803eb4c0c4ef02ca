"""The clock: the one reader of the wall clock, and clocks that tests and demos control.

The composition root (`diary.app`, the command line's entry) makes one `SystemClock` and
hands it to the services, the database, the views, the reminders and sync; everything else
asks that object for "now", so a test (or a moved process clock) decides what "today" is
everywhere at once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Calling it gives the current instant as an aware UTC datetime."""

    def __call__(self) -> datetime: ...


class SystemClock:
    """The wall clock: the only place diary reads it."""

    def __call__(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved: for tests, demos and screenshots."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.moment = moment.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.moment = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        """Move forward by `delta` of real (UTC) time."""
        self.moment = self.moment + delta


def today(clock: Clock, zone: str | ZoneInfo) -> date:
    """The calendar date the clock's instant falls on in `zone`."""
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    return clock().astimezone(tz).date()
