"""The window paints first and opens the diary off the GUI thread."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar, QWidget
from pytestqt.qtbot import QtBot

from diary.services import DiaryService, Draft
from diary.ui import create_main_window
from diary.ui.main_window import AGENDA, MainWindow

from tests.ui.conftest import (
    MONDAY,
    TODAY,
    ZONE,
    FakeClock,
    OpeningGate,
    Seed,
    at,
    find_dialog,
)


def test_appointments_arrive_by_themselves(qtbot: QtBot, seed: Seed) -> None:
    win = create_main_window(seed.url, ZONE, clock=FakeClock(at(TODAY, 8)))
    qtbot.addWidget(win)
    assert win.isVisible()
    assert win.findChild(type(win.week_view), "weekView") is win.week_view
    win.week_view.show_date(MONDAY)  # before the diary is open: queued, then loaded
    qtbot.waitUntil(lambda: win.week_view.rect_for(seed.survey).isValid(), timeout=10_000)
    assert win.is_ready and win.new_action.isEnabled()
    assert win.service.policy().locale == "en_US"
    win.quit()


def test_a_diary_that_cannot_be_opened_is_said_so(qtbot: QtBot, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("not a folder")
    win = create_main_window(
        f"sqlite:///{not_a_folder}/diary.sqlite3", ZONE, clock=FakeClock(at(TODAY, 8))
    )
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.open_error is not None, timeout=10_000)
    assert not win.is_ready
    assert find_dialog("openFailedDialog") is not None
    assert not win.new_action.isEnabled() and not win.import_action.isEnabled()
    win.step(1)  # navigating stays possible; it asks nothing
    dialog = find_dialog("openFailedDialog")
    if dialog is not None:
        dialog.close()
    win.quit()


def test_every_view_is_there_by_name_at_once_and_after_the_first_paint(
    qtbot: QtBot, seed: Seed
) -> None:
    win = create_main_window(seed.url, ZONE, clock=FakeClock(at(TODAY, 8)))
    qtbot.addWidget(win)
    # Asked for by object name straight away: the views not built yet are built then.
    for name in ("weekView", "dayView", "monthView", "agendaView"):
        assert win.findChild(QWidget, name) is not None, name
    win.quit()

    win = create_main_window(seed.url, ZONE, clock=FakeClock(at(TODAY, 8)))
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.is_ready, timeout=60_000)
    names = {w.objectName() for w in win.stack.children() if isinstance(w, QWidget)}
    assert {"weekView", "dayView", "monthView", "agendaView"} <= names
    toolbar = win.findChild(QToolBar)
    assert toolbar is not None
    button = toolbar.widgetForAction(win.view_actions["month"])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.month_view
    win.quit()


def test_a_hidden_view_loads_when_shown_with_what_changed_meanwhile(
    qtbot: QtBot, window: MainWindow
) -> None:
    agenda = window.agenda_view
    assert not agenda.isVisible()
    loads: list[int] = []
    agenda.loaded.connect(lambda: loads.append(1))
    thursday = TODAY + timedelta(days=1)  # inside the agenda's four weeks
    window.changes.book(Draft("Boiler check", at(thursday, 15), at(thursday, 16)))
    qtbot.waitUntil(lambda: window.bridge.pending == 0 and window.undo_stack.count() == 1)
    qtbot.wait(50)
    assert loads == []  # the change was not read again for a view nobody sees
    window.set_view(AGENDA)
    qtbot.waitUntil(lambda: bool(loads) and not agenda.loading)
    assert "Boiler check" in _agenda_titles(window)


def test_a_view_hidden_with_the_window_catches_up_when_shown_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.set_view(AGENDA)
    agenda = window.agenda_view
    qtbot.waitUntil(lambda: not agenda.loading)
    window.hide()  # as when it keeps running in the tray
    friday = TODAY + timedelta(days=2)
    window.changes.book(Draft("Gas meter", at(friday, 9), at(friday, 10)))
    qtbot.waitUntil(lambda: window.bridge.pending == 0 and window.undo_stack.count() == 1)
    window.show()
    qtbot.waitUntil(lambda: "Gas meter" in _agenda_titles(window), timeout=5000)


def _agenda_titles(window: MainWindow) -> list[str]:
    model = window.agenda_view.agenda_model
    return [
        model.index(row, 1, model.index(day, 0)).data()
        for day in range(model.rowCount())
        for row in range(model.rowCount(model.index(day, 0)))
    ]


def test_the_week_opens_at_the_start_of_the_working_day(
    qtbot: QtBot, tmp_path: Path, opening_gate: OpeningGate
) -> None:
    url = f"sqlite:///{tmp_path / 'early.sqlite3'}"
    service = DiaryService.open(url, zone=ZONE)
    service.set_policy("hours.mon", "06:00-15:00")  # an early Monday
    service.close()
    win = create_main_window(url, ZONE, clock=FakeClock(at(TODAY, 8)))
    qtbot.addWidget(win)
    grid = win.week_view

    def time_at_top() -> float:
        eight, nine = grid.point_for(at(MONDAY, 8)).y(), grid.point_for(at(MONDAY, 9)).y()
        return 8 * 60 - eight * 60 / (nine - eight)

    qtbot.waitUntil(lambda: win._first_painted)
    assert not win.is_ready
    assert time_at_top() == pytest.approx(7 * 60 + 30, abs=2)  # half an hour before 08:00
    opening_gate.release()
    qtbot.waitUntil(lambda: win.is_ready, timeout=60_000)
    qtbot.waitUntil(lambda: time_at_top() == pytest.approx(5 * 60 + 30, abs=2))
    win.close()


def test_a_start_paints_with_the_policy_the_diary_had_last_time(
    qtbot: QtBot, tmp_path: Path, opening_gate: OpeningGate
) -> None:
    url = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    service = DiaryService.open(url, zone=ZONE)
    service.set_policy("locale", "de_DE")  # the week starts on Monday, in German
    service.set_policy("hours.mon", "06:00-15:00")
    service.close()

    def start() -> MainWindow:
        opening_gate.hold()  # what is painted before the diary opens, checked unhurried
        win = create_main_window(url, ZONE, clock=FakeClock(at(TODAY, 8)))
        qtbot.addWidget(win)
        qtbot.waitUntil(lambda: win._first_painted)
        return win

    first = start()
    assert first.week_view.header_labels()[0].startswith("Sun")  # neutral until it opens
    opening_gate.release()
    qtbot.waitUntil(lambda: first.is_ready, timeout=60_000)
    assert first.week_view.header_labels()[0].startswith("Mo.")
    first.close()

    again = start()
    assert not again.is_ready
    grid = again.week_view
    assert grid.header_labels()[0] == "Mo., 1.3."
    eight, nine = grid.point_for(at(MONDAY, 8)).y(), grid.point_for(at(MONDAY, 9)).y()
    assert 8 * 60 - eight * 60 / (nine - eight) == pytest.approx(5 * 60 + 30, abs=2)
    opening_gate.release()
    qtbot.waitUntil(lambda: again.is_ready, timeout=60_000)
    assert grid.header_labels()[0] == "Mo., 1.3."
    again.close()

    # Another diary's start is not painted with it.
    opening_gate.hold()
    other = create_main_window(
        f"sqlite:///{tmp_path / 'other.sqlite3'}", ZONE, clock=FakeClock(at(TODAY, 8))
    )
    qtbot.addWidget(other)
    assert other.week_view.header_labels()[0].startswith("Sun")
    opening_gate.release()
    qtbot.waitUntil(lambda: other.is_ready, timeout=60_000)
    other.close()
