"""`python -m tests.ui.sync_screenshots OUTDIR`: the Accounts page, and a booking made on
the phone flagged in the week view, rendered offscreen from the demo week.

A Radicale server runs on 127.0.0.1 for the length of the script (tests.dav_servers); the
"phone" is a plain CalDAV client. The clock is fixed on a Wednesday in March 2027.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

WEDNESDAY = date(2027, 3, 3)
BURST = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//EN\r\nBEGIN:VEVENT\r\n"
    "UID:blocked-drain\r\nDTSTAMP:20270101T000000Z\r\n"
    "DTSTART;TZID=Europe/Berlin:20270301T144500\r\nDTEND;TZID=Europe/Berlin:20270301T154500\r\n"
    "SUMMARY:Blocked drain\r\nLOCATION:Hauptstr. 5\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)

# A repeating booking made on the phone: every weekday at 08:00, one of them moved.
TEAM_CALL = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//EN\r\nBEGIN:VEVENT\r\n"
    "UID:team-call\r\nDTSTAMP:20270101T000000Z\r\n"
    "DTSTART;TZID=Europe/Berlin:20270301T073000\r\nDTEND;TZID=Europe/Berlin:20270301T074500\r\n"
    "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=10\r\nSUMMARY:Team call\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:team-call\r\nDTSTAMP:20270101T000000Z\r\n"
    "RECURRENCE-ID;TZID=Europe/Berlin:20270303T073000\r\n"
    "DTSTART;TZID=Europe/Berlin:20270303T180000\r\nDTEND;TZID=Europe/Berlin:20270303T181500\r\n"
    "SUMMARY:Team call\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _wait(app: object, done: Callable[[], bool], seconds: float = 30) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while not done():
        QApplication.processEvents()
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        time.sleep(0.02)


def main(out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DIARY_CALDAV_PASSWORD"] = ""
    import keyring
    from PySide6.QtWidgets import QApplication, QTabWidget

    from diary.services import DiaryService
    from diary.services.clock import FixedClock
    from diary.ui import create_main_window
    from diary.ui.accounts_page import AccountsPage
    from diary.ui.screenshots import fill_demo

    from tests.dav_servers import PASSWORD, USER, fresh_calendar, start_server
    from tests.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="diary-sync-shots-"))
    server = start_server("radicale", folder / "server")
    written = []
    try:
        clock = FixedClock(datetime(2027, 3, 3, 7, 0, tzinfo=UTC))
        url = f"sqlite:///{folder / 'diary.sqlite3'}"
        service = DiaryService.open(url, zone="Europe/Berlin", clock=clock)
        fill_demo(service, today=WEDNESDAY)
        service.set_policy("locale", "en_GB")
        jobs = fresh_calendar(server, "Jobs")
        fresh_calendar(server, "Family")
        service.accounts.add(
            "Work",
            url=server.root,
            username=USER,
            calendar=f"{server.root.rstrip('/')}{jobs.path}",
            password=PASSWORD,
        )
        service.syncing.sync()
        jobs.put("burst.ics", BURST)
        jobs.put("team.ics", TEAM_CALL)
        service.close()

        app = QApplication.instance() or QApplication(sys.argv)
        window = create_main_window(url, "Europe/Berlin", clock=clock)
        window.resize(1280, 860)
        _wait(app, lambda: window.is_ready)
        window.week_view.show_date(date(2027, 3, 1))
        runner = window.sync_controls.runner
        runner.sync_now()
        _wait(app, lambda: not runner.running and bool(runner.reports))
        _wait(app, lambda: window.week_view.rect_for("blocked-drain").isValid())
        _wait(app, lambda: window.bridge.pending == 0, 10)
        QApplication.processEvents()
        week = out / "sync-phone-booking-week.png"
        window.grab().save(str(week))
        written.append(week)

        window.settings_action.trigger()
        _wait(app, lambda: window.settings_dialog is not None)
        dialog = window.settings_dialog
        assert dialog is not None
        pages = dialog.findChild(QTabWidget, "settingsPages")
        page = dialog.findChild(AccountsPage, "accountsPage")
        pages.setCurrentWidget(page)
        page.name_edit.setText("Family calendar")
        page.url_edit.setText(server.root)
        page.user_edit.setText(USER)
        page.password_edit.setText(PASSWORD)
        page.test_button.click()
        _wait(app, lambda: "Family" in page.state()["calendars"])
        _wait(app, lambda: bool(page.state()["accounts"]))
        for index in range(page.busy_list.count()):
            item = page.busy_list.item(index)
            if item.text() == "Family":
                from PySide6.QtCore import Qt

                item.setCheckState(Qt.CheckState.Checked)
        page.calendar_combo.setCurrentIndex(page.calendar_combo.findText("Jobs"))
        dialog.resize(640, 720)
        QApplication.processEvents()
        accounts = out / "sync-accounts-page.png"
        dialog.grab().save(str(accounts))
        written.append(accounts)
        dialog.close()
        window.close()
        window.bridge.shutdown()
    finally:
        server.kill()
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")):
        print(path)
