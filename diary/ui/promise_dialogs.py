"""The dialogs of the Promises panel: a new promise (its due date checked against the diary's
free time), and the call script for a customer who prefers the phone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from diary.domain.model import Customer
from diary.i18n import Formatter, _
from diary.services import InputError
from diary.services.drafts import MessageDraft
from diary.ui.bridge import BACKGROUND, Bridge
from diary.ui.date_field import MomentField
from diary.ui.wrapped_label import WrappedLabel


class PromiseDialog(QDialog):
    """A new promise: to whom, what, by when, effort, and who it depends on."""

    def __init__(
        self,
        parent: QWidget,
        bridge: Bridge,
        formatter: Formatter,
        due: datetime,
        customer: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("promiseDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(_("New promise"))
        self._bridge = bridge
        self.formatter = formatter
        self._tz = ZoneInfo(formatter.zone)
        self.customer_edit = QComboBox(self)
        self.customer_edit.setObjectName("promiseCustomerEdit")
        self.customer_edit.setEditable(True)
        self.customer_edit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.customer_edit.completer()
        if completer is not None:
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.customer_edit.setEditText(customer)
        self.what_edit = QLineEdit(self)
        self.what_edit.setObjectName("whatEdit")
        self.due_edit = MomentField(formatter, due, self)
        self.due_edit.setObjectName("dueEdit")
        self.effort_edit = QSpinBox(self)
        self.effort_edit.setObjectName("effortEdit")
        self.effort_edit.setRange(0, 100 * 60)
        self.effort_edit.setSingleStep(30)
        self.effort_edit.setSpecialValueText(_("no estimate"))
        self.effort_edit.setSuffix(" " + _("min"))
        self.depends_edit = QLineEdit(self)
        self.depends_edit.setObjectName("dependsOnEdit")
        self.depends_edit.setPlaceholderText(_("colleague or supplier (optional)"))
        self.suggest_button = QPushButton(_("When can I promise this?"), self)
        self.suggest_button.setObjectName("suggestDueButton")
        self.suggest_button.clicked.connect(self.suggest_due)
        self.suggestion_label = WrappedLabel(self)
        self.suggestion_label.setObjectName("suggestionLabel")
        self.error_label = WrappedLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet("color: #b71c1c;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("okButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.due_edit.validity_changed.connect(self.ok_button.setEnabled)
        due_row = QWidget(self)
        due_layout = QHBoxLayout(due_row)
        due_layout.setContentsMargins(0, 0, 0, 0)
        due_layout.addWidget(self.due_edit, 1)
        due_layout.addWidget(self.suggest_button, 0, Qt.AlignmentFlag.AlignTop)
        form = QFormLayout(self)
        form.addRow(_("Customer"), self.customer_edit)
        form.addRow(_("What"), self.what_edit)
        form.addRow(_("Effort"), self.effort_edit)
        form.addRow(_("Due"), due_row)
        form.addRow("", self.suggestion_label)
        form.addRow(_("Depends on"), self.depends_edit)
        form.addRow(self.error_label)
        form.addRow(self.buttons)
        self.submit: Callable[[PromiseDialog], None] = _nothing
        self.resize(520, 300)
        bridge.call(lambda service: service.customers(), self._customers_loaded, owner=self)

    def _customers_loaded(self, customers: list[Customer]) -> None:
        text = self.customer_edit.currentText()
        self.customer_edit.blockSignals(True)
        self.customer_edit.clear()
        self.customer_edit.addItems([c.name for c in customers])
        self.customer_edit.setEditText(text)
        self.customer_edit.blockSignals(False)

    @property
    def customer(self) -> str:
        return self.customer_edit.currentText().strip()

    @property
    def what(self) -> str:
        return self.what_edit.text().strip()

    @property
    def due(self) -> datetime:
        return self.due_edit.value

    @property
    def effort(self) -> int | None:
        return self.effort_edit.value() or None

    @property
    def depends_on(self) -> str | None:
        return self.depends_edit.text().strip() or None

    def suggest_due(self) -> None:
        """Ask the service for a realistic due date for the effort; it fills the due field."""
        effort = self.effort_edit.value()
        if effort <= 0:
            self.suggestion_label.setText(_("Enter the effort first."))
            return
        self.suggestion_label.setText(_("Looking for free time…"))
        self._bridge.call(
            lambda service: service.suggest_due(effort),
            self._suggested,
            self._suggest_failed,
            lane=BACKGROUND,
            owner=self,
        )

    def _suggested(self, due: datetime) -> None:
        self.due_edit.set_value(due)
        local = self.formatter.local(due)
        self.suggestion_label.setText(
            _("You can promise {when}: the work fits into your free time, with a margin.").format(
                when=f"{self.formatter.date_long(local.date())} {self.formatter.time(local)}"
            )
        )

    def _suggest_failed(self, error: BaseException) -> None:
        if not isinstance(error, InputError):
            raise error
        self.suggestion_label.setText(str(error))

    def accept(self) -> None:
        if not self.due_edit.valid:
            self.due_edit.setFocus()
            return
        if not self.customer or not self.what:
            self.show_error(_("Customer and what are needed."))
            return
        self.buttons.setEnabled(False)
        self.submit(self)

    def show_error(self, text: str) -> None:
        self.buttons.setEnabled(True)
        self.error_label.setText(text)

    def stored(self) -> None:
        super().accept()


def _nothing(dialog: PromiseDialog) -> None:
    return None


class CallScriptDialog(QDialog):
    """What to say on the phone, and the number to call."""

    def __init__(self, parent: QWidget, message: MessageDraft) -> None:
        super().__init__(parent)
        self.setObjectName("callScriptDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(_("Call the customer"))
        number = QLabel(
            _("Call {recipient}").format(recipient=message.recipient or _("(no number known)")),
            self,
        )
        number.setObjectName("recipientLabel")
        number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.script = QPlainTextEdit(self)
        self.script.setObjectName("callScript")
        self.script.setReadOnly(True)
        self.script.setPlainText(message.call_script or message.body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(number)
        layout.addWidget(self.script, 1)
        layout.addWidget(buttons)
        self.resize(460, 300)
