"""A word-wrapped label whose window grows until every line of it shows.

A window's top-level layout does not turn its rows' height-for-width into a minimum height
(Qt leaves that to the window's size), so when a wrapped label nested in a dialog's form
(a date field's error line, the appointment dialog's warnings) gains a long sentence after
the dialog was shown, the dialog keeps its height and the layout squeezes the label to one
line: the rest of the sentence is cut off. After its text changes or it appears, this
label asks its dialog for the height its layout needs at the dialog's width, and grows it
(never shrinks it: a dialog that jumps back as one types is worse than a little air).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget


class WrappedLabel(QLabel):
    """QLabel with word wrap on; its window grows to show all of its lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        # After the layout has taken the new text: the next turn of the event loop.
        self._fit_later = QTimer(self)
        self._fit_later.setSingleShot(True)
        self._fit_later.setInterval(0)
        self._fit_later.timeout.connect(self.fit_window)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        if text:
            self._fit_later.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit_later.start()

    def fit_window(self) -> None:
        """Grow the window (a dialog, not the main window) to its layout's height for its
        width, within the screen."""
        window = self.window()
        layout = window.layout()
        if window is self or isinstance(window, QMainWindow) or layout is None:
            return
        if not self.isVisible() or not window.isVisible():
            return
        layout.activate()
        width = window.width()
        needed = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalMinimumSize().height()
        )
        screen = window.screen()
        if screen is not None:
            needed = min(needed, screen.availableGeometry().height())
        if needed > window.height():
            window.resize(width, needed)
