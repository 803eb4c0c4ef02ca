"""Real mouse drags on the real week view, then a look into the database."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from diary.services import DiaryService
from diary.ui.main_window import MainWindow

from tests.ui.conftest import MONDAY, Seed, at, drag, find_dialog, move_by, settle


def _starts_at(service: DiaryService, uid: str, when: object) -> bool:
    return service.get(uid).start == when


def test_move_within_a_day_and_undo_redo(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService
) -> None:
    view = window.week_view
    start, end = move_by(view, seed.survey, at(MONDAY, 9), at(MONDAY, 14))
    drag(view, start, end)
    qtbot.waitUntil(lambda: _starts_at(service, seed.survey, at(MONDAY, 14)))
    assert service.get(seed.survey).end == at(MONDAY, 15)
    settle(qtbot, window)
    assert window.undo_action.text() == "Undo move Kitchen survey"
    settle(qtbot, window)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: _starts_at(service, seed.survey, at(MONDAY, 9)))
    assert window.redo_action.text() == "Redo move Kitchen survey"
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: _starts_at(service, seed.survey, at(MONDAY, 14)))
    settle(qtbot, window)
    assert view.rect_for(seed.survey).top() == view.point_for(at(MONDAY, 14)).y()


def test_move_across_days(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService
) -> None:
    view = window.week_view
    wednesday = MONDAY + timedelta(days=2)
    start, end = move_by(view, seed.survey, at(MONDAY, 9), at(wednesday, 10, 30))
    drag(view, start, end)
    qtbot.waitUntil(lambda: _starts_at(service, seed.survey, at(wednesday, 10, 30)))
    settle(qtbot, window)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: _starts_at(service, seed.survey, at(MONDAY, 9)))


def test_resize_by_the_bottom_edge(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService
) -> None:
    view = window.week_view
    rect = view.rect_for(seed.survey)
    start = QPoint(rect.center().x(), rect.bottom() - 2)
    end = QPoint(start.x(), view.point_for(at(MONDAY, 10, 15)).y())
    drag(view, start, end)
    qtbot.waitUntil(lambda: service.get(seed.survey).end == at(MONDAY, 10, 15))
    assert service.get(seed.survey).start == at(MONDAY, 9)
    settle(qtbot, window)
    assert window.undo_stack.undoText() == "resize Kitchen survey"
    settle(qtbot, window)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: service.get(seed.survey).end == at(MONDAY, 10))
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: service.get(seed.survey).end == at(MONDAY, 10, 15))


def test_shift_snaps_to_five_minutes(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService
) -> None:
    view = window.week_view
    start, end = move_by(view, seed.survey, at(MONDAY, 9), at(MONDAY, 14, 5))
    drag(view, start, end, modifiers=Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: _starts_at(service, seed.survey, at(MONDAY, 14, 5)))


def test_escape_cancels_a_drag(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService
) -> None:
    view = window.week_view
    start, end = move_by(view, seed.survey, at(MONDAY, 9), at(MONDAY, 15))
    drag(view, start, end, release=False)
    assert view.ghost is not None
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert view.ghost is None
    QTest.mouseRelease(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end
    )
    settle(qtbot, window)
    assert service.get(seed.survey).start == at(MONDAY, 9)
    assert window.undo_stack.count() == 0
    assert find_dialog("refusalDialog") is None


def _drop_into_buffer(qtbot: QtBot, window: MainWindow, seed: Seed) -> None:
    """Drag the survey to 9:45: it would end 15 min before the quote, 25 min are missing."""
    view = window.week_view
    start, end = move_by(view, seed.survey, at(MONDAY, 9), at(MONDAY, 9, 45))
    drag(view, start, end, release=False)
    ghost = view.ghost
    assert ghost is not None and ghost.refused
    assert any("min short" in line for line in ghost.reasons), ghost.reasons
    QTest.mouseRelease(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end
    )
    qtbot.waitUntil(lambda: find_dialog("refusalDialog") is not None)


def test_drop_into_a_buffer_then_nearest_slot(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService
) -> None:
    _drop_into_buffer(qtbot, window, seed)
    assert service.get(seed.survey).start == at(MONDAY, 9)  # nothing written before the answer
    dialog = find_dialog("refusalDialog")
    assert dialog is not None
    button = dialog.findChild(QPushButton, "nearestButton")
    assert button is not None and button.isEnabled()
    assert button.text().startswith("Move to nearest free slot (Mon")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not _starts_at(service, seed.survey, at(MONDAY, 9)))
    moved = service.get(seed.survey)
    assert moved.override_reason is None
    assert service.preview(moved) == ()
    settle(qtbot, window)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: _starts_at(service, seed.survey, at(MONDAY, 9)))


def test_drop_into_a_buffer_then_keep_it_anyway(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService
) -> None:
    _drop_into_buffer(qtbot, window, seed)
    dialog = find_dialog("refusalDialog")
    assert dialog is not None
    qtbot.mouseClick(dialog.findChild(QPushButton, "overrideButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_dialog("overrideReasonDialog") is not None)
    reason_dialog = find_dialog("overrideReasonDialog")
    assert reason_dialog is not None
    ok = reason_dialog.findChild(QPushButton, "okButton")
    assert not ok.isEnabled()  # no override without a reason
    qtbot.keyClicks(reason_dialog.findChild(QLineEdit, "reasonEdit"), "customer insists")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _starts_at(service, seed.survey, at(MONDAY, 9, 45)))
    assert service.get(seed.survey).override_reason == "customer insists"
    settle(qtbot, window)
    assert window.undo_stack.undoText() == "override: move Kitchen survey"
    qtbot.waitUntil(lambda: window.flagged_model.rowCount() >= 1)
    settle(qtbot, window)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: _starts_at(service, seed.survey, at(MONDAY, 9)))
    assert service.get(seed.survey).override_reason is None
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: _starts_at(service, seed.survey, at(MONDAY, 9, 45)))
    assert service.get(seed.survey).override_reason == "customer insists"


def test_drop_into_a_buffer_then_cancel(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService
) -> None:
    _drop_into_buffer(qtbot, window, seed)
    dialog = find_dialog("refusalDialog")
    assert dialog is not None
    with qtbot.waitSignal(window.changes.settled):
        qtbot.mouseClick(dialog.findChild(QPushButton, "cancelButton"), Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert service.get(seed.survey).start == at(MONDAY, 9)
    assert window.undo_stack.count() == 0
