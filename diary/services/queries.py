"""Reading the diary: what is on, what is flagged, where a new appointment fits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from diary.domain.days import epoch, local_days, window_for
from diary.domain.model import Appointment, Kind, Location
from diary.domain.rules import Schedule
from diary.domain.slots import next_feasible_slot
from diary.domain.verdicts import Bands, DayReserve
from diary.services.results import InputError, Listed, NotFoundError
from diary.services.store import DiaryStore, is_busy_time

NO_BANDS = Bands(0, None, 0)
CHECK_CHUNK = timedelta(days=28)


@dataclass(frozen=True, slots=True)
class Agenda:
    """Everything a view shows for a range: appointments with flags, and each day's reserve."""

    items: tuple[Listed, ...]
    reserves: dict[date, DayReserve]
    schedule: Schedule


class Reader:
    def __init__(self, store: DiaryStore) -> None:
        self.store = store

    def agenda(self, lo: datetime, hi: datetime) -> Agenda:
        """Appointments overlapping [lo, hi), judged with everything near them."""
        if hi.timestamp() <= lo.timestamp():
            raise InputError("to", "must be after the start of the range")
        with self.store.read() as uow:
            policy = uow.policy
            wide_lo, wide_hi = window_for(lo, hi, policy.zone)
            schedule = self.store.snapshot(uow, wide_lo, wide_hi)
        # What is shown is inside what the rules read: one range query serves both.
        evaluation = schedule.evaluate()
        flags, bands = evaluation.violations.get, evaluation.bands.get
        items = tuple(
            Listed(a, flags(ref := a.ref, ()), bands(ref, NO_BANDS))
            for a in schedule.in_listing_order(lo, hi)
            if not is_busy_time(a)
        )
        shown_days = set(local_days(lo, hi, policy.zone))
        reserves = {d: r for d, r in evaluation.reserves.items() if d in shown_days}
        return Agenda(items, reserves, schedule)

    def listing(self, lo: datetime, hi: datetime) -> list[Listed]:
        return list(self.agenda(lo, hi).items)

    def check(self, lo: datetime | None = None, hi: datetime | None = None) -> list[Listed]:
        """Every flagged appointment in the range (default: the whole diary)."""
        if lo is None or hi is None:
            with self.store.read() as uow:
                extent = uow.appointments.extent()
            if extent is None:
                return []
            lo = lo or extent[0]
            hi = hi or extent[1]
        flagged: list[Listed] = []
        seen: set[str] = set()
        start = lo
        while epoch(start) < epoch(hi):
            stop = min(start + CHECK_CHUNK, hi, key=epoch)
            for item in self.agenda(start, stop).items:
                if item.flags and item.appointment.ref not in seen:
                    seen.add(item.appointment.ref)
                    flagged.append(item)
            start = stop
        return flagged

    def get(self, ref: str) -> Appointment:
        with self.store.read() as uow:
            found = self.store.appointment(uow, ref)
        if found is None:
            raise NotFoundError("uid", f"no appointment {ref!r}")
        return found

    def snapshot(self, lo: datetime, hi: datetime) -> Schedule:
        """The rules' view of [lo, hi) for live feedback while the mouse moves."""
        with self.store.read() as uow:
            wide_lo, wide_hi = window_for(lo, hi, uow.policy.zone)
            return self.store.snapshot(uow, wide_lo, wide_hi)

    def suggest(
        self,
        duration: timedelta,
        location: str | None = None,
        after: datetime | None = None,
        kind: Kind = Kind.MEETING,
    ) -> datetime | None:
        """The earliest start from `after` (default now) that breaks no rule."""
        if duration <= timedelta(0):
            raise InputError("duration", "must be positive")
        with self.store.read() as uow:
            place: Location | None = None
            if location:
                place = uow.places.by_name(location)
                if place is None:
                    raise NotFoundError("location", f"no location named {location!r}")
            return next_feasible_slot(
                duration,
                place,
                after or self.store.clock(),
                lambda lo, hi: self.store.snapshot(uow, lo, hi),
                policy=uow.policy,
                kind=kind,
            )
