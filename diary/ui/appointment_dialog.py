"""The appointment dialog: what, with whom, where, when; shows the rules it breaks as you type."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from diary.domain.model import Appointment, Customer, Kind, Location
from diary.i18n import Formatter, _
from diary.services import Draft, InputError, Outcome, Repeat
from diary.ui.bridge import Bridge
from diary.ui.explain import reasons

PREVIEW_DELAY_MS = 200


def qt_datetime_format(locale: str) -> str:
    """A QDateTimeEdit display format from babel's short date and time patterns."""
    babel = Locale.parse(locale)
    date_pattern = babel.date_formats["short"].pattern
    time_pattern = babel.time_formats["short"].pattern
    date_part = date_pattern.replace("yyyy", "y").replace("yy", "y").replace("y", "yyyy")
    time_part = time_pattern.replace("a", "AP").replace("  ", " ")
    return f"{date_part} {time_part}"


def to_qdatetime(moment: datetime, tz: ZoneInfo) -> QDateTime:
    local = moment.astimezone(tz)
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def from_qdatetime(value: QDateTime, tz: ZoneInfo) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=tz)


class NameDialog(QDialog):
    """Adds a customer or a location: a name and one more line (e-mail or address)."""

    def __init__(self, parent: QWidget, title: str, second: str, object_name: str) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("nameEdit")
        self.second_edit = QLineEdit(self)
        self.second_edit.setObjectName("detailEdit")
        form = QFormLayout(self)
        form.addRow(_("Name"), self.name_edit)
        form.addRow(second, self.second_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


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
    ) -> None:
        super().__init__(parent)
        self.setObjectName("appointmentDialog")
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
        self.start_edit = QDateTimeEdit(self)
        self.start_edit.setObjectName("startEdit")
        self.start_edit.setLocale(QLocale(formatter.locale))
        self.start_edit.setDisplayFormat(qt_datetime_format(formatter.locale))
        self.start_edit.setCalendarPopup(True)
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
        self.repeat_interval.setSuffix(" " + _("weeks"))
        self.repeat_count = QSpinBox(self)
        self.repeat_count.setObjectName("repeatCount")
        self.repeat_count.setRange(2, 520)
        self.repeat_count.setValue(10)
        self.repeat_count.setSuffix(" " + _("times"))
        self.repeat_combo.currentIndexChanged.connect(self._repeat_chosen)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setObjectName("notesEdit")
        self.notes_edit.setFixedHeight(70)
        self.violations_label = QLabel(self)
        self.violations_label.setObjectName("violationsLabel")
        self.violations_label.setWordWrap(True)
        self.violations_label.setStyleSheet("color: #b71c1c;")
        self.nearest_button = QPushButton(self)
        self.nearest_button.setObjectName("nearestSlotButton")
        self.nearest_button.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("okButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

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
        self.start_edit.setDateTime(to_qdatetime(start, self._tz))
        self.duration_edit.setValue(max(5, int((end - start).total_seconds() // 60)))

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
        start = from_qdatetime(self.start_edit.dateTime(), self._tz)
        end = start + timedelta(minutes=self.duration_edit.value())
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
        self.last_preview = outcome
        lines = reasons(outcome.violations)
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
            self.start_edit.setDateTime(to_qdatetime(self.nearest, self._tz))

    # -- adding names ----------------------------------------------------------------

    def _new_customer(self) -> None:
        dialog = NameDialog(self, _("New customer"), _("E-mail"), "customerDialog")
        dialog.name_edit.setText(self.customer_edit.currentText())

        def add() -> None:
            name, email = dialog.name_edit.text(), dialog.second_edit.text()
            self._bridge.call(
                lambda service: service.add_customer(name, email=email),
                lambda customer: self._added(self.customer_edit, customer.name),
                self._show_error,
                owner=self,
            )

        dialog.accepted.connect(add)
        dialog.open()

    def _new_location(self) -> None:
        dialog = NameDialog(self, _("New location"), _("Address"), "locationDialog")
        dialog.name_edit.setText(self.location_edit.currentText())

        def add() -> None:
            name, address = dialog.name_edit.text(), dialog.second_edit.text()
            self._bridge.call(
                lambda service: service.add_location(name, address=address),
                lambda location: self._added(self.location_edit, location.name),
                self._show_error,
                owner=self,
            )

        dialog.accepted.connect(add)
        dialog.open()

    def _added(self, combo: QComboBox, name: str) -> None:
        combo.setEditText(name)
        self._load_names()
        self._timer.start()

    def accept(self) -> None:
        draft = self.draft()
        if not draft.title:
            self.violations_label.setText(_("The title must not be empty."))
            self.title_edit.setFocus()
            return
        self.submitted.emit(self.existing.ref if self.existing else None, draft)
        super().accept()
