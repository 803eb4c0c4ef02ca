from dataclasses import replace
from datetime import time

from diary.domain.model import Kind, Rule, WorkingHours
from diary.domain.rules import Schedule

from tests.domain.factories import BATH, HOME, KITCHEN, PHONE, POLICY, TRAVEL, appt, at, schedule


def rules_of(violations: list) -> set[Rule]:  # type: ignore[type-arg]
    return {v.rule for v in violations}


def test_overlap_is_a_double_booking_for_both() -> None:
    a = appt("a", at(24, 9))
    b = appt("b", at(24, 9, 30), location=KITCHEN)
    evaluation = schedule(a, b).evaluate()
    assert Rule.DOUBLE_BOOKING in {v.rule for v in evaluation.flags("a")}
    assert Rule.DOUBLE_BOOKING in {v.rule for v in evaluation.flags("b")}


def test_back_to_back_is_not_a_double_booking_but_misses_the_wrap_up() -> None:
    a = appt("a", at(24, 9))
    b = appt("b", at(24, 10))
    flags = schedule(a).violations_for(b)
    assert Rule.DOUBLE_BOOKING not in rules_of(flags)
    [buffer] = [v for v in flags if v.rule is Rule.BUFFER]
    assert buffer.shortfall is not None
    assert buffer.shortfall.missing_minutes == 15
    assert buffer.shortfall.wrapup_minutes == 15
    assert buffer.shortfall.travel_minutes == 0


def test_buffer_counts_wrap_up_and_travel_and_names_both() -> None:
    a = appt("a", at(24, 9), title="Kitchen survey")
    b = appt("b", at(24, 10, 28), location=BATH)  # needs 10:40 (15 wrap-up + 25 travel)
    [buffer] = [v for v in schedule(a).violations_for(b) if v.rule is Rule.BUFFER]
    assert buffer.shortfall is not None
    assert buffer.shortfall.missing_minutes == 12
    assert buffer.shortfall.previous_title == "Kitchen survey"
    assert buffer.shortfall.travel_from == "Hauptstr. 5"


def test_exactly_enough_time_is_fine() -> None:
    a = appt("a", at(24, 9))
    b = appt("b", at(24, 10, 40), location=BATH)
    assert schedule(a).violations_for(b) == []


def test_booking_before_a_meeting_can_break_that_meetings_buffer() -> None:
    later = appt("later", at(24, 11), location=BATH)
    early = appt("early", at(24, 9, 50), minutes=60)  # ends 10:50, needs until 11:30
    flags = schedule(later).violations_for(early)
    assert any(v.rule is Rule.BUFFER and v.ref == "later" for v in flags)


def test_first_meeting_of_the_day_needs_travel_from_base() -> None:
    first = appt("first", at(24, 8, 10))  # Home -> Kitchen is 20 min, day starts 08:00
    flags = schedule().violations_for(first)
    [buffer] = [v for v in flags if v.rule is Rule.BUFFER]
    assert buffer.shortfall is not None
    assert buffer.shortfall.missing_minutes == 10
    assert buffer.shortfall.travel_from == "1 Home St"
    no_base = replace(POLICY, travel_from_base=False)
    assert Schedule([], no_base, TRAVEL, HOME).violations_for(first) == []


def test_remote_meeting_needs_wrap_up_but_no_travel() -> None:
    a = appt("a", at(24, 9))
    call = appt("call", at(24, 10, 15), minutes=30, location=PHONE)
    assert schedule(a).violations_for(call) == []


def test_travel_after_a_call_starts_from_the_last_place_visited() -> None:
    a = appt("a", at(24, 9))  # Kitchen until 10:00
    call = appt("call", at(24, 10, 15), minutes=15, location=PHONE)  # until 10:30
    bath = appt("bath", at(24, 10, 50), location=BATH)  # needs 10:30 + 15 + 25 = 11:10
    [buffer] = [v for v in schedule(a, call).violations_for(bath) if v.rule is Rule.BUFFER]
    assert buffer.shortfall is not None
    assert buffer.shortfall.missing_minutes == 20
    assert buffer.shortfall.travel_from == "Hauptstr. 5"


def test_reserve_breached_when_the_day_is_too_full() -> None:
    # 08:00-18:00 is 600 working minutes; 20 min travel + 500 min + 15 wrap-up leaves 65.
    long_day = appt("long", at(24, 8, 20), minutes=500)
    assert rules_of(schedule().violations_for(long_day)) == set()
    longer = appt("long", at(24, 8, 20), minutes=510)  # leaves 55 < 60
    flags = schedule().violations_for(longer)
    [reserve] = [v for v in flags if v.rule is Rule.RESERVE]
    assert reserve.free_minutes == 55
    assert reserve.reserve_minutes == 60


