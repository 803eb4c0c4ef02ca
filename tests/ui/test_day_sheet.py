"""The day sheet: a document with selectable text, from `diary print` and from Ctrl+P.

The PDFs are read back with poppler's pdftotext and pdfinfo (what a person's PDF viewer
shows when they select the text); CI installs poppler-utils (.ci/run).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot

from diary import app
from diary.cli import main as cli_main
from diary.domain.model import Kind, later
from diary.services import DiaryService, Draft
from diary.services.clock import FixedClock
from diary.ui.main_window import MainWindow

from tests.ui.conftest import MONDAY, ZONE, Seed, at, settle

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdftotext, pdfinfo) is not installed",
)


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return {
        key.strip(): value.strip()
        for key, _sep, value in (line.partition(":") for line in out.stdout.splitlines())
    }


CLOCK = FixedClock(at(MONDAY, 7))


def printer(db_url: str | None, view: str, day: date, out: Path, zone: str) -> None:
    app.print_view(db_url, view, day, out, zone, CLOCK)


def print_day(seed_url: str, day: date, out: Path, zone: str = ZONE) -> int:
    # The command line as the composition root wires it (diary.__main__), at a fixed clock:
    # Monday 07:00, a date chosen far from today on purpose.
    return cli_main(
        ["--db", seed_url, "--tz", zone, "print", "--view", "day", "--date", day.isoformat()]
        + ["--out", str(out)],
        clock=CLOCK,
        printer=printer,
    )


def dress_up(url: str) -> None:
    """Phone numbers, notes, an owner, and a promise due that Monday."""
    service = DiaryService.open(url, zone=ZONE, clock=CLOCK)
    try:
        service.set_policy("owner", "Sam Fischer")
        krause = service.customer("Familie Krause")
        from dataclasses import replace

        service.update_customer(replace(krause, phone="+49 30 1234567"))
        listed = service.listing(at(MONDAY, 0), at(MONDAY, 23))
        survey = next(i.appointment for i in listed if i.appointment.title == "Kitchen survey")
        service.edit(
            survey.ref,
            Draft(
                survey.title,
                survey.start,
                survey.end,
                customer="Familie Krause",
                location="Lindenweg",
                notes="Ring twice; the dog is friendly",
            ),
        )
        service.add_promise("Müller GmbH", "Send the bathroom quote", at(MONDAY, 17))
    finally:
        service.close()


def test_diary_print_writes_a_day_sheet_with_selectable_text(seed: Seed, tmp_path: Path) -> None:
    dress_up(seed.url)
    out = tmp_path / "monday.pdf"
    assert print_day(seed.url, MONDAY, out) == 0
    text = pdf_text(out)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0] == "Monday, March 1, 2027"
    assert lines[1] == "Sam Fischer"
    assert text.index("Kitchen survey") < text.index("Bathroom quote")
    assert "9:00 AM – 10:00 AM" in text
    assert "+49 30 1234567" in text
    assert "Ring twice; the dog is friendly" in text
    assert "Lindenweg 12 · map" in text  # the name is part of the address: said once
    # Between the two: wrap-up until 10:15, then 25 min to Hauptstr. 5 starting 10:35.
    assert "wrap-up 15 min, until 10:15 AM" in text
    assert "leave 10:35 AM" in text and "from Lindenweg 12, 25 min travel" in text
    assert "Send the bathroom quote for Müller GmbH, due 5:00 PM" in text
    assert "free for urgent calls" in text
    # en_US prints on Letter.
    assert "letter" in pdf_info(out)["Page size"]


def test_a_long_day_runs_onto_more_pages_on_a4_in_germany(seed: Seed, tmp_path: Path) -> None:
    service = DiaryService.open(seed.url, zone=ZONE, clock=CLOCK)
    try:
        service.set_policy("locale", "de_DE")
        friday = MONDAY + timedelta(days=4)
        for hour in range(24):
            for minute in (0, 30):
                start = at(friday, hour, minute)
                service.book(
                    Draft(
                        f"Slot {hour:02}:{minute:02}",
                        start,
                        start + timedelta(minutes=20),
                        kind=Kind.BLOCK,
                        notes="Notes\nover two lines",
                    ),
                    force=True,
                    reason="a long test day",
                )
    finally:
        service.close()
    out = tmp_path / "friday.pdf"
    assert print_day(seed.url, MONDAY + timedelta(days=4), out) == 0
    info = pdf_info(out)
    assert "A4" in info["Page size"]
    assert int(info["Pages"]) >= 2
    text = pdf_text(out)
    assert text.startswith("Freitag, 5. März 2027")
    assert "Slot 00:00" in text and "Slot 23:30" in text


def test_the_repeated_autumn_hour_prints_in_real_time_order(seed: Seed, tmp_path: Path) -> None:
    london = ZoneInfo("Europe/London")
    first = datetime(2030, 10, 27, 1, 20, tzinfo=london)  # BST
    second = datetime(2030, 10, 27, 1, 10, fold=1, tzinfo=london)  # GMT, 50 min later
    service = DiaryService.open(seed.url, zone=ZONE, clock=CLOCK)
    try:
        for title, start in (("Second pass", second), ("First pass", first)):
            service.book(Draft(title, start, later(start, timedelta(minutes=20)), kind=Kind.BLOCK))
    finally:
        service.close()
    out = tmp_path / "fold.pdf"
    assert print_day(seed.url, date(2030, 10, 27), out, zone="Europe/London") == 0
    text = pdf_text(out)
    assert text.index("First pass") < text.index("Second pass")
    assert "1:20 AM BST – 1:40 AM BST" in text
    assert "1:10 AM GMT – 1:30 AM GMT" in text


# The file name's completer pops up a list, which asks for the keyboard offscreen.
@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_ctrl_p_in_the_day_view_prints_the_sheet_to_a_pdf(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.view_actions["day"].trigger()
    window.show_date(MONDAY)
    settle(qtbot, window)
    window.day_view.setFocus()
    qtbot.keyClick(window.day_view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.findChild(QPrintDialog, "printDialog"), QPrintDialog))
    dialog = window.findChild(QPrintDialog, "printDialog")
    assert dialog.isVisible()
    printer = dialog.printer()
    assert printer.pageLayout().pageSize().id().name == "Letter"  # en_US
    out = tmp_path / "from-window.pdf"
    # Choose "Print to File (PDF)", type the file name, press Print: as a person does.
    printers = dialog.findChild(QComboBox, "printers")
    printers.setCurrentIndex(printers.findText("Print to File (PDF)"))
    name = dialog.findChild(QLineEdit, "filename")
    name.selectAll()
    qtbot.keyClicks(name, str(out))
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(window._sheet_printing.printed, timeout=10_000):  # type: ignore[union-attr]
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    text = pdf_text(out)
    assert "Monday, March 1, 2027" in text
    assert "Kitchen survey" in text and "Bathroom quote" in text
    assert str(out) in window.statusBar().currentMessage()
    # It holds customers' phones and addresses: the owner's alone, like every file diary writes.
    assert out.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob(".from-window.pdf.*"))  # no temporary left beside it


def test_the_week_view_still_saves_a_picture(seed: Seed, tmp_path: Path) -> None:
    out = tmp_path / "week.png"
    assert (
        cli_main(
            [
                "--db",
                seed.url,
                "--tz",
                ZONE,
                "print",
                "--view",
                "week",
                "--date",
                "2027-03-01",
                "--out",
                str(out),
            ],
            clock=CLOCK,
            printer=printer,
        )
        == 0
    )
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
