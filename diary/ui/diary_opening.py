"""The window while its diary opens: what needs the diary waits, then takes the stored
policy, zone and locale; or the owner is told the diary could not be opened."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from diary.domain.model import Policy
from diary.i18n import _
from diary.services.clock import today

if TYPE_CHECKING:
    from diary.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class DiaryOpening:
    """Opens `window`'s diary through its bridge (`Bridge.opening`), after the first paint.

    Until `bridge.ready` the actions and panels that need the diary are off and the status
    bar says "Opening the diary…"; then the window takes the stored policy and zone, sets
    `is_ready` and emits `ready`. If it cannot be opened they stay off for good, the window
    keeps the error in `open_error` and a message box ("openFailedDialog") says why.
    """

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self._started = False

    def wait(self) -> None:
        """The diary is not open yet: what needs it waits for `bridge.ready`."""
        window = self._window
        self._enable(False)
        window.statusBar().showMessage(_("Opening the diary…"))
        window.bridge.ready.connect(self._opened)
        window.bridge.open_failed.connect(self._not_opened)

    def start(self) -> None:
        """Open the diary on the bridge's thread (once)."""
        if self._started:
            return
        self._started = True
        self._window.bridge.open()

    def _enable(self, on: bool) -> None:
        for action in self._window.window_actions.data_actions:
            action.setEnabled(on)
        for panel in self._window.panels.built():
            panel.setEnabled(on)

    def _opened(self, prepared: object) -> None:
        window = self._window
        if isinstance(prepared, tuple) and len(prepared) == 2:
            policy, zone = prepared
            if isinstance(policy, Policy) and isinstance(zone, str):
                if zone != window.zone:
                    shown_today = today(window.clock, window.zone)
                    window.zone = zone
                    if window.current_date == shown_today:
                        window.current_date = today(window.clock, zone)
                window.apply_policy(policy)
        self._enable(True)
        window.statusBar().clearMessage()
        window.is_ready = True
        window.sync_controls.started()
        log.info("diary open")
        window.ready.emit()

    def _not_opened(self, error: BaseException) -> None:
        window = self._window
        window.open_error = error
        window.statusBar().showMessage(_("The diary could not be opened."))
        window.title_label.setText(_("No diary open"))
        window.setWindowTitle("diary — " + _("No diary open"))
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Critical,
            _("Diary not opened"),
            _("The diary could not be opened; nothing was changed.\n\n{problem}").format(
                problem=str(error) or type(error).__name__
            ),
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setObjectName("openFailedDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
