"""File > Print day sheet… (Ctrl+P): the print dialog offers the printers and a PDF file; the
sheet is read and laid out on the worker, never on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QMessageBox, QWidget

from diary.i18n import Formatter, _, paper_size
from diary.ui.bridge import BACKGROUND, Bridge

if TYPE_CHECKING:
    from diary.services.day_sheet import DaySheet


def _print_sheet(
    sheet: DaySheet, formatter: Formatter, printer: QPrinter, protected: Iterable[Path] = ()
) -> str:
    from diary.ui.day_sheet import print_on, sheet_document
    from diary.ui.file_output import print_to

    document = sheet_document(sheet, formatter)
    # "Print to file" in the dialog: the PDF holds customers' phones and addresses, so it is
    # written 0600 beside the target and renamed over it (print_to), never over the diary.
    print_to(printer, lambda chosen: print_on(document, chosen), protected)
    return printer.outputFileName() or printer.printerName()


class SheetPrinting(QObject):
    """Asks where to print the day sheet of a day, then prints it; says when it is done."""

    printed = Signal(str)  # the file or printer it went to
    failed = Signal(str)

    def __init__(self, window: QWidget, bridge: Bridge, formatter: Callable[[], Formatter]) -> None:
        super().__init__(window)
        self._window = window
        self._bridge = bridge
        self._formatter = formatter
        self.dialog: QPrintDialog | None = None
        self.printer: QPrinter | None = None

    def print_day(self, day: date) -> None:
        """Open the print dialog for the sheet of `day` (window-modal; printing follows OK)."""
        formatter = self._formatter()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        # The locale's paper until the chosen printer says otherwise.
        letter = paper_size(formatter.locale) == "Letter"
        printer.setPageSize(
            QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)
        )
        printer.setDocName(_("Day sheet {date}").format(date=formatter.date_medium(day)))
        dialog = QPrintDialog(printer, self._window)
        dialog.setObjectName("printDialog")
        dialog.setWindowTitle(_("Print day sheet"))
        dialog.accepted.connect(lambda: self._chosen(printer, day, formatter))
        self.dialog, self.printer = dialog, printer
        # (QPrintDialog.open wants a receiver in PySide: shown window-modal, as open() does.)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def _chosen(self, printer: QPrinter, day: date, formatter: Formatter) -> None:
        zone = formatter.zone

        def run(service: Any) -> str:
            sheet = service.day_sheet(day, zone)
            return _print_sheet(sheet, formatter, printer, service.database.files)

        self._bridge.call(run, self._done, self._failed, lane=BACKGROUND, owner=self)

    def _done(self, where: str) -> None:
        self.printed.emit(where)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, OSError | ValueError):
            raise error
        QMessageBox.warning(self._window, _("Not printed"), str(error))
        self.failed.emit(str(error))
