"""Splitting appointments into day segments and placing overlaps side by side (no Qt)."""

from __future__ import annotations

from diary.ui.week_view.axis import TimeAxis
from diary.ui.week_view.layout import lay_out_days

from tests.ui.week_view.parts import MONDAY, TZ, WEEK, at, listed


def test_overlapping_appointments_share_their_day_side_by_side() -> None:
    items = [
        listed("a", at(MONDAY, 9), at(MONDAY, 11)),
        listed("b", at(MONDAY, 10), at(MONDAY, 12)),
        listed("c", at(MONDAY, 11), at(MONDAY, 12)),  # a has ended: a's column again
        listed("d", at(MONDAY, 13), at(MONDAY, 14)),  # alone
    ]
    layouts = lay_out_days(TimeAxis(WEEK, TZ), items)
    placed = {s.ref: (s.column, s.columns) for s in layouts[0].segments}
    assert placed == {"a": (0, 2), "b": (1, 2), "c": (0, 2), "d": (0, 1)}
    assert all(not layout.segments for layout in layouts[1:])


def test_an_appointment_over_midnight_has_a_part_on_each_day() -> None:
    tuesday = WEEK[1]
    night = listed("night", at(MONDAY, 22), at(tuesday, 2))
    layouts = lay_out_days(TimeAxis(WEEK, TZ), [night])
    first, second = layouts[0].segments[0], layouts[1].segments[0]
    assert (first.top, first.bottom, first.first, first.last) == (22 * 60, 24 * 60, True, False)
    assert (second.top, second.bottom, second.first, second.last) == (0, 2 * 60, False, True)


def test_cancelled_and_all_day_appointments_have_no_box() -> None:
    from dataclasses import replace

    from diary.domain.model import Kind

    whole_day = listed("holiday", at(MONDAY, 0), at(WEEK[1], 0), kind=Kind.ALL_DAY)
    cancelled = listed("off", at(MONDAY, 9), at(MONDAY, 10))
    cancelled = replace(cancelled, appointment=replace(cancelled.appointment, cancelled=True))
    layouts = lay_out_days(TimeAxis(WEEK, TZ), [whole_day, cancelled])
    assert all(not layout.segments for layout in layouts)
