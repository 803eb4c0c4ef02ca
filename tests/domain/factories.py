"""Small builders for domain tests: a diary in Europe/London with three places."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from diary.domain.model import Appointment, Kind, Location, Policy
from diary.domain.rules import Schedule

ZONE = "Europe/London"
TZ = ZoneInfo(ZONE)
HOME = Location(1, "Home", "1 Home St")
KITCHEN = Location(2, "Kitchen", "Hauptstr. 5")
BATH = Location(3, "Bath", "Bahnhofstr. 9")
PHONE = Location(4, "Phone", remote=True)
TRAVEL = {(1, 2): 20, (2, 3): 25, (1, 3): 30}
POLICY = Policy(zone=ZONE, base_location_id=HOME.id)


def at(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def appt(
    uid: str,
    start: datetime,
    minutes: int = 60,
    location: Location | None = KITCHEN,
    kind: Kind = Kind.MEETING,
    wrapup: int | None = None,
    title: str | None = None,
) -> Appointment:
    return Appointment(
        uid=uid,
        title=title or uid,
        start=start,
        end=start + timedelta(minutes=minutes),
        zone=ZONE,
        kind=kind,
        location=location,
        wrapup_minutes=wrapup,
    )


def schedule(*appointments: Appointment, policy: Policy = POLICY) -> Schedule:
    return Schedule(appointments, policy, TRAVEL, HOME)
