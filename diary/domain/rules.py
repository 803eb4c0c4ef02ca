"""The scheduling rules of DESIGN.md, evaluated on a snapshot of neighbouring appointments.

All arithmetic is on UTC epoch seconds: subtracting or comparing aware datetimes that
share a tzinfo ignores their offsets, which is wrong across a DST change.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from diary.domain.model import (
    Appointment,
    BufferShortfall,
    Kind,
    Location,
    Policy,
    Rule,
    Violation,
)
from diary.domain.travel import TravelTable, travel_minutes

# No buffer (wrap-up plus travel) is longer than this, so neighbours further away
# can never affect a verdict: it bounds every range query the rules need.
LOOKAROUND = timedelta(hours=12)


def epoch(moment: datetime) -> float:
    return moment.timestamp()


def local_days(start: datetime, end: datetime, zone: str) -> list[date]:
    """The local calendar days that [start, end) touches in `zone`."""
    tz = ZoneInfo(zone)
    first = start.astimezone(tz).date()
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    days = [first]
    while days[-1] < last:
        days.append(days[-1] + timedelta(days=1))
    return days


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """Start of `day` and of the next day, in `zone` (23 or 25 hours apart at DST changes)."""
    tz = ZoneInfo(zone)
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    nxt = day + timedelta(days=1)
    return start, datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz)


def working_interval(day: date, policy: Policy) -> tuple[datetime, datetime] | None:
    """The working hours of `day` as aware datetimes, or None on a day off."""
    hours = policy.hours_on(day.weekday())
    if hours is None or hours.minutes <= 0:
        return None
    tz = ZoneInfo(policy.zone)
    return (
        datetime.combine(day, hours.start, tzinfo=tz),
        datetime.combine(day, hours.end, tzinfo=tz),
    )


def window_for(start: datetime, end: datetime, policy: Policy) -> tuple[datetime, datetime]:
    """The range whose appointments decide every verdict about [start, end)."""
    days = local_days(start, end, policy.zone)
    return day_bounds(days[0], policy.zone)[0] - LOOKAROUND, day_bounds(days[-1], policy.zone)[
        1
    ] + LOOKAROUND


@dataclass(frozen=True, slots=True)
class Bands:
    """The time an appointment really occupies around itself."""

    travel_minutes: int
    travel_from: str | None
    wrapup_minutes: int


@dataclass(frozen=True, slots=True)
class DayReserve:
    day: date
    working_minutes: int
    free_minutes: int
    reserve_minutes: int

    @property
    def breached(self) -> bool:
        return self.free_minutes < self.reserve_minutes


@dataclass(frozen=True, slots=True)
class Evaluation:
    violations: Mapping[str, tuple[Violation, ...]]
    bands: Mapping[str, Bands]
    reserves: Mapping[date, DayReserve]

    def flags(self, ref: str) -> tuple[Violation, ...]:
        return self.violations.get(ref, ())


class Schedule:
    """Appointments near some range, with what the rules need to judge them.

    `complete_days` are the local days whose appointments are all in the snapshot:
    only their reserve is judged.
    """

    def __init__(
        self,
        appointments: Iterable[Appointment],
        policy: Policy,
        travel: TravelTable,
        base: Location | None = None,
        complete_days: Iterable[date] | None = None,
    ) -> None:
        self.policy = policy
        self.travel = travel
        self.base = base
        by_ref = {a.ref: a for a in appointments if a.timed}
        self._timed = sorted(by_ref.values(), key=lambda a: (epoch(a.start), epoch(a.end), a.ref))
        self._starts = [epoch(a.start) for a in self._timed]
        self._longest = max((epoch(a.end) - epoch(a.start) for a in self._timed), default=0.0)
        # None: the snapshot holds everything, so every day is judged.
        self.complete_days = None if complete_days is None else frozenset(complete_days)

    @classmethod
    def for_window(
        cls,
        appointments: Iterable[Appointment],
        policy: Policy,
        travel: TravelTable,
        base: Location | None,
        lo: datetime,
        hi: datetime,
    ) -> Schedule:
        """A snapshot loaded for [lo, hi): the days wholly inside it are complete."""
        days = [d for d in local_days(lo, hi, policy.zone) if _inside(d, policy.zone, lo, hi)]
        return cls(appointments, policy, travel, base, days)

    @property
    def appointments(self) -> list[Appointment]:
        return list(self._timed)

    def _days_covered(self) -> list[date]:
        days: set[date] = set()
        for a in self._timed:
            days.update(local_days(a.start, a.end, self.policy.zone))
        return sorted(days)

    def with_candidate(self, candidate: Appointment) -> Schedule:
        """The snapshot as it would be with `candidate` booked (replacing its earlier self)."""
        rest = [a for a in self._timed if a.ref != candidate.ref]
        return Schedule([*rest, candidate], self.policy, self.travel, self.base, self.complete_days)

    def without(self, ref: str) -> Schedule:
        """The snapshot with one appointment taken out (the one being moved)."""
        rest = [a for a in self._timed if a.ref != ref]
        return Schedule(rest, self.policy, self.travel, self.base, self.complete_days)

    def day_reserves(self) -> dict[date, DayReserve]:
        """Free working minutes of each complete working day."""
        return self._reserves(self._bands(), None)

    def near(self, start: datetime, end: datetime) -> list[Appointment]:
        """Appointments that can matter to a verdict about [start, end)."""
        lo, hi = window_for(start, end, self.policy)
        lo_s, hi_s = epoch(lo), epoch(hi)
        first = bisect.bisect_left(self._starts, lo_s - self._longest)
        last = bisect.bisect_left(self._starts, hi_s)
        return [a for a in self._timed[first:last] if epoch(a.end) > lo_s]

    def violations_for(self, candidate: Appointment) -> list[Violation]:
        """What booking `candidate` would break: its own flags and those it causes others."""
        if not candidate.timed:
            return []
        neighbours = [
            a for a in self.near(candidate.start, candidate.end) if a.ref != candidate.ref
        ]
        days = set(local_days(candidate.start, candidate.end, self.policy.zone))
        if self.complete_days is not None:
            days &= self.complete_days
        local = Schedule([*neighbours, candidate], self.policy, self.travel, self.base, days)
        evaluation = local.evaluate()
        found: list[Violation] = []
        for ref, flags in evaluation.violations.items():
            for flag in flags:
                if ref == candidate.ref or flag.other_ref == candidate.ref:
                    found.append(flag)
        return found

    def bands_for(self, appointment: Appointment) -> Bands:
        """Travel before and wrap-up after `appointment`, as the rules count them."""
        neighbours = self.near(appointment.start, appointment.end)
        local = Schedule(
            [a for a in neighbours if a.ref != appointment.ref] + [appointment],
            self.policy,
            self.travel,
            self.base,
            (),
        )
        return local._bands()[appointment.ref]

    def evaluate(self) -> Evaluation:
        """Every rule on every appointment of the snapshot."""
        found: dict[str, list[Violation]] = {a.ref: [] for a in self._timed}
        self._double_bookings(found)
        bands = self._bands(found)
        reserves = self._reserves(bands, found)
        self._after_hours(found)
        return Evaluation(
            {ref: tuple(v) for ref, v in found.items() if v},
            bands,
            reserves,
        )

    # -- the rules -------------------------------------------------------------------

    def _double_bookings(self, found: dict[str, list[Violation]]) -> None:
        active: list[Appointment] = []
        for a in self._timed:
            start = epoch(a.start)
            active = [p for p in active if epoch(p.end) > start]
            for p in active:
                found[a.ref].append(
                    Violation(Rule.DOUBLE_BOOKING, a.ref, other_ref=p.ref, other_title=p.title)
                )
                found[p.ref].append(
                    Violation(Rule.DOUBLE_BOOKING, p.ref, other_ref=a.ref, other_title=a.title)
                )
            active.append(a)

    def _predecessors(self) -> dict[str, Appointment | None]:
        """For each appointment the one that ends last at or before its start."""
        by_end = sorted(self._timed, key=lambda a: (epoch(a.end), epoch(a.start), a.ref))
        ends = [epoch(a.end) for a in by_end]
        result: dict[str, Appointment | None] = {}
        for a in self._timed:
            i = bisect.bisect_right(ends, epoch(a.start))
            result[a.ref] = by_end[i - 1] if i else None
        return result

    def _same_day(self, a: Appointment, b: Appointment) -> bool:
        tz = ZoneInfo(self.policy.zone)
        return a.end.astimezone(tz).date() == b.start.astimezone(tz).date()

    def _travel_origin(
        self,
        appointment: Appointment,
        predecessor: Appointment | None,
        by_end: list[Appointment],
        ends: list[float],
    ) -> Location | None:
        """Where the owner comes from: the last place visited that day, else the base."""
        if predecessor is not None and self._same_day(predecessor, appointment):
            if predecessor.location is not None:
                return predecessor.location
            # A call or a block without a place: the owner is still where they were.
            i = bisect.bisect_right(ends, epoch(predecessor.end))
            for earlier in reversed(by_end[:i]):
                if not self._same_day(earlier, appointment):
                    break
                if earlier.location is not None:
                    return earlier.location
            return None
        if self.policy.travel_from_base and appointment.kind is Kind.MEETING:
            return self.base
        return None

    def _bands(self, found: dict[str, list[Violation]] | None = None) -> dict[str, Bands]:
        predecessors = self._predecessors()
        by_end = sorted(self._timed, key=lambda a: (epoch(a.end), epoch(a.start), a.ref))
        ends = [epoch(a.end) for a in by_end]
        bands: dict[str, Bands] = {}
        for a in self._timed:
            p = predecessors[a.ref]
            origin = self._travel_origin(a, p, by_end, ends)
            travel = travel_minutes(origin, a.location, self.travel, self.policy)
            bands[a.ref] = Bands(
                travel, origin.label if origin and travel else None, self.policy.wrapup_for(a)
            )
            if found is None:
                continue
            if p is not None and self._same_day(p, a):
                wrapup = self.policy.wrapup_for(p)
                gap = epoch(a.start) - epoch(p.end)
                needed = (wrapup + travel) * 60
                if gap < needed:
                    found[a.ref].append(
                        Violation(
                            Rule.BUFFER,
                            a.ref,
                            other_ref=p.ref,
                            other_title=p.title,
                            shortfall=BufferShortfall(
                                math.ceil((needed - gap) / 60 - 1e-9),
                                wrapup,
                                travel,
                                p.title,
                                origin.label if origin and travel else None,
                            ),
                        )
                    )
            elif travel and origin is not None:
                hours = working_interval(
                    a.start.astimezone(ZoneInfo(self.policy.zone)).date(), self.policy
                )
                if hours is not None:
                    gap = epoch(a.start) - epoch(hours[0])
                    if 0 <= gap < travel * 60:
                        found[a.ref].append(
                            Violation(
                                Rule.BUFFER,
                                a.ref,
                                shortfall=BufferShortfall(
                                    math.ceil((travel * 60 - gap) / 60 - 1e-9),
                                    0,
                                    travel,
                                    None,
                                    origin.label,
                                ),
                            )
                        )
        return bands

    def _reserves(
        self, bands: Mapping[str, Bands], found: dict[str, list[Violation]] | None
    ) -> dict[date, DayReserve]:
        reserves: dict[date, DayReserve] = {}
        tz = ZoneInfo(self.policy.zone)
        by_day: dict[date, list[Appointment]] = {}
        for a in self._timed:
            first = epoch(a.start) - bands[a.ref].travel_minutes * 60
            last = epoch(a.end) + bands[a.ref].wrapup_minutes * 60
            day = datetime.fromtimestamp(first, tz).date()
            while True:
                by_day.setdefault(day, []).append(a)
                day += timedelta(days=1)
                if epoch(day_bounds(day, self.policy.zone)[0]) >= last:
                    break
        days = sorted(by_day) if self.complete_days is None else sorted(self.complete_days)
        for day in days:
            hours = working_interval(day, self.policy)
            if hours is None:
                continue
            ws, we = epoch(hours[0]), epoch(hours[1])
            busy: list[tuple[float, float, Appointment]] = []
            for a in by_day.get(day, ()):
                b = bands[a.ref]
                lo = max(ws, epoch(a.start) - b.travel_minutes * 60)
                hi = min(we, epoch(a.end) + b.wrapup_minutes * 60)
                if hi > lo:
                    busy.append((lo, hi, a))
            occupied = _union_length((lo, hi) for lo, hi, _ in busy)
            working = int((we - ws) // 60)
            free = int((we - ws - occupied) // 60)
            reserve = DayReserve(day, working, free, self.policy.reserve_minutes)
            reserves[day] = reserve
            if reserve.breached and found is not None:
                for _, _, a in busy:
                    if epoch(a.start) < we and epoch(a.end) > ws:
                        found[a.ref].append(
                            Violation(
                                Rule.RESERVE,
                                a.ref,
                                day=day.isoformat(),
                                free_minutes=free,
                                reserve_minutes=self.policy.reserve_minutes,
                            )
                        )
        return reserves

    def _after_hours(self, found: dict[str, list[Violation]]) -> None:
        for a in self._timed:
            if a.kind is not Kind.MEETING:
                continue
            days = local_days(a.start, a.end, self.policy.zone)
            hours = working_interval(days[0], self.policy)
            inside = (
                len(days) == 1
                and hours is not None
                and epoch(hours[0]) <= epoch(a.start)
                and epoch(a.end) <= epoch(hours[1])
            )
            if not inside:
                found[a.ref].append(Violation(Rule.AFTER_HOURS, a.ref, day=days[0].isoformat()))


def _inside(day: date, zone: str, lo: datetime, hi: datetime) -> bool:
    start, end = day_bounds(day, zone)
    return epoch(lo) <= epoch(start) and epoch(end) <= epoch(hi)


def _union_length(intervals: Iterable[tuple[float, float]]) -> float:
    total = 0.0
    current_lo = current_hi = None
    for lo, hi in sorted(intervals):
        if current_hi is None or lo > current_hi:
            if current_hi is not None and current_lo is not None:
                total += current_hi - current_lo
            current_lo, current_hi = lo, hi
        else:
            current_hi = max(current_hi, hi)
    if current_hi is not None and current_lo is not None:
        total += current_hi - current_lo
    return total


def refusals(violations: Iterable[Violation]) -> list[Violation]:
    """The violations that make a booking refused unless overridden."""
    return [v for v in violations if v.refusable]


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
