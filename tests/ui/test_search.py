"""Ctrl+F: results as one types, Up/Down/Enter to open one; the query runs on the worker."""

from __future__ import annotations

import threading
from datetime import timedelta

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QListView, QWidget
from pytestqt.qtbot import QtBot

from diary.services import DiaryService, Draft
from diary.ui.main_window import MainWindow
from diary.ui.search_popup import SearchPopup, SearchResultsModel

from tests.ui.conftest import MONDAY, Seed, at, settle


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type `text` key by key; letters QTest has no key for (ü) come as a keyboard sends
    them: a key event carrying the text."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def search_field(window: MainWindow) -> QLineEdit:
    field = window.findChild(QLineEdit, "searchEdit")
    assert isinstance(field, QLineEdit)
    return field


def popup_of(window: MainWindow) -> SearchPopup:
    popup = window.findChild(SearchPopup, "searchPopup")
    assert isinstance(popup, SearchPopup)
    return popup


def test_ctrl_f_typing_and_enter_jump_to_the_day_and_select_it(
    qtbot: QtBot, window: MainWindow, seed: Seed
) -> None:
    later = MONDAY + timedelta(days=30)
    service = DiaryService.open(seed.url)
    try:
        booked = service.book(
            Draft(
                "Boiler service",
                at(later, 10),
                at(later, 11),
                customer="Müller GmbH",
                location="Hauptstr",
                notes="Bring the long ladder",
            )
        )
        assert booked.appointment is not None
        ref = booked.appointment.ref
    finally:
        service.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = search_field(window)
    qtbot.waitUntil(field.hasFocus)
    threads: list[str] = []
    window.bridge.call(lambda _s: threads.append(threading.current_thread().name))
    type_text(qtbot, field, "Müller")
    popup = popup_of(window)
    qtbot.waitUntil(lambda: popup.isVisible() and popup.results is not None, timeout=5000)
    results = popup.results
    assert results is not None and results.query == "Müller"
    # The Müller job ahead comes first, then the quote already behind "now" (Monday 07:00
    # is before it, so it is ahead too: both in time order), then the customer.
    assert [a.title for a in results.appointments] == ["Bathroom quote", "Boiler service"]
    assert [c.name for c in results.customers] == ["Müller GmbH"]
    # The query ran on the bridge's worker, never on the GUI thread.
    assert threads and threads[0] != threading.main_thread().name
    qtbot.keyClick(field, Qt.Key.Key_Down)  # the second appointment
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())
    settle(qtbot, window)
    assert window.current_date == later
    assert window.current_view_name in ("day", "week")
    view = window.week_view if window.current_view_name == "week" else window.day_view
    assert view.selected == ref
    qtbot.waitUntil(lambda: view.rect_for(ref).isValid())


def test_a_customer_opens_their_history_and_escape_closes(qtbot: QtBot, window: MainWindow) -> None:
    window.search_action.trigger()
    field = search_field(window)
    qtbot.keyClicks(field, "krause")
    popup = popup_of(window)
    qtbot.waitUntil(lambda: popup.isVisible() and popup.results is not None, timeout=5000)
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not popup.isVisible() and field.text() == "krause"
    qtbot.keyClick(field, Qt.Key.Key_Down)  # opens the list again
    qtbot.waitUntil(popup.isVisible, timeout=5000)
    listed = popup.findChild(QListView, "searchResults")
    rows = [listed.model().index(r, 0).data() for r in range(listed.model().rowCount())]
    assert rows[0] == "Appointments" and "Customers" in rows
    customer_row = rows.index("Customers") + 1
    qtbot.mouseClick(
        listed.viewport(),
        Qt.MouseButton.LeftButton,
        pos=listed.visualRect(listed.model().index(customer_row, 0)).center(),
    )
    qtbot.waitUntil(
        lambda: any(
            w.objectName() == "customerHistory" and w.isVisible()
            for w in QApplication.topLevelWidgets()
        ),
        timeout=5000,
    )


def test_nothing_found_is_said(qtbot: QtBot, window: MainWindow) -> None:
    window.search_action.trigger()
    qtbot.keyClicks(search_field(window), "zebra")
    popup = popup_of(window)
    qtbot.waitUntil(lambda: popup.isVisible() and popup.results is not None, timeout=5000)
    assert popup.empty_label.text() == "Nothing found for “zebra”."


def test_the_results_model_is_a_proper_model(qtmodeltester, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from diary.services.search import SearchResults

    model = SearchResultsModel(window.formatter)
    listed = window.service.listing(at(MONDAY, 0), at(MONDAY + timedelta(days=7), 0))
    model.set_results(
        SearchResults(
            "x", tuple(item.appointment for item in listed), tuple(window.service.customers())
        )
    )
    qtmodeltester.check(model)


def test_a_long_result_line_is_read_whole_without_scrolling_sideways(
    qtbot: QtBot, window: MainWindow, seed: Seed
) -> None:
    later = MONDAY + timedelta(days=9)
    service = DiaryService.open(seed.url)
    try:
        service.add_customer("Okafor Property Management Ltd")
        service.add_location("Rose Cottage, Mill Road, Little Wittenham", address="Mill Road 7")
        service.book(
            Draft(
                "Radiator bleed",
                at(later, 10),
                at(later, 11),
                customer="Okafor Property Management Ltd",
                location="Rose Cottage, Mill Road, Little Wittenham",
            )
        )
    finally:
        service.close()
    window.resize(1400, 900)
    window.search_action.trigger()
    field = search_field(window)
    type_text(qtbot, field, "Radiator")
    popup = popup_of(window)
    qtbot.waitUntil(lambda: popup.isVisible() and popup.results is not None, timeout=5000)
    # The popup is as wide as its longest line (the place comes last on it) and never
    # shows a sideways scroll bar.
    assert popup.width() >= popup.list.sizeHintForColumn(0)
    assert not popup.list.horizontalScrollBar().isVisible()
    assert popup.geometry().right() <= window.width()
