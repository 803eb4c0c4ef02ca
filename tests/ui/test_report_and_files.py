"""Reports > Time per customer, File > Import… and File > Export…, and repeating appointments."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from diary.services import DiaryService, Repeat
from diary.services.reports import report_csv
from diary.ui.appointment_dialog import AppointmentDialog
from diary.ui.main_window import MainWindow
from diary.ui.report_window import ReportWindow

from tests.ui.conftest import MONDAY, at, find_dialog, settle

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:roof-inspection-1@test
DTSTAMP:20270101T000000Z
DTSTART;TZID=Europe/Berlin:20270304T140000
DTEND;TZID=Europe/Berlin:20270304T150000
SUMMARY:Roof inspection
END:VEVENT
END:VCALENDAR
"""


def test_report_window_charts_shares_and_exports_csv(
    qtbot: QtBot, window: MainWindow, service: DiaryService, tmp_path: Path
) -> None:
    window.report_action.trigger()
    report_window = window.report_window
    assert isinstance(report_window, ReportWindow)
    assert report_window.isVisible() and report_window.objectName() == "reportWindow"
    with qtbot.waitSignal(report_window.loaded, timeout=5000):
        report_window.from_edit.setDate(QDate(MONDAY.year, MONDAY.month, MONDAY.day))
        sunday = MONDAY + timedelta(days=6)
        report_window.to_edit.setDate(QDate(sunday.year, sunday.month, sunday.day))
    qtbot.waitUntil(
        lambda: (
            report_window.report is not None
            and report_window.report.end == at(sunday, 0) + timedelta(days=1)
        )
    )
    report = report_window.report
    assert report is not None
    assert [(r.customer.name, r.over_share) for r in report.rows] == [
        ("Müller GmbH", True),
        ("Familie Krause", False),
    ]
    assert report.rows[0].travel_minutes == 25
    report_window.chart.grab()  # the chart paints every row
    target = tmp_path / "report.csv"
    report_window.ask_path = lambda parent, title, suggested: str(target)
    with qtbot.waitSignal(report_window.exported, timeout=5000):
        qtbot.mouseClick(report_window.export_button, Qt.MouseButton.LeftButton)
    expected = report_csv(
        service.time_per_customer(at(MONDAY, 0), at(sunday, 0) + timedelta(days=1))
    )
    assert target.read_text(encoding="utf-8") == expected
    report_window.close()


def test_import_through_the_file_menu(
    qtbot: QtBot, window: MainWindow, service: DiaryService, tmp_path: Path
) -> None:
    source = tmp_path / "phone.ics"
    source.write_text(ICS, encoding="utf-8")
    window.transfer.ask_open = lambda parent, title: str(source)
    with qtbot.waitSignal(window.transfer.finished, timeout=10_000) as finished:
        window.import_action.trigger()
    assert finished.args[0].added == 1
    thursday = MONDAY + timedelta(days=3)
    titles = [i.appointment.title for i in service.listing(at(thursday, 0), at(thursday, 23))]
    assert titles == ["Roof inspection"]
    # The week view refreshes on its own.
    qtbot.waitUntil(lambda: "Roof inspection" in window.week_view.titles().values())
    settle(qtbot, window)


def test_a_broken_import_names_file_and_line_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, service: DiaryService, tmp_path: Path
) -> None:
    # A broken event is repaired or skipped (and said); a broken structure is refused.
    source = tmp_path / "broken.ics"
    source.write_text(ICS.replace("END:VEVENT", "END:VTODO"))
    window.transfer.ask_open = lambda parent, title: str(source)
    with qtbot.waitSignal(window.transfer.failed, timeout=10_000) as failed:
        window.import_action.trigger()
    assert "broken.ics" in failed.args[0]
    assert "broken.ics:10:" in failed.args[0]  # the END:VTODO line
    box = find_dialog("transferErrorDialog")
    assert box is not None
    box.close()
    thursday = MONDAY + timedelta(days=3)
    assert service.listing(at(thursday, 0), at(thursday, 23)) == []


def test_export_through_the_file_menu(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "out.ics"
    window.transfer.ask_save = lambda parent, title: str(target)
    with qtbot.waitSignal(window.transfer.finished, timeout=10_000) as finished:
        window.export_action.trigger()
    assert finished.args[0].events >= 3
    text = target.read_text(encoding="utf-8")
    assert "SUMMARY:Kitchen survey" in text and "SUMMARY:Bathroom quote" in text
    assert window.transfer.progress_dialog is None


def test_a_weekly_repeat_books_a_series(
    qtbot: QtBot, window: MainWindow, service: DiaryService
) -> None:
    assert hasattr(service, "book_series"), "DiaryService.book_series is missing"
    window.show_date(MONDAY + timedelta(days=3))
    window.new_action.trigger()
    qtbot.waitUntil(lambda: find_dialog("appointmentDialog") is not None)
    dialog = window.appointment_dialog
    assert isinstance(dialog, AppointmentDialog)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "titleEdit"), "Team meeting")
    combo = dialog.findChild(QComboBox, "repeatCombo")
    combo.setCurrentIndex(combo.findData("every-n-weeks"))
    dialog.repeat_interval.setValue(2)
    dialog.repeat_count.setValue(3)
    assert dialog.repeat() == Repeat("weekly", interval=2, count=3)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert isinstance(ok, QWidget)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    thursday = MONDAY + timedelta(days=3)

    def booked() -> list[str]:
        found = service.listing(at(thursday, 0), at(thursday + timedelta(days=35), 0))
        return [
            i.appointment.start.date().isoformat()
            for i in found
            if i.appointment.title == "Team meeting"
        ]

    qtbot.waitUntil(lambda: len(booked()) == 3)
    assert booked() == ["2027-03-04", "2027-03-18", "2027-04-01"]
    settle(qtbot, window)
