"""The Customers panel: a filterable table, the add/edit dialog and one customer's history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from diary.domain.model import Channel, Customer
from diary.i18n import Formatter, _
from diary.services import InputError
from diary.ui.bridge import BACKGROUND, Bridge
from diary.ui.keyed_table import SORT_ROLE, VALUE_ROLE, KeyedTableModel

if TYPE_CHECKING:
    from diary.services.customer_views import CustomerHistory, CustomerRow
    from diary.services.reports import TimeSpent

NAME, PHONE, EMAIL, CHANNEL, NOTES, NEXT, OPEN_PROMISES = range(7)


def channel_label(channel: Channel) -> str:
    return {Channel.EMAIL: _("E-mail"), Channel.PHONE: _("Phone"), Channel.TEXT: _("Text")}[channel]


class CustomerTableModel(KeyedTableModel["CustomerRow"]):
    """One row per customer: contact, preferred channel, next appointment, open promises."""

    columns = 7

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(lambda row: row.customer.id, parent)
        self.formatter = formatter

    def header_texts(self) -> Sequence[str]:
        return (
            _("Name"),
            _("Phone"),
            _("E-mail"),
            _("Prefers"),
            _("Notes"),
            _("Next appointment"),
            _("Open promises"),
        )

    def column_text(self, row: CustomerRow, column: int) -> str:
        c = row.customer
        if column == NAME:
            return c.name
        if column == PHONE:
            return c.phone
        if column == EMAIL:
            return c.email
        if column == CHANNEL:
            return channel_label(c.prefers)
        if column == NOTES:
            return c.notes.replace("\n", " ")
        if column == NEXT:
            if row.next_appointment is None:
                return ""
            local = self.formatter.local(row.next_appointment)
            return f"{self.formatter.date_medium(local.date())} {self.formatter.time(local)}"
        return str(row.open_promises) if row.open_promises else ""

    def column_sort(self, row: CustomerRow, column: int) -> Any:
        if column == NEXT:
            # Customers without a next appointment sort last.
            moment = row.next_appointment
            return moment.timestamp() if moment is not None else float("inf")
        if column == OPEN_PROMISES:
            return row.open_promises
        return super().column_sort(row, column)

    def row_data(self, row: CustomerRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == NOTES and row.customer.notes:
            return row.customer.notes
        if role == Qt.ItemDataRole.TextAlignmentRole and column == OPEN_PROMISES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class CustomerFilter(QSortFilterProxyModel):
    """Matches the filter text against name, phone, e-mail and notes; sorts by raw values."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._needle = ""

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = text.strip().casefold()
        self.endFilterChange()

    def filterAcceptsRow(  # noqa: N802 - Qt override
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        from diary.services.customer_views import CustomerRow  # loaded by now: rows exist

        row = model.index(source_row, 0, source_parent).data(VALUE_ROLE)
        if not isinstance(row, CustomerRow):
            return False
        c = row.customer
        haystack = " ".join((c.name, c.phone, c.email, c.notes)).casefold()
        return self._needle in haystack


def _nothing(value: Customer) -> None:
    return None


class CustomerDialog(QDialog):
    """Add (`existing` None) or edit a customer; stays open until the service has stored it."""

    def __init__(self, parent: QWidget, existing: Customer | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.existing = existing
        self.setWindowTitle(_("Edit customer") if existing else _("New customer"))
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("nameEdit")
        self.phone_edit = QLineEdit(self)
        self.phone_edit.setObjectName("phoneEdit")
        self.email_edit = QLineEdit(self)
        self.email_edit.setObjectName("emailEdit")
        self.channel_combo = QComboBox(self)
        self.channel_combo.setObjectName("channelCombo")
        for channel in Channel:
            self.channel_combo.addItem(channel_label(channel), channel.value)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setObjectName("notesEdit")
        self.notes_edit.setFixedHeight(70)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet("color: #b71c1c;")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("okButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Name"), self.name_edit)
        form.addRow(_("Phone"), self.phone_edit)
        form.addRow(_("E-mail"), self.email_edit)
        form.addRow(_("Prefers"), self.channel_combo)
        form.addRow(_("Notes"), self.notes_edit)
        form.addRow(self.error_label)
        form.addRow(self.buttons)
        if existing is not None:
            self.name_edit.setText(existing.name)
            self.phone_edit.setText(existing.phone)
            self.email_edit.setText(existing.email)
            self.channel_combo.setCurrentIndex(
                max(0, self.channel_combo.findData(existing.prefers.value))
            )
            self.notes_edit.setPlainText(existing.notes)
        self.submit: Callable[[Customer], None] = _nothing  # set by the panel: stores it
        self.resize(420, 300)

    def value(self) -> Customer:
        return Customer(
            id=self.existing.id if self.existing else 0,
            name=self.name_edit.text().strip(),
            email=self.email_edit.text().strip(),
            phone=self.phone_edit.text().strip(),
            prefers=Channel(self.channel_combo.currentData()),
            notes=self.notes_edit.toPlainText(),
        )

    def accept(self) -> None:
        value = self.value()
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


class CustomerHistoryDialog(QDialog):
    """One customer: appointments before and after now, promises, and the time they take."""

    def __init__(self, parent: QWidget, bridge: Bridge, formatter: Formatter, name: str) -> None:
        super().__init__(parent)
        self.setObjectName("customerHistory")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(_("History of {name}").format(name=name))
        self.formatter = formatter
        self.history: CustomerHistory | None = None
        self.contact_label = QLabel(self)
        self.contact_label.setObjectName("contactLabel")
        self.contact_label.setWordWrap(True)
        self.appointments = QTreeWidget(self)
        self.appointments.setObjectName("historyAppointments")
        self.appointments.setHeaderLabels([_("When"), _("What"), _("Where"), _("Travel / wrap-up")])
        self.appointments.setRootIsDecorated(True)
        self.promises = QTreeWidget(self)
        self.promises.setObjectName("historyPromises")
        self.promises.setRootIsDecorated(False)
        self.promises.setHeaderLabels([_("Due"), _("What"), _("Status")])
        self.time_label = QLabel(self)
        self.time_label.setObjectName("timeLabel")
        self.time_label.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.contact_label)
        layout.addWidget(QLabel(_("Appointments"), self))
        layout.addWidget(self.appointments, 3)
        layout.addWidget(QLabel(_("Promises"), self))
        layout.addWidget(self.promises, 2)
        layout.addWidget(self.time_label)
        layout.addWidget(close)
        self.resize(680, 560)
        bridge.call(
            lambda service: service.customer_history(name),
            self._loaded,
            self._failed,
            lane=BACKGROUND,
            owner=self,
        )

    def _loaded(self, history: CustomerHistory) -> None:
        self.history = history
        c = history.customer
        contact = [
            c.name,
            c.phone,
            c.email,
            _("prefers {channel}").format(channel=channel_label(c.prefers)),
        ]
        self.contact_label.setText(" · ".join(part for part in contact if part))
        self.appointments.clear()
        for title, items in ((_("Coming"), history.future), (_("Past"), history.past)):
            group = QTreeWidgetItem(self.appointments, [f"{title} ({len(items)})"])
            ordered = items if items is history.future else tuple(reversed(items))
            for item in ordered:
                a = item.appointment
                local = self.formatter.local(a.start)
                when = f"{self.formatter.date_medium(local.date())} {self.formatter.time(local)}"
                bands = _("{travel} travel, {wrapup} wrap-up").format(
                    travel=self.formatter.minutes(item.bands.travel_minutes),
                    wrapup=self.formatter.minutes(item.bands.wrapup_minutes),
                )
                where = a.location.name if a.location else ""
                title_text = a.title + (" " + _("(cancelled)") if a.cancelled else "")
                QTreeWidgetItem(group, [when, title_text, where, bands])
            group.setExpanded(True)
        for column in range(4):
            self.appointments.resizeColumnToContents(column)
        self.promises.clear()
        for view in history.promises:
            p = view.promise
            local = self.formatter.local(p.due)
            QTreeWidgetItem(
                self.promises,
                [
                    f"{self.formatter.date_medium(local.date())} {self.formatter.time(local)}",
                    p.what,
                    _("at risk")
                    if view.at_risk and not view.assessment.late
                    else str(view.status.value),
                ],
            )
        self.time_label.setText(
            _("Spent: {spent}\nPlanned: {planned}").format(
                spent=self._spent(history.spent), planned=self._spent(history.planned)
            )
        )

    def _spent(self, spent: TimeSpent) -> str:
        return _(
            "{meetings} meetings, {meeting} in meetings, {travel} travel, {wrapup} wrap-up"
            " ({total} in all)"
        ).format(
            meetings=spent.meetings,
            meeting=self.formatter.minutes(spent.meeting_minutes),
            travel=self.formatter.minutes(spent.travel_minutes),
            wrapup=self.formatter.minutes(spent.wrapup_minutes),
            total=self.formatter.minutes(spent.total_minutes),
        )

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, InputError):
            raise error
        self.contact_label.setText(str(error))


