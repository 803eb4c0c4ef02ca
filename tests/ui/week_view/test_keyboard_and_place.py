"""The keyboard's choices and the grid's place, each alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollBar
from pytestqt.qtbot import QtBot

from diary.domain.model import Policy, WorkingHours
from diary.ui.week_view.keyboard import next_selection, nudged
from diary.ui.week_view.place import GridPlace

from tests.ui.week_view.parts import MONDAY, WEEK, ZONE, Viewport, at, geometry, listed

LONDON = ZoneInfo("Europe/London")


def test_arrows_walk_in_time_and_across_days() -> None:
    items = [
        listed("mon-9", at(MONDAY, 9), at(MONDAY, 10)),
        listed("mon-14", at(MONDAY, 14), at(MONDAY, 15)),
        listed("wed-13", at(WEEK[2], 13), at(WEEK[2], 14)),
        listed("wed-8", at(WEEK[2], 8), at(WEEK[2], 9)),
    ]
    ordered = geometry(items).ordered()
    assert next_selection(ordered, None, Qt.Key.Key_Down) == "mon-9"
    assert next_selection(ordered, "mon-9", Qt.Key.Key_Down) == "mon-14"
    assert next_selection(ordered, "mon-9", Qt.Key.Key_Up) == "mon-9"
    # Right: Tuesday has none; on Wednesday the nearest in time of day.
    assert next_selection(ordered, "mon-14", Qt.Key.Key_Right) == "wed-13"
    assert next_selection(ordered, "mon-9", Qt.Key.Key_Right) == "wed-8"
    assert next_selection(ordered, "wed-8", Qt.Key.Key_Right) == "wed-8"
    assert next_selection([], None, Qt.Key.Key_Down) is None


def test_alt_arrows_move_by_a_slot_of_real_time_or_to_the_same_time_next_day() -> None:
    saturday = date(2030, 3, 30)  # London's clocks go forward that night
    late = listed(
        "late",
        datetime(2030, 3, 31, 0, 50, tzinfo=LONDON),
        datetime(2030, 3, 31, 2, 30, tzinfo=LONDON),
    )
    down = nudged(late.appointment, Qt.Key.Key_Down, LONDON, 15)
    assert (down.hour, down.minute, down.tzname()) == (2, 5, "BST")  # 01:05 GMT is skipped
    early = listed(
        "early",
        datetime.combine(saturday, time(1, 30), LONDON),
        datetime.combine(saturday, time(2), LONDON),
    )
    right = nudged(early.appointment, Qt.Key.Key_Right, LONDON, 15)
    assert (right.date(), right.hour, right.minute) == (date(2030, 3, 31), 2, 30)  # RFC 5545


def test_the_place_fits_the_working_day_until_the_owner_scrolls(qtbot: QtBot) -> None:
    port = Viewport(width=700, height=660)
    grid = geometry([], viewport=port)
    bar = QScrollBar()
    qtbot.addWidget(bar)
    bar.valueChanged.connect(lambda value: setattr(port, "scroll", value))
    eight_to_six = Policy(zone=ZONE)
    place = GridPlace(grid, bar, lambda: port.size.height(), eight_to_six)
    bar.valueChanged.connect(place.scrolled)
    place.resized()
    assert grid.hour_px == 60  # 08:00-18:00 and an hour around it in 660 pixels
    assert bar.value() == grid.minutes_to_y(7 * 60 + 30)
    early = replace(eight_to_six, week=(WorkingHours(time(6), time(15)),) * 7)
    place.new_policy(early)
    place.resized()
    assert bar.value() == grid.minutes_to_y(5 * 60 + 30)  # the new working day
    bar.setValue(int(grid.minutes_to_y(12 * 60)))  # the owner scrolls to noon
    place.new_policy(eight_to_six)
    place.resized()
    assert bar.value() == int(grid.minutes_to_y(12 * 60))  # kept
