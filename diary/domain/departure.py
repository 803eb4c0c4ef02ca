"""When to leave for an appointment: its start less the travel the rules count before it.

The reminders ("leave now") and the day sheet ("leave by 08:35 from Hauptstr. 5") both
read this, so the owner is told the same time everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from diary.domain.model import Appointment, Kind, later
from diary.domain.verdicts import Bands


@dataclass(frozen=True, slots=True)
class Departure:
    """Leave `origin` (a place's label; None: wherever one is) at `leave_at` to arrive on time."""

    leave_at: datetime  # aware, in the appointment's start zone
    travel_minutes: int
    origin: str | None


def departure(appointment: Appointment, bands: Bands) -> Departure | None:
    """When to set off for `appointment`, or None when it needs no travel (or is no meeting).

    The travel is the rules' (`Bands.travel_minutes`: from the last place of the day, or from
    the base for the first meeting); it is taken off in real elapsed time, so a departure
    across a clock change is still `travel_minutes` before the start.
    """
    if not appointment.timed or appointment.kind is not Kind.MEETING:
        return None
    if bands.travel_minutes <= 0:
        return None
    leave_at = later(appointment.start, -timedelta(minutes=bands.travel_minutes))
    return Departure(leave_at, bands.travel_minutes, bands.travel_from)


def time_to_leave(appointment: Appointment, bands: Bands, now: datetime) -> bool:
    """True from the moment to leave until the meeting starts: when "leave now" is said.

    A meeting that needs no travel has no moment to leave (False).
    """
    found = departure(appointment, bands)
    if found is None:
        return False
    return found.leave_at.timestamp() <= now.timestamp() < appointment.start.timestamp()
