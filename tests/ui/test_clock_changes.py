"""The week and day views on London's clock-change nights of 2030, driven with real drags:
boxes are placed by instants, the ghost shows what a drop stores, short and continued
appointments show their title. (2030: far from today on purpose; the window's clock is a
FakeClock in the week before.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from diary.domain.model import Kind
from diary.services import DiaryService, Draft
from diary.ui import create_main_window
from diary.ui.main_window import MainWindow
from diary.ui.week_view import TimeGridView
from diary.ui.week_view.ghost import ghost_label

from tests.ui.conftest import FakeClock, drag, settle

ZONE = "Europe/London"
LONDON = ZoneInfo(ZONE)
SPRING = date(2030, 3, 31)  # 01:00 GMT -> 02:00 BST
AUTUMN = date(2030, 10, 27)  # 02:00 BST -> 01:00 GMT: 01:00-02:00 twice


def at(day: date, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON, fold=fold)


def same(a: datetime, b: datetime) -> bool:
    """The same instant (== between zones is False for a time in a fold, PEP 495)."""
    return a.timestamp() == b.timestamp()


@pytest.fixture
def night_url(db_url: str) -> str:
    service = DiaryService.open(db_url, zone=ZONE)
    try:
        service.set_policy("locale", "en_GB")
        service.set_policy("travel-from-base", "no")
        for day in (SPRING - timedelta(days=1), AUTUMN - timedelta(days=1)):
            service.book(Draft("Standby", at(day, 10), at(day, 11), kind=Kind.BLOCK))
        service.book(
            Draft(
                "Meter reading",
                at(AUTUMN, 1, 5, fold=1),
                at(AUTUMN, 1, 25, fold=1),
                kind=Kind.BLOCK,
            )
        )
        service.book(Draft("Quick call", at(AUTUMN, 9), at(AUTUMN, 9, 5), kind=Kind.BLOCK))
    finally:
        service.close()
    return db_url


@pytest.fixture
def night_window(qtbot: QtBot, night_url: str) -> Iterator[MainWindow]:
    win = create_main_window(night_url, ZONE, clock=FakeClock(at(SPRING - timedelta(days=6), 8)))
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.is_ready, timeout=60_000)
    win.resize(1280, 900)
    yield win
    win.close()


def _show(qtbot: QtBot, window: MainWindow, day: date) -> TimeGridView:
    view = window.week_view
    window.show_date(day)
    settle(qtbot, window)
    view.verticalScrollBar().setValue(0)  # the night at the top
    return view


def _ref(view: TimeGridView, title: str) -> str:
    assert view.agenda is not None
    return next(i.appointment.ref for i in view.agenda.items if i.appointment.title == title)


def test_dragging_onto_a_time_the_clocks_skip_shows_what_the_drop_stores(
    qtbot: QtBot, night_window: MainWindow, night_url: str
) -> None:
    view = _show(qtbot, night_window, SPRING)
    saturday = SPRING - timedelta(days=1)
    standby = _ref(view, "Standby")
    start = view.rect_for(standby).center()
    grab = start.y() - view.point_for(at(saturday, 10)).y()
    # The 01:30 row (Saturday has it) in Sunday's column, where that hour is hatched.
    target = QPoint(view.point_for(at(SPRING, 4)).x(), view.point_for(at(saturday, 1, 30)).y())
    drag(view, start, target + QPoint(0, grab), release=False)
    ghost = view.ghost
    assert ghost is not None
    assert same(ghost.candidate.start, at(SPRING, 2, 30))  # 01:30 GMT reads 02:30 BST
    assert same(ghost.candidate.end, at(SPRING, 3, 30))
    head = f"{night_window.formatter.weekday_short(SPRING)} 02:30 – 03:30"
    assert ghost_label(ghost, night_window.formatter) == head
    assert "01:30 does not exist on Sun 31/03: the clocks go forward" in ghost.reasons
    hour = view.point_for(at(SPRING, 4)).y() - view.point_for(at(SPRING, 3)).y()
    assert ghost.box.height() == pytest.approx(hour, abs=1)  # one hour, as stored
    assert ghost.box.top() == pytest.approx(view.point_for(at(SPRING, 2, 30)).y(), abs=1)
    QTest.mouseRelease(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target
    )
    reader = DiaryService.open(night_url)
    try:
        qtbot.waitUntil(lambda: same(reader.get(standby).start, at(SPRING, 2, 30)))
        assert same(reader.get(standby).end, at(SPRING, 3, 30))
    finally:
        reader.close()


def test_the_repeated_hour_is_drawn_and_a_drop_into_it_stores_its_second_time(
    qtbot: QtBot, night_window: MainWindow, night_url: str
) -> None:
    view = _show(qtbot, night_window, AUTUMN)
    meter = view.rect_for(_ref(view, "Meter reading"))
    assert meter.isValid()
    first, second = view.point_for(at(AUTUMN, 1, 5)), view.point_for(at(AUTUMN, 1, 5, fold=1))
    hour = view.point_for(at(AUTUMN, 4)).y() - view.point_for(at(AUTUMN, 3)).y()
    assert second.y() - first.y() == pytest.approx(hour, abs=1)  # an hour of real time apart
    assert meter.top() == pytest.approx(second.y(), abs=1)
    assert meter.height() == pytest.approx(hour * 20 / 60, abs=2)
    assert view.hour_label(1) == "01:00"
    labels = [label for _position, label in view.gutter_labels()]
    assert "01:00 BST" in labels and "01:00 GMT" in labels

    saturday = AUTUMN - timedelta(days=1)
    standby = _ref(view, "Standby")
    start = view.rect_for(standby).center()
    grab = start.y() - view.point_for(at(saturday, 10)).y()
    target = QPoint(second.x(), view.point_for(at(AUTUMN, 1, 30, fold=1)).y() + grab)
    drag(view, start, target, release=False)
    ghost = view.ghost
    assert ghost is not None and same(ghost.candidate.start, at(AUTUMN, 1, 30, fold=1))
    assert ghost_label(ghost, night_window.formatter).endswith("01:30 GMT – 02:30")
    QTest.mouseRelease(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target
    )
    reader = DiaryService.open(night_url)
    try:
        qtbot.waitUntil(lambda: same(reader.get(standby).start, at(AUTUMN, 1, 30, fold=1)))
    finally:
        reader.close()


def test_a_five_minute_appointment_shows_its_title(qtbot: QtBot, night_window: MainWindow) -> None:
    view = _show(qtbot, night_window, AUTUMN)
    call = _ref(view, "Quick call")
    rect = view.rect_for(call)
    assert rect.height() >= view.fonts.bold_metrics.height()
    painted = {p.ref: p for p in view.boxes.plan(view.devicePixelRatioF()).boxes}
    assert painted[call].text is not None  # room for its line: "09:00 Quick call"
