"""File > Import… and File > Export…: the calendar file work runs on the worker with a progress
dialog; progress comes back to the GUI thread as a signal, Cancel sets a flag the worker reads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from diary.i18n import _, ngettext
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
        self.kind: str | None = None  # "import" or "export" while one runs
        self.quit_question: QMessageBox | None = None  # asked when closing meanwhile
        self._signals = _Progress(self)
        self._signals.moved.connect(self._moved, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        return self.progress_dialog is not None

    def ask_to_stop(self, window: QWidget, then: Callable[[], None]) -> None:
        """Closing while a file is read or written: cancel it and call `then` (quit) once the
        work has stopped, or keep working. A cancelled import is rolled back whole; a
        cancelled export writes no file."""
        if self.quit_question is not None:
            return
        if self.kind == "export":
            text = _("An export is still being written. Cancel it and quit? No file is written.")
        else:
            text = _(
                "An import is still running. Cancel it and quit? "
                "The diary stays as it was before the import."
            )
        box = QMessageBox(QMessageBox.Icon.Question, _("Quit diary?"), text, parent=window)
        box.setObjectName("quitWhileTransferQuestion")
        stop = box.addButton(_("Cancel it and quit"), QMessageBox.ButtonRole.DestructiveRole)
        stop.setObjectName("cancelAndQuitButton")
        keep = box.addButton(_("Keep working"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keepWorkingButton")
        box.setDefaultButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.quit_question = box

        def answered(button: object) -> None:
            self.quit_question = None
            if button is stop:
                self._stop_then(then)

        box.buttonClicked.connect(answered)
        box.open()

    def _stop_then(self, then: Callable[[], None]) -> None:
        if not self.running:
            then()
            return
        self.finished.connect(lambda _summary: QTimer.singleShot(0, then))
        self.cancel()

    def import_file(self, path: str | None = None) -> None:
        path = path or self.ask_open(self._window, _("Import calendar"))
        if not path or self.running:
            return
        chosen = path
        self.kind = "import"
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
        self.kind = "export"
        self._start(_("Exporting to {name}…").format(name=chosen))

        def run(service: Any) -> ExportSummary:
            return service.calendar().export_calendar(
                chosen, progress=self._signals.moved.emit, cancelled=self._cancel.is_set
            )

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
        self.kind = None
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
        from diary.services.calendar_io import ExportCancelled, ImportCancelled

        if isinstance(error, ImportCancelled | ExportCancelled):
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


def summary_text(summary: object) -> str:
    """What an import or export did, in a sentence for the status bar ("" for neither)."""
    from diary.services.calendar_io import ExportSummary, ImportSummary

    if isinstance(summary, ImportSummary):
        added = ngettext("{count} new", "{count} new", summary.added)
        updated = ngettext("{count} updated", "{count} updated", summary.updated)
        unchanged = ngettext("{count} unchanged", "{count} unchanged", summary.unchanged)
        return _("Imported {added}, {updated}, {unchanged}").format(
            added=added.format(count=summary.added),
            updated=updated.format(count=summary.updated),
            unchanged=unchanged.format(count=summary.unchanged),
        )
    if isinstance(summary, ExportSummary):
        events = ngettext("{count} event", "{count} events", summary.events)
        promises = ngettext("{count} promise", "{count} promises", summary.promises)
        return _("Exported {events} and {promises} to {path}").format(
            events=events.format(count=summary.events),
            promises=promises.format(count=summary.promises),
            path=summary.path,
        )
    return ""
