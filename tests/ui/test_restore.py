"""File > Restore from backup…: choose, confirm, restore off the GUI thread, the window reloads."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QMenu, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from diary.services import DiaryService
from diary.ui.main_window import MainWindow
from diary.ui.restore import PATH_ROLE, BackupsDialog

from tests.ui.conftest import MONDAY, Seed, find_dialog, settle


def _take_backup(qtbot: QtBot, window: MainWindow) -> Path:
    taken: list[Path] = []
    window.bridge.call(lambda service: service.backups.take().path, taken.append)
    qtbot.waitUntil(lambda: bool(taken), timeout=10_000)
    return taken[0]


def _open_dialog(qtbot: QtBot, window: MainWindow) -> BackupsDialog:
    file_menu = window.menuBar().findChild(QMenu, "fileMenu")
    assert file_menu is not None and window.restore_action in file_menu.actions()
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: find_dialog("restoreDialog") is not None, timeout=5000)
    dialog = find_dialog("restoreDialog")
    assert isinstance(dialog, BackupsDialog)
    return dialog


def _confirm(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: find_dialog("restoreConfirmDialog") is not None, timeout=5000)
    box = find_dialog("restoreConfirmDialog")
    assert isinstance(box, QMessageBox)
    button = box.findChild(QPushButton, "confirmRestoreButton")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_restoring_a_backup_brings_back_a_cancelled_appointment(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService
) -> None:
    backup = _take_backup(qtbot, window)
    window.bridge.change(lambda s: s.cancel(seed.survey))
    qtbot.waitUntil(lambda: not window.week_view.rect_for(seed.survey).isValid(), timeout=5000)

    dialog = _open_dialog(qtbot, window)
    listing = dialog.findChild(QListWidget, "backupList")
    assert listing is not None
    rows = [listing.item(row).data(PATH_ROLE) for row in range(listing.count())]
    assert str(backup) in rows
    listing.setCurrentRow(rows.index(str(backup)))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.backup_restore.restored, timeout=20_000) as done:
        _confirm(qtbot)
    assert done.args[0].kept_as.kind == "before-restore"
    window.week_view.show_date(MONDAY)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.week_view.rect_for(seed.survey).isValid(), timeout=5000)
    assert not service.get(seed.survey).cancelled
    assert window.undo_stack.count() == 0


def test_a_file_that_is_no_backup_is_refused_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService, tmp_path: Path
) -> None:
    bad = tmp_path / "holiday-photos.sqlite3"
    bad.write_bytes(b"\x89PNG not a diary")
    dialog = _open_dialog(qtbot, window)
    dialog.ask_file = lambda parent, title: str(bad)
    qtbot.mouseClick(dialog.other_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.backup_restore.failed, timeout=20_000) as failed:
        _confirm(qtbot)
    assert "not a diary backup" in failed.args[0] and str(bad) in failed.args[0]
    qtbot.waitUntil(lambda: find_dialog("restoreErrorDialog") is not None, timeout=5000)
    assert not service.get(seed.survey).cancelled
    assert [b.kind for b in service.backups.backups()].count("before-restore") == 0
