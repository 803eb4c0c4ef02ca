"""File > Import… and File > Export…: the calendar file work runs on the worker with a progress
dialog; progress comes back to the GUI thread as a signal, Cancel sets a flag the worker reads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from diary.i18n import _
from diary.services import InputError
from diary.ui.bridge import BACKGROUND, Bridge

if TYPE_CHECKING:
    from diary.services.calendar_io import ExportSummary, ImportSummary

# (parent, title) -> chosen path or "" when cancelled
AskPath = Callable[[QWidget, str], str]
CALENDAR_FILTER = "iCalendar (*.ics *.ical *.ifb);;All files (*)"


def ask_open_calendar(parent: QWidget, title: str) -> str:
    path, _filter = QFileDialog.getOpenFileName(parent, title, "", CALENDAR_FILTER)
    return path


def ask_save_calendar(parent: QWidget, title: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(parent, title, "diary.ics", CALENDAR_FILTER)
    return path


class _Progress(QObject):
    """Carries the worker's progress callback across threads (queued to the GUI thread)."""

    moved = Signal(int, int)


class CalendarTransfer(QObject):
    """Runs one import or export at a time; says when it finished and what it did."""

    finished = Signal(object)  # ImportSummary | ExportSummary | None (cancelled or failed)
    failed = Signal(str)  # the message shown

    def __init__(self, bridge: Bridge, window: QWidget) -> None:
        super().__init__(window)
        self._bridge = bridge
        self._window = window
        self.ask_open: AskPath = ask_open_calendar  # injectable: tests answer the dialogs
        self.ask_save: AskPath = ask_save_calendar
        self.progress_dialog: QProgressDialog | None = None
        self.message: QMessageBox | None = None
        self._cancel = threading.Event()
        self._signals = _Progress(self)
        self._signals.moved.connect(self._moved, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        return self.progress_dialog is not None

    def import_file(self, path: str | None = None) -> None:
        path = path or self.ask_open(self._window, _("Import calendar"))
        if not path or self.running:
            return
        chosen = path
        self._start(_("Importing {name}…").format(name=chosen))

        def run(service: Any) -> ImportSummary:
            return service.calendar().import_calendar(
                chosen, progress=self._signals.moved.emit, cancelled=self._cancel.is_set
            )

        self._bridge.call(run, self._done, self._error, lane=BACKGROUND)

    def export_file(self, path: str | None = None) -> None:
        path = path or self.ask_save(self._window, _("Export calendar"))
        if not path or self.running:
            return
        chosen = path
        self._start(_("Exporting to {name}…").format(name=chosen))

        def run(service: Any) -> ExportSummary:
            return service.calendar().export_calendar(chosen, progress=self._signals.moved.emit)

        self._bridge.call(run, self._done, self._error, lane=BACKGROUND)

    def _start(self, label: str) -> None:
        self._cancel.clear()
        dialog = QProgressDialog(label, _("Cancel"), 0, 0, self._window)
        dialog.setObjectName("transferProgress")
        dialog.setWindowTitle(_("Calendar file"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self._cancel.set)
        self.progress_dialog = dialog

    def cancel(self) -> None:
        """What the progress dialog's Cancel does: the worker stops at its next check."""
        self._cancel.set()

    @Slot(int, int)
    def _moved(self, done: int, total: int) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    def _finish(self) -> None:
        dialog, self.progress_dialog = self.progress_dialog, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.close()
            dialog.deleteLater()

    def _done(self, summary: ImportSummary | ExportSummary) -> None:
        self._finish()
        self._bridge.touch("all")
        self.finished.emit(summary)

    def _error(self, error: BaseException) -> None:
        self._finish()
        from diary.services.calendar_io import ImportCancelled

        if isinstance(error, ImportCancelled):
            self.finished.emit(None)
            return
        if not isinstance(error, InputError | OSError):
            raise error
        text = str(error)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Calendar file not read"),
            _("Nothing was changed.\n\n{problem}").format(problem=text),
            QMessageBox.StandardButton.Ok,
            self._window,
        )
        box.setObjectName("transferErrorDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.message = box
        box.open()
        self.failed.emit(text)
        self.finished.emit(None)
