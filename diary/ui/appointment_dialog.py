"""The appointment dialog: what, with whom, where, when; shows the rules it breaks as you type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from diary.domain.model import Appointment, Customer, Kind, Location, later
from diary.i18n import Formatter, _, ngettext
from diary.services import Draft, InputError, Outcome, Repeat
from diary.ui.bridge import Bridge
from diary.ui.date_field import MomentField
from diary.ui.explain import reasons
from diary.ui.wrapped_label import WrappedLabel

PREVIEW_DELAY_MS = 200


class AppointmentDialog(QDialog):
    """Create (`existing` None) or edit an appointment; emits the Draft, the window stores it."""

    submitted = Signal(object, object)  # ref (str | None), Draft

    def __init__(
        self,
        parent: QWidget,
        bridge: Bridge,
        formatter: Formatter,
        start: datetime,
        end: datetime,
        existing: Appointment | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("appointmentDialog")
        self._clock = clock  # "now", to ask before booking into the past
        self._past_confirmed = False
        self.past_question: QMessageBox | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._bridge = bridge
        self.formatter = formatter
        self._tz = ZoneInfo(formatter.zone)
        self.existing = existing
        self.nearest: datetime | None = None
        self.last_preview: Outcome | None = None
        self.setWindowTitle(_("Edit appointment") if existing else _("New appointment"))

        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("titleEdit")
        self.customer_edit = self._combo("customerEdit")
        self.location_edit = self._combo("locationEdit")
        self.new_customer_button = QToolButton(self)
        self.new_customer_button.setText("+")
        self.new_customer_button.setToolTip(_("New customer…"))
        self.new_customer_button.setObjectName("newCustomerButton")
        self.new_location_button = QToolButton(self)
        self.new_location_button.setText("+")
        self.new_location_button.setToolTip(_("New location…"))
        self.new_location_button.setObjectName("newLocationButton")
        # In a row with their "+" button, the form's label does not name them: say it here.
        for widget, words in (
            (self.customer_edit, _("Customer")),
            (self.location_edit, _("Location")),
            (self.new_customer_button, _("New customer…")),
            (self.new_location_button, _("New location…")),
        ):
            widget.setAccessibleName(words)
        for combo in (self.customer_edit, self.location_edit):
            line = combo.lineEdit()
            if line is not None:
                line.setAccessibleName(combo.accessibleName())
        self.start_edit = MomentField(formatter, start, self)
        self.start_edit.setObjectName("startEdit")
        self.duration_edit = QSpinBox(self)
        self.duration_edit.setObjectName("durationEdit")
        self.duration_edit.setRange(5, 24 * 60)
        self.duration_edit.setSingleStep(15)
        self.duration_edit.setSuffix(" " + _("min"))
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("kindCombo")
        for kind, label in (
            (Kind.MEETING, _("Meeting")),
            (Kind.BLOCK, _("Block")),
            (Kind.ALL_DAY, _("All day")),
        ):
            self.kind_combo.addItem(label, kind.value)
        self.wrapup_edit = QSpinBox(self)
        self.wrapup_edit.setObjectName("wrapupEdit")
        self.wrapup_edit.setRange(-1, 24 * 60)
        self.wrapup_edit.setSingleStep(5)
        self.wrapup_edit.setSpecialValueText(_("default"))
        self.wrapup_edit.setSuffix(" " + _("min"))
        self.repeat_combo = QComboBox(self)
        self.repeat_combo.setObjectName("repeatCombo")
        for value, label in (
            ("", _("Does not repeat")),
            ("daily", _("Daily")),
            ("weekly", _("Weekly")),
            ("every-n-weeks", _("Every N weeks")),
            ("monthly", _("Monthly")),
        ):
            self.repeat_combo.addItem(label, value)
        self.repeat_interval = QSpinBox(self)
        self.repeat_interval.setObjectName("repeatInterval")
        self.repeat_interval.setRange(2, 52)
        self.repeat_interval.setPrefix(_("every") + " ")
        self.repeat_count = QSpinBox(self)
        self.repeat_count.setObjectName("repeatCount")
        self.repeat_count.setRange(2, 520)
        self.repeat_count.setValue(10)
        # Counted words in the plural form the language wants for the number shown.
        self.repeat_interval.valueChanged.connect(self._name_repeats)
        self.repeat_count.valueChanged.connect(self._name_repeats)
        self._name_repeats()
        self.repeat_combo.currentIndexChanged.connect(self._repeat_chosen)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setObjectName("notesEdit")
        self.notes_edit.setFixedHeight(70)
        self.violations_label = WrappedLabel(self)  # every warning in full, never cut
        self.violations_label.setObjectName("violationsLabel")
        self.violations_label.setStyleSheet("color: #b71c1c;")
        self.nearest_button = QPushButton(self)
        self.nearest_button.setObjectName("nearestSlotButton")
        self.nearest_button.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("okButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # A start that cannot be read keeps OK disabled; the field says why.
        self.start_edit.validity_changed.connect(self.ok_button.setEnabled)

        form = QFormLayout()
        form.addRow(_("Title"), self.title_edit)
        form.addRow(_("Customer"), self._with_button(self.customer_edit, self.new_customer_button))
        form.addRow(_("Location"), self._with_button(self.location_edit, self.new_location_button))
        form.addRow(_("Start"), self.start_edit)
        form.addRow(_("Duration"), self.duration_edit)
        form.addRow(_("Kind"), self.kind_combo)
        form.addRow(_("Wrap-up"), self.wrapup_edit)
        repeat_row = QWidget(self)
        repeat_layout = QHBoxLayout(repeat_row)
        repeat_layout.setContentsMargins(0, 0, 0, 0)
        repeat_layout.addWidget(self.repeat_combo, 1)
        repeat_layout.addWidget(self.repeat_interval)
        repeat_layout.addWidget(self.repeat_count)
        form.addRow(_("Repeats"), repeat_row)
        # A series is made when booking; an existing appointment is edited on its own.
        repeat_row.setEnabled(existing is None)
        form.addRow(_("Notes"), self.notes_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.violations_label)
        layout.addWidget(self.nearest_button)
        layout.addWidget(self.buttons)

        self._fill(start, end, existing)
        self._repeat_chosen()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.preview)
        for signal in (
            self.title_edit.textChanged,
            self.customer_edit.currentTextChanged,
            self.location_edit.currentTextChanged,
            self.start_edit.dateTimeChanged,
            self.duration_edit.valueChanged,
            self.kind_combo.currentIndexChanged,
            self.wrapup_edit.valueChanged,
        ):
            signal.connect(self._timer.start)
        self.nearest_button.clicked.connect(self.use_nearest)
        self.new_customer_button.clicked.connect(self._new_customer)
        self.new_location_button.clicked.connect(self._new_location)
        self._load_names()
        self.title_edit.setFocus()

    # -- building --------------------------------------------------------------------

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = combo.completer()
        if completer is not None:
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        return combo

    def _with_button(self, combo: QComboBox, button: QToolButton) -> QWidget:
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(combo, 1)
        row.addWidget(button)
        return holder

    def _fill(self, start: datetime, end: datetime, existing: Appointment | None) -> None:
        if existing is not None:
            start, end = existing.start, existing.end
            self.title_edit.setText(existing.title)
            self.customer_edit.setEditText(existing.customer.name if existing.customer else "")
            self.location_edit.setEditText(existing.location.name if existing.location else "")
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(existing.kind.value)))
            self.wrapup_edit.setValue(
                -1 if existing.wrapup_minutes is None else existing.wrapup_minutes
            )
            self.notes_edit.setPlainText(existing.notes)
        else:
            self.wrapup_edit.setValue(-1)
        self.start_edit.set_value(start)
        minutes = (end.timestamp() - start.timestamp()) // 60
        self.duration_edit.setValue(max(5, int(minutes)))

    def _load_names(self) -> None:
        self._bridge.call(
            lambda service: (service.customers(), service.locations()),
            self._names_loaded,
            owner=self,
        )

    def _names_loaded(self, names: tuple[list[Customer], list[Location]]) -> None:
        customers, locations = names
        for combo, values in (
            (self.customer_edit, [c.name for c in customers]),
            (self.location_edit, [loc.name for loc in locations]),
        ):
            text = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("")
            combo.addItems(values)
            combo.setEditText(text)
            combo.blockSignals(False)

    def _name_repeats(self) -> None:
        weeks = self.repeat_interval.value()
        self.repeat_interval.setSuffix(" " + ngettext("week", "weeks", weeks))
        times = self.repeat_count.value()
        self.repeat_count.setSuffix(" " + ngettext("time", "times", times))

    def _repeat_chosen(self) -> None:
        chosen = self.repeat_combo.currentData()
        self.repeat_interval.setVisible(chosen == "every-n-weeks")
        self.repeat_count.setVisible(bool(chosen))

    def repeat(self) -> Repeat | None:
        """How the new appointment repeats, or None."""
        chosen = self.repeat_combo.currentData()
        if not chosen or self.existing is not None:
            return None
        count = self.repeat_count.value()
        if chosen == "every-n-weeks":
            return Repeat("weekly", interval=self.repeat_interval.value(), count=count)
        return Repeat(str(chosen), count=count)

    # -- the draft and its live verdict ----------------------------------------------

    def draft(self) -> Draft:
        start = self.start_edit.value
        end = later(start, timedelta(minutes=self.duration_edit.value()))
        wrapup = self.wrapup_edit.value()
        return Draft(
            title=self.title_edit.text().strip(),
            start=start,
            end=end,
            kind=Kind(self.kind_combo.currentData()),
            customer=self.customer_edit.currentText().strip() or None,
            location=self.location_edit.currentText().strip() or None,
            wrapup_minutes=None if wrapup < 0 else wrapup,
            notes=self.notes_edit.toPlainText(),
            zone=self.existing.zone if self.existing else None,
        )

    def preview(self) -> None:
        """Judge the draft as it stands (on the worker); the answer updates the dialog."""
        if not self.start_edit.valid:
            self.violations_label.clear()
            self.nearest_button.hide()
            return
        draft = self.draft()
        if not draft.title:
            draft = replace(draft, title="…")
        ref = self.existing.ref if self.existing else None
        self._bridge.call(
            lambda service: service.draft_preview(draft, ref),
            self._show_preview,
            self._show_error,
            key=f"draft-preview-{id(self)}",
            owner=self,
        )

    def _show_preview(self, outcome: Outcome) -> None:
        if not self.start_edit.valid:
            return  # a verdict about the last start that could be read, not the one typed
        self.last_preview = outcome
        # Said from this appointment's side: it is never its own conflict, and a neighbour
        # it squeezes is named ("15 min short before Boiler service: ...").
        own = outcome.appointment.ref if outcome.appointment is not None else None
        lines = reasons(outcome.violations, own)
        self.violations_label.setText("\n".join(f"⚠ {line}" for line in lines))
        self.nearest = outcome.nearest
        if outcome.nearest is not None:
            self.nearest_button.setText(
                _("Use nearest free slot ({slot})").format(
                    slot=self.formatter.slot(outcome.nearest)
                )
            )
            self.nearest_button.show()
        else:
            self.nearest_button.hide()

    def _show_error(self, error: BaseException) -> None:
        if not isinstance(error, InputError):
            raise error
        self.violations_label.setText(str(error))
        self.nearest_button.hide()

    def use_nearest(self) -> None:
        if self.nearest is not None:
            self.start_edit.set_value(self.nearest)

    # -- adding names ----------------------------------------------------------------

    def _new_customer(self) -> None:
        """The "+" beside the customer: every field the customers panel has."""
        from diary.ui.customers import CustomerDialog

        dialog = CustomerDialog(self)
        dialog.name_edit.setText(self.customer_edit.currentText())
        self.name_dialog: QDialog | None = dialog

        def submit(value: Customer) -> None:
            self._bridge.call(
                lambda service: service.add_customer(
                    value.name,
                    email=value.email,
                    phone=value.phone,
                    prefers=value.prefers.value,
                    notes=value.notes,
                ),
                lambda customer: self._stored_name(dialog, self.customer_edit, customer.name),
                lambda error: self._name_refused(dialog, error),
                owner=self,
            )

        dialog.submit = submit
        dialog.open()

    def _new_location(self) -> None:
        """The "+" beside the location: name, address, coordinates, remote."""
        from diary.ui.location_dialog import LocationDialog

        dialog = LocationDialog(self, self.location_edit.currentText())
        self.name_dialog = dialog

        def submit(value: Location) -> None:
            self._bridge.call(
                lambda service: service.add_location(
                    value.name,
                    address=value.address,
                    lat=value.lat,
                    lon=value.lon,
                    remote=value.remote,
                ),
                lambda location: self._stored_name(dialog, self.location_edit, location.name),
                lambda error: self._name_refused(dialog, error),
                owner=self,
            )

        dialog.submit = submit
        dialog.open()

    def _stored_name(self, dialog: QDialog, combo: QComboBox, name: str) -> None:
        if shiboken6.isValid(dialog):
            dialog.stored()  # type: ignore[attr-defined]
        self._bridge.touch("customers")
        self._added(combo, name)

    def _name_refused(self, dialog: QDialog, error: BaseException) -> None:
        if not isinstance(error, InputError):
            raise error
        if shiboken6.isValid(dialog):
            dialog.show_error(str(error))  # type: ignore[attr-defined]

    def _added(self, combo: QComboBox, name: str) -> None:
        combo.setEditText(name)
        self._load_names()
        self._timer.start()

    def accept(self) -> None:
        if not self.start_edit.valid:
            self.start_edit.setFocus()
            return
        draft = self.draft()
        if not draft.title:
            self.violations_label.setText(_("The title must not be empty."))
            self.title_edit.setFocus()
            return
        if self._into_the_past(draft) and not self._past_confirmed:
            self._ask_about_the_past(draft)
            return
        self.submitted.emit(self.existing.ref if self.existing else None, draft)
        super().accept()

    def _into_the_past(self, draft: Draft) -> bool:
        """A start already passed, newly chosen (an old job whose notes are fixed is not)."""
        if self._clock is None or draft.start.timestamp() >= self._clock().timestamp():
            return False
        return self.existing is None or self.existing.start.timestamp() != draft.start.timestamp()

    def _ask_about_the_past(self, draft: Draft) -> None:
        local = self.formatter.local(draft.start)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Book in the past?"),
            _("{when} has already passed. Book it there anyway?").format(
                when=f"{self.formatter.date_long(local.date())} {self.formatter.time(local)}"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("pastQuestion")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.past_question = box

        def answered(button: object) -> None:
            if box.standardButton(button) is QMessageBox.StandardButton.Yes:  # type: ignore[arg-type]
                self._past_confirmed = True
                self.accept()
            else:
                self.start_edit.setFocus()

        box.buttonClicked.connect(answered)
        box.open()
