"""Tray reminders, driven tick by tick with a fake clock and a list for a notifier."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from diary.services import DiaryService
from diary.ui.main_window import MainWindow
from diary.ui.reminders import Reminders

from tests.ui.conftest import MONDAY, FakeClock, at, settle


def test_each_reminder_comes_once(
    qtbot: QtBot, clocked_window: MainWindow, clocked_service: DiaryService, clock: FakeClock
) -> None:
    clock.now = at(MONDAY, 10, 30)
    clocked_service.add_promise(
        "Müller GmbH", "Order the tiles", at(MONDAY + timedelta(days=1), 11), depends_on="Anna"
    )
    said: list[tuple[str, str]] = []
    reminders = Reminders(
        clocked_window.bridge,
        clock,
        lambda title, text: said.append((title, text)),
        clocked_window.formatter,
        clocked_window,
    )

    def tick_at(hour: int, minute: int) -> list[str]:
        clock.now = at(MONDAY, hour, minute)
        before = len(said)
        with qtbot.waitSignal(reminders.ticked):
            reminders.tick()
        return [title for title, _text in said[before:]]

    assert tick_at(10, 30) == []
    # The quote at 11:00 is 25 minutes from the survey's place: leave at 10:35.
    assert tick_at(10, 36) == ["Leave now for Bathroom quote"]
    assert "25 min travel" in said[-1][1]
    assert tick_at(10, 40) == []
    # The promise's 24-hour check came at 11:00 and nobody confirmed: asked, and at risk.
    assert tick_at(11, 1) == ["24-hour check: Order the tiles", "Promise at risk: Order the tiles"]
    assert "Has Anna confirmed?" in said[-2][1]
    assert tick_at(11, 2) == []
    settle(qtbot, clocked_window)


def test_the_window_shows_reminders_without_a_tray(
    qtbot: QtBot, clocked_window: MainWindow
) -> None:
    clocked_window.notify("Leave now for Kitchen survey", "15 min travel")
    assert clocked_window.notifications[-1] == ("Leave now for Kitchen survey", "15 min travel")
    assert "Kitchen survey" in clocked_window.statusBar().currentMessage()
    assert clocked_window.reminders.timer.isActive()
    assert clocked_window.reminders.timer.interval() == 30_000
