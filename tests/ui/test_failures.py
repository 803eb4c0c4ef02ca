"""Nothing fails silently: a service call that fails is said in the window, and an undo step
that could not be stored is not left on the stack as done."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QDialog
from pytestqt.qtbot import QtBot

from diary.services import DiaryService
from diary.ui.main_window import MainWindow

from tests.ui.conftest import MONDAY, Seed, at, drag, find_dialog, move_by, settle


def _fail(*_args: Any, **_kwargs: Any) -> Any:
    raise OSError("disk full")


def test_a_settings_save_that_fails_is_said_in_the_window(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window.service, "update_policy", _fail)
    window.settings_action.trigger()
    qtbot.waitUntil(lambda: find_dialog("settingsDialog") is not None)
    dialog = find_dialog("settingsDialog")
    assert isinstance(dialog, QDialog)
    combo = dialog.findChild(QComboBox, "localeCombo")
    assert combo is not None
    combo.setCurrentIndex(combo.findData("de_DE"))
    dialog.accept()
    qtbot.waitUntil(lambda: bool(window.failures))
    assert "disk full" in window.statusBar().currentMessage()
    assert window.service.policy().locale == "en_US"


def test_an_undo_that_could_not_be_stored_stays_undoable(
    qtbot: QtBot,
    window: MainWindow,
    seed: Seed,
    service: DiaryService,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = window.week_view
    start, end = move_by(view, seed.survey, at(MONDAY, 9), at(MONDAY, 14))
    drag(view, start, end)
    qtbot.waitUntil(lambda: service.get(seed.survey).start == at(MONDAY, 14))
    settle(qtbot, window)
    assert window.undo_stack.index() == 1

    with monkeypatch.context() as patch:
        patch.setattr(window.service, "restore", _fail)
        window.undo_action.trigger()
        qtbot.waitUntil(lambda: bool(window.failures))
    message = window.statusBar().currentMessage()
    assert "Undo failed" in message and "Kitchen survey" in message and "disk full" in message
    # The diary still has the move, and so does the stack: undo is offered again.
    assert service.get(seed.survey).start == at(MONDAY, 14)
    assert window.undo_stack.index() == 1
    assert window.undo_action.isEnabled()

    window.undo_action.trigger()  # the service works again: this time it is undone
    qtbot.waitUntil(lambda: service.get(seed.survey).start == at(MONDAY, 9))
    assert window.undo_stack.index() == 0
    settle(qtbot, window)
