"""The day sheet: everything the owner takes along for one day, as plain values.

Assembled from the same reads the window makes (the agenda of the day with its bands and
flags, the promises due that day, those at risk); the UI lays it out as a document
(`diary.ui.day_sheet`), the command line prints it (`diary print --view day`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote_plus

from diary.domain.days import day_bounds, epoch, working_interval
from diary.domain.departure import Departure, departure
from diary.domain.model import Appointment, Location, Policy, Violation
from diary.domain.verdicts import DayReserve

if TYPE_CHECKING:
    from diary.services.promises import PromiseView
    from diary.services.queries import Agenda

MAP_SEARCH = "https://www.openstreetmap.org/search?query={query}"
MAP_POINT = (
    "https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"
)


class _Reads(Protocol):
    """What the sheet reads: DiaryService's use cases (each its own transaction)."""

    def policy(self) -> Policy: ...
    def agenda(self, lo: datetime, hi: datetime) -> Agenda: ...
    def promises_due(self, lo: datetime, hi: datetime) -> list[PromiseView]: ...
    def promises(
        self, at_risk_only: bool = False, include_done: bool = False
    ) -> list[PromiseView]: ...


@dataclass(frozen=True, slots=True)
class SheetJob:
    """One appointment of the day, with when to set off and how long the wrap-up is."""

    appointment: Appointment
    departure: Departure | None  # None: no travel before it
    wrapup_minutes: int
    flags: tuple[Violation, ...]
    map_url: str | None  # a map of the place (None: no place, or a call)
    continued: bool  # it began on an earlier day
    goes_on: bool  # it ends on a later day


@dataclass(frozen=True, slots=True)
class DaySheet:
    """The day `day` in `zone` (the display zone): jobs in time order (by instant, so the
    repeated hour of a clock change is in its real place), the all-day markers, promises
    due that day, promises at risk, and the day's free reserve (None on a day off)."""

    day: date
    zone: str
    owner: str
    jobs: tuple[SheetJob, ...]
    all_day: tuple[Appointment, ...]
    due: tuple[PromiseView, ...]
    at_risk: tuple[PromiseView, ...]
    reserve: DayReserve | None
    working: tuple[datetime, datetime] | None


def map_url(location: Location | None) -> str | None:
    """An OpenStreetMap link to the place: its coordinates if known, else its address."""
    if location is None or location.remote:
        return None
    if location.lat is not None and location.lon is not None:
        return MAP_POINT.format(lat=location.lat, lon=location.lon)
    text = location.address.strip()
    if not text:
        return None
    return MAP_SEARCH.format(query=quote_plus(text))


def build_day_sheet(reads: _Reads, day: date, zone: str | None = None) -> DaySheet:
    """The sheet of `day` in `zone` (default: the diary's zone)."""
    policy = reads.policy()
    zone = zone or policy.zone
    lo, hi = day_bounds(day, zone)
    agenda = reads.agenda(lo, hi)
    jobs: list[SheetJob] = []
    all_day: list[Appointment] = []
    for item in agenda.items:
        a = item.appointment
        if a.cancelled:
            continue
        if a.all_day:
            all_day.append(a)
            continue
        jobs.append(
            SheetJob(
                a,
                departure(a, item.bands),
                item.bands.wrapup_minutes,
                item.flags,
                map_url(a.location),
                continued=epoch(a.start) < epoch(lo),
                goes_on=epoch(a.end) > epoch(hi),
            )
        )
    jobs.sort(key=lambda job: (epoch(job.appointment.start), epoch(job.appointment.end)))
    due = sorted(reads.promises_due(lo, hi), key=lambda v: epoch(v.promise.due))
    due_ids = {view.promise.id for view in due}
    at_risk = [v for v in reads.promises(at_risk_only=True) if v.promise.id not in due_ids]
    at_risk.sort(key=lambda v: epoch(v.promise.due))
    # The reserve is the diary's own: counted on the diary zone's working day.
    reserve = agenda.reserves.get(day) if zone == policy.zone else None
    if reserve is None and zone != policy.zone:
        reserve = _reserve_in_diary_zone(reads, day, policy)
    return DaySheet(
        day,
        zone,
        policy.owner_name,
        tuple(jobs),
        tuple(all_day),
        tuple(due),
        tuple(at_risk),
        reserve,
        working_interval(day, policy),
    )


def _reserve_in_diary_zone(reads: _Reads, day: date, policy: Policy) -> DayReserve | None:
    lo, hi = day_bounds(day, policy.zone)
    return reads.agenda(lo, hi).reserves.get(day)
