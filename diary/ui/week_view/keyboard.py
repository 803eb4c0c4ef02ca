"""The grid's keyboard: which appointment an arrow selects, where Alt+arrow moves one.

Arrows walk the appointments in time order (up/down) or to the nearest one on the next
day that has any (left/right); Alt+arrows move the selected one by a slot or by a day.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from diary.domain.local_time import wall_moment
from diary.domain.model import Appointment, later
from diary.ui.week_view.geometry import Box

ARROWS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right)


def next_selection(ordered: list[Box], selected: str | None, key: int) -> str | None:
    """The appointment an arrow `key` selects from `selected`, among the first boxes of the
    shown appointments in time order (`GridGeometry.ordered`); None: nothing to select."""
    if not ordered:
        return None
    refs = [b.ref for b in ordered]
    if selected not in refs:
        return refs[0]
    here = refs.index(selected)
    if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
        step = -1 if key == Qt.Key.Key_Up else 1
        return refs[min(len(refs) - 1, max(0, here + step))]
    current = ordered[here]
    step = -1 if key == Qt.Key.Key_Left else 1
    days = {b.segment.day_index for b in ordered}
    target = current.segment.day_index + step
    while min(days) <= target <= max(days):
        same_day = [b for b in ordered if b.segment.day_index == target]
        if same_day:
            return min(same_day, key=lambda b: abs(b.segment.top - current.segment.top)).ref
        target += step
    return selected


def nudged(appointment: Appointment, key: int, zone: ZoneInfo, slot_minutes: int) -> datetime:
    """Where Alt+arrow `key` moves `appointment`'s start: a slot of real time earlier or
    later (up/down), or the same time of day a day earlier or later (left/right; where that
    day skips the time, read as RFC 5545 reads it)."""
    if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
        slot = timedelta(minutes=slot_minutes if key == Qt.Key.Key_Down else -slot_minutes)
        return later(appointment.start, slot)
    local = appointment.start.astimezone(zone)
    day = local.date() + timedelta(days=-1 if key == Qt.Key.Key_Left else 1)
    wall = local.hour * 60 + local.minute + local.second / 60
    return wall_moment(day, wall, zone, fold=local.fold).moment
