"""Promise badges in the week header and the month cells; the month's reserve bar."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from diary.domain.model import Kind
from diary.services import DiaryService, Draft
from diary.ui.main_window import MONTH, MainWindow

from tests.ui.conftest import MONDAY, TODAY, FakeClock, at, settle


def test_badges_count_promises_and_turn_red_when_at_risk(
    qtbot: QtBot, clocked_window: MainWindow, clocked_service: DiaryService, clock: FakeClock
) -> None:
    friday = MONDAY + timedelta(days=4)
    clocked_service.add_promise("Müller GmbH", "Order the tiles", at(TODAY, 18))  # check overdue
    clocked_service.add_promise("Familie Krause", "Send the quote", at(friday, 12))
    clocked_service.add_promise("Familie Krause", "Sample tiles", at(friday, 15))
    clocked_window.bridge.touch("promises")
    week = clocked_window.week_view
    qtbot.waitUntil(lambda: len(week.promise_badges()) == 2)
    badges = week.promise_badges()
    assert (badges[TODAY].count, badges[TODAY].alarm) == (1, True)
    assert (badges[friday].count, badges[friday].alarm) == (2, False)
    week.grab()  # paints the header with the badges
    clocked_window.set_view(MONTH)
    month = clocked_window.month_view
    qtbot.waitUntil(lambda: month.promise_badges() == badges)
    month.grab()
    settle(qtbot, clocked_window)


def test_month_cells_show_the_reserve_and_mark_a_day_without_it(
    qtbot: QtBot, clocked_window: MainWindow, clocked_service: DiaryService
) -> None:
    thursday = MONDAY + timedelta(days=3)
    outcome = clocked_service.book(
        Draft("Big install", at(thursday, 8), at(thursday, 17, 30), Kind.BLOCK),
        force=True,
        reason="the only day the customer is away",
    )
    assert outcome.ok
    clocked_window.set_view(MONTH)
    month = clocked_window.month_view
    month.reload()
    qtbot.waitUntil(lambda: not month.loading and month.reserve_on(thursday) is not None)
    gone = month.reserve_on(thursday)
    kept = month.reserve_on(MONDAY + timedelta(days=2))
    assert gone is not None and gone.breached
    assert kept is not None and not kept.breached
    assert month.reserve_on(MONDAY + timedelta(days=5)) is None  # Saturday: not a working day
    month.grab()
    settle(qtbot, clocked_window)
