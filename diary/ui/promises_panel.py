"""The Promises panel: what is owed to whom by when, which promises are at risk or late, the
24-hour check, and the message that tells the customer of a delay first."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from diary.domain.model import Channel, Customer
from diary.domain.promises import PromiseStatus
from diary.i18n import Formatter, _
from diary.services import InputError
from diary.services.drafts import MessageDraft, check_questions, describe_reasons
from diary.ui.bridge import BACKGROUND, Bridge
from diary.ui.date_field import MomentField
from diary.ui.keyed_table import SORT_ROLE, VALUE_ROLE, KeyedTableModel
from diary.ui.wrapped_label import WrappedLabel

if TYPE_CHECKING:
    from diary.services.promises import PromiseView

STATUS, CUSTOMER, WHAT, DUE, CHECK, REASONS = range(6)
DUE_SOON = timedelta(days=7)
LATE_COLOUR = QColor("#b71c1c")
RISK_COLOUR = QColor("#e65100")

Clock = Callable[[], datetime]
UrlOpener = Callable[[QUrl], bool]


def status_text(view: PromiseView) -> str:
    if view.assessment.late:
        return _("late")
    if view.at_risk:
        return _("at risk")
    return {
        PromiseStatus.OPEN: _("open"),
        PromiseStatus.CHECKED: _("checked"),
        PromiseStatus.DONE: _("done"),
    }.get(view.status, str(view.status.value))


class PromiseTableModel(KeyedTableModel["PromiseView"]):
    """One row per promise: status, customer, what, due, check time and why it is at risk."""

    columns = 6

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(lambda view: view.promise.id, parent)
        self.formatter = formatter

    def header_texts(self) -> Sequence[str]:
        return (_("Status"), _("Customer"), _("What"), _("Due"), _("Check"), _("Reasons"))

    def _moment(self, moment: datetime) -> str:
        local = self.formatter.local(moment)
        return f"{self.formatter.date_medium(local.date())} {self.formatter.time(local)}"

    def column_text(self, row: PromiseView, column: int) -> str:
        p = row.promise
        if column == STATUS:
            return status_text(row)
        if column == CUSTOMER:
            return p.customer.name
        if column == WHAT:
            return p.what + (f" ({p.depends_on})" if p.depends_on else "")
        if column == DUE:
            return self._moment(p.due)
        if column == CHECK:
            return self._moment(row.check_at)
        return "; ".join(describe_reasons(row.assessment.reasons))

    def column_sort(self, row: PromiseView, column: int) -> Any:
        if column == DUE:
            return row.promise.due.timestamp()
        if column == CHECK:
            return row.check_at.timestamp()
        if column == STATUS:
            return (
                0 if row.assessment.late else 1 if row.at_risk else 2,
                row.promise.due.timestamp(),
            )
        return super().column_sort(row, column)

    def row_data(self, row: PromiseView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            if row.assessment.late:
                return QBrush(LATE_COLOUR)
            if row.at_risk:
                return QBrush(RISK_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and column in (REASONS, WHAT):
            return "\n".join(
                [*check_questions(row.promise), *describe_reasons(row.assessment.reasons)]
            )
        return None


class Section(enum.Enum):
    ALL = "all"
    DUE_SOON = "due-soon"
    AT_RISK = "at-risk"
    LATE = "late"


class PromiseSections(QSortFilterProxyModel):
    """Shows one section of the promises: all, due soon, at risk (not yet late), or late."""

    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.section = Section.ALL
        self.setSortRole(SORT_ROLE)

    def set_section(self, section: Section) -> None:
        self.beginFilterChange()
        self.section = section
        self.endFilterChange()

    def filterAcceptsRow(  # noqa: N802 - Qt override
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        from diary.services.promises import PromiseView  # loaded by now: rows exist

        view = self.sourceModel().index(source_row, 0, source_parent).data(VALUE_ROLE)
        if not isinstance(view, PromiseView):
            return False
        if self.section is Section.LATE:
            return view.assessment.late
        if self.section is Section.AT_RISK:
            return view.at_risk and not view.assessment.late
        if self.section is Section.DUE_SOON:
            now = self._clock()
            due = view.promise.due
            return view.status is not PromiseStatus.DONE and now <= due < now + DUE_SOON
        return True


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


class PromisesPanel(QWidget):
    """Promises by section, with New, Confirm (the 24-hour check), Done and Tell customer."""

    message_shown = Signal(object)  # the MessageDraft handed to mail, clipboard or call script

    def __init__(
        self,
        bridge: Bridge,
        formatter: Formatter,
        clock: Clock,
        parent: QWidget | None = None,
        *,
        open_url: UrlOpener = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("promisesPanel")
        self._bridge = bridge
        self.formatter = formatter
        self._clock = clock
        self.open_url = open_url  # injectable: tests record the mailto URL instead
        self.loading = False
        self._to_select: int | None = None  # a promise to select when the list has it
        self.dialog: PromiseDialog | None = None
        self.question: QMessageBox | None = None
        self.notice: QWidget | None = None
        self.model = PromiseTableModel(formatter, self)
        self.proxy = PromiseSections(clock, self)
        self.proxy.setSourceModel(self.model)
        self.section_combo = QComboBox(self)
        self.section_combo.setObjectName("promiseSection")
        self.section_combo.setAccessibleName(_("Which promises"))
        for section, label in (
            (Section.ALL, _("All open promises")),
            (Section.DUE_SOON, _("Due soon")),
            (Section.AT_RISK, _("At risk")),
            (Section.LATE, _("Late")),
        ):
            self.section_combo.addItem(label, section.value)
        self.section_combo.currentIndexChanged.connect(self._section_chosen)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("promiseSummary")
        self.table = QTableView(self)
        self.table.setObjectName("promiseTable")
        self.table.setAccessibleName(_("Promises"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DUE, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.new_button = QPushButton(_("New promise…"), self)
        self.new_button.setObjectName("newPromiseButton")
        self.new_button.clicked.connect(self.new_promise)
        self.confirm_button = QPushButton(_("Confirm…"), self)
        self.confirm_button.setObjectName("confirmPromiseButton")
        self.confirm_button.setToolTip(_("Answer the 24-hour check: everything is in hand"))
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.done_button = QPushButton(_("Done"), self)
        self.done_button.setObjectName("donePromiseButton")
        self.done_button.clicked.connect(self.done_selected)
        self.tell_button = QPushButton(_("Tell customer…"), self)
        self.tell_button.setObjectName("tellCustomerButton")
        self.tell_button.clicked.connect(self.tell_selected)
        top = QHBoxLayout()
        top.addWidget(self.section_combo)
        top.addWidget(self.summary_label, 1)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.confirm_button, self.done_button, self.tell_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        bridge.changed.connect(self._days_changed)
        bridge.touched.connect(self._touched)
        self._update_buttons()
        self.reload()

    # -- loading ---------------------------------------------------------------------

    def reload(self) -> None:
        self.loading = True
        self._bridge.call(
            lambda service: service.promises(),
            self._loaded,
            lane=BACKGROUND,
            key="promise-list",
            owner=self,
        )

    def _loaded(self, views: list[PromiseView]) -> None:
        self.loading = False
        self.model.set_rows(views)
        if self._to_select is not None:
            self.select(self._to_select)
        late = sum(1 for v in views if v.assessment.late)
        risky = sum(1 for v in views if v.at_risk and not v.assessment.late)
        self.summary_label.setText(
            _("{count} open · {risky} at risk · {late} late").format(
                count=len(views), risky=risky, late=late
            )
        )
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._update_buttons()

    def _days_changed(self, days: object) -> None:
        self.reload()  # free time changed: an effort may no longer fit

    def _touched(self, topic: str) -> None:
        if topic in ("promises", "customers", "all"):
            self.reload()

    def _section_chosen(self) -> None:
        self.proxy.set_section(Section(self.section_combo.currentData()))

    def set_section(self, section: Section) -> None:
        self.section_combo.setCurrentIndex(self.section_combo.findData(section.value))

    # -- selection -------------------------------------------------------------------

    def selected(self) -> PromiseView | None:
        model = self.table.selectionModel()
        indexes = model.selectedRows() if model is not None else []
        if not indexes:
            return None
        from diary.services.promises import PromiseView  # loaded by now: rows exist

        view = indexes[0].data(VALUE_ROLE)
        return view if isinstance(view, PromiseView) else None

    def show_promise(self, promise_id: int) -> None:
        """Select the promise, among all open ones, once the list has it."""
        self.set_section(Section.ALL)
        self._to_select = promise_id
        if not self.loading:
            self.select(promise_id)

    def select(self, promise_id: int) -> None:
        row = self.model.row_of(promise_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectRow(index.row())

    def _update_buttons(self) -> None:
        view = self.selected()
        pending = view is not None and view.status is not PromiseStatus.DONE
        self.confirm_button.setEnabled(pending and view is not None and not view.assessment.late)
        self.done_button.setEnabled(pending)
        self.tell_button.setEnabled(view is not None)

    # -- the actions -----------------------------------------------------------------

    def new_promise(self, customer: str = "") -> None:
        due = (self._clock() + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
        dialog = PromiseDialog(self.window(), self._bridge, self.formatter, due, customer or "")
        self.dialog = dialog

        def submit(d: PromiseDialog) -> None:
            customer_name, what, when = d.customer, d.what, d.due
            effort, depends_on = d.effort, d.depends_on
            self._bridge.call(
                lambda service: service.add_promise(
                    customer_name, what, when, effort=effort, depends_on=depends_on
                ),
                lambda _promise: self._stored(d),
                lambda error: self._failed(d, error),
                owner=self,
            )

        dialog.submit = submit
        dialog.open()

    def _stored(self, dialog: PromiseDialog) -> None:
        if shiboken6.isValid(dialog):
            dialog.stored()
        self.dialog = None
        self._bridge.touch("promises")

    def _failed(self, dialog: PromiseDialog, error: BaseException) -> None:
        if not isinstance(error, InputError):
            raise error
        if shiboken6.isValid(dialog):
            dialog.show_error(str(error))

    def confirm_selected(self) -> None:
        """The 24-hour check: "is everything in hand?" (and "has NAME confirmed?")."""
        view = self.selected()
        if view is None:
            return
        promise_id = view.promise.id
        box = QMessageBox(self.window())
        box.setObjectName("confirmPromiseDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("24-hour check"))
        box.setText("\n".join(check_questions(view.promise)))
        box.setInformativeText(_("Confirm only when the answer is yes."))
        yes = box.addButton(_("Yes, everything is in hand"), QMessageBox.ButtonRole.YesRole)
        yes.setObjectName("confirmYesButton")
        box.addButton(QMessageBox.StandardButton.Cancel)

        def answered() -> None:
            self.question = None
            if box.clickedButton() is yes:
                self._change(lambda service: service.confirm(promise_id))

        box.finished.connect(answered)
        self.question = box
        box.open()

    def done_selected(self) -> None:
        view = self.selected()
        if view is not None:
            promise_id = view.promise.id
            self._change(lambda service: service.done(promise_id))

    def _change(self, call: Callable[[Any], PromiseView]) -> None:
        self._bridge.call(call, self._changed, self._error, owner=self)

    def _changed(self, view: PromiseView) -> None:
        self._bridge.touch("promises")

    def _error(self, error: BaseException) -> None:
        if not isinstance(error, InputError):
            raise error
        QMessageBox.warning(self.window(), _("Not changed"), str(error))

    def tell_selected(self) -> None:
        view = self.selected()
        if view is None:
            return
        promise_id, locale = view.promise.id, self.formatter.locale
        self._bridge.call(
            lambda service: service.tell_customer(promise_id, locale),
            self.deliver,
            self._error,
            owner=self,
        )

    def deliver(self, message: MessageDraft) -> None:
        """Hand the drafted message to the customer's channel: mail, clipboard or a call."""
        if message.channel is Channel.EMAIL and message.mailto_url:
            self.open_url(QUrl(message.mailto_url))
        elif message.channel is Channel.TEXT:
            clipboard = QGuiApplication.clipboard()
            clipboard.setText(message.body)
            box = QMessageBox(
                QMessageBox.Icon.Information,
                _("Text copied"),
                _(
                    "The text for {recipient} is on the clipboard; paste it into your phone's"
                    " messages."
                ).format(recipient=message.recipient or _("the customer")),
                QMessageBox.StandardButton.Ok,
                self.window(),
            )
            box.setObjectName("textCopiedDialog")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            box.setDetailedText(message.body)
            self.notice = box
            box.open()
        else:
            dialog = CallScriptDialog(self.window(), message)
            self.notice = dialog
            dialog.open()
        self.message_shown.emit(message)

