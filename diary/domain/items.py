"""An appointment as the rules read it: epoch seconds, local days, place and wrap-up,
worked out once (a verdict reads them over and over)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from diary.domain.model import Appointment, Location, Policy


class Item:
    """`s` and `e` are the start and end in UTC epoch seconds; `start_day` and `end_day`
    their local days; `place` the location travelled to (None for a call or none);
    `wrapup` minutes."""

    __slots__ = ("appt", "ref", "s", "e", "start_day", "end_day", "place", "wrapup")

    def __init__(self, appt: Appointment, tz: ZoneInfo, policy: Policy) -> None:
        self.appt = appt
        self.ref = appt.ref
        self.s = appt.start.timestamp()
        self.e = appt.end.timestamp()
        self.start_day = datetime.fromtimestamp(self.s, tz).date()
        self.end_day = datetime.fromtimestamp(self.e, tz).date()
        self.place = appt.location if is_place(appt.location) else None
        self.wrapup = policy.wrapup_for(appt)

    def key(self) -> tuple[float, float, str]:
        """The snapshot's order: by start, then end and ref."""
        return (self.s, self.e, self.ref)


def end_key(item: Item) -> tuple[float, float, str]:
    """The order "the latest to end" reads: by end, then start and ref."""
    return (item.e, item.s, item.ref)


# An appointment's time on one day with its bands: (from, to) in epoch seconds, and it.
Span = tuple[float, float, Item]
# Items by `end_key`, their ends, and for each k the last of the first k with a place.
EndOrder = tuple[list[Item], list[float], list[Item | None]]


def is_place(location: Location | None) -> bool:
    """A place one travels to; a call or video meeting is taken wherever one is."""
    return location is not None and not location.remote
