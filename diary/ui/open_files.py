"""Calendar files handed to the window at start (a .ics opened from the file manager):
each is offered for import, one after the other, once the diary is open."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox

from diary.i18n import _

if TYPE_CHECKING:
    from diary.ui.main_window import MainWindow


class ImportOffers(QObject):
    """Asks "Import FILE into this diary?" for each file; Import runs File > Import on it."""

    def __init__(self, window: MainWindow, paths: list[str]) -> None:
        super().__init__(window)
        self.setObjectName("importOffers")
        self._window = window
        self._waiting = list(paths)
        self.question: QMessageBox | None = None
        if window.is_ready:
            self._next()
        else:
            window.ready.connect(self._next)

    def _next(self, _summary: object = None) -> None:
        if not self._waiting or self._window.transfer.running:
            return
        path = self._waiting.pop(0)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Import calendar"),
            _("Import the appointments of {name} into this diary?").format(name=Path(path).name),
            QMessageBox.StandardButton.Cancel,
            self._window,
        )
        box.setObjectName("importOfferDialog")
        box.setInformativeText(path)
        accept = box.addButton(_("Import"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(accept)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: self._answered(path, box.clickedButton() is accept))
        self.question = box
        box.open()

    def _answered(self, path: str, accepted: bool) -> None:
        self.question = None
        transfer = self._window.transfer
        if accepted:
            transfer.finished.connect(self._next, Qt.ConnectionType.SingleShotConnection)
            transfer.import_file(path)
        else:
            self._next()


def offer_imports(window: MainWindow, paths: list[str]) -> ImportOffers:
    """Offer each of `paths` (absolute) for import into the diary `window` shows."""
    return ImportOffers(window, paths)