def test_after_hours_is_only_a_warning() -> None:
    late = appt("late", at(24, 18, 30))
    [warning] = schedule().violations_for(late)
    assert warning.rule is Rule.AFTER_HOURS
    assert not warning.refusable
    weekend = appt("weekend", at(28, 10))
    assert rules_of(schedule().violations_for(weekend)) == {Rule.AFTER_HOURS}


def test_personal_blocks_are_not_after_hours_and_need_no_wrap_up() -> None:
    gym = appt("gym", at(24, 19), kind=Kind.BLOCK, location=None)
    assert schedule().violations_for(gym) == []
    block = appt("block", at(24, 9), kind=Kind.BLOCK, location=None)
    right_after = appt("next", at(24, 10), location=PHONE)
    assert schedule(block).violations_for(right_after) == []


def test_all_day_markers_and_cancelled_appointments_block_no_time() -> None:
    holiday = appt("holiday", at(24, 0), minutes=24 * 60, kind=Kind.ALL_DAY, location=None)
    cancelled = replace(appt("gone", at(24, 10)), cancelled=True)
    meeting = appt("m", at(24, 10))
    assert schedule(holiday, cancelled).violations_for(meeting) == []


def test_working_hours_come_from_the_policy() -> None:
    week = list(POLICY.week)
    week[1] = WorkingHours(time(7, 0), time(12, 0))  # Tuesday
    short_tuesday = replace(POLICY, week=tuple(week))
    afternoon = appt("pm", at(24, 13))
    flags = Schedule([], short_tuesday, TRAVEL, HOME).violations_for(afternoon)
    assert Rule.AFTER_HOURS in rules_of(flags)


def test_bands_say_what_the_appointment_really_occupies() -> None:
    a = appt("a", at(24, 9))
    b = appt("b", at(24, 11), location=BATH)
    s = schedule(a, b)
    assert s.bands_for(a).travel_minutes == 20
    assert s.bands_for(b).travel_minutes == 25
    assert s.bands_for(b).wrapup_minutes == 15
    assert s.bands_for(b).travel_from == "Hauptstr. 5"


# -- consecutive across midnight (DESIGN: a midnight between two appointments changes nothing)


def _buffer(flags: list) -> object:  # type: ignore[type-arg]
    [buffer] = [v for v in flags if v.rule is Rule.BUFFER]
    return buffer.shortfall


def test_the_buffer_holds_across_midnight_as_it_does_an_hour_earlier() -> None:
    # 15 min wrap-up after the Kitchen job, 25 min drive to Bath: 40 min needed, 15 there.
    late = appt("late", at(24, 22, 45), title="Late repair")
    after_midnight = appt("next", at(25, 0, 0), location=BATH)
    earlier = appt("early", at(24, 21, 45), title="Late repair")
    before_midnight = appt("prev", at(24, 23, 0), location=BATH)
    across = _buffer(schedule(late).violations_for(after_midnight))
    same_day = _buffer(schedule(earlier).violations_for(before_midnight))
    assert across == same_day
    assert across.missing_minutes == 25  # type: ignore[attr-defined]
    assert across.previous_title == "Late repair"  # type: ignore[attr-defined]
    # The job booked first is told too: its wrap-up runs into the next one's drive.
    assert Rule.BUFFER in rules_of(schedule(after_midnight).violations_for(late))


def test_a_wrap_up_cut_short_by_midnight_is_clearly_broken() -> None:
    s = schedule(appt("late", at(24, 23, 0), minutes=50))  # ends 23:50, wrap-up until 00:05
    assert s.clearly_breaks(appt("next", at(25, 0, 0), location=KITCHEN))
    assert not s.clearly_breaks(appt("later", at(25, 1, 0), location=KITCHEN))


def test_the_start_of_a_working_day_is_a_fresh_start_from_the_base() -> None:
    evening = appt("evening", at(24, 17, 0), location=KITCHEN)
    morning = appt("morning", at(25, 8, 10), location=BATH)  # Bath is 30 min from Home
    flags = schedule(evening).violations_for(morning)
    shortfall = _buffer(flags)
    assert shortfall.previous_title is None  # type: ignore[attr-defined]
    assert shortfall.travel_from == HOME.label  # type: ignore[attr-defined]
    assert shortfall.missing_minutes == 20  # type: ignore[attr-defined]
