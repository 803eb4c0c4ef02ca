"""`python -m diary.ui.screenshots OUTDIR`: the week view, the refusal dialog, the Promises
panel, the time-per-customer report, the search popup, the French week view and the day
sheet (a PDF; `pdftoppm -png` renders its pages), from demo data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from diary.domain.model import Appointment, Kind
from diary.services import DiaryService
from diary.services.clock import Clock, FixedClock, SystemClock
from diary.services.clock import today as today_in
from diary.services.demo import fill_demo

DEMO_ZONE = "Europe/Berlin"


def fill_demo_promises(url: str, zone: str, clock: Clock) -> None:
    """A few promises around now: one late, one at risk (check not confirmed), some on track."""
    now = clock()
    reader = DiaryService.open(url, zone=zone, clock=clock)
    try:
        names = [c.name for c in reader.customers()]
    finally:
        reader.close()
    if len(names) < 3:
        return
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)

    def day_at(days: int, hour: int) -> datetime:
        d = local.date() + timedelta(days=days)
        return datetime(d.year, d.month, d.day, hour, tzinfo=tz)

    # A promise made two days ago that is now past due: made with the clock of that day.
    earlier = DiaryService.open(url, zone=zone, clock=lambda: now - timedelta(days=2))
    try:
        earlier.add_promise(names[0], "Send revised quote", now - timedelta(hours=20))
    finally:
        earlier.close()
    service = DiaryService.open(url, zone=zone, clock=clock)
    try:
        service.add_promise(
            names[1], "Order replacement tiles", now + timedelta(hours=10), depends_on="Anna"
        )
        service.add_promise(names[2], "Installation plan", day_at(3, 12), effort=240)
        service.add_promise(names[0], "Final invoice", day_at(9, 17))
        service.add_promise(names[1], "Warranty papers", day_at(5, 10), effort=60)
    finally:
        service.close()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "resources/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from diary.ui import create_main_window

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'demo.sqlite3'}"
        # The pictures show the week they are made in (at the weekend, the coming one),
        # frozen at 08:00 of its working day so every picture agrees on "now".
        today = today_in(SystemClock(), DEMO_ZONE)
        if today.weekday() >= 5:
            today += timedelta(days=7 - today.weekday())
        clock = FixedClock(datetime.combine(today, time(8), ZoneInfo(DEMO_ZONE)))
        service = DiaryService.open(url, zone=DEMO_ZONE, clock=clock)
        fill_demo(service, today=today)
        service.set_policy("locale", "en_US")
        service.set_policy("owner", "Sam Fischer Plumbing")  # the day sheet's heading
        service.close()
        fill_demo_promises(url, DEMO_ZONE, clock)
        window = create_main_window(url, DEMO_ZONE, clock=clock)
        window.resize(1400, 900)
        _settle(app, window)
        window.grab().save(str(out / "week.png"))
        view = window.week_view
        pair = _two_meetings(view.agenda.items if view.agenda else ())
        if pair is not None:
            moved, target = pair
            window.changes.move(moved, target.start + timedelta(minutes=15))
            _settle(app, window, lambda: window.changes.dialog is not None)
            dialog = window.changes.dialog
            if dialog is not None:
                dialog.adjustSize()
                dialog.grab().save(str(out / "refusal.png"))
                dialog.reject()
        _settle(app, window)
        panel = window.promises_panel
        window.show_panel(window.promises_dock)
        window.promises_dock.setFloating(True)
        window.promises_dock.resize(1100, 320)
        _settle(app, window, lambda: panel.model.rowCount() > 0)
        panel.grab().save(str(out / "promises.png"))
        window.open_report()
        report = window.report_window
        if report is not None:
            report.resize(820, 420)
            _settle(app, window, lambda: report.report is not None)
            report.grab().save(str(out / "report.png"))
            report.close()
        _search(app, window, out)
        _day_sheet(window, today, out)
        window.quit()
        _settle(app, window)
        service = DiaryService.open(url, zone=DEMO_ZONE, clock=clock)
        service.set_policy("locale", "fr_FR")
        service.close()
        french = create_main_window(url, DEMO_ZONE, clock=clock)
        french.resize(1400, 900)
        _settle(app, french, lambda: french.week_view.agenda is not None)
        french.grab().save(str(out / "week-fr.png"))
        french.quit()
    print(
        "wrote week.png, refusal.png, promises.png, report.png, search.png, day-sheet.pdf "
        f"(and .png) and week-fr.png to {out}"
    )
    return 0


def _search(app: object, window: Any, out: Path) -> None:
    """The popup under the search field after typing the first letters of a customer."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.search.focus()
    customers = window.service.customers()
    word = customers[0].name.split()[-1][:4] if customers else "Bo"
    QTest.keyClicks(window.search_edit, word)
    popup = window.search.popup
    popup.search_now()
    _settle(app, window, lambda: popup.results is not None and popup.isVisible())
    window.grab().save(str(out / "search.png"))
    QTest.keyClick(window.search_edit, Qt.Key.Key_Escape)
    window.search_edit.clear()


def _day_sheet(window: Any, day: date, out: Path) -> None:
    """The day sheet of the demo's busiest day of the shown week, as `diary print` writes it."""
    from diary.ui.day_sheet import render_day_sheet

    service = window.service
    days = [day + timedelta(days=i) for i in range(5)]
    busiest = max(days, key=lambda d: len(service.day_sheet(d, DEMO_ZONE).jobs))
    pdf = out / "day-sheet.pdf"
    render_day_sheet(service.day_sheet(busiest, DEMO_ZONE), window.formatter, pdf)
    # Its first page as the reader shows it (poppler's pdftoppm, where installed).
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(out / "day-sheet")],
            check=True,
            timeout=60,
        )


def _two_meetings(items: object) -> tuple[Appointment, Appointment] | None:
    """Two meetings on different days: moving one onto the other is refused."""
    meetings = [
        item.appointment
        for item in items  # type: ignore[attr-defined]
        if item.appointment.kind is Kind.MEETING and not item.flags
    ]
    for a in meetings:
        for b in meetings:
            if a.start.date() != b.start.date():
                return a, b
    return None


def _settle(app: object, window: object, until: object = None) -> None:
    """Process events until the bridge is idle (and `until()` holds)."""
    import time

    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        QApplication.processEvents()
        idle = getattr(window, "bridge").pending == 0 and getattr(window, "is_ready", True)  # noqa: B009
        if idle and (until is None or until()):  # type: ignore[operator]
            QApplication.processEvents()
            return
        time.sleep(0.01)


if __name__ == "__main__":
    raise SystemExit(main())
