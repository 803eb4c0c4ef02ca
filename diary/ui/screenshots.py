"""`python -m diary.ui.screenshots OUTDIR`: the week view, the refusal dialog, the Promises
panel and the time-per-customer report, from demo data."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from diary.domain.model import Appointment, Kind
from diary.services import DiaryService, Draft
from diary.services.clock import Clock, FixedClock, SystemClock
from diary.services.clock import today as today_in

DEMO_ZONE = "Europe/Berlin"


def fill_demo(service: DiaryService, today: date) -> None:
    """A believable week: customers, places with travel times, tight buffers, one override."""
    try:
        from diary.services import demo
    except ImportError:
        demo = None  # type: ignore[assignment]
    if demo is not None and hasattr(demo, "fill_demo"):
        demo.fill_demo(service, today=today)
        return
    service.set_policy("zone", DEMO_ZONE)
    places = {
        "Office": "Werkstatt, Ringstr. 2",
        "Hauptstr": "Hauptstr. 5",
        "Lindenweg": "Lindenweg 12",
        "Bahnhof": "Bahnhofplatz 1",
        "Gewerbepark": "Gewerbepark Nord 7",
    }
    for name, address in places.items():
        service.add_location(name, address=address)
    service.add_location("Phone", remote=True)
    for a, b, minutes in (
        ("Office", "Hauptstr", 25),
        ("Office", "Lindenweg", 15),
        ("Office", "Bahnhof", 20),
        ("Office", "Gewerbepark", 30),
        ("Hauptstr", "Lindenweg", 25),
        ("Hauptstr", "Bahnhof", 10),
        ("Lindenweg", "Bahnhof", 20),
        ("Gewerbepark", "Hauptstr", 35),
    ):
        service.set_travel(a, b, minutes)
    service.set_policy("base", "Office")
    for name in ("Müller GmbH", "Bäckerei Schulz", "Dr. Weber", "Familie Krause", "Hotel Adler"):
        service.add_customer(name)
    tz = ZoneInfo(DEMO_ZONE)
    monday = today - timedelta(days=today.weekday())

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        d = monday + timedelta(days=day)
        return datetime(d.year, d.month, d.day, hour, minute, tzinfo=tz)

    plan = [
        (0, (8, 30), 60, "Kitchen survey", "Familie Krause", "Lindenweg", Kind.MEETING),
        (0, (10, 30), 90, "Bathroom quote", "Müller GmbH", "Hauptstr", Kind.MEETING),
        (0, (13, 0), 45, "Supplier call", None, "Phone", Kind.MEETING),
        (0, (15, 0), 60, "Paperwork", None, None, Kind.BLOCK),
        (1, (9, 0), 120, "Oven install", "Bäckerei Schulz", "Bahnhof", Kind.MEETING),
        (1, (13, 30), 60, "Site visit", "Hotel Adler", "Gewerbepark", Kind.MEETING),
        (2, (8, 45), 60, "Follow-up", "Dr. Weber", "Hauptstr", Kind.MEETING),
        (2, (11, 0), 60, "Lunch with supplier", None, "Bahnhof", Kind.MEETING),
        (2, (14, 0), 90, "Handover", "Familie Krause", "Lindenweg", Kind.MEETING),
        (3, (9, 30), 60, "Measurements", "Hotel Adler", "Gewerbepark", Kind.MEETING),
        (3, (12, 0), 60, "Lunch", None, None, Kind.BLOCK),
        (3, (15, 0), 60, "Quote review", "Müller GmbH", "Hauptstr", Kind.MEETING),
        (4, (9, 0), 60, "Invoice run", None, None, Kind.BLOCK),
        (4, (10, 30), 60, "Tiles selection", "Dr. Weber", "Lindenweg", Kind.MEETING),
    ]
    for day, (hour, minute), length, title, customer, place, kind in plan:
        start = at(day, hour, minute)
        draft = Draft(title, start, start + timedelta(minutes=length), kind, customer, place)
        service.book(draft, force=True, reason="demo data")
    service.book(
        Draft("Trade fair", at(3, 0), at(4, 0), Kind.ALL_DAY), force=True, reason="demo data"
    )
    # A tight buffer the owner accepted, and one double-booking kept by override.
    service.book(
        Draft("Quick check", at(1, 11, 15), at(1, 11, 45), Kind.MEETING, "Hotel Adler", "Hauptstr"),
        force=True,
        reason="customer only free then",
    )
    service.book(
        Draft(
            "Emergency repair",
            at(2, 14, 30),
            at(2, 15, 30),
            Kind.MEETING,
            "Müller GmbH",
            "Lindenweg",
        ),
        force=True,
        reason="burst pipe",
    )


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
        fill_demo(service, today)
        service.set_policy("locale", "en_US")
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
        window.quit()
    print(f"wrote week.png, refusal.png, promises.png and report.png to {out}")
    return 0


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
