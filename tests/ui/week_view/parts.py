"""Appointments and a grid geometry built in memory, for the tests of the week view's parts.

The dates are in March 2027 (Europe/Berlin), far from a clock change, chosen on purpose;
the clock-change tests pick their own nights.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSize

from diary.domain.model import Appointment, Kind
from diary.domain.rules import Bands
from diary.services import Listed
from diary.ui.week_view.axis import TimeAxis
from diary.ui.week_view.geometry import GridGeometry

ZONE = "Europe/Berlin"
TZ = ZoneInfo(ZONE)
MONDAY = date(2027, 3, 1)
WEEK = [MONDAY + timedelta(days=i) for i in range(7)]


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = TZ, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone, fold=fold)


def listed(
    uid: str,
    start: datetime,
    end: datetime,
    *,
    travel: int = 0,
    wrapup: int = 0,
    kind: Kind = Kind.MEETING,
    title: str | None = None,
) -> Listed:
    appointment = Appointment(
        uid=uid, title=title or uid, start=start, end=end, zone=str(start.tzinfo), kind=kind
    )
    return Listed(appointment, (), Bands(travel, "Depot" if travel else None, wrapup))


class Viewport:
    """A viewport size and scroll position the test sets by hand."""

    def __init__(self, width: int = 700, height: int = 600, scroll: int = 0) -> None:
        self.size = QSize(width, height)
        self.scroll = scroll


def geometry(
    items: list[Listed],
    days: list[date] | None = None,
    zone: ZoneInfo = TZ,
    viewport: Viewport | None = None,
    hour_px: float = 60.0,
) -> GridGeometry:
    """A geometry over `days` (the week of MONDAY) with one pixel a minute by default."""
    port = viewport or Viewport()
    grid = GridGeometry(TimeAxis(days or WEEK, zone), lambda: port.scroll, lambda: port.size)
    grid.set_hour_px(hour_px)
    grid.set_items(items)
    return grid
