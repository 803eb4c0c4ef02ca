"""Whatever day, view and zoom the owner chose while the diary was opening is what they see
once it has opened (the window paints first and opens the diary off the GUI thread)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from diary.ui import create_main_window
from diary.ui.main_window import MainWindow

from tests.ui.conftest import MONDAY, TODAY, ZONE, FakeClock, Seed, at

FAR = date(2027, 9, 15)  # a Wednesday half a year from the window's today (TODAY)


def _opening(qtbot: QtBot, seed: Seed) -> MainWindow:
    win = create_main_window(seed.url, ZONE, clock=FakeClock(at(TODAY, 8)))
    qtbot.addWidget(win)
    assert not win.is_ready  # the diary opens after the first paint
    return win


def _opened(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: win.is_ready, timeout=60_000)
    qtbot.waitUntil(lambda: win.bridge.pending == 0 and not win.week_view.loading)


def test_a_week_shown_with_show_date_stays_shown(qtbot: QtBot, seed: Seed) -> None:
    win = _opening(qtbot, seed)
    win.week_view.show_date(FAR)
    _opened(qtbot, win)
    assert FAR in win.week_view.days
    assert win.current_date == FAR
    assert win.mini_month.selectedDate() == QDate(FAR.year, FAR.month, FAR.day)
    win.quit()


def test_the_day_clicked_in_the_mini_month_and_the_view_chosen_stay(
    qtbot: QtBot, seed: Seed
) -> None:
    win = _opening(qtbot, seed)
    win.mini_month.setSelectedDate(QDate(FAR.year, FAR.month, FAR.day))
    win.mini_month.clicked.emit(QDate(FAR.year, FAR.month, FAR.day))
    win.view_actions["day"].trigger()
    _opened(qtbot, win)
    assert win.current_view_name == "day"
    assert win.stack.currentWidget() is win.day_view
    assert win.day_view.days == [FAR]
    win.quit()


def test_next_pressed_while_opening_is_not_undone(qtbot: QtBot, seed: Seed) -> None:
    win = _opening(qtbot, seed)
    shown = win.week_view.days
    win.next_action.trigger()
    win.next_action.trigger()
    _opened(qtbot, win)
    assert win.week_view.days[0] == shown[0] + timedelta(days=14)
    win.quit()


def test_the_zoom_and_the_hour_scrolled_to_stay(qtbot: QtBot, seed: Seed) -> None:
    win = _opening(qtbot, seed)
    view = win.week_view
    win.week_view.show_date(MONDAY)
    wheel = QWheelEvent(
        QPointF(200, 200),
        QPointF(view.viewport().mapToGlobal(QPoint(200, 200))),
        QPoint(0, 0),
        QPoint(0, 240),  # two notches up: zoom in
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    zoomed = view.hour_px
    view.verticalScrollBar().setValue(int(13 * zoomed))  # 13:00 at the top

    def time_at_top() -> float:
        one, two = view.point_for(at(MONDAY, 13)).y(), view.point_for(at(MONDAY, 14)).y()
        return 13 * 60 - one * 60 / (two - one)

    before = time_at_top()
    _opened(qtbot, win)
    assert view.hour_px == pytest.approx(zoomed)
    assert time_at_top() == pytest.approx(before, abs=2)
    assert MONDAY in view.days
    win.quit()
