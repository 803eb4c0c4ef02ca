"""The Promises panel: what is owed to whom by when, which promises are at risk or late, the
24-hour check, and the message that tells the customer of a delay first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from diary.domain.model import Channel
from diary.domain.promises import PromiseStatus
from diary.i18n import Formatter, _, ngettext
from diary.services import InputError
from diary.services.drafts import MessageDraft, check_questions
from diary.ui.bridge import BACKGROUND, Bridge
from diary.ui.keyed_table import VALUE_ROLE
from diary.ui.promise_dialogs import CallScriptDialog, PromiseDialog
from diary.ui.promise_table import DUE, WHAT, Clock, PromiseSections, PromiseTableModel, Section

if TYPE_CHECKING:
    from diary.services.promises import PromiseView

__all__ = ["WHAT", "PromiseDialog", "PromisesPanel", "Section"]

UrlOpener = Callable[[QUrl], bool]


def summary_text(count: int, risky: int, late: int) -> str:
    """The line over the table ("5 open · 1 at risk · 1 late"), each count in the plural
    form its language wants for it (French: "1 menacé", "2 menacés")."""
    return " · ".join(
        (
            ngettext("{count} open", "{count} open", count).format(count=count),
            ngettext("{count} at risk", "{count} at risk", risky).format(count=risky),
            ngettext("{count} late", "{count} late", late).format(count=late),
        )
    )


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
        self.summary_label.setText(summary_text(len(views), risky, late))
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
