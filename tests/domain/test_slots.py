from datetime import timedelta

from diary.domain.model import Kind
from diary.domain.rules import Schedule
from diary.domain.slots import latest_feasible_slot, nearest_feasible_slot, next_feasible_slot

from tests.domain.factories import BATH, KITCHEN, POLICY, appt, at, schedule


def loader(s: Schedule):  # type: ignore[no-untyped-def]
    return lambda lo, hi: s


def test_next_slot_leaves_room_for_wrap_up_and_travel() -> None:
    s = schedule(appt("a", at(24, 9)))
    found = next_feasible_slot(timedelta(minutes=40), BATH, at(24, 9), loader(s), policy=POLICY)
    assert found == at(24, 10, 40)


def test_next_slot_skips_to_the_next_working_day_when_today_is_full() -> None:
    s = schedule(appt("a", at(27, 8, 20), minutes=9 * 60))  # Friday is full
    found = next_feasible_slot(timedelta(minutes=60), KITCHEN, at(27, 8), loader(s), policy=POLICY)
    assert found == at(30, 8, 20)  # Monday, after 20 min travel from home


def test_next_slot_fits_between_two_meetings_when_there_is_room() -> None:
    s = schedule(appt("a", at(24, 9)), appt("b", at(24, 13)))
    found = next_feasible_slot(timedelta(minutes=60), KITCHEN, at(24, 9), loader(s), policy=POLICY)
    assert found == at(24, 10, 15)


def test_latest_slot_ends_in_time_for_the_next_meeting() -> None:
    s = schedule(appt("b", at(24, 13), location=BATH))
    found = latest_feasible_slot(
        timedelta(minutes=60), KITCHEN, at(24, 12, 30), at(24, 8), loader(s), policy=POLICY
    )
    # 60 min + 15 wrap-up + 25 travel before 13:00
    assert found == at(24, 11, 20)


def test_nearest_slot_may_be_earlier_than_asked() -> None:
    s = schedule(appt("b", at(24, 13), location=BATH), appt("c", at(24, 14, 40), location=BATH))
    found = nearest_feasible_slot(
        timedelta(minutes=60), KITCHEN, at(24, 11, 40), at(24, 8), loader(s), policy=POLICY
    )
    assert found == at(24, 11, 20)


def test_nearest_slot_never_before_not_before() -> None:
    s = schedule(appt("b", at(24, 13), location=BATH))
    found = nearest_feasible_slot(
        timedelta(minutes=60), KITCHEN, at(24, 12, 0), at(24, 12, 0), loader(s), policy=POLICY
    )
    assert found is not None
    assert found >= at(24, 12, 0)


def test_moving_an_appointment_ignores_its_old_place() -> None:
    a = appt("a", at(24, 9))
    s = schedule(a)
    found = next_feasible_slot(
        timedelta(minutes=60), KITCHEN, at(24, 9), loader(s), policy=POLICY, ignore_ref="a"
    )
    assert found == at(24, 9)


def test_blocks_are_placed_without_travel() -> None:
    s = schedule()
    found = next_feasible_slot(
        timedelta(minutes=30), None, at(24, 8), loader(s), policy=POLICY, kind=Kind.BLOCK
    )
    assert found == at(24, 8)


def test_a_meeting_before_the_working_day_still_binds_the_first_slot() -> None:
    # 07:00-07:25 in Bath: wrap-up to 07:40, then 25 min to the kitchen, so 08:05 -
    # not 08:20, the first slot counting only the drive from home.
    s = schedule(appt("early", at(25, 7), minutes=25, location=BATH))
    found = next_feasible_slot(timedelta(minutes=60), KITCHEN, at(25, 6), loader(s), policy=POLICY)
    assert found == at(25, 8, 5)


def test_a_meeting_after_the_working_day_still_binds_the_last_slot() -> None:
    # 18:05 in Bath: a kitchen visit must end by 17:25 (15 min wrap-up, 25 min drive).
    s = schedule(appt("late", at(24, 18, 5), minutes=30, location=BATH))
    found = latest_feasible_slot(
        timedelta(minutes=60), KITCHEN, at(24, 17), at(24, 8), loader(s), policy=POLICY
    )
    assert found == at(24, 16, 25)
