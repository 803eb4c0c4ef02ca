"""Esc and Ctrl+W (the platform's Close key) close every window but the main one: the
report, each dialog, the customer's history, windows added later too.

Each window gets its shortcuts when it first takes the focus (QGuiApplication's
focusWindowChanged), so nothing listens to every event of the application. A dialog
already closes itself on Esc; it gets Ctrl+W only.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QWindow
from PySide6.QtWidgets import QApplication, QDialog, QWidget

_MARK = "diaryCloseKeys"


def give_close_keys(window: QWidget) -> None:
    """Ctrl+W (and Esc, unless it is a dialog) close `window`; once per window."""
    if window.property(_MARK):
        return
    window.setProperty(_MARK, True)
    keys = [QKeySequence(QKeySequence.StandardKey.Close), QKeySequence("Ctrl+W")]
    if not isinstance(window, QDialog):
        keys.append(QKeySequence(Qt.Key.Key_Escape))
    for key in dict.fromkeys(k.toString() for k in keys if not k.isEmpty()):
        shortcut = QShortcut(QKeySequence(key), window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(window.close)


class _Watcher(QObject):
    """Lives as the main window's child: Qt drops its connection when the window goes."""

    def __init__(self, main_window: QWidget) -> None:
        super().__init__(main_window)
        self._main = main_window

    @Slot(QWindow)
    def focused(self, _window: QWindow | None) -> None:
        top = QApplication.activeWindow()
        if top is None or top is self._main:
            return
        if top.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            return
        give_close_keys(top)


def install(main_window: QWidget) -> None:
    """From now on every window that takes the focus, but `main_window`, closes by keys."""
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        app.focusWindowChanged.connect(_Watcher(main_window).focused)
