"""Sync in the window: the Accounts page, "Sync now" (F5), the status bar, a phone booking
flagged in the week view and said in a notice, the Conflicts list."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QTabWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from diary.services import DiaryService
from diary.storage.sync_schema import AccountRow
from diary.ui import create_main_window
from diary.ui.accounts_page import AccountsPage
from diary.ui.main_window import MainWindow

from .conftest import MONDAY, ZONE, FakeClock, Seed, at, close_dialogs, find_dialog, settle
from tests.dav_servers import PASSWORD, USER, DavServer, Phone, fresh_calendar
from tests.memory_keyring import MemoryKeyring

BURST = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//EN\r\nBEGIN:VEVENT\r\n"
    "UID:burst-pipe\r\nDTSTAMP:20270101T000000Z\r\n"
    "DTSTART;TZID=Europe/Berlin:20270301T093000\r\nDTEND;TZID=Europe/Berlin:20270301T103000\r\n"
    "SUMMARY:Burst pipe\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def jobs(dav_server: DavServer) -> Phone:
    return fresh_calendar(dav_server, "Jobs")


@pytest.fixture
def synced(seed: Seed, dav_server: DavServer, jobs: Phone) -> Seed:
    service = DiaryService.open(seed.url, zone=ZONE)
    try:
        service.accounts.add(
            "Work",
            url=dav_server.root,
            username=USER,
            calendar=f"{dav_server.root.rstrip('/')}{jobs.path}",
            password=PASSWORD,
        )
    finally:
        service.close()
    return seed


@pytest.fixture
def synced_window(qtbot: QtBot, synced: Seed) -> Iterator[MainWindow]:
    win = create_main_window(synced.url, ZONE, clock=FakeClock(at(MONDAY, 7)))
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.is_ready, timeout=60_000)
    win.resize(1280, 900)
    win.week_view.show_date(MONDAY)
    settle(qtbot, win)
    yield win
    close_dialogs()
    win.close()


def _split(calendar: Phone) -> tuple[list[str], list[str]]:
    """The calendar's appointments and the travel/wrap-up bands diary keeps beside them."""
    names = list(calendar.names())
    bands = [n for n in names if n.endswith(("-travel.ics", "-wrapup.ics"))]
    return [n for n in names if n not in bands], bands


def _sync_with_f5(qtbot: QtBot, window: MainWindow) -> None:
    runner = window.sync_controls.runner
    with qtbot.waitSignal(runner.finished, timeout=30_000):
        QTest.keyClick(window, Qt.Key.Key_F5)


def test_the_accounts_page_tests_the_connection_and_adds_the_account(
    qtbot: QtBot,
    window: MainWindow,
    dav_server: DavServer,
    jobs: Phone,
    memory_keyring: MemoryKeyring,
) -> None:
    window.settings_action.trigger()
    qtbot.waitUntil(lambda: find_dialog("settingsDialog") is not None, timeout=5000)
    dialog = find_dialog("settingsDialog")
    assert dialog is not None
    pages = dialog.findChild(QTabWidget, "settingsPages")
    page = dialog.findChild(AccountsPage, "accountsPage")
    assert pages is not None and page is not None
    pages.setCurrentWidget(page)
    qtbot.keyClicks(page.name_edit, "Work")
    qtbot.keyClicks(page.url_edit, dav_server.root)
    qtbot.keyClicks(page.user_edit, USER)
    qtbot.keyClicks(page.password_edit, PASSWORD)
    qtbot.mouseClick(page.findChild(QPushButton, "testConnectionButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Jobs" in page.state()["calendars"], timeout=20_000)
    # "1 calendar found" when this test runs alone, more after other tests made some.
    found = re.search(r"Connected: (\d+) calendars? found", page.status.text())
    assert found is not None and int(found.group(1)) >= 1
    page.calendar_combo.setCurrentIndex(page.calendar_combo.findText("Jobs"))
    qtbot.mouseClick(page.findChild(QPushButton, "addAccountButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.state()["accounts"] == ["Work"], timeout=20_000)
    assert PASSWORD in memory_keyring.passwords.values()  # in the keyring, nowhere else
    assert PASSWORD not in page.list.item(0).text()
    views = window.service.accounts.accounts()
    assert views[0].calendar == "Jobs" and views[0].password == "keyring"


def test_a_phone_booking_on_top_of_a_meeting_is_flagged_in_the_week(
    qtbot: QtBot, synced_window: MainWindow, synced: Seed, jobs: Phone
) -> None:
    window = synced_window
    jobs.put("burst.ics", BURST)
    _sync_with_f5(qtbot, window)
    qtbot.waitUntil(lambda: window.week_view.rect_for("burst-pipe").isValid(), timeout=10_000)
    agenda = window.week_view.agenda
    assert agenda is not None
    flags = {item.appointment.ref: item.flag_names for item in agenda.items}
    assert "double-booking" in flags["burst-pipe"]
    assert (
        "Calendar sync",
        "Booked on your phone: Burst pipe 09:30 overlaps Kitchen survey",
    ) in window.notifications
    assert window.sync_controls.runner.label.text().startswith("Synced at")
    appointments, bands = _split(jobs)
    assert len(appointments) == 4  # the seed's three went up, the phone's stayed one
    # travel before the quote, wrap-up after the survey, the quote and the phone's booking
    assert sorted(bands) == sorted(
        [
            f"{synced.quote}-travel.ics",
            f"{synced.quote}-wrapup.ics",
            f"{synced.survey}-wrapup.ics",
            "burst-pipe-wrapup.ics",
        ]
    )
    assert all("RELATED-TO" in jobs.names()[name] for name in bands)


def test_a_server_that_is_gone_is_said_in_the_status_bar(
    qtbot: QtBot, synced_window: MainWindow, memory_keyring: MemoryKeyring
) -> None:
    window = synced_window
    gone = "http://127.0.0.1:9/"  # the discard port: nothing answers there
    with window.service.database.session() as session, session.begin():
        session.execute(update(AccountRow).values(url=gone))
    memory_keyring.set_password("diary CalDAV", f"{USER} at {gone}", PASSWORD)
    _sync_with_f5(qtbot, window)
    text = window.sync_controls.runner.label.text()
    assert text.startswith("Not synced (Work)") and "cannot reach" in text


def test_without_a_keyring_entry_the_window_asks_once_and_syncs(
    qtbot: QtBot, synced_window: MainWindow, memory_keyring: MemoryKeyring, jobs: Phone
) -> None:
    window = synced_window
    memory_keyring.passwords.clear()  # as on a machine without a keyring
    runner = window.sync_controls.runner
    _sync_with_f5(qtbot, window)
    assert runner.reports[0].needs_password
    dialog = runner.password_dialog
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(runner.finished, timeout=30_000):
        dialog.setTextValue(PASSWORD)
        dialog.accept()
    assert runner.reports[0].error is None and runner.label.text().startswith("Synced at")
    assert len(_split(jobs)[0]) == 3
    assert PASSWORD not in memory_keyring.passwords.values()  # asked, not stored
