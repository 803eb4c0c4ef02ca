"""Every file a session of diary writes is the owner's alone (issue 16): the database and its
journals, backups, exports, reports, PDFs and PNGs, the settings and the log are 0600.

The session runs with a umask of 022, as a desktop session has it: the command line as the
installed program runs it (`python -m diary`, its composition root), the window in this
process, whose writers must be private by themselves.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from diary.about import log_folder
from diary.crash import CrashHandler
from diary.services import Draft
from diary.ui import create_main_window, last_start
from diary.ui.report_window import ReportWindow

from tests.ui.conftest import MONDAY, FakeClock, at, close_dialogs, settle

CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:boiler-2031@example.com
DTSTAMP:20310101T000000Z
DTSTART:20310303T090000Z
DTEND:20310303T100000Z
SUMMARY:Boiler service
END:VEVENT
END:VCALENDAR
"""


def _cli(db: Path, *args: str) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "diary", "--db", str(db), "--tz", "Europe/Berlin", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, (args, done.stderr)
    assert "Traceback" not in done.stderr
    return done.stdout


def _modes(root: Path, inputs: set[Path]) -> dict[str, str]:
    found = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            if path in inputs or path.is_symlink():
                continue
            found[str(path.relative_to(root))] = oct(stat.S_IMODE(path.stat().st_mode))
    return found


@pytest.mark.slow
def test_every_file_a_session_writes_is_private(
    qtbot: QtBot, tmp_path: Path, desktop_umask: None
) -> None:
    db = tmp_path / "data" / "diary.sqlite3"  # a new folder too
    out = tmp_path / "out"
    out.mkdir()
    calendar = tmp_path / "phone.ics"
    calendar.write_text(CALENDAR, encoding="utf-8")

    # The command line, as installed.
    _cli(db, "customer", "add", "Ada", "--email", "ada@example.com")
    _cli(db, "add", "--title", "Survey", "--start", "2031-03-03T11:00", "--duration", "60",
         "--customer", "Ada")
    _cli(db, "import", str(calendar))
    _cli(db, "export", str(out / "phone-out.ics"))
    _cli(db, "report", "customers", "--from", "2031-03-03", "--to", "2031-03-09",
         "--csv", str(out / "report.csv"))
    _cli(db, "print", "--view", "week", "--date", "2031-03-03", "--out", str(out / "week.pdf"))
    _cli(db, "print", "--view", "agenda", "--date", "2031-03-03", "--out", str(out / "a.png"))
    _cli(db, "backup")
    _cli(db, "backup", "--to", str(out / "copy.sqlite3"))
    _cli(db, "restore", str(out / "copy.sqlite3"))

    # The window, with its log, settings, a booking, a CSV, an export and a PDF of the view.
    crash = CrashHandler(log_folder())
    crash.install()
    try:
        logging.getLogger("diary").warning("a line in the log")
        window = create_main_window(f"sqlite:///{db}", "Europe/Berlin",
                                    clock=FakeClock(at(MONDAY, 7)))
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.is_ready, timeout=20_000)
        settle(qtbot, window)
        window.bridge.change(
            lambda s: s.book(Draft("Visit", at(MONDAY, 14), at(MONDAY, 15))),
        )
        window.open_report()
        report = window.report_window
        assert isinstance(report, ReportWindow)
        qtbot.waitUntil(lambda: report.report is not None, timeout=10_000)
        report.ask_path = lambda parent, title, suggested: str(out / "window-report.csv")
        with qtbot.waitSignal(report.exported, timeout=10_000):
            report.export_csv()
        window.transfer.ask_save = lambda parent, title: str(out / "window.ics")
        with qtbot.waitSignal(window.transfer.finished, timeout=20_000):
            window.export_action.trigger()
        from diary.ui.printing import render_widget

        render_widget(window.week_view, out / "view.pdf")
        settle(qtbot, window)
        report.close()
        close_dialogs()
        window.close()
    finally:
        crash.uninstall()
    store = last_start.settings()
    store.sync()

    written = _modes(tmp_path, inputs={calendar})
    expected = {
        "data/diary.sqlite3",
        "out/phone-out.ics",
        "out/report.csv",
        "out/week.pdf",
        "out/a.png",
        "out/copy.sqlite3",
        "out/window-report.csv",
        "out/window.ics",
        "out/view.pdf",
    }
    assert expected <= set(written), sorted(written)
    assert any(name.startswith("xdg/data/diary/backups/") for name in written)
    assert any(name.startswith("xdg/state/") and name.endswith("diary.log") for name in written)
    assert {name: mode for name, mode in written.items() if mode != "0o600"} == {}
    settings_file = Path(store.fileName())
    assert settings_file.exists() and stat.S_IMODE(settings_file.stat().st_mode) == 0o600
    backups = [Path(tmp_path / n) for n in written if n.startswith("xdg/data/diary/backups/")]
    assert all(stat.S_IMODE(p.parent.stat().st_mode) == 0o700 for p in backups)
    _ = timedelta  # (dates above are fixed on purpose: 2031 lies ahead of any test clock)


@pytest.mark.usefixtures("desktop_umask")
def test_the_log_and_every_file_it_rotates_into_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "log"
    folder.mkdir(mode=0o755)
    (folder / "diary.log").write_text("left by an older diary\n")
    (folder / "diary.log").chmod(0o644)
    crash = CrashHandler(folder)
    crash.install()
    try:
        for _ in range(250):  # ~2.5 MB through a 1 MB log: two rotations
            logging.getLogger("diary.test").warning("x" * 10_000)
    finally:
        crash.uninstall()
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
    assert {"diary.log", "diary.log.1", "diary.log.2", "faults.log"} <= set(modes)
    assert set(modes.values()) == {0o600}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.usefixtures("desktop_umask")
def test_a_printer_printing_to_a_pdf_file_writes_it_privately(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtGui import QPainter
    from PySide6.QtPrintSupport import QPrinter

    from diary.services import InputError
    from diary.ui.file_output import print_to

    def paint(printer: QPrinter) -> str:
        painter = QPainter(printer)
        painter.drawText(100, 100, "Day sheet")
        painter.end()
        return printer.outputFileName()

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "sheet.pdf"
    printer.setOutputFileName(str(target))
    painted_to = print_to(printer, paint)
    assert painted_to != str(target), "painted into a temporary file beside it"
    assert printer.outputFileName() == str(target)
    assert target.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "xdg") == ["sheet.pdf"]
    (tmp_path / "link.pdf").symlink_to(tmp_path / "elsewhere.pdf")
    printer.setOutputFileName(str(tmp_path / "link.pdf"))
    with pytest.raises(InputError, match="symbolic link"):
        print_to(printer, paint)
    assert not (tmp_path / "elsewhere.pdf").exists()
