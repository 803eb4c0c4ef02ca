"""`diary-gui FILE.ics` (a calendar file opened from the file manager): the window opens and
offers the file for import; nothing is imported without a yes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from diary import app
from diary.services import DiaryService
from diary.ui import create_main_window
from diary.ui.open_files import offer_imports

from tests.ui.conftest import MONDAY, TODAY, ZONE, FakeClock, Seed, at
from tests.ui.test_report_and_files import ICS


def test_diary_gui_takes_calendar_files_and_the_usual_options(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    asked: list[tuple[str | None, str | None, list[str]]] = []

    def run_gui(db: str | None, tz: str | None, *, import_files: list[str]) -> int:
        asked.append((db, tz, list(import_files)))
        return 0

    monkeypatch.setattr(app, "run_gui", run_gui)
    monkeypatch.chdir(tmp_path)
    assert app.gui_main(["--db", "x.sqlite3", "--tz", ZONE, "roof.ics", "b.ics"]) == 0
    assert asked == [("x.sqlite3", ZONE, ["roof.ics", "b.ics"])]
    with pytest.raises(SystemExit) as stopped:
        app.gui_main(["--tz", "Mars/Olympus"])
    assert stopped.value.code == 2


def _question(qtbot: QtBot) -> QMessageBox:
    from tests.ui.conftest import find_dialog

    qtbot.waitUntil(lambda: find_dialog("importOfferDialog") is not None, timeout=10_000)
    box = find_dialog("importOfferDialog")
    assert isinstance(box, QMessageBox)
    return box


def test_a_calendar_file_is_offered_for_import_once_the_diary_is_open(
    qtbot: QtBot, seed: Seed, tmp_path: Path
) -> None:
    calendar = tmp_path / "roof.ics"
    calendar.write_text(ICS, encoding="utf-8")
    other = tmp_path / "declined.ics"
    other.write_text(ICS.replace("roof-inspection-1", "other-2"), encoding="utf-8")
    window = create_main_window(seed.url, ZONE, clock=FakeClock(at(TODAY, 8)))
    qtbot.addWidget(window)
    offer_imports(window, [str(calendar), str(other)])  # before the diary is open
    box = _question(qtbot)
    assert "roof.ics" in box.text() and box.informativeText() == str(calendar)
    import_button = next(b for b in box.buttons() if b.text() == "Import")
    with qtbot.waitSignal(window.transfer.finished, timeout=10_000):
        import_button.click()
    box = _question(qtbot)  # then the next file
    assert "declined.ics" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    reader = DiaryService.open(seed.url)
    try:
        days = reader.listing(at(MONDAY, 0), at(MONDAY, 0).replace(day=8))
        titles = sorted(item.appointment.title for item in days)
    finally:
        reader.close()
    assert titles.count("Roof inspection") == 1  # the first imported, the declined one not
    window.quit()
