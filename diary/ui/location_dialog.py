"""Adds a place: its name, address, coordinates (travel times are worked out from them) and
whether it is remote (a call or video meeting: no drive to it)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from diary.domain.model import Location
from diary.i18n import _
from diary.ui.wrapped_label import WrappedLabel


def _nothing(value: Location) -> None:
    return None


def _coordinate(text: str, locale: QLocale) -> float | None:
    """A coordinate typed with the locale's decimal sign or a point; None when empty."""
    text = text.strip()
    if not text:
        return None
    value, ok = locale.toDouble(text)
    if ok:
        return value
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise ValueError(text) from None


class LocationDialog(QDialog):
    """A new place; stays open until the service has stored it (or says what is wrong)."""

    def __init__(self, parent: QWidget, name: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("locationDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(_("New location"))
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setObjectName("nameEdit")
        self.address_edit = QLineEdit(self)
        self.address_edit.setObjectName("addressEdit")
        self.lat_edit = QLineEdit(self)
        self.lat_edit.setObjectName("latEdit")
        self.lat_edit.setPlaceholderText(_("latitude, e.g. 51.5416"))
        self.lat_edit.setAccessibleName(_("Latitude"))
        self.lon_edit = QLineEdit(self)
        self.lon_edit.setObjectName("lonEdit")
        self.lon_edit.setPlaceholderText(_("longitude, e.g. -0.1426"))
        self.lon_edit.setAccessibleName(_("Longitude"))
        self.remote_check = QCheckBox(_("Remote (phone or video): no travel"), self)
        self.remote_check.setObjectName("remoteCheck")
        self.error_label = WrappedLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet("color: #b71c1c;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("okButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        where = QWidget(self)
        row = QHBoxLayout(where)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.lat_edit)
        row.addWidget(self.lon_edit)
        form = QFormLayout(self)
        form.addRow(_("Name"), self.name_edit)
        form.addRow(_("Address"), self.address_edit)
        form.addRow(_("Coordinates"), where)
        form.addRow("", self.remote_check)
        form.addRow(self.error_label)
        form.addRow(self.buttons)
        self.submit: Callable[[Location], None] = _nothing  # stores it (set by the opener)
        self.resize(440, 220)

    def value(self) -> Location:
        """The place as typed; ValueError names the field that cannot be read."""
        locale = QLocale()
        try:
            lat = _coordinate(self.lat_edit.text(), locale)
        except ValueError:
            raise ValueError(_("The latitude is not a number.")) from None
        try:
            lon = _coordinate(self.lon_edit.text(), locale)
        except ValueError:
            raise ValueError(_("The longitude is not a number.")) from None
        return Location(
            id=0,
            name=self.name_edit.text().strip(),
            address=self.address_edit.text().strip(),
            lat=lat,
            lon=lon,
            remote=self.remote_check.isChecked(),
        )

    def accept(self) -> None:
        try:
            value = self.value()
        except ValueError as error:
            self.show_error(str(error))
            return
        if not value.name:
            self.show_error(_("The name must not be empty."))
            return
        self.buttons.setEnabled(False)
        self.submit(value)

    def show_error(self, text: str) -> None:
        self.buttons.setEnabled(True)
        self.error_label.setText(text)

    def stored(self) -> None:
        super().accept()
