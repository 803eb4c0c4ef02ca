"""The scheduling rules of DESIGN.md, evaluated on a snapshot of neighbouring appointments.

All arithmetic is on UTC epoch seconds: subtracting or comparing aware datetimes that
share a tzinfo ignores their offsets, which is wrong across a DST change.
"""

from __future__ import annotations

import bisect
import math
import operator
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from diary.domain.days import (
    ONE_DAY,
    covered_seconds,
    follows_on,
    local_days,
    wholly_inside,
    window_for,
    working_interval,
)
from diary.domain.focus import Focus
from diary.domain.items import EndOrder, Item, Span, end_key
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

# What the rules find has its own module; the views import it from here as well.
from diary.domain.verdicts import Bands as Bands
from diary.domain.verdicts import DayReserve as DayReserve
from diary.domain.verdicts import Evaluation
from diary.domain.verdicts import refusals as refusals

# Refs whose neighbours a snapshot keeps judged (see `violations_for`): one per drag.
_MAX_FOCUSES = 8


class Schedule:
    """Appointments near some range, with what the rules need to judge them.

    `complete_days` are the local days whose appointments are all in the snapshot:
    only their reserve is judged (None: the snapshot holds everything).
    """

    def __init__(
        self,
        appointments: Iterable[Appointment],
        policy: Policy,
        travel: TravelTable,
        base: Location | None = None,
        complete_days: Iterable[date] | None = None,
    ) -> None:
        tz = ZoneInfo(policy.zone)
        by_ref: dict[str, Appointment] = {}
        markers: dict[str, Appointment] = {}
        for a in appointments:
            (by_ref if a.timed else markers)[a.ref] = a
        items = sorted((Item(a, tz, policy) for a in by_ref.values()), key=Item.key)
        self._setup(items, policy, travel, base, complete_days)
        # All-day markers take no time, so no rule reads them; the views list them.
        self.markers: tuple[Appointment, ...] = tuple(markers.values())
        self._marker_keys = [_listing_key(a) for a in self.markers]

    def _setup(
        self,
        items: list[Item],
        policy: Policy,
        travel: TravelTable,
        base: Location | None,
        complete_days: Iterable[date] | None,
    ) -> None:
        self.policy = policy
        self.travel = travel
        self.base = base
        self._tz = ZoneInfo(policy.zone)
        self._items = items
        self._starts = [i.s for i in items]
        self._longest = max((i.e - i.s for i in items), default=0.0)
        self._longest_wrapup = max((i.wrapup * 60 for i in items), default=0)
        self.complete_days = None if complete_days is None else frozenset(complete_days)
        judged = self.complete_days  # first and last judged day; none judged: empty
        self._judged_range = (
            (date.min, date.max)
            if judged is None
            else (min(judged, default=date.max), max(judged, default=date.min))
        )
        self._hours: dict[date, tuple[float, float] | None] = {}
        self._day_reserves: dict[date, DayReserve] | None = None
        self._evaluation: Evaluation | None = None
        self._focuses: dict[tuple[str, float, float, frozenset[date]], Focus] = {}

    def _derived(self, items: list[Item], complete_days: Iterable[date] | None) -> Schedule:
        """A snapshot over already-built items (sorted), sharing this one's policy."""
        other = Schedule.__new__(Schedule)
        other._setup(items, self.policy, self.travel, self.base, complete_days)
        other.markers = self.markers
        other._marker_keys = self._marker_keys
        return other

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
        days = [d for d in local_days(lo, hi, policy.zone) if wholly_inside(d, policy.zone, lo, hi)]
        return cls(appointments, policy, travel, base, days)

    @property
    def appointments(self) -> list[Appointment]:
        """The timed appointments of the snapshot, by start."""
        return [i.appt for i in self._items]

    def overlapping(self, lo: datetime, hi: datetime) -> list[Appointment]:
        """Timed appointments and all-day markers of the snapshot overlapping [lo, hi);
        a zero-length one (RFC 5545 §3.6.1, no DTEND) when `lo <= start < hi`."""
        return [key[-1] for key in self._overlapping_keys(lo, hi)]

    def in_listing_order(self, lo: datetime, hi: datetime) -> list[Appointment]:
        """`overlapping(lo, hi)` as the views list it: all-day markers first, then by
        start, end and ref."""
        lo_s, hi_s = lo.timestamp(), hi.timestamp()
        markers = self._markers_in(lo_s, hi_s)
        if not markers:
            # The timed ones are kept in listing order already (start, end, ref): a week's
            # listing is read again on every refresh, and keying and sorting its few hundred
            # appointments cost more than all else it does per appointment.
            return [i.appt for i in self._timed_in(lo_s, hi_s)]
        keys = [(True, i.s, i.e, i.ref, i.appt) for i in self._timed_in(lo_s, hi_s)]
        return [key[-1] for key in sorted(keys + markers, key=_ORDER)]

    def _overlapping_keys(self, lo: datetime, hi: datetime) -> list[_ListingKey]:
        lo_s, hi_s = lo.timestamp(), hi.timestamp()
        found: list[_ListingKey] = [
            (True, i.s, i.e, i.ref, i.appt) for i in self._timed_in(lo_s, hi_s)
        ]
        return found + self._markers_in(lo_s, hi_s)

    def _timed_in(self, lo_s: float, hi_s: float) -> list[Item]:
        # Sorted by start, and none lasts longer than `_longest`: a range of the list.
        first = bisect.bisect_left(self._starts, lo_s - self._longest - 1)
        last = bisect.bisect_left(self._starts, hi_s)
        return [i for i in self._items[first:last] if i.e > lo_s]

    def _markers_in(self, lo_s: float, hi_s: float) -> list[_ListingKey]:
        return [
            key for key in self._marker_keys if key[1] < hi_s and (key[2] > lo_s or key[1] >= lo_s)
        ]

    def with_candidate(self, candidate: Appointment) -> Schedule:
        """The snapshot as it would be with `candidate` booked (replacing its earlier self)."""
        rest = [i for i in self._items if i.ref != candidate.ref]
        if candidate.timed:
            rest.append(Item(candidate, self._tz, self.policy))
            rest.sort(key=Item.key)
        return self._derived(rest, self.complete_days)

    def without(self, ref: str) -> Schedule:
        """The snapshot with one appointment taken out (the one being moved)."""
        return self._derived([i for i in self._items if i.ref != ref], self.complete_days)

    def day_reserves(self) -> dict[date, DayReserve]:
        """Free working minutes of each complete working day (worked out once)."""
        if self._day_reserves is None:
            self._day_reserves = self._reserves(self._bands(None), None)
        return self._day_reserves

    def _near_items(self, start: datetime, end: datetime) -> list[Item]:
        lo, hi = window_for(start, end, self.policy.zone)
        lo_s, hi_s = lo.timestamp(), hi.timestamp()
        first = bisect.bisect_left(self._starts, lo_s - self._longest)
        last = bisect.bisect_left(self._starts, hi_s)
        return [i for i in self._items[first:last] if i.e > lo_s]

    def near(self, start: datetime, end: datetime) -> list[Appointment]:
        """Appointments that can matter to a verdict about [start, end)."""
        return [i.appt for i in self._near_items(start, end)]

    def _local(self, candidate: Appointment) -> tuple[Schedule, Item]:
        """The candidate among its neighbours: everything a verdict about it depends on."""
        item = Item(candidate, self._tz, self.policy)
        items = self._neighbours(item)
        bisect.insort(items, item, key=Item.key)
        return self._derived(items, self._judged_days(candidate)), item

    def _neighbours(self, item: Item) -> list[Item]:
        """What a verdict about `item` reads besides itself (its earlier self left out)."""
        return [i for i in self._near_items(item.appt.start, item.appt.end) if i.ref != item.ref]

    def _judged_days(self, candidate: Appointment) -> set[date]:
        """The candidate's local days whose reserve a verdict about it judges."""
        days = set(local_days(candidate.start, candidate.end, self.policy.zone))
        if self.complete_days is not None:
            days &= self.complete_days
        return days

    def clearly_breaks(self, candidate: Appointment) -> bool:
        """A cheap necessary test: True only when `candidate` certainly breaks a rule.

        An overlap, or too little time for the wrap-up of the appointment right before it
        or for its own before the one right after, whatever the travel. The slot search
        uses it to skip the full verdict for most of the starts it tries.
        """
        item = Item(candidate, self._tz, self.policy)
        # Whatever starts earlier ends, wrap-up included, before the candidate starts.
        reach = self._longest + self._longest_wrapup
        first = bisect.bisect_left(self._starts, item.s - reach)
        before: Item | None = None
        after: Item | None = None
        for other in self._items[first:]:
            if other.ref == item.ref:
                continue
            if other.s < item.e and other.e > item.s:
                return True  # double-booking
            if other.e <= item.s:
                if before is None or (other.e, other.s, other.ref) > (
                    before.e,
                    before.s,
                    before.ref,
                ):
                    before = other
            elif after is None or other.s < after.s:
                after = other
            if other.s > item.e + 24 * 3600:
                break
        if (
            before is not None
            and self._follows_on(before, item)
            and item.s - before.e < before.wrapup * 60
        ):
            return True
        if after is not None and self._follows_on(item, after):
            last = bisect.bisect_right(self._starts, after.s)
            ends_between = any(
                item.e < o.e <= after.s for o in self._items[first:last] if o.ref != item.ref
            )
            if not ends_between and after.s - item.e < item.wrapup * 60:
                return True
        return False

    def violations_for(self, candidate: Appointment) -> list[Violation]:
        """What booking `candidate` would break: its own flags and those it causes others."""
        if not candidate.timed:
            return []
        # Each flag carries the title of the appointment it is on: a flag the candidate
        # causes on a neighbour is said from the candidate's side, naming that neighbour.
        item = Item(candidate, self._tz, self.policy)
        lo, hi = window_for(candidate.start, candidate.end, self.policy.zone)
        days = self._judged_days(candidate)
        key = (item.ref, lo.timestamp(), hi.timestamp(), frozenset(days))
        focus = self._focuses.get(key)
        if focus is None:
            # Judged once for every slot tried in these days: typing in the dialog and
            # dragging ask again and again of the same snapshot.
            if len(self._focuses) >= _MAX_FOCUSES:
                self._focuses.clear()
            focus = self._focuses[key] = Focus(self._derived(self._neighbours(item), days))
        return focus.violations_for(item)

    def bands_for(self, appointment: Appointment) -> Bands:
        """Travel before and wrap-up after `appointment`, as the rules count them."""
        if not appointment.timed:
            return Bands(0, None, 0)
        local, item = self._local(appointment)
        return local._bands(None)[item.ref]

    def evaluate(self) -> Evaluation:
        """Every rule on every appointment of the snapshot (worked out once: a snapshot
        never changes, and a cached one is listed again and again)."""
        if self._evaluation is None:
            self._evaluation = self._evaluate()
        return self._evaluation

    def _evaluate(self) -> Evaluation:
        found: dict[str, list[Violation]] = {i.ref: [] for i in self._items}
        self._double_bookings(found)
        bands = self._bands(found)
        reserves = self._reserves(bands, found)
        self._after_hours(found)
        return Evaluation({ref: tuple(v) for ref, v in found.items() if v}, bands, reserves)

    # -- the rules -------------------------------------------------------------------

    def _working(self, day: date) -> tuple[float, float] | None:
        """The working hours of `day` as epoch seconds (cached: asked for again and again)."""
        if day not in self._hours:
            hours = working_interval(day, self.policy)
            self._hours[day] = (
                None if hours is None else (hours[0].timestamp(), hours[1].timestamp())
            )
        return self._hours[day]

    def _follows_on(self, earlier: Item, later: Item) -> bool:
        """Whether `later` follows on from `earlier` (see `days.follows_on`)."""
        return follows_on(earlier.e, earlier.end_day, later.s, later.start_day, self._working)

    def _double_bookings(self, found: dict[str, list[Violation]]) -> None:
        active: list[Item] = []
        for a in self._items:
            active = [p for p in active if p.e > a.s]
            for p in active:
                found[a.ref].append(
                    Violation(Rule.DOUBLE_BOOKING, a.ref, other_ref=p.ref, other_title=p.appt.title)
                )
                found[p.ref].append(
                    Violation(Rule.DOUBLE_BOOKING, p.ref, other_ref=a.ref, other_title=a.appt.title)
                )
            active.append(a)

    def _travel_origin(
        self, item: Item, predecessor: Item | None, last_place: Item | None
    ) -> Location | None:
        """Where the owner comes from: the last place visited that day, else the base.

        `last_place` is the latest-ending appointment with a place that ends by the start.
        """
        if predecessor is not None and self._follows_on(predecessor, item):
            # After a call or a block without a place the owner is still where they were.
            if last_place is not None and self._follows_on(last_place, item):
                return last_place.place
            return None
        if self.policy.travel_from_base and item.appt.kind is Kind.MEETING:
            return self.base
        return None

    def _end_order(self) -> EndOrder:
        """The items by end, their ends and the latest with a place (one pass, not a walk
        back for each)."""
        by_end = sorted(self._items, key=end_key)
        latest_place: list[Item | None] = [None]
        for i in by_end:
            latest_place.append(i if i.place is not None else latest_place[-1])
        return by_end, [i.e for i in by_end], latest_place

    def _bands(
        self, found: dict[str, list[Violation]] | None, end_order: EndOrder | None = None
    ) -> dict[str, Bands]:
        by_end, ends, latest_place = end_order or self._end_order()
        bands: dict[str, Bands] = {}
        for a in self._items:
            index = bisect.bisect_right(ends, a.s)
            p = by_end[index - 1] if index else None
            bands[a.ref] = self._band(a, p, latest_place[index], found)
        return bands

    def _band(
        self,
        a: Item,
        p: Item | None,
        last_place: Item | None,
        found: dict[str, list[Violation]] | None,
    ) -> Bands:
        """The bands of `a` after `p`, the latest-ending appointment that ends by its start
        (`last_place` the latest such with a place); its buffer flag, if any, into `found`."""
        origin = self._travel_origin(a, p, last_place)
        travel = travel_minutes(origin, a.appt.location, self.travel, self.policy)
        travel_from = origin.label if origin is not None and travel else None
        band = Bands(travel, travel_from, a.wrapup)
        if found is None:
            return band
        if p is not None and self._follows_on(p, a):
            gap = a.s - p.e
            needed = (p.wrapup + travel) * 60
            if gap < needed:
                shortfall = BufferShortfall(
                    math.ceil((needed - gap) / 60 - 1e-9),
                    p.wrapup,
                    travel,
                    p.appt.title,
                    travel_from,
                )
                found[a.ref].append(
                    Violation(
                        Rule.BUFFER,
                        a.ref,
                        other_ref=p.ref,
                        other_title=p.appt.title,
                        shortfall=shortfall,
                    )
                )
        elif travel and origin is not None:
            hours = self._working(a.start_day)
            if hours is not None:
                gap = a.s - hours[0]
                if 0 <= gap < travel * 60:
                    shortfall = BufferShortfall(
                        math.ceil((travel * 60 - gap) / 60 - 1e-9), 0, travel, None, travel_from
                    )
                    found[a.ref].append(Violation(Rule.BUFFER, a.ref, shortfall=shortfall))
        return band

    def _reserves(
        self, bands: Mapping[str, Bands], found: dict[str, list[Violation]] | None
    ) -> dict[date, DayReserve]:
        by_day = self._spans(bands)
        reserves: dict[date, DayReserve] = {}
        days = sorted(by_day) if self.complete_days is None else sorted(self.complete_days)
        for day in days:
            reserve = self._day_reserve(day, by_day.get(day, {}), found)
            if reserve is not None:
                reserves[day] = reserve
        return reserves

    def _spans(self, bands: Mapping[str, Bands]) -> dict[date, dict[str, Span]]:
        """Per judged day, the time each appointment takes there with its bands, by ref."""
        by_day: dict[date, dict[str, Span]] = {}
        for a in self._items:
            lo, hi, day, last = self._span(a, bands[a.ref])
            while day <= last:
                by_day.setdefault(day, {})[a.ref] = (lo, hi, a)
                day += ONE_DAY
        return by_day

    def _span(self, a: Item, band: Bands) -> tuple[float, float, date, date]:
        """`a` with its travel and wrap-up (epoch seconds), and the judged days it touches
        (none when the first is after the last)."""
        lo = a.s - band.travel_minutes * 60
        hi = a.e + band.wrapup_minutes * 60
        day = (
            a.start_day if not band.travel_minutes else datetime.fromtimestamp(lo, self._tz).date()
        )
        last = a.end_day if not band.wrapup_minutes else datetime.fromtimestamp(hi, self._tz).date()
        # Only the judged days are filled in: a neighbour may run for years (to 2200), and
        # walking its every day made each verdict about one slot cost ~60,000 steps.
        first, final = self._judged_range
        return lo, hi, max(day, first), min(last, final)

    def _day_reserve(
        self,
        day: date,
        spans: Mapping[str, Span],
        found: dict[str, list[Violation]] | None,
        only: str | None = None,
    ) -> DayReserve | None:
        """The reserve of `day` (None on a day off); its flags into `found` (`only` on the
        appointment with that ref)."""
        hours = self._working(day)
        if hours is None:
            return None
        ws, we = hours
        busy = [
            (max(ws, lo), min(we, hi), a)
            for lo, hi, a in spans.values()
            if min(we, hi) > max(ws, lo)
        ]
        occupied = covered_seconds((lo, hi) for lo, hi, _ in busy)
        free = int((we - ws - occupied) // 60)
        reserve = DayReserve(day, int((we - ws) // 60), free, self.policy.reserve_minutes)
        if reserve.breached and found is not None:
            for _, _, a in busy:
                if (only is None or a.ref == only) and a.s < we and a.e > ws:
                    found[a.ref].append(
                        Violation(
                            Rule.RESERVE,
                            a.ref,
                            day=day.isoformat(),
                            free_minutes=free,
                            reserve_minutes=self.policy.reserve_minutes,
                        )
                    )
        return reserve

    def _after_hours(self, found: dict[str, list[Violation]]) -> None:
        for a in self._items:
            flag = self._after_hours_of(a)
            if flag is not None:
                found[a.ref].append(flag)

    def _after_hours_of(self, a: Item) -> Violation | None:
        if a.appt.kind is not Kind.MEETING:
            return None
        hours = self._working(a.start_day)
        if hours is None or not (hours[0] <= a.s and a.e <= hours[1]):
            return Violation(Rule.AFTER_HOURS, a.ref, day=a.start_day.isoformat())
        return None


# How views order what they list: all-day first, then by start, end and ref (epoch seconds).
_ListingKey = tuple[bool, float, float, str, Appointment]
_ORDER = operator.itemgetter(0, 1, 2, 3)  # never the appointment: ties keep their order


def _listing_key(appointment: Appointment) -> _ListingKey:
    start, end = appointment.start.timestamp(), appointment.end.timestamp()
    return (not appointment.all_day, start, end, appointment.ref, appointment)
