"""Creating, editing, cancelling and keyboard moves, each undone and redone."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from diary.services import DiaryService
from diary.ui.appointment_dialog import AppointmentDialog
from diary.ui.main_window import MainWindow

from tests.ui.conftest import MONDAY, Seed, at, drag, find_dialog, settle


def _ok(dialog: AppointmentDialog) -> QPushButton:
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    return button


def test_create_by_dragging_across_empty_time_then_undo_redo(
    qtbot: QtBot, window: MainWindow, service: DiaryService
) -> None:
    view = window.week_view
    wednesday = MONDAY + timedelta(days=2)
    start = view.point_for(at(wednesday, 14)) + QPoint(0, 2)
    end = view.point_for(at(wednesday, 15, 30)) - QPoint(0, 2)
    drag(view, start, end)
    qtbot.waitUntil(lambda: find_dialog("appointmentDialog") is not None)
    dialog = window.appointment_dialog
    assert isinstance(dialog, AppointmentDialog)
    draft = dialog.draft()
    assert (draft.start, draft.end) == (at(wednesday, 14), at(wednesday, 15, 30))
    qtbot.keyClicks(dialog.findChild(QLineEdit, "titleEdit"), "Tiles selection")
    dialog.location_edit.setEditText("Hauptstr")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1)
    ref = window.undo_stack.command(0).after.ref  # type: ignore[attr-defined]
    booked = service.get(ref)
    assert (booked.title, booked.start, booked.location.name if booked.location else None) == (
        "Tiles selection",
        at(wednesday, 14),
        "Hauptstr",
    )
    assert window.undo_action.text() == "Undo create Tiles selection"
    settle(qtbot, window)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: service.get(ref).cancelled)
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: not service.get(ref).cancelled)


def test_double_click_edits_and_the_dialog_judges_live(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService
) -> None:
    view = window.week_view
    QTest.mouseDClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        view.rect_for(seed.survey).center(),
    )
    qtbot.waitUntil(lambda: find_dialog("appointmentDialog") is not None)
    dialog = window.appointment_dialog
    assert isinstance(dialog, AppointmentDialog)
    assert dialog.title_edit.text() == "Kitchen survey"
    # Moving it to 9:45 leaves too little wrap-up and travel before the quote: said live.
    dialog.start_edit.setDateTime(dialog.start_edit.dateTime().addSecs(45 * 60))
    qtbot.waitUntil(lambda: "min short" in dialog.violations_label.text(), timeout=3000)
    nearest = dialog.findChild(QPushButton, "nearestSlotButton")
    assert nearest.isVisible() and nearest.text().startswith("Use nearest free slot (")
    qtbot.mouseClick(nearest, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.violations_label.text() == "", timeout=3000)
    dialog.title_edit.setText("Kitchen survey (2)")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: service.get(seed.survey).title == "Kitchen survey (2)")
    settle(qtbot, window)
    assert window.undo_stack.undoText() == "edit Kitchen survey (2)"
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: service.get(seed.survey).title == "Kitchen survey")
    assert service.get(seed.survey).start == at(MONDAY, 9)


def test_keyboard_selects_and_moves(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService
) -> None:
    view = window.week_view
    QTest.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        view.rect_for(seed.survey).center(),
    )
    assert view.selected == seed.survey
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert view.selected == seed.quote
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert view.selected == seed.lunch
    QTest.keyClick(view, Qt.Key.Key_Left)
    QTest.keyClick(view, Qt.Key.Key_Up)
    assert view.selected == seed.survey
    QTest.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: service.get(seed.survey).start == at(MONDAY, 8, 45))
    settle(qtbot, window)
    QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    tuesday = MONDAY + timedelta(days=1)
    qtbot.waitUntil(lambda: service.get(seed.survey).start == at(tuesday, 8, 45))
    settle(qtbot, window)
    assert view.selected == seed.survey
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: service.get(seed.survey).start == at(MONDAY, 8, 45))
    settle(qtbot, window)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: service.get(seed.survey).start == at(MONDAY, 9))


def test_delete_cancels_and_undo_restores(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService
) -> None:
    view = window.week_view
    view.select(seed.lunch)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: service.get(seed.lunch).cancelled)
    settle(qtbot, window)
    assert view.rect_for(seed.lunch).isEmpty()
    assert window.undo_action.text() == "Undo cancel Lunch"
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: not service.get(seed.lunch).cancelled)
    settle(qtbot, window)
    assert view.rect_for(seed.lunch).isValid()
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: service.get(seed.lunch).cancelled)
