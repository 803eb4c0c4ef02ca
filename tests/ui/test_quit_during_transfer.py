"""Closing while a calendar file is read or written asks first; cancelling the import and
quitting leaves the diary as it was before the import, cancelling an export writes nothing.

To catch the work mid-way on any machine, another writer holds the diary's write lock
while the window is closed (as a colleague's booking or a second window would); the
import waits for it and meets the cancel as soon as it may write.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from diary.services import DiaryService
from diary.ui.bridge import BACKGROUND
from diary.ui.main_window import MainWindow

from tests.ui.conftest import MONDAY, Seed, at

EVENTS = 400


def calendar_file(folder: Path) -> Path:
    events = []
    for i in range(EVENTS):
        day = MONDAY + timedelta(days=14 + i // 8)
        hour = 8 + i % 8
        events.append(
            "BEGIN:VEVENT\r\n"
            f"UID:bulk-{i}@test\r\nDTSTAMP:20270101T000000Z\r\n"
            f"DTSTART;TZID=Europe/Berlin:{day:%Y%m%d}T{hour:02}0000\r\n"
            f"DTEND;TZID=Europe/Berlin:{day:%Y%m%d}T{hour:02}3000\r\n"
            f"SUMMARY:Imported visit {i}\r\nEND:VEVENT\r\n"
        )
    path = folder / "bulk.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + "".join(events)
        + "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    return path


@contextmanager
def writer_holding_the_diary(url: str) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=10)
    connection.isolation_level = None
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    finally:
        connection.execute("ROLLBACK")
        connection.close()


def question(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    transfer = window.transfer
    qtbot.waitUntil(
        lambda: transfer.quit_question is not None and transfer.quit_question.isVisible()
    )
    box = transfer.quit_question
    assert box is not None
    return box


def test_cancelling_the_import_and_quitting_leaves_the_diary_as_before(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService, tmp_path: Path
) -> None:
    source = calendar_file(tmp_path)
    before = service.listing(at(MONDAY, 0), at(MONDAY + timedelta(days=120), 0))
    window.transfer.ask_open = lambda parent, title: str(source)
    with writer_holding_the_diary(seed.url):
        window.import_action.trigger()
        progress = window.transfer.progress_dialog
        assert progress is not None
        # The file is read (EVENTS found) and the import waits to write.
        qtbot.waitUntil(lambda: progress.maximum() == EVENTS, timeout=10_000)
        window.close()
        box = question(qtbot, window)
        assert "import is still running" in box.text()
        # "Keep working" keeps the window and the import.
        qtbot.mouseClick(box.findChild(QPushButton, "keepWorkingButton"), Qt.MouseButton.LeftButton)
        assert window.isVisible() and window.transfer.running
        window.quit()
        box = question(qtbot, window)
        qtbot.mouseClick(
            box.findChild(QPushButton, "cancelAndQuitButton"), Qt.MouseButton.LeftButton
        )
        assert window.isVisible()  # it waits for the import to stop
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=15_000)
    after = service.listing(at(MONDAY, 0), at(MONDAY + timedelta(days=120), 0))
    assert after == before
    assert not any(item.appointment.title.startswith("Imported") for item in after)


def test_cancelling_an_export_and_quitting_writes_no_file(
    qtbot: QtBot, window: MainWindow, seed: Seed, tmp_path: Path
) -> None:
    target = tmp_path / "out.ics"
    window.transfer.ask_save = lambda parent, title: str(target)
    # Earlier background work (a long check, say) keeps the export queued behind it.
    earlier = threading.Event()
    window.bridge.call(lambda _service: earlier.wait(10), lane=BACKGROUND)
    window.export_action.trigger()
    assert window.transfer.running
    window.close()
    box = question(qtbot, window)
    assert "export is still being written" in box.text()
    qtbot.mouseClick(box.findChild(QPushButton, "cancelAndQuitButton"), Qt.MouseButton.LeftButton)
    earlier.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=15_000)
    assert not target.exists()
