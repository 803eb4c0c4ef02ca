"""The tray icon and the reminders it shows (leave now, 24-hour checks, newly at risk)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from diary.i18n import Formatter

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSystemTrayIcon

    from diary.ui.main_window import MainWindow
    from diary.ui.reminders import Reminders


class WindowTray:
    """The "trayIcon" of `window` (where the system has a tray) and its reminders, both
    started after the window's first paint. Every reminder is kept in `notifications`
    as (title, text) and said in the window's status bar too."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.icon: QSystemTrayIcon | None = None
        self._reminders: Reminders | None = None
        self.notifications: list[tuple[str, str]] = []

    @property
    def reminders(self) -> Reminders:
        """Built when the tray starts, after the first paint (or when first asked for)."""
        if self._reminders is None:
            from diary.ui.reminders import Reminders

            window = self._window
            self._reminders = Reminders(
                window.bridge, window.clock, self.notify, window.formatter, window
            )
        return self._reminders

    def start(self) -> None:
        from PySide6.QtWidgets import QSystemTrayIcon

        if QSystemTrayIcon.isSystemTrayAvailable():
            from diary.ui.app_icon import app_icon

            tray = QSystemTrayIcon(app_icon(), self._window)
            tray.setObjectName("trayIcon")
            tray.setToolTip("diary")
            tray.activated.connect(self._activated)
            tray.show()
            self.icon = tray
        self.reminders.start()
        QTimer.singleShot(0, self.reminders.tick)

    def set_formatter(self, formatter: Formatter) -> None:
        if self._reminders is not None:
            self._reminders.formatter = formatter

    def notify(self, title: str, text: str) -> None:
        """Show a reminder: in the tray when there is one, else in the status bar."""
        self.notifications.append((title, text))
        if self.icon is not None and self.icon.isVisible():
            icon = type(self.icon).MessageIcon.Information
            self.icon.showMessage(title, text, icon, 15_000)
        self._window.statusBar().showMessage(f"{title} — {text}" if text else title, 30_000)

    def stop(self) -> None:
        """The window closes for good: no more reminders, and the icon leaves the tray."""
        if self._reminders is not None:
            self._reminders.stop()
        if self.icon is not None:
            self.icon.hide()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if self.icon is not None and reason is type(self.icon).ActivationReason.Trigger:
            window = self._window
            window.showNormal()
            window.raise_()
            window.activateWindow()
