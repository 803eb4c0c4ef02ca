"""The promise rules as pure functions: the 24-hour check, risk, free time and suggest-due."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary.domain.days import working_interval
from diary.domain.model import Appointment, Customer, Kind, Policy
from diary.domain.promises import (
    FreeTime,
    Promise,
    PromiseStatus,
    RiskKind,
    add_working_days,
    assess,
    check_at,
    check_pending,
    due_soon,
    earliest_due,
    free_minutes_between,
    realistic_new_due,
)
from diary.domain.rules import Schedule

from tests.domain.factories import (
    HOME,
    KITCHEN,
    PHONE,
    POLICY,
    TRAVEL,
    TZ,
    ZONE,
    appt,
    at,
    schedule,
)

CUSTOMER = Customer(1, "Zoë Müller-Łukasik", email="zoe@example.com")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def promise(due: datetime, effort: int | None = None, **kw: object) -> Promise:
    return replace(
        Promise(1, "p1@diary", CUSTOMER, "Quote for the kitchen", due, ZONE, effort), **kw
    )


# -- due soon, the 24-hour check and risk --------------------------------------------------


def test_due_soon_is_the_coming_week_of_real_time_and_never_a_done_promise() -> None:
    now = at(20, 10, month=10)  # Tuesday; the clocks go back on Sunday the 25th
    week_later = (now.astimezone(UTC) + timedelta(days=7)).astimezone(TZ)
    assert week_later.hour == 9  # a real week on: 09:00 GMT, an hour earlier on the wall
    assert due_soon(promise(now), PromiseStatus.OPEN, now)
    assert due_soon(promise(week_later - timedelta(minutes=1)), PromiseStatus.CHECKED, now)
    assert not due_soon(promise(week_later), PromiseStatus.OPEN, now)
    assert not due_soon(promise(now - timedelta(minutes=1)), PromiseStatus.OPEN, now)  # late
    assert not due_soon(promise(now + timedelta(days=1)), PromiseStatus.DONE, now)


def test_the_check_is_24_real_hours_before_due_even_across_the_autumn_change() -> None:
    due = at(25, 10, month=10)  # the clocks went back at 02:00 that Sunday
    p = promise(due)
    assert due.astimezone(UTC) - check_at(p).astimezone(UTC) == timedelta(hours=24)
    assert check_at(p).astimezone(TZ).hour == 11  # 11:00 BST on the Saturday: the day had 25 hours


def test_an_unconfirmed_promise_past_its_check_is_at_risk_until_confirmed() -> None:
    p = promise(at(25, 12))
    before = assess(p, at(24, 11), None)
    assert not before.at_risk and before.status is PromiseStatus.OPEN
    assert not check_pending(p, at(24, 11))
    after = assess(p, at(24, 13), None)
    assert after.at_risk and [r.kind for r in after.reasons] == [RiskKind.CHECK_OVERDUE]
    assert check_pending(p, at(24, 13))
    checked = assess(replace(p, status=PromiseStatus.CHECKED), at(24, 13), None)
    assert not checked.at_risk and checked.status is PromiseStatus.CHECKED


def test_an_effort_that_no_longer_fits_is_at_risk_with_the_numbers() -> None:
    p = promise(at(27, 12), effort=300)
    found = assess(p, at(24, 9), 240)
    assert found.at_risk
    [reason] = found.reasons
    assert reason.kind is RiskKind.EFFORT_DOES_NOT_FIT
    assert (reason.free_minutes, reason.needed_minutes) == (240, 300)
    assert not assess(p, at(24, 9), 300).at_risk


def test_past_due_and_not_done_is_late_and_done_is_never_at_risk() -> None:
    p = promise(at(24, 12), effort=60)
    late = assess(p, at(24, 12), 0)
    assert late.status is PromiseStatus.LATE and late.at_risk and late.late
    assert [r.kind for r in late.reasons] == [RiskKind.LATE]
    done = assess(replace(p, status=PromiseStatus.DONE), at(30, 12), 0)
    assert done.status is PromiseStatus.DONE and not done.at_risk and done.reasons == ()


@SETTINGS
@given(
    effort=st.none() | st.integers(0, 5000),
    spare=st.integers(0, 5000),
    hours_before=st.integers(1, 24 * 14),
    checked=st.booleans(),
)
def test_a_promise_whose_effort_fits_is_never_at_risk(
    effort: int | None, spare: int, hours_before: int, checked: bool
) -> None:
    due = at(27, 12)
    now = due - timedelta(hours=hours_before)
    status = PromiseStatus.CHECKED if checked else PromiseStatus.OPEN
    p = promise(due, effort, status=status)
    free = (effort or 0) + spare
    confirmed_or_not_yet = checked or now < check_at(p)
    if confirmed_or_not_yet:
        assert not assess(p, now, free).at_risk
    else:
        assert [r.kind for r in assess(p, now, free).reasons] == [RiskKind.CHECK_OVERDUE]


# -- free working time ---------------------------------------------------------------------


def test_free_time_is_working_hours_less_bands_and_each_days_reserve() -> None:
    empty = schedule()
    # Monday 23 November 2026: 08:00-18:00 is 600 minutes, 60 of them kept as the reserve.
    assert free_minutes_between(empty, at(23, 0), at(24, 0)) == 540
    assert free_minutes_between(empty, at(23, 10), at(23, 18)) == 420
    assert free_minutes_between(empty, at(23, 17, 30), at(24, 0)) == 0  # never negative
    assert free_minutes_between(empty, at(28, 0), at(30, 0)) == 0  # weekend
    assert free_minutes_between(empty, at(23, 0), at(30, 0)) == 5 * 540
    # Kitchen 09:00-10:00: 20 min travel from Home before, 15 min wrap-up after.
    busy = schedule(appt("k", at(23, 9)))
    assert free_minutes_between(busy, at(23, 0), at(24, 0)) == 540 - 95


def test_free_time_from_the_chunked_reader_matches_one_snapshot() -> None:
    diary = schedule(appt("k", at(23, 9)), appt("b", at(26, 14), 120, location=PHONE))
    loads: list[tuple[datetime, datetime]] = []

    def load(lo: datetime, hi: datetime) -> Schedule:
        loads.append((lo, hi))
        return diary

    free = FreeTime(load, POLICY, at(23, 7))
    for hi in (at(23, 12), at(25, 9), at(27, 17, 30), at(12, 9, month=12)):
        assert free.until(hi) == free_minutes_between(diary, at(23, 7), hi)
    # A week a query, with the day either side that the rules look at (days.LOOKAROUND).
    assert all(hi - lo <= timedelta(days=9) for lo, hi in loads)


def test_add_working_days_skips_days_off() -> None:
    friday = at(27, 0).date()
    assert add_working_days(friday, 0, POLICY) == friday
    assert add_working_days(friday, 1, POLICY) == at(30, 0).date()
    closed = Policy(zone=ZONE, week=(None,) * 7)
    assert add_working_days(friday, 1, closed) is None


# -- when can I promise this? --------------------------------------------------------------


def test_earliest_due_is_the_end_of_the_day_the_effort_fits_plus_working_days() -> None:
    empty = schedule()

    def load(lo: datetime, hi: datetime) -> Schedule:
        return empty

    assert earliest_due(600, at(23, 7), load, POLICY, 0) == at(24, 18)
    assert earliest_due(600, at(23, 7), load, POLICY, 1) == at(25, 18)
    # From Friday: 540 minutes on Friday, the weekend off, the rest on Monday; margin Tuesday.
    assert earliest_due(600, at(27, 7), load, POLICY, 1) == at(1, 18, month=12)
    assert earliest_due(0, at(23, 19), load, POLICY, 0) == at(24, 18)  # today's hours are over
    closed = Policy(zone=ZONE, week=(None,) * 7)
    assert earliest_due(60, at(23, 7), load, closed, 0, search_days=30) is None


@st.composite
def diaries(
    draw: st.DrawFn, places: tuple[object, ...] = (KITCHEN, PHONE, HOME, None)
) -> list[Appointment]:
    found = []
    for i in range(draw(st.integers(0, 14))):
        day = draw(st.integers(23, 30))
        start = at(day, 7) + timedelta(minutes=5 * draw(st.integers(0, 140)))
        minutes = 5 * draw(st.integers(3, 48))
        location = draw(st.sampled_from(places))
        kind = draw(st.sampled_from([Kind.MEETING, Kind.MEETING, Kind.BLOCK]))
        found.append(appt(f"a{i}", start, minutes, location, kind))  # type: ignore[arg-type]
    return found


def _previous_working_end(day: datetime, policy: Policy) -> datetime | None:
    d = day.astimezone(TZ).date()
    for i in range(1, 8):
        hours = working_interval(d - timedelta(days=i), policy)
        if hours is not None:
            return hours[1]
    return None


@SETTINGS
@given(
    diaries(),
    st.integers(0, 3000),
    st.integers(23, 27),
    st.integers(0, 14 * 12),
    st.integers(0, 3),
)
def test_suggest_due_never_returns_a_day_before_the_effort_fits(
    existing: list[Appointment], effort: int, day: int, offset: int, margin: int
) -> None:
    diary = Schedule(existing, POLICY, TRAVEL, HOME)
    now = at(day, 6) + timedelta(minutes=5 * offset)
    fit = earliest_due(effort, now, lambda lo, hi: diary, POLICY, 0)
    assert fit is not None and fit > now
    assert free_minutes_between(diary, now, fit) >= effort
    before = _previous_working_end(fit, POLICY)
    if before is not None and before > now and effort > 0:
        assert free_minutes_between(diary, now, before) < effort  # and not a day later either
    with_margin = earliest_due(effort, now, lambda lo, hi: diary, POLICY, margin)
    expected_day = add_working_days(fit.astimezone(TZ).date(), margin, POLICY)
    assert with_margin is not None and with_margin.astimezone(TZ).date() == expected_day
    assert free_minutes_between(diary, now, with_margin) >= effort


@SETTINGS
@given(
    diaries(places=(PHONE, None)),
    st.data(),
    st.integers(0, 3000),
    st.integers(0, 120),
)
def test_with_more_free_time_the_suggested_date_is_never_later(
    existing: list[Appointment], data: st.DataObject, effort: int, reserve: int
) -> None:
    # No places, so no travel: taking appointments out only ever frees time.
    kept = [a for a in existing if data.draw(st.booleans())]
    now = at(23, 7)
    busy = Schedule(existing, POLICY, TRAVEL, HOME)
    freer = Schedule(kept, POLICY, TRAVEL, HOME)
    a = earliest_due(effort, now, lambda lo, hi: busy, POLICY, 1)
    b = earliest_due(effort, now, lambda lo, hi: freer, POLICY, 1)
    assert a is not None and b is not None and b <= a
    smaller = replace(POLICY, reserve_minutes=min(reserve, POLICY.reserve_minutes))
    c = earliest_due(
        effort, now, lambda lo, hi: Schedule(existing, smaller, TRAVEL, HOME), smaller, 1
    )
    assert c is not None and c <= a


def test_a_realistic_new_date_comes_after_the_broken_one() -> None:
    empty = schedule()

    def load(lo: datetime, hi: datetime) -> Schedule:
        return empty

    # Late since Monday noon, two hours of work left: fits today, one working day of margin.
    late = promise(at(23, 12), effort=120)
    assert realistic_new_due(late, at(24, 9), load, POLICY) == at(25, 18)
    # Without an effort: the end of the next working day plus the margin.
    assert realistic_new_due(promise(at(23, 12)), at(24, 9), load, POLICY) == at(26, 18)
    # At risk (unconfirmed) but the work would fit before due: still a date after due.
    soon = promise(at(27, 17), effort=30)
    assert realistic_new_due(soon, at(27, 9), load, POLICY) == at(30, 18)
    no_margin = replace(POLICY, promise_margin_days=0)
    at_close = promise(at(27, 18), effort=30)
    assert realistic_new_due(at_close, at(27, 9), load, no_margin) == at(30, 18)
