"""A seeded diary and the real window over it; helpers for real mouse drags."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from diary.services import DiaryService, Draft
from diary.ui import create_main_window
from diary.ui.main_window import MainWindow
from diary.ui.week_view import TimeGridView


def pytest_configure(config: pytest.Config) -> None:
    # The offscreen platform warns whenever a window's size constraints change.
    config.addinivalue_line("qt_log_ignore", "This plugin does not support propagateSizeHints")
    config.addinivalue_line("qt_log_ignore", "This plugin does not support raise")


@pytest.fixture(autouse=True)
def private_settings(private_folders: dict[str, Path]) -> None:
    """QSettings in this test's own config folder: Qt reads XDG_CONFIG_HOME once per
    process, so without this a window's saved place would follow the next test around."""
    QSettings.setPath(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(private_folders["config"])
    )


ZONE = "Europe/Berlin"
TZ = ZoneInfo(ZONE)
# Dates of the window tests: a week far from a DST change, chosen on purpose. The window and
# its service read a FakeClock set on TODAY (see `clock`), never the real one, so the
# tests hold whatever the date.
MONDAY = date(2027, 3, 1)
TODAY = date(2027, 3, 3)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@dataclass
class Seed:
    url: str
    survey: str  # Mon 09:00-10:00 at Lindenweg
    quote: str  # Mon 11:00-12:00 at Hauptstr (25 min from Lindenweg)
    lunch: str  # Tue 12:00-13:00, a block


@pytest.fixture
def seed(db_url: str) -> Seed:
    service = DiaryService.open(db_url, zone=ZONE)
    try:
        service.set_policy("locale", "en_US")
        service.set_policy("travel-from-base", "no")
        service.add_location("Lindenweg", address="Lindenweg 12")
        service.add_location("Hauptstr", address="Hauptstr. 5")
        service.set_travel("Lindenweg", "Hauptstr", 25)
        service.add_customer("Familie Krause")
        service.add_customer("Müller GmbH")
        survey = service.book(
            Draft(
                "Kitchen survey",
                at(MONDAY, 9),
                at(MONDAY, 10),
                customer="Familie Krause",
                location="Lindenweg",
            )
        )
        quote = service.book(
            Draft(
                "Bathroom quote",
                at(MONDAY, 11),
                at(MONDAY, 12),
                customer="Müller GmbH",
                location="Hauptstr",
            )
        )
        tuesday = MONDAY + timedelta(days=1)
        from diary.domain.model import Kind

        lunch = service.book(Draft("Lunch", at(tuesday, 12), at(tuesday, 13), kind=Kind.BLOCK))
        assert survey.ok and quote.ok and lunch.ok
        assert survey.appointment and quote.appointment and lunch.appointment
        return Seed(db_url, survey.appointment.ref, quote.appointment.ref, lunch.appointment.ref)
    finally:
        service.close()


@pytest.fixture
def window(qtbot: QtBot, seed: Seed) -> Iterator[MainWindow]:
    # Monday 07:00, before the seeded meetings: they are ahead of "now", as a new week is.
    win = create_main_window(seed.url, ZONE, clock=FakeClock(at(MONDAY, 7)))
    qtbot.addWidget(win)
    # The window paints first and opens the diary off the GUI thread: wait until it is open.
    qtbot.waitUntil(lambda: win.is_ready, timeout=60_000)
    win.resize(1280, 900)
    win.week_view.show_date(MONDAY)
    settle(qtbot, win)
    yield win
    close_dialogs()
    win.close()


@pytest.fixture
def service(seed: Seed) -> Iterator[DiaryService]:
    """A second connection to read what the window wrote."""
    reader = DiaryService.open(seed.url)
    yield reader
    reader.close()


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until the bridge has nothing queued and the visible views are loaded."""
    qtbot.waitUntil(
        lambda: (
            window.bridge.pending == 0
            and not window.week_view.loading
            and not window.day_view.loading
        ),
        timeout=5000,
    )


def find_dialog(name: str) -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == name and widget.isVisible():
            return widget
    return None


def close_dialogs() -> None:
    for widget in QApplication.topLevelWidgets():
        if widget.objectName().endswith("Dialog") and widget.isVisible():
            widget.close()


def move_mouse(widget: QWidget, pos: QPoint, modifiers: Qt.KeyboardModifier) -> None:
    """A move with the left button held: QTest.mouseMove carries no buttons, so send the event."""
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(pos),
        QPointF(widget.mapToGlobal(pos)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        modifiers,
    )
    QApplication.sendEvent(widget, event)


def drag(
    view: TimeGridView,
    start: QPoint,
    end: QPoint,
    *,
    steps: int = 8,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    release: bool = True,
) -> None:
    """Press at `start`, move in steps to `end` with the button held, release."""
    viewport = view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, modifiers, start)
    for i in range(1, steps + 1):
        point = start + (end - start) * (i / steps)
        move_mouse(viewport, point, modifiers)
    if release:
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifiers, end)


def move_by(view: TimeGridView, uid: str, old: datetime, new: datetime) -> tuple[QPoint, QPoint]:
    """Drag points that move appointment `uid` from `old` to `new` (grab kept where pressed)."""
    rect = view.rect_for(uid)
    assert rect.isValid(), f"{uid} is not on screen"
    start = rect.center()
    return start, start + (view.point_for(new) - view.point_for(old))


class FakeClock:
    """A clock the test moves by hand; the service and the window read the same one."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(at(TODAY, 8))  # Wednesday 08:00, after Monday's meetings


@pytest.fixture
def clocked_window(qtbot: QtBot, seed: Seed, clock: FakeClock) -> Iterator[MainWindow]:
    """The window over a service whose clock is `clock` (promises are judged at its now)."""
    from diary.ui.bridge import Bridge

    served = DiaryService.open(seed.url, zone=ZONE, clock=clock)
    policy = served.policy()
    win = MainWindow(served, Bridge(served), policy, ZONE, clock=clock)
    win.show()
    qtbot.addWidget(win)
    win.resize(1280, 900)
    win.week_view.show_date(MONDAY)
    settle(qtbot, win)
    yield win
    close_dialogs()
    win.quit()


@pytest.fixture
def clocked_service(seed: Seed, clock: FakeClock) -> Iterator[DiaryService]:
    """A second connection with the same fake clock, to arrange and read promises."""
    reader = DiaryService.open(seed.url, clock=clock)
    yield reader
    reader.close()


class OpeningGate:
    """Holds the window's diary opening (on its thread) until the test releases it.

    A test that checks what the window paints *before* its diary is open cannot rely on
    the opening being slower than its own checks: the opening starts right after the first
    paint (or after a second without one), and on a loaded machine it can finish, and its
    queued `ready` be delivered, inside the very `waitUntil` that waits for the paint.
    """

    def __init__(self) -> None:
        self._open = threading.Event()

    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def wait(self) -> None:
        # Bounded so a failing test cannot leave a thread blocked for ever.
        self._open.wait(timeout=30)


@pytest.fixture
def opening_gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpeningGate]:
    """Diaries opened off the main thread (the window's opening) wait for `release()`;
    the test's own `DiaryService.open` on the main thread is not held."""
    gate = OpeningGate()
    real_open = DiaryService.open

    def held_open(*args: object, **kwargs: object) -> DiaryService:
        if threading.current_thread() is not threading.main_thread():
            gate.wait()
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(DiaryService, "open", staticmethod(held_open))
    yield gate
    gate.release()
