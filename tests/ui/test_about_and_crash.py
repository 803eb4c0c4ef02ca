"""Help > About; a crash report people can act on: the log, the dialog, the copy, in German."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from diary import i18n
from diary.about import VERSION
from diary.crash import LOG_BACKUPS, CrashHandler, CrashReport
from diary.ui.crash_dialog import CrashDialog, show_crash_report
from diary.ui.main_window import MainWindow

from tests.ui.conftest import Seed, find_dialog


def test_help_about_shows_version_licence_and_where_the_data_is(
    qtbot: QtBot, window: MainWindow, seed: Seed, private_folders: dict[str, Path]
) -> None:
    assert not window.windowIcon().isNull()  # diary's icon, not the platform's blank
    assert window.windowIcon().availableSizes()  # (the tray takes the same)
    window.about_action.trigger()
    dialog = find_dialog("aboutDialog")
    assert dialog is not None
    text = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    assert text["aboutVersion"] == f"<b>diary {VERSION}</b>"
    assert "GPL-3.0-or-later" in text["aboutLicence"]
    assert text["aboutDataFolder"] == str(private_folders["data"] / "diary")
    assert text["aboutDiary"] == seed.url.removeprefix("sqlite:///")
    dialog.close()


def _raise(error: BaseException) -> tuple[type[BaseException], BaseException, object]:
    try:
        raise error
    except BaseException:
        kind, value, tb = sys.exc_info()
        assert kind is not None and value is not None
        return kind, value, tb


@pytest.fixture
def handler(tmp_path: Path) -> Iterator[CrashHandler]:
    shown: list[CrashReport] = []
    crash = CrashHandler(tmp_path / "log", shown.append)
    crash.install()
    yield crash
    crash.uninstall()


def test_an_uncaught_exception_is_logged_and_reported_once(handler: CrashHandler) -> None:
    assert sys.excepthook == handler.handle
    kind, error, tb = _raise(ValueError("no such appointment"))
    handler.handle(kind, error, tb)  # type: ignore[arg-type]
    assert [r.problem for r in handler.reports] == ["ValueError: no such appointment"]
    report = handler.reports[0]
    assert report.log_file == handler.folder / "diary.log"
    assert f"diary {VERSION}" in report.text and "Traceback" in report.text
    logged = report.log_file.read_text(encoding="utf-8")
    assert "ValueError: no such appointment" in logged and "_raise" in logged


def test_a_crash_while_the_report_is_shown_is_logged_not_shown_again(tmp_path: Path) -> None:
    shown: list[str] = []
    crash = CrashHandler(tmp_path / "log")

    def show(report: CrashReport) -> None:
        shown.append(report.problem)
        # The dialog's event loop runs other slots; one of them fails too.
        crash.handle(*_raise(RuntimeError("while the dialog is open")))  # type: ignore[arg-type]

    crash.show = show
    crash.install()
    try:
        crash.handle(*_raise(KeyError("first")))  # type: ignore[arg-type]
        crash.handle(*_raise(OSError("later, after the dialog closed")))  # type: ignore[arg-type]
    finally:
        crash.uninstall()
    assert shown == ["KeyError: 'first'", "OSError: later, after the dialog closed"]
    logged = (tmp_path / "log" / "diary.log").read_text(encoding="utf-8")
    assert "while the dialog is open" in logged


def test_a_worker_thread_exception_goes_to_the_log(handler: CrashHandler) -> None:
    def fail() -> None:
        raise LookupError("in a worker")

    worker = threading.Thread(target=fail, name="worker-1")
    worker.start()
    worker.join()
    logged = handler.log_file.read_text(encoding="utf-8")
    assert "uncaught exception in thread worker-1" in logged and "LookupError" in logged


def test_the_log_rotates_and_keeps_a_bounded_history(tmp_path: Path) -> None:
    crash = CrashHandler(tmp_path / "log")
    crash.install()
    try:
        line = "x" * 10_000
        for _ in range(700):  # ~7 MB through a 1 MB log with 5 backups
            logging.getLogger("diary.test").warning(line)
    finally:
        crash.uninstall()
    files = sorted(p.name for p in (tmp_path / "log").glob("diary.log*"))
    assert files == ["diary.log", *[f"diary.log.{i}" for i in range(1, LOG_BACKUPS + 1)]]
    assert sum(p.stat().st_size for p in (tmp_path / "log").glob("diary.log*")) < 7_000_000


def test_a_hard_crash_of_the_last_run_is_kept_and_logged(tmp_path: Path) -> None:
    folder = tmp_path / "log"
    folder.mkdir()
    (folder / "faults.log").write_text("Fatal Python error: Segmentation fault\n")
    crash = CrashHandler(folder)
    crash.install()
    crash.uninstall()
    assert crash.previous_faults is not None and "Segmentation fault" in crash.previous_faults
    assert "Segmentation fault" in (folder / "faults.previous.log").read_text()
    assert (folder / "faults.log").read_text() == ""  # this run's, empty while all is well
    assert "stopped abruptly last time" in (folder / "diary.log").read_text()


def test_the_crash_dialog_says_where_the_log_is_and_copies_the_report(
    qtbot: QtBot, tmp_path: Path
) -> None:
    report = CrashReport("ValueError: boom", "diary 0.1.0\n\nTraceback ...", tmp_path / "diary.log")
    dialog = CrashDialog(report)
    qtbot.addWidget(dialog)
    summary = dialog.findChild(QLabel, "crashSummary")
    assert str(tmp_path / "diary.log") in summary.text() and "ValueError: boom" in summary.text()
    assert dialog.details.toPlainText() == report.text
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == report.text
    assert dialog.copy_button.text() == "Copied"


def test_the_crash_dialog_speaks_german(qtbot: QtBot, tmp_path: Path) -> None:
    i18n.install("de_DE")
    try:
        dialog = CrashDialog(CrashReport("ValueError: x", "...", tmp_path / "diary.log"))
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "diary: Etwas ist schiefgegangen"
        assert dialog.copy_button.text() == "Bericht kopieren"
    finally:
        i18n.install("en_US")


def test_show_crash_report_waits_for_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    seen: list[str] = []

    def close_it() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, CrashDialog) and widget.isVisible():
                seen.append(widget.report.problem)
                widget.reject()

    QTimer.singleShot(0, close_it)
    show_crash_report(CrashReport("KeyError: 'x'", "...", tmp_path / "diary.log"))
    assert seen == ["KeyError: 'x'"]
