"""Syncing in the background: on a timer from the policy, a short pause after each change
made in this window, and on "Sync now" (F5). Always on the bridge's sync lane, never on
the GUI thread; the status bar says when it last synced or, in words, why it could not.

Phone bookings that break a rule arrive as tray notices. Without a keyring and without
DIARY_CALDAV_PASSWORD, the window asks for an account's password once per session.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QWidget

from diary.i18n import Formatter, _
from diary.ui.bridge import SYNC, Bridge

if TYPE_CHECKING:
    from diary.services import DiaryService
    from diary.services.sync.service import SyncReport

AFTER_CHANGE_MS = 10_000  # a change made here goes to the server after this pause
Notify = Callable[[str, str], None]


def _sync_all(service: DiaryService) -> list[SyncReport]:
    """Every account's sync; nothing to do without accounts."""
    if not service.accounts.accounts():
        return []
    return service.syncing.sync()


def _remember(key: str, password: str) -> Callable[[DiaryService], None]:
    def remember(service: DiaryService) -> None:
        service.passwords.remember_for_session(key, password)

    return remember


class SyncRunner(QObject):
    """Runs the syncs of one window and reports them in its status bar and tray."""

    finished = Signal(object)  # list[SyncReport]

    def __init__(
        self,
        bridge: Bridge,
        window: QWidget,
        formatter: Formatter,
        notify: Notify,
        clock: Callable[[], datetime],
    ) -> None:
        super().__init__(window)
        self._bridge = bridge
        self._window = window
        self.formatter = formatter
        self._notify = notify
        self._clock = clock
        self.running = False
        self._again = False
        self._asked: set[str] = set()  # accounts whose password was asked this session
        self.reports: list[SyncReport] = []
        self.password_dialog: QInputDialog | None = None
        self.label = QLabel(window)
        self.label.setObjectName("syncStatus")
        self.label.hide()
        self.timer = QTimer(self)
        self.timer.setObjectName("syncTimer")
        self.timer.timeout.connect(self.sync_now)
        self.pause = QTimer(self)
        self.pause.setSingleShot(True)
        self.pause.setInterval(AFTER_CHANGE_MS)
        self.pause.timeout.connect(self.sync_now)
        bridge.edited.connect(self._edited)

    def set_interval(self, minutes: int) -> None:
        """Sync every `minutes` (the policy's `sync`); 0: only on demand and after changes."""
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def _edited(self, _days: object) -> None:
        self.pause.start()  # restarted by every change: one sync after a burst of edits

    def sync_now(self) -> None:
        """Sync every account now (F5); a request during a sync runs once it is done."""
        self.pause.stop()
        if self.running:
            self._again = True
            return
        self.running = True
        self.label.setText(_("Syncing…"))
        self._bridge.call(_sync_all, self._done, self._failed, lane=SYNC, key="sync")

    def _done(self, reports: list[SyncReport]) -> None:
        self.running = False
        self.reports = reports
        if reports:
            self.label.show()
            self.label.setText(self._status(reports))
            self.label.setToolTip("\n".join(r.error for r in reports if r.error))
            for report in reports:
                for notice in report.notices:
                    self._notify(_("Calendar sync"), notice)
        else:
            self.label.hide()
        self.finished.emit(reports)
        asked = self._ask_passwords(reports)
        if self._again or asked:
            self._again = False
            self.sync_now()

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.label.show()
        self.label.setText(_("Not synced: {reason}").format(reason=error))

    def _status(self, reports: list[SyncReport]) -> str:
        failed = [r for r in reports if r.error is not None]
        when = self.formatter.time(self.formatter.local(self._clock()))
        if not failed:
            return _("Synced at {time}").format(time=when)
        first = failed[0]
        return _("Not synced ({account}): {reason}").format(
            account=first.account, reason=first.error
        )

    def _ask_passwords(self, reports: list[SyncReport]) -> bool:
        """Ask once per session for a password no keyring or environment gave (a dialog
        that does not block: the sync goes on when it is answered)."""
        for report in reports:
            key = report.password_key
            if not report.needs_password or key is None or key in self._asked:
                continue
            self._asked.add(key)
            dialog = QInputDialog(self._window)
            dialog.setObjectName("syncPasswordDialog")
            dialog.setWindowTitle(_("Password for {account}").format(account=report.account))
            dialog.setLabelText(
                _("The password of {key} (kept until diary closes):").format(key=key)
            )
            dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
            dialog.textValueSelected.connect(lambda text, k=key: self._answered(k, text))
            self.password_dialog = dialog
            dialog.open()
            return False  # one question at a time
        return False

    def _answered(self, key: str, password: str) -> None:
        if password:
            self._bridge.call(_remember(key, password), lambda _none: self.sync_now(), lane=SYNC)
