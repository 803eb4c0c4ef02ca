"""What a snapshot lists for a range, and in which order, read from its sorted epochs: the
same as filtering every appointment and sorting them (all-day first, then start, end, ref).

Dates are fixed on purpose: the factories' week of 23-27 Nov 2026. Refs repeat (several
copies of one, timed or not), and series members carry a RECURRENCE-ID in theirs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary.domain.model import Appointment, Kind
from diary.domain.rules import Schedule

from tests.domain.factories import HOME, POLICY, TRAVEL, appt, at


@st.composite
def appointments(draw: st.DrawFn) -> list[Appointment]:
    found = []
    for i in range(draw(st.integers(0, 14))):
        start = at(draw(st.integers(23, 27)), 0) + timedelta(minutes=15 * draw(st.integers(0, 95)))
        shape = draw(st.sampled_from(["timed", "timed", "zero", "cancelled", "all-day", "long"]))
        minutes = {"zero": 0, "long": 60 * 30}.get(shape, 15 * draw(st.integers(1, 12)))
        kind = Kind.ALL_DAY if shape == "all-day" else Kind.MEETING
        a = appt(f"a{i % 9}", start, minutes, None, kind)
        if shape == "all-day":
            a = replace(a, start=start.replace(hour=0, minute=0), end=start + timedelta(days=1))
        if shape == "cancelled":
            a = replace(a, cancelled=True)
        if draw(st.booleans()):  # a series member: the same UID, its own occurrence
            a = replace(a, series_uid=a.uid, recurrence_id=a.start)
        found.append(a)
    return found


def _naive(snapshot: list[Appointment], lo: datetime, hi: datetime) -> list[str]:
    shown = [
        a
        for a in snapshot
        if a.start.timestamp() < hi.timestamp()
        and (a.end.timestamp() > lo.timestamp() or a.start.timestamp() >= lo.timestamp())
    ]
    shown.sort(key=lambda a: (not a.all_day, a.start.timestamp(), a.end.timestamp(), a.ref))
    return [a.ref for a in shown]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(appointments(), st.integers(22, 27), st.integers(0, 23), st.integers(1, 72))
def test_a_range_lists_what_overlaps_it_in_listing_order(
    existing: list[Appointment], day: int, hour: int, hours: int
) -> None:
    schedule = Schedule(existing, POLICY, TRAVEL, HOME)
    lo = at(day, hour)
    hi = lo + timedelta(hours=hours)
    # The snapshot keeps the last timed appointment of each ref and the last marker of each.
    timed = {a.ref: a for a in existing if a.timed}
    markers = {a.ref: a for a in existing if not a.timed}
    snapshot = [*timed.values(), *markers.values()]
    listed = schedule.in_listing_order(lo, hi)
    assert [a.ref for a in listed] == _naive(snapshot, lo, hi)
    assert sorted(a.ref for a in schedule.overlapping(lo, hi)) == sorted(_naive(snapshot, lo, hi))
    # Judged once, the same verdict whenever asked again.
    assert schedule.evaluate() is schedule.evaluate()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 12), st.integers(1, 6), st.booleans()),
        max_size=20,
    ),
    st.integers(0, 40),
    st.integers(1, 40),
)
def test_timed_ones_alone_list_by_start_end_and_ref(
    shapes: list[tuple[int, int, int, bool]], first: int, length: int
) -> None:
    """No marker in the range: the snapshot's own order is the listing order (ties on the
    start broken by the end, then by the ref)."""
    existing = []
    for i, (uid, quarter, quarters, member) in enumerate(shapes):
        start = at(24, 8) + timedelta(minutes=15 * quarter)
        a = appt(f"a{uid}", start, 15 * quarters, None)
        if member:
            a = replace(a, series_uid=a.uid, recurrence_id=at(24, 8) + timedelta(days=i))
        existing.append(a)
    schedule = Schedule(existing, POLICY, TRAVEL, HOME)
    lo = at(24, 8) + timedelta(minutes=15 * first)
    hi = lo + timedelta(minutes=15 * length)
    snapshot = list({a.ref: a for a in existing}.values())
    assert [a.ref for a in schedule.in_listing_order(lo, hi)] == _naive(snapshot, lo, hi)
