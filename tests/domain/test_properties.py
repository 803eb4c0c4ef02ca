"""Properties of the rules: hypothesis builds random diaries and checks the promises."""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary.domain.days import working_interval
from diary.domain.model import Appointment, Kind, Rule
from diary.domain.rules import Schedule
from diary.domain.slots import PROBE_UID, next_feasible_slot

from tests.domain.factories import BATH, HOME, KITCHEN, PHONE, POLICY, TRAVEL, appt, at, schedule

PLACES = [KITCHEN, BATH, PHONE, HOME, None]


@st.composite
def diaries(draw: st.DrawFn) -> list[Appointment]:
    count = draw(st.integers(0, 12))
    found = []
    for i in range(count):
        day = draw(st.integers(23, 27))
        start = at(day, 7) + timedelta(minutes=5 * draw(st.integers(0, 150)))
        minutes = 5 * draw(st.integers(3, 36))
        location = draw(st.sampled_from(PLACES))
        kind = draw(st.sampled_from([Kind.MEETING, Kind.MEETING, Kind.BLOCK]))
        found.append(appt(f"a{i}", start, minutes, location, kind))
    return found


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    diaries(),
    st.integers(3, 24),
    st.sampled_from(PLACES),
    st.integers(23, 27),
    st.integers(0, 12 * 12),
)
def test_the_slot_found_breaks_no_rule_and_booking_it_passes(
    existing: list[Appointment], slots: int, place: object, day: int, offset: int
) -> None:
    schedule = Schedule(existing, POLICY, TRAVEL, HOME)
    duration = timedelta(minutes=5 * slots)
    after = at(day, 6) + timedelta(minutes=5 * offset)
    found = next_feasible_slot(
        duration,
        place,
        after,
        lambda lo, hi: schedule,
        policy=POLICY,  # type: ignore[arg-type]
    )
    assert found is not None
    assert found >= after
    probe = Appointment(PROBE_UID, "new", found, found + duration, POLICY.zone, location=place)  # type: ignore[arg-type]
    assert schedule.violations_for(probe) == []
    hours = working_interval(found.date(), POLICY)
    assert hours is not None and hours[0] <= found and found + duration <= hours[1]
    # Booking it: the same check on the diary that now holds it passes.
    booked = Schedule([*existing, probe], POLICY, TRAVEL, HOME)
    assert booked.violations_for(probe) == []
    assert booked.evaluate().flags(PROBE_UID) == ()


@SETTINGS
@given(diaries(), st.integers(3, 24), st.sampled_from(PLACES), st.integers(0, 10 * 12))
def test_no_earlier_start_on_the_grid_would_have_worked(
    existing: list[Appointment], slots: int, place: object, offset: int
) -> None:
    schedule = Schedule(existing, POLICY, TRAVEL, HOME)
    duration = timedelta(minutes=5 * slots)
    after = at(24, 8) + timedelta(minutes=5 * offset)
    found = next_feasible_slot(
        duration,
        place,
        after,
        lambda lo, hi: schedule,
        policy=POLICY,  # type: ignore[arg-type]
    )
    assert found is not None
    moment = after
    while moment < found:
        probe = Appointment(
            PROBE_UID, "new", moment, moment + duration, POLICY.zone, location=place
        )  # type: ignore[arg-type]
        assert schedule.violations_for(probe), f"{moment} was free but {found} was suggested"
        moment += timedelta(minutes=5)


@SETTINGS
@given(diaries(), st.randoms(use_true_random=False))
def test_the_verdict_does_not_depend_on_insertion_order(
    existing: list[Appointment], shuffler: random.Random
) -> None:
    first = Schedule(existing, POLICY, TRAVEL, HOME).evaluate()
    shuffled = list(existing)
    shuffler.shuffle(shuffled)
    second = Schedule(shuffled, POLICY, TRAVEL, HOME).evaluate()
    assert {k: set(v) for k, v in first.violations.items()} == {
        k: set(v) for k, v in second.violations.items()
    }
    assert first.reserves == second.reserves


@SETTINGS
@given(diaries())
def test_a_candidate_is_judged_the_same_alone_or_in_the_whole_diary(
    existing: list[Appointment],
) -> None:
    if not existing:
        return
    *rest, candidate = existing
    whole = Schedule(existing, POLICY, TRAVEL, HOME).evaluate()
    own = {v for v in whole.flags(candidate.ref)}
    alone = set(Schedule(rest, POLICY, TRAVEL, HOME).violations_for(candidate))
    assert {v for v in alone if v.ref == candidate.ref} == own


@SETTINGS
@given(diaries())
def test_double_bookings_are_symmetric(existing: list[Appointment]) -> None:
    evaluation = Schedule(existing, POLICY, TRAVEL, HOME).evaluate()
    pairs = {
        (v.ref, v.other_ref)
        for flags in evaluation.violations.values()
        for v in flags
        if v.rule is Rule.DOUBLE_BOOKING
    }
    assert pairs == {(b, a) for a, b in pairs}


@settings(max_examples=80, deadline=None)
@given(
    gap=st.integers(min_value=0, max_value=90),
    length=st.integers(min_value=5, max_value=120),
    shift=st.integers(min_value=0, max_value=10 * 60),
)
def test_a_buffer_verdict_does_not_change_when_midnight_falls_between(
    gap: int, length: int, shift: int
) -> None:
    # Two jobs with the same gap, placed between 19:00 and 07:00 (no working day starts
    # there, hours are 08:00-18:00): wherever midnight falls, the verdict is the same.
    first_start = at(24, 19, 0) + timedelta(minutes=shift)
    first = appt("first", first_start, minutes=length, location=KITCHEN)
    second_start = first.end + timedelta(minutes=gap)
    if second_start.hour >= 7 and second_start.date() != first_start.date():
        return
    second = appt("second", second_start, minutes=30, location=BATH)
    flags = schedule(first).violations_for(second)
    buffers = [v for v in flags if v.rule is Rule.BUFFER]
    needed = 15 + 25  # Kitchen's wrap-up and the drive to Bath
    assert bool(buffers) == (gap < needed)
    if buffers:
        assert buffers[0].shortfall is not None
        assert buffers[0].shortfall.missing_minutes == needed - gap
