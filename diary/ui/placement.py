"""Where the window goes: the size and docks the owner left it with (QSettings: only
Qt's geometry and dock-layout blobs, nothing else), always on a screen that exists now.

The first start, or one after the saved place became unusable (a monitor unplugged), gets
the default size shrunk to the screen's free area and centred on it.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

from diary.ui import last_start

GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
DEFAULT_SIZE = QSize(1280, 860)
MARGIN = 0.92  # of the screen's free area, at most, for a window placed by us


def _available(window: QMainWindow) -> QRect | None:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(window: QMainWindow, size: QSize = DEFAULT_SIZE) -> None:
    """`size`, no larger than the screen's free area allows, centred on it."""
    area = _available(window)
    if area is None or area.isEmpty():
        window.resize(size)
        return
    width = min(size.width(), int(area.width() * MARGIN))
    height = min(size.height(), int(area.height() * MARGIN))
    window.resize(width, height)
    frame = window.frameGeometry()
    frame.moveCenter(area.center())
    window.move(frame.topLeft())


def _on_a_screen(window: QMainWindow) -> bool:
    frame = window.frameGeometry()
    for screen in QGuiApplication.screens():
        area = screen.availableGeometry()
        visible = area.intersected(frame)
        if visible.width() >= min(200, frame.width()) and visible.height() >= 100:
            return frame.width() <= area.width() + 16 and frame.height() <= area.height() + 16
    return False


def restore(window: QMainWindow) -> None:
    """Put the window where it was left, with its docks; else fit it to the screen.

    Call once its docks and toolbars exist (restoreState finds them by object name).
    """
    settings = last_start.settings()
    geometry = settings.value(GEOMETRY_KEY)
    if not (
        isinstance(geometry, QByteArray)
        and window.restoreGeometry(geometry)
        and _on_a_screen(window)
    ):
        fit_to_screen(window)
    state = settings.value(STATE_KEY)
    if isinstance(state, QByteArray):
        window.restoreState(state)


def keep(window: QMainWindow) -> None:
    """Remember the window's geometry and dock layout for the next start."""
    settings = last_start.settings()
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(STATE_KEY, window.saveState())
