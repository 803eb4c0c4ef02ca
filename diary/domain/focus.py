"""The verdict about one candidate among neighbours judged once, not judged all again.

Every verdict about a slot reads the days around it (`days.window_for`): on a busy diary
about 165 neighbours over three days. Judging them all for each slot tried cost ~1.1 ms
(bench/core_bench.py, 100k diary), mostly in the bands and day reserves of neighbours
that the candidate leaves as they were. A neighbour's bands depend only on itself, the
latest appointment to end before it starts and the latest such with a place
(`Schedule._band`), so booking a candidate changes the bands of the candidate and of the
few neighbours it becomes one of those two for, and no other.

A `Focus` holds the neighbours of one window without one ref (the one being moved, or
the new one's), with their bands and day spans worked out once; `violations_for` then
judges the candidate against it. What it returns is exactly what the whole window,
judged with the candidate in it, says about the candidate and causes its neighbours:
tests/domain/test_focus.py compares the two on random diaries.
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from typing import TYPE_CHECKING

from diary.domain.days import ONE_DAY
from diary.domain.items import Item, end_key
from diary.domain.model import Rule, Violation
from diary.domain.verdicts import Bands

if TYPE_CHECKING:
    from diary.domain.rules import Schedule


class Focus:
    """`local`: the neighbours of a window without the candidate's ref, whose
    `complete_days` are the candidate's days that are judged."""

    def __init__(self, local: Schedule) -> None:
        self.local = local
        order = local._end_order()
        self._by_end, self._ends, self._latest_place = order
        self._bands = local._bands(None, order)
        self._spans = local._spans(self._bands)

    def violations_for(self, c: Item) -> list[Violation]:
        """As `Schedule.violations_for`: the candidate's own flags and those it causes
        its neighbours, in the order the whole window lists them."""
        local = self.local
        found: dict[str, list[Violation]] = {c.ref: []}
        neighbours: dict[str, Item] = {}
        self._double_bookings(c, found, neighbours)
        changed = self._bands_changed_by(c, found, neighbours)
        self._reserves(c, changed, found)
        flag = local._after_hours_of(c)
        if flag is not None:
            found[c.ref].append(flag)
        order = sorted([c, *neighbours.values()], key=lambda i: i.key())
        return [
            replace(flag, title=item.appt.title)
            for item in order
            for flag in found.get(item.ref, ())
            if item is c or flag.other_ref == c.ref
        ]

    def _double_bookings(
        self, c: Item, found: dict[str, list[Violation]], neighbours: dict[str, Item]
    ) -> None:
        local = self.local
        first = bisect.bisect_left(local._starts, c.s - local._longest - 1)
        last = bisect.bisect_left(local._starts, c.e)
        for y in local._items[first:last]:
            if y.e <= c.s:
                continue
            found[c.ref].append(
                Violation(Rule.DOUBLE_BOOKING, c.ref, other_ref=y.ref, other_title=y.appt.title)
            )
            found.setdefault(y.ref, []).append(
                Violation(Rule.DOUBLE_BOOKING, y.ref, other_ref=c.ref, other_title=c.appt.title)
            )
            neighbours[y.ref] = y

    def _before(self, c: Item, start: float) -> tuple[Item | None, Item | None]:
        """With `c` booked: the latest to end by `start`, and the latest such with a place."""
        k = bisect.bisect_right(self._ends, start)
        p = self._by_end[k - 1] if k else None
        place = self._latest_place[k]
        if c.e <= start:
            c_key = end_key(c)
            if p is None or c_key > end_key(p):
                p = c
            if c.place is not None and (place is None or c_key > end_key(place)):
                place = c
        return p, place

    def _bands_changed_by(
        self, c: Item, found: dict[str, list[Violation]], neighbours: dict[str, Item]
    ) -> dict[str, tuple[Item, Bands]]:
        """The bands that differ with `c` booked (its own among them), by ref; buffer
        flags into `found`."""
        local = self.local
        p, place = self._before(c, c.s)
        changed = {c.ref: (c, local._band(c, p, place, found))}
        c_key = end_key(c)
        for x in local._items[bisect.bisect_left(local._starts, c.e) :]:
            k = bisect.bisect_right(self._ends, x.s)
            was_p = self._by_end[k - 1] if k else None
            was_place = self._latest_place[k]
            if (was_p is not None and end_key(was_p) > c_key) and (
                c.place is None or (was_place is not None and end_key(was_place) > c_key)
            ):
                break  # and so for every later start: the rest keep their bands
            p, place = self._before(c, x.s)
            if p is not c and place is not c:
                continue
            flags: dict[str, list[Violation]] = {x.ref: []}
            changed[x.ref] = (x, local._band(x, p, place, flags))
            if flags[x.ref]:
                found.setdefault(x.ref, []).extend(flags[x.ref])
                neighbours[x.ref] = x
        return changed

    def _reserves(
        self,
        c: Item,
        changed: dict[str, tuple[Item, Bands]],
        found: dict[str, list[Violation]],
    ) -> None:
        local = self.local
        if not local.complete_days:
            return
        spans = {day: dict(refs) for day, refs in self._spans.items()}
        for ref, (item, band) in changed.items():
            for refs in spans.values():
                refs.pop(ref, None)
            lo, hi, day, last = local._span(item, band)
            while day <= last:
                spans.setdefault(day, {})[ref] = (lo, hi, item)
                day += ONE_DAY
        for day in sorted(local.complete_days):
            local._day_reserve(day, spans.get(day, {}), found, only=c.ref)
