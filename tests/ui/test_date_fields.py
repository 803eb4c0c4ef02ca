"""Dates and times typed into the real dialogs in en_US, de_DE and fr_FR: read as meant,
and what cannot be read is said beside the field with OK disabled, never changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCalendarWidget, QLabel, QLineEdit, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from diary.services import DiaryService
from diary.ui import create_main_window
from diary.ui.appointment_dialog import AppointmentDialog
from diary.ui.date_field import MomentField, _TypedField
from diary.ui.main_window import MainWindow
from diary.ui.promises_panel import PromiseDialog

from tests.ui.conftest import MONDAY, TZ, ZONE, FakeClock, Seed, at, close_dialogs, settle

# Friday 3 December 2027, noon: ahead of the window's clock (Monday 1 March 2027, 07:00).
NOON = datetime(2027, 12, 3, 12, 0, tzinfo=TZ)
# What the error beside the field says, in the window's language.
SAID = {
    "en_US": ("is not a date and time", "Type it like", "does not exist", "is not a time of day"),
    "de_DE": ("ist kein Datum mit Uhrzeit", "Schreiben Sie es wie", "gibt es am", "keine Uhrzeit"),
    "fr_FR": (
        "n’est pas une date avec une heure",
        "Tapez-la comme",
        "n’existe pas",
        "pas une heure",
    ),
}
TYPED = {
    "en_US": ("12/3/2027 12:00 PM", "12/3/2027 12:00 PM"),
    "de_DE": ("3.12.27 12 Uhr", "03.12.2027 12:00"),
    "fr_FR": ("3/12/2027 12h00", "03/12/2027 12:00"),
}


@pytest.fixture(params=sorted(TYPED))
def localized(request: pytest.FixtureRequest, qtbot: QtBot, seed: Seed) -> Iterator[MainWindow]:
    service = DiaryService.open(seed.url, zone=ZONE)
    service.set_policy("locale", request.param)
    service.close()
    win = create_main_window(seed.url, ZONE, clock=FakeClock(at(MONDAY, 7)))
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.is_ready, timeout=60_000)
    win.resize(1280, 900)
    settle(qtbot, win)
    yield win
    close_dialogs()
    win.close()


def text_of(field: _TypedField) -> QLineEdit:
    edit = field.findChild(QLineEdit, "fieldText")
    assert isinstance(edit, QLineEdit)
    return edit


def retype(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def new_appointment(qtbot: QtBot, window: MainWindow) -> AppointmentDialog:
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.appointment_dialog is not None, timeout=5000)
    dialog = window.appointment_dialog
    assert isinstance(dialog, AppointmentDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()  # the keyboard goes to it, as to a dialog on a desktop
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_a_start_typed_in_the_locale_is_booked_as_meant(
    qtbot: QtBot, localized: MainWindow, service: DiaryService
) -> None:
    locale = localized.formatter.locale
    typed, shown = TYPED[locale]
    dialog = new_appointment(qtbot, localized)
    qtbot.keyClicks(dialog.title_edit, "Boiler service")
    start = text_of(dialog.start_edit)
    retype(qtbot, start, typed)
    qtbot.keyClick(start, Qt.Key.Key_Tab)
    # Read as typed and shown in the locale's own form: nothing else.
    assert start.text() == shown
    assert dialog.start_edit.value == NOON
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: localized.undo_stack.count() == 1, timeout=5000)
    ref = localized.undo_stack.command(0).after.ref  # type: ignore[attr-defined]
    assert service.get(ref).start == NOON


def test_what_cannot_be_read_is_said_beside_the_field_and_ok_waits(
    qtbot: QtBot, localized: MainWindow, service: DiaryService
) -> None:
    dialog = new_appointment(qtbot, localized)
    qtbot.keyClicks(dialog.title_edit, "Boiler service")
    start = text_of(dialog.start_edit)
    before = dialog.start_edit.value
    retype(qtbot, start, "13/45/2027 10:00")
    qtbot.keyClick(start, Qt.Key.Key_Tab)
    error = dialog.start_edit.findChild(QLabel, "fieldError")
    not_read, example, _missing, _no_time = SAID[localized.formatter.locale]
    assert error.isVisible() and not_read in error.text()
    assert example in error.text()
    assert start.text() == "13/45/2027 10:00"  # kept as typed, never changed behind one's back
    assert dialog.start_edit.value == before
    assert not dialog.ok_button.isEnabled()
    # Said in full: the dialog grows until every wrapped line of the error shows.
    qtbot.waitUntil(lambda: error.height() >= error.heightForWidth(error.width()))
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)  # Enter does not book it either
    assert dialog.isVisible() and localized.undo_stack.count() == 0
    retype(qtbot, start, "2027-12-03 12:00")  # ISO works in every locale
    assert not error.isVisible() and dialog.ok_button.isEnabled()
    assert dialog.start_edit.value == NOON


def test_a_time_the_clocks_skip_is_refused(qtbot: QtBot, localized: MainWindow) -> None:
    dialog = new_appointment(qtbot, localized)
    start = text_of(dialog.start_edit)
    retype(qtbot, start, "2027-03-28 02:30")  # Berlin springs forward from 02:00 to 03:00
    assert SAID[localized.formatter.locale][2] in dialog.start_edit.error_text
    assert not dialog.ok_button.isEnabled()


# A popup asks for the keyboard; the offscreen platform says it cannot give it.
@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_arrow_keys_step_and_the_calendar_picks_a_day(qtbot: QtBot, localized: MainWindow) -> None:
    dialog = new_appointment(qtbot, localized)
    field = dialog.start_edit
    assert isinstance(field, MomentField)
    field.set_value(NOON)
    start = text_of(field)
    start.setFocus()
    qtbot.keyClick(start, Qt.Key.Key_Up)
    assert field.value == NOON + timedelta(minutes=15)
    qtbot.keyClick(start, Qt.Key.Key_PageDown)
    assert field.value == NOON + timedelta(minutes=15) - timedelta(days=7)
    button = field.findChild(QToolButton, "calendarButton")
    calendar = field.findChild(QCalendarWidget, "calendarPopup")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(calendar.isVisible)
    days = calendar.findChild(QWidget, "qt_calendar_calendarview")
    qtbot.keyClick(days, Qt.Key.Key_Right)  # the next day
    qtbot.keyClick(days, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not calendar.isVisible())
    assert field.value == datetime(2027, 11, 27, 12, 15, tzinfo=TZ)


def test_the_promise_due_typed_in_the_locale(
    qtbot: QtBot, localized: MainWindow, service: DiaryService
) -> None:
    locale = localized.formatter.locale
    panel = localized.promises_panel
    localized.show_panel(localized.promises_dock)
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(panel.dialog, PromiseDialog) and panel.dialog.isVisible())
    dialog = panel.dialog
    assert isinstance(dialog, PromiseDialog)
    dialog.customer_edit.setEditText("Müller GmbH")
    qtbot.keyClicks(dialog.what_edit, "Send the quote")
    due = text_of(dialog.due_edit)
    retype(qtbot, due, "Dec 45" if locale == "en_US" else "45.12.")
    assert not dialog.ok_button.isEnabled()
    retype(qtbot, due, TYPED[locale][0])
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(v.promise.what == "Send the quote" for v in service.promises()))
    (made,) = [v.promise for v in service.promises() if v.promise.what == "Send the quote"]
    assert made.due == NOON


def test_working_hours_typed_in_the_settings(
    qtbot: QtBot, localized: MainWindow, service: DiaryService
) -> None:
    locale = localized.formatter.locale
    localized.settings_action.trigger()
    qtbot.waitUntil(lambda: localized.settings_dialog is not None)
    dialog = localized.settings_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    monday_start = text_of(dialog.day_starts[0])
    retype(qtbot, monday_start, "7:30 AM" if locale == "en_US" else "7.30")
    assert dialog.ok_button.isEnabled()
    retype(qtbot, monday_start, "7:75")
    assert not dialog.ok_button.isEnabled()
    assert SAID[locale][3] in dialog.day_starts[0].error_text
    retype(qtbot, monday_start, "07:30")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: service.policy().week[0] is not None)
    qtbot.waitUntil(lambda: service.policy().week[0].start == time(7, 30))  # type: ignore[union-attr]


def test_the_report_period_typed_in_the_locale(qtbot: QtBot, localized: MainWindow) -> None:
    locale = localized.formatter.locale
    localized.report_action.trigger()
    report = localized.report_window
    assert report is not None
    qtbot.waitUntil(lambda: report.report is not None, timeout=5000)
    typed = {"en_US": "3/1/2027", "de_DE": "1.3.2027", "fr_FR": "01/03/2027"}[locale]
    with qtbot.waitSignal(report.loaded, timeout=5000):
        retype(qtbot, text_of(report.from_edit), typed)
    assert report.period()[0] == at(date(2027, 3, 1), 0)
    report.close()
