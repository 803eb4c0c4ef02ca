"""The appointment dialog says each conflict from the side of the appointment being edited:
never its own conflict, the squeezed neighbour named with the direction, wrapped in full."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QSpinBox
from pytestqt.qtbot import QtBot

from diary.ui.appointment_dialog import AppointmentDialog
from diary.ui.main_window import MainWindow

from tests.ui.conftest import MONDAY, Seed, at, find_dialog


def edit(qtbot: QtBot, window: MainWindow, ref: str) -> AppointmentDialog:
    view = window.week_view
    QTest.mouseDClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        view.rect_for(ref).center(),
    )
    qtbot.waitUntil(lambda: find_dialog("appointmentDialog") is not None)
    dialog = window.appointment_dialog
    assert isinstance(dialog, AppointmentDialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def lines(dialog: AppointmentDialog) -> list[str]:
    return [line.removeprefix("⚠ ") for line in dialog.violations_label.text().splitlines()]


def test_a_longer_job_names_the_meeting_it_squeezes(
    qtbot: QtBot, window: MainWindow, seed: Seed
) -> None:
    dialog = edit(qtbot, window, seed.survey)  # Mon 9-10 at Lindenweg; the quote is at 11
    duration = dialog.findChild(QSpinBox, "durationEdit")
    duration.setFocus()
    duration.selectAll()
    qtbot.keyClicks(duration, "90")  # now until 10:30: 15 min wrap-up + 25 min drive = 11:10
    qtbot.waitUntil(lambda: "min short" in dialog.violations_label.text(), timeout=3000)
    assert lines(dialog) == [
        "10 min short before Bathroom quote: 15 min wrap-up after this job "
        "and 25 min travel from Lindenweg 12"
    ]
    label = dialog.violations_label
    # Wrapped in full, never cut: the label is as tall as its text needs at its width.
    assert label.wordWrap() and "…" not in label.text()
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert label.height() > label.fontMetrics().height() * 1.5  # more than one line


def test_the_edited_appointment_is_never_its_own_conflict(
    qtbot: QtBot, window: MainWindow, seed: Seed
) -> None:
    dialog = edit(qtbot, window, seed.quote)
    dialog.start_edit.set_value(at(MONDAY, 9, 30))  # onto the survey
    qtbot.waitUntil(lambda: "double-booked" in dialog.violations_label.text(), timeout=3000)
    said = lines(dialog)
    assert "double-booked with Kitchen survey" in said
    assert not any("Bathroom quote" in line for line in said), said


def test_a_new_appointment_is_not_its_own_conflict_either(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.new_appointment(at(MONDAY, 9, 30), at(MONDAY, 10, 30))
    qtbot.waitUntil(lambda: window.appointment_dialog is not None)
    dialog = window.appointment_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.title_edit, "Radiator bleed")
    qtbot.waitUntil(
        lambda: "double-booked" in dialog.violations_label.text()
        and dialog.last_preview is not None
        and dialog.last_preview.appointment is not None
        and dialog.last_preview.appointment.title == "Radiator bleed",
        timeout=3000,
    )
    said = lines(dialog)
    assert "double-booked with Kitchen survey" in said
    assert not any("Radiator bleed" in line for line in said), said
