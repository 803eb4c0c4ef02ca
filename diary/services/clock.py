"""The one reader of the wall clock, and the system's zone.

The composition root (`diary.app`, `diary.cli`) makes one `SystemClock` and hands it to
the services, views, reminders and sync; everything else asks that object for "now", so a
test or a moved process clock decides what "today" is everywhere at once.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


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


def utc_now() -> datetime:
    """The wall clock's instant; prefer a `Clock` passed in (kept for default arguments)."""
    return SystemClock()()


def valid_zone(name: str) -> bool:
    """Whether `name` is an IANA zone this machine knows (any text is safe to ask about)."""
    if not name or len(name) > 64:  # the longest IANA name has 32 characters
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def system_zone() -> str:
    """The IANA name of the machine's zone: TZ, then /etc/localtime, then /etc/timezone."""
    candidates: list[str] = []
    env = os.environ.get("TZ", "").lstrip(":")
    if env:
        candidates.append(env)
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text(encoding="utf-8").strip())
    for name in candidates:
        if ("/" in name or name in ("UTC", "GMT")) and valid_zone(name):
            return name
    return "UTC"


def known_zones() -> set[str]:
    return available_timezones()
