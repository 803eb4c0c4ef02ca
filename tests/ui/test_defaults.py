"""Defaults that help: Ctrl+N at the next free slot, a question before booking into the
past, the quick "+" dialogs with every field, a window that fits and remembers its place,
and Esc / Ctrl+W closing every window but the main one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from diary.services import DiaryService
from diary.ui import create_main_window
from diary.ui.appointment_dialog import AppointmentDialog
from diary.ui.main_window import MainWindow

from tests.ui.conftest import MONDAY, ZONE, FakeClock, Seed, at, find_dialog, settle


def activate(qtbot: QtBot, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def ctrl_n(qtbot: QtBot, window: MainWindow) -> AppointmentDialog:
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: find_dialog("appointmentDialog") is not None, timeout=5000)
    dialog = window.appointment_dialog
    assert isinstance(dialog, AppointmentDialog)
    return dialog


def test_ctrl_n_proposes_the_next_slot_that_breaks_no_rule_from_now(
    qtbot: QtBot, window: MainWindow
) -> None:
    # Monday 07:00 by the window's clock; the survey at 9 (Lindenweg) and the quote at 11.
    window.clock.now = at(MONDAY, 9, 30)  # type: ignore[attr-defined]
    dialog = ctrl_n(qtbot, window)
    # From 09:30: the survey ends at 10 with 15 min wrap-up; the quote at 11 needs 15 min of
    # this one's wrap-up before it, so 10:15-11:15 would clash: the next hour is after it.
    assert dialog.start_edit.value == at(MONDAY, 12, 15)
    assert dialog.draft().end == at(MONDAY, 13, 15)


def test_ctrl_n_on_a_day_ahead_starts_from_that_day(qtbot: QtBot, window: MainWindow) -> None:
    thursday = MONDAY + timedelta(days=3)
    window.show_date(thursday)
    dialog = ctrl_n(qtbot, window)
    assert dialog.start_edit.value == at(thursday, 8)  # its working day's start


def test_booking_into_the_past_asks_first(
    qtbot: QtBot, window: MainWindow, service: DiaryService
) -> None:
    window.clock.now = at(MONDAY + timedelta(days=2), 12)  # type: ignore[attr-defined]
    window.new_appointment(at(MONDAY + timedelta(days=1), 15), at(MONDAY + timedelta(days=1), 16))
    qtbot.waitUntil(lambda: window.appointment_dialog is not None)
    dialog = window.appointment_dialog
    assert dialog is not None
    activate(qtbot, dialog)
    qtbot.keyClicks(dialog.title_edit, "Forgotten call")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(dialog.past_question, QMessageBox))
    question = dialog.past_question
    assert question is not None and question.isVisible()
    assert "has already passed" in question.text()
    qtbot.mouseClick(question.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and window.undo_stack.count() == 0  # nothing booked
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.past_question is not None and dialog.past_question.isVisible())
    qtbot.mouseClick(
        dialog.past_question.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=5000)
    ref = window.undo_stack.command(0).after.ref  # type: ignore[attr-defined]
    assert service.get(ref).title == "Forgotten call"


def test_the_quick_plus_dialogs_carry_every_field(
    qtbot: QtBot, window: MainWindow, service: DiaryService
) -> None:
    window.new_appointment(at(MONDAY, 14), at(MONDAY, 15))
    qtbot.waitUntil(lambda: window.appointment_dialog is not None)
    dialog = window.appointment_dialog
    assert dialog is not None
    activate(qtbot, dialog)
    qtbot.mouseClick(dialog.findChild(QToolButton, "newCustomerButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_dialog("customerDialog") is not None)
    customer = find_dialog("customerDialog")
    assert isinstance(customer, QDialog)
    qtbot.keyClicks(customer.findChild(QLineEdit, "nameEdit"), "Aisha Okafor")
    qtbot.keyClicks(customer.findChild(QLineEdit, "phoneEdit"), "+44 20 7946 0013")
    channel = customer.findChild(QComboBox, "channelCombo")
    channel.setCurrentIndex(channel.findData("text"))
    qtbot.mouseClick(customer.findChild(QPushButton, "okButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.customer_edit.currentText() == "Aisha Okafor", timeout=5000)
    stored = service.customer("Aisha Okafor")
    assert (stored.phone, stored.prefers.value) == ("+44 20 7946 0013", "text")

    qtbot.mouseClick(dialog.findChild(QToolButton, "newLocationButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_dialog("locationDialog") is not None)
    place = find_dialog("locationDialog")
    assert isinstance(place, QDialog)
    qtbot.keyClicks(place.findChild(QLineEdit, "nameEdit"), "Rose Cottage")
    qtbot.keyClicks(place.findChild(QLineEdit, "addressEdit"), "Mill Road 1")
    qtbot.keyClicks(place.findChild(QLineEdit, "latEdit"), "51.4613")
    qtbot.keyClicks(place.findChild(QLineEdit, "lonEdit"), "-0.1156x")
    qtbot.mouseClick(place.findChild(QPushButton, "okButton"), Qt.MouseButton.LeftButton)
    assert "longitude is not a number" in place.findChild(QWidget, "errorLabel").text()
    qtbot.keyClick(place.findChild(QLineEdit, "lonEdit"), Qt.Key.Key_Backspace)
    qtbot.mouseClick(place.findChild(QPushButton, "okButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.location_edit.currentText() == "Rose Cottage", timeout=5000)
    (cottage,) = [p for p in service.locations() if p.name == "Rose Cottage"]
    assert (cottage.address, cottage.lat, cottage.lon, cottage.remote) == (
        "Mill Road 1",
        51.4613,
        -0.1156,
        False,
    )

    qtbot.mouseClick(dialog.findChild(QToolButton, "newLocationButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_dialog("locationDialog") is not None)
    place = find_dialog("locationDialog")
    name = place.findChild(QLineEdit, "nameEdit")
    assert name.text() == "Rose Cottage"  # what the location field held
    name.selectAll()
    qtbot.keyClicks(name, "Video call")
    place.findChild(QCheckBox, "remoteCheck").click()
    qtbot.mouseClick(place.findChild(QPushButton, "okButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.location_edit.currentText() == "Video call", timeout=5000)
    assert [p.remote for p in service.locations() if p.name == "Video call"] == [True]


def open_window(qtbot: QtBot, seed: Seed) -> MainWindow:
    win = create_main_window(seed.url, ZONE, clock=FakeClock(at(MONDAY, 7)))
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.is_ready, timeout=60_000)
    return win


def test_the_window_fits_the_screen_and_comes_back_as_it_was_left(qtbot: QtBot, seed: Seed) -> None:
    first = open_window(qtbot, seed)
    screen = first.screen().availableGeometry()
    assert screen.contains(first.frameGeometry())
    first.resize(760, 560)
    first.move(screen.left() + 20, screen.top() + 30)
    first.show_panel(first.promises_dock)
    qtbot.waitUntil(first.promises_dock.isVisible)
    left = QRect(first.geometry())
    first.quit()

    second = open_window(qtbot, seed)
    assert second.size() == left.size()
    assert second.promises_dock.isVisible()
    second.quit()


@pytest.fixture
def report(qtbot: QtBot, window: MainWindow) -> Iterator[QWidget]:
    window.report_action.trigger()
    shown = window.report_window
    assert shown is not None
    qtbot.waitUntil(shown.isVisible)
    activate(qtbot, shown)
    yield shown


def test_escape_and_ctrl_w_close_the_report_and_dialogs(
    qtbot: QtBot, window: MainWindow, report: QWidget
) -> None:
    qtbot.keyClick(report, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not report.isVisible())
    window.report_action.trigger()
    qtbot.waitUntil(report.isVisible)
    activate(qtbot, report)
    qtbot.keyClick(report.focusWidget() or report, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not report.isVisible())
    assert window.isVisible()  # the main window stays

    window.settings_action.trigger()
    qtbot.waitUntil(lambda: find_dialog("settingsDialog") is not None)
    settings = find_dialog("settingsDialog")
    activate(qtbot, settings)
    qtbot.keyClick(
        settings.focusWidget() or settings, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: find_dialog("settingsDialog") is None)

    window.new_appointment(at(MONDAY, 14), at(MONDAY, 15))
    qtbot.waitUntil(lambda: find_dialog("appointmentDialog") is not None)
    dialog = find_dialog("appointmentDialog")
    activate(qtbot, dialog)
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: find_dialog("appointmentDialog") is None)
    settle(qtbot, window)
    assert QApplication.activeWindow() in (window, None)