class CustomersPanel(QWidget):
    """The customer list with a filter; add, edit, and double-click for the history."""

    def __init__(self, bridge: Bridge, formatter: Formatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customersPanel")
        self._bridge = bridge
        self.formatter = formatter
        self.loading = False
        self.dialog: CustomerDialog | None = None
        self.history_dialog: CustomerHistoryDialog | None = None
        self.model = CustomerTableModel(formatter, self)
        self.proxy = CustomerFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("customerFilter")
        self.filter_edit.setPlaceholderText(_("Filter customers…"))
        self.filter_edit.setAccessibleName(_("Filter customers"))
        self.filter_edit.setAccessibleDescription(_("Shows the customers whose details match"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.table = QTableView(self)
        self.table.setObjectName("customerTable")
        self.table.setAccessibleName(_("Customers"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(NOTES, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._activated)
        self.add_button = QPushButton(_("Add…"), self)
        self.add_button.setObjectName("addCustomerButton")
        self.add_button.clicked.connect(self.add_customer)
        self.edit_button = QPushButton(_("Edit…"), self)
        self.edit_button.setObjectName("editCustomerButton")
        self.edit_button.clicked.connect(self.edit_selected)
        self.history_button = QPushButton(_("History…"), self)
        self.history_button.setObjectName("historyButton")
        self.history_button.clicked.connect(self._history_selected)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.add_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.history_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        bridge.changed.connect(self._data_changed)
        bridge.touched.connect(self._touched)
        self.reload()

    def reload(self) -> None:
        self.loading = True
        self._bridge.call(
            lambda service: service.customer_rows(),
            self._loaded,
            lane=BACKGROUND,
            key="customer-rows",
            owner=self,
        )

    def _loaded(self, rows: list[CustomerRow]) -> None:
        self.loading = False
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(NOTES, QHeaderView.ResizeMode.Stretch)

    def _data_changed(self, days: object) -> None:
        self.reload()

    def _touched(self, topic: str) -> None:
        if topic in ("customers", "promises", "all"):
            self.reload()

    def selected(self) -> CustomerRow | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        from diary.services.customer_views import CustomerRow  # loaded by now: rows exist

        row = indexes[0].data(VALUE_ROLE)
        return row if isinstance(row, CustomerRow) else None

    def add_customer(self) -> None:
        self._open_dialog(None)

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._open_dialog(row.customer)

    def _open_dialog(self, existing: Customer | None) -> None:
        dialog = CustomerDialog(self.window(), existing)
        self.dialog = dialog

        def submit(value: Customer) -> None:
            if existing is None:
                call = lambda service: service.add_customer(  # noqa: E731
                    value.name,
                    email=value.email,
                    phone=value.phone,
                    prefers=value.prefers.value,
                    notes=value.notes,
                )
            else:
                call = lambda service: service.update_customer(value)  # noqa: E731
            self._bridge.call(
                call, lambda _customer: self._stored(dialog), self._failed(dialog), owner=self
            )

        dialog.submit = submit
        dialog.open()

    def _stored(self, dialog: CustomerDialog) -> None:
        if shiboken6.isValid(dialog):
            dialog.stored()
        self.dialog = None
        self._bridge.touch("customers")

    def _failed(self, dialog: CustomerDialog) -> Any:
        def failed(error: BaseException) -> None:
            if not isinstance(error, InputError):
                raise error
            if shiboken6.isValid(dialog):
                dialog.show_error(str(error))

        return failed

    def _activated(self, index: QModelIndex) -> None:
        from diary.services.customer_views import CustomerRow  # loaded by now: rows exist

        row = index.data(VALUE_ROLE)
        if isinstance(row, CustomerRow):
            self.open_history(row.customer.name)

    def _history_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_history(row.customer.name)

    def open_history(self, name: str) -> None:
        dialog = CustomerHistoryDialog(self.window(), self._bridge, self.formatter, name)
        self.history_dialog = dialog
        dialog.open()
