"""A verdict judged against neighbours worked out once says exactly what the whole window
says when judged with the candidate in it: the same flags, in the same order."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary.domain.days import local_days, window_for
from diary.domain.model import Appointment, Kind, Policy, Violation
from diary.domain.rules import Schedule

from tests.domain.factories import BATH, HOME, KITCHEN, PHONE, POLICY, TRAVEL, ZONE, appt, at

PLACES = [KITCHEN, BATH, PHONE, HOME, None]
# A reserve most busy days breach, and one none does.
POLICIES = [POLICY, replace(POLICY, reserve_minutes=300), replace(POLICY, travel_from_base=False)]


@st.composite
def appointments(draw: st.DrawFn, uid: str) -> Appointment:
    month = draw(st.sampled_from([10, 11]))  # London's clock goes back on 25 October 2026
    start = at(draw(st.integers(23, 27)), 0, month=month) + timedelta(
        minutes=5 * draw(st.integers(0, 24 * 12 - 1))
    )
    # Zero-length (RFC 5545: no DTEND), ordinary, and overnight or several days long.
    minutes = draw(st.sampled_from([0, 5, 30, 45, 60, 90, 180, 600, 1500, 3000]))
    return appt(
        uid,
        start,
        minutes,
        draw(st.sampled_from(PLACES)),
        draw(st.sampled_from([Kind.MEETING, Kind.MEETING, Kind.BLOCK])),
        wrapup=draw(st.sampled_from([None, 0, 10, 45])),
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[Schedule, Appointment]:
    existing = [draw(appointments(f"a{i}")) for i in range(draw(st.integers(0, 40)))]
    policy = draw(st.sampled_from(POLICIES))
    candidate = draw(appointments("new"))
    if existing and draw(st.booleans()):
        # Moving one that is booked already: it is judged without its old self.
        candidate = replace(candidate, uid=draw(st.sampled_from(existing)).uid)
    if draw(st.booleans()):
        # As the service loads it: the window around the candidate, its days complete.
        lo, hi = window_for(candidate.start, candidate.end, ZONE)
        inside = [a for a in existing if a.start < hi and a.end > lo]
        return Schedule.for_window(inside, policy, TRAVEL, HOME, lo, hi), candidate
    return Schedule(existing, policy, TRAVEL, HOME), candidate


def judged_whole(schedule: Schedule, candidate: Appointment) -> list[Violation]:
    """Every rule on the window with the candidate in it, as the flags that concern it."""
    near = [a for a in schedule.near(candidate.start, candidate.end) if a.ref != candidate.ref]
    days = set(local_days(candidate.start, candidate.end, ZONE))
    if schedule.complete_days is not None:
        days &= schedule.complete_days
    whole = Schedule([*near, candidate], schedule.policy, TRAVEL, HOME, days)
    titles = {a.ref: a.title for a in whole.appointments}
    return [
        replace(flag, title=titles[ref])
        for ref, flags in whole.evaluate().violations.items()
        for flag in flags
        if ref == candidate.ref or flag.other_ref == candidate.ref
    ]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_the_focused_verdict_is_the_whole_windows_verdict(case: tuple[Schedule, Appointment]):
    schedule, candidate = case
    assert schedule.violations_for(candidate) == judged_whole(schedule, candidate)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.lists(st.integers(-24 * 12, 24 * 12), min_size=1, max_size=6))
def test_one_snapshot_judges_slot_after_slot_as_it_judges_each_anew(
    case: tuple[Schedule, Appointment], shifts: list[int]
) -> None:
    # A drag: the same appointment tried at one start after another on one snapshot,
    # which keeps the neighbours it judged for the earlier tries.
    schedule, candidate = case
    for shift in shifts:
        moved = candidate.moved_to(candidate.start + timedelta(minutes=5 * shift))
        assert schedule.violations_for(moved) == judged_whole(schedule, moved)


def test_a_booking_names_what_it_overlaps_and_the_job_it_makes_late() -> None:
    busy = Policy(zone=ZONE, base_location_id=HOME.id, reserve_minutes=8 * 60)
    boiler = appt("boiler", at(24, 10), 60, KITCHEN, title="Boiler check")
    taps = appt("taps", at(24, 11, 40), 60, KITCHEN, title="Tap fitting")
    schedule = Schedule([boiler, taps], busy, TRAVEL, HOME)
    burst = appt("burst", at(24, 10, 30), 60, BATH, title="Burst pipe")
    flags = schedule.violations_for(burst)
    assert [(f.rule.value, f.ref, f.other_ref, f.title) for f in flags] == [
        ("double-booking", "boiler", "burst", "Boiler check"),
        ("double-booking", "burst", "boiler", "Burst pipe"),
        ("reserve", "burst", None, "Burst pipe"),
        ("buffer", "taps", "burst", "Tap fitting"),
    ]
    assert flags == judged_whole(schedule, burst)
