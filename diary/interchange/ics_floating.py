"""Floating times given a zone: X-WR-TIMEZONE applied, else the calendar's zone.

A date-time written without a zone ("floating") means wall-clock time wherever the reader
is; a diary keeps instants, so each is placed in one zone as the file is read. A calendar
that declares X-WR-TIMEZONE (Google's calendar zone) has its UTC and floating times moved
into that zone by `x_wr_timezone`, as Google's own clients do; a calendar without it has
only its floating times placed, in the zone the import reads floating times in. Times that
name their own zone are left alone either way.

Both walkers copy the whole calendar; most files have nothing to move, so each event is
looked over first and the calendar returned as it is when the walker would change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

import x_wr_timezone
from icalendar import Calendar, Component, Event

from diary.interchange.tz import iana_zone

_get = dict.get


def standard_times(calendar: Calendar, zone: str) -> Calendar:
    """`calendar` with X-WR-TIMEZONE applied and floating times placed in `zone` (an IANA
    name); the same object when nothing moves, else a copy. Raises what icalendar raises on
    a value it cannot walk (ValueError and kin)."""
    events = [c for c in calendar.subcomponents if isinstance(c, Event)]
    if calendar.get("X-WR-TIMEZONE") is not None:
        target = iana_zone(zone)
        if target is not None and not any(_walked_event(e, _utc_or_floating) for e in events):
            return calendar  # what the walker returns when it changes nothing (most files)
        return x_wr_timezone.to_standard(calendar, timezone=target)
    if not any(_walked_event(e, _floating) for e in events):
        return calendar  # what the walker returns when it places nothing
    return FloatingWalker(iana_zone(zone)).walk(calendar)


class FloatingWalker(x_wr_timezone.CalendarWalker):
    """Places floating date-times in one zone and leaves every other value alone."""

    def __init__(self, zone: tzinfo | None) -> None:
        self.zone = zone

    def walk_value_datetime(self, value: datetime) -> datetime:
        """A floating date-time gets the zone; aware ones stay."""
        return value.replace(tzinfo=self.zone) if value.tzinfo is None else value


def _walked_event(event: Component, changes: Callable[[datetime], bool]) -> bool:
    """Whether a CalendarWalker would change a value of the event: one of the values it
    walks holds a date-time that `changes` says it changes."""
    for name in x_wr_timezone.CalendarWalker.VALUE_ATTRIBUTES:
        value = _get(event, name)
        if value is not None and _walked_value(value, changes):
            return True
    return False


def _walked_value(value: Any, changes: Callable[[datetime], bool]) -> bool:
    """A date-time `changes` in a value, found the way CalendarWalker dispatches (by type
    name)."""
    kind = type(value).__name__
    if kind == "list":
        return any(_walked_value(item, changes) for item in value)
    if kind == "vDDDLists":
        return any(_walked_value(item.dt, changes) for item in value.dts)
    if kind == "vDDDTypes":
        return _walked_value(value.dt, changes)
    return kind == "datetime" and changes(value)


def _floating(value: datetime) -> bool:
    """What FloatingWalker changes."""
    return value.tzinfo is None


def _utc_or_floating(value: datetime) -> bool:
    """What x_wr_timezone's UTCChangingWalker changes (its is_UTC and is_Floating)."""
    name = value.tzname()
    return name is None or name.upper() == "UTC"
