"""Nights the clocks change, found with zoneinfo alone (two midnights not 24 hours apart), in
zones chosen for their kinds of change: an hour at 01:00 or 02:00 in the north and the south,
half an hour (Lord Howe), and at midnight itself (Santiago). Years far from now, on purpose."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ZONES = [
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Santiago",
]
YEARS = [2030, 2031]


def day_length(day: date, zone: ZoneInfo) -> timedelta:
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return end - start


def change_nights(zone_name: str, year: int) -> list[date]:
    """The days of `year` in the zone that are not 24 hours long."""
    zone = ZoneInfo(zone_name)
    day, found = date(year, 1, 1), []
    while day.year == year:
        if day_length(day, zone) != timedelta(days=1):
            found.append(day)
        day += timedelta(days=1)
    return found


NIGHTS = [(zone, night) for zone in ZONES for year in YEARS for night in change_nights(zone, year)]
