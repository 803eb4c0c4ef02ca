"""The policy: working hours, reserve, default wrap-up and travel, base location, locale."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from diary.domain.model import Location, Policy, WorkingHours
from diary.i18n import Formatter, _
from diary.ui.date_field import TimeField

LOCALES = ("en_US", "en_GB", "de_DE", "de_AT", "de_CH", "fr_FR", "it_IT", "es_ES", "nl_NL")


class SettingsDialog(QDialog):
    """Edits a copy of the policy; emits the new one, the window stores it."""

    submitted = Signal(object)  # Policy

    def __init__(
        self, parent: QWidget, policy: Policy, locations: list[Location], formatter: Formatter
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Settings"))
        self._policy = policy
        names = formatter.weekday_names()
        hours_box = QGroupBox(_("Working hours"), self)
        grid = QGridLayout(hours_box)
        self.day_checks: list[QCheckBox] = []
        self.day_starts: list[TimeField] = []
        self.day_ends: list[TimeField] = []
        for weekday in range(7):
            hours = policy.hours_on(weekday)
            check = QCheckBox(names[weekday], hours_box)
            check.setChecked(hours is not None)
            check.setObjectName(f"dayCheck{weekday}")
            start = TimeField(formatter, hours.start if hours else time(8, 0), hours_box)
            end = TimeField(formatter, hours.end if hours else time(18, 0), hours_box)
            start.setObjectName(f"dayStart{weekday}")
            end.setObjectName(f"dayEnd{weekday}")
            start.setAccessibleName(_("{day}: work starts").format(day=names[weekday]))
            end.setAccessibleName(_("{day}: work ends").format(day=names[weekday]))
            check.toggled.connect(start.setEnabled)
            check.toggled.connect(end.setEnabled)
            start.setEnabled(hours is not None)
            end.setEnabled(hours is not None)
            grid.addWidget(check, weekday, 0)
            grid.addWidget(start, weekday, 1)
            grid.addWidget(QLabel("–", hours_box), weekday, 2)
            grid.addWidget(end, weekday, 3)
            self.day_checks.append(check)
            self.day_starts.append(start)
            self.day_ends.append(end)
        self.reserve_edit = self._minutes("reserveEdit", policy.reserve_minutes)
        self.wrapup_edit = self._minutes("wrapupEdit", policy.wrapup_meeting_minutes)
        self.wrapup_block_edit = self._minutes("wrapupBlockEdit", policy.wrapup_block_minutes)
        self.travel_edit = self._minutes("travelEdit", policy.default_travel_minutes)
        self.base_combo = QComboBox(self)
        self.base_combo.setObjectName("baseCombo")
        self.base_combo.addItem(_("none"), None)
        for location in locations:
            self.base_combo.addItem(location.name, location.id)
        self.base_combo.setCurrentIndex(max(0, self.base_combo.findData(policy.base_location_id)))
        self.travel_from_base = QCheckBox(_("Travel from the base to the first meeting"), self)
        self.travel_from_base.setChecked(policy.travel_from_base)
        self.locale_combo = QComboBox(self)
        self.locale_combo.setObjectName("localeCombo")
        self.locale_combo.addItem(_("System"), "")
        for name in LOCALES:
            self.locale_combo.addItem(name, name)
        if policy.locale and self.locale_combo.findData(policy.locale) < 0:
            self.locale_combo.addItem(policy.locale, policy.locale)
        self.locale_combo.setCurrentIndex(max(0, self.locale_combo.findData(policy.locale)))
        self.owner_edit = QLineEdit(policy.owner_name, self)
        self.owner_edit.setObjectName("ownerEdit")
        self.owner_edit.setPlaceholderText(_("printed at the top of the day sheet"))
        form = QFormLayout()
        form.addRow(_("Your name"), self.owner_edit)
        form.addRow(_("Daily reserve"), self.reserve_edit)
        form.addRow(_("Wrap-up after a meeting"), self.wrapup_edit)
        form.addRow(_("Wrap-up after a block"), self.wrapup_block_edit)
        form.addRow(_("Default travel time"), self.travel_edit)
        form.addRow(_("Base location"), self.base_combo)
        form.addRow("", self.travel_from_base)
        form.addRow(_("Language and formats"), self.locale_combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("okButton")
        for edit in (*self.day_starts, *self.day_ends):
            edit.validity_changed.connect(self._validity_changed)
        rules = QWidget(self)
        rules_layout = QVBoxLayout(rules)
        rules_layout.addWidget(hours_box)
        rules_layout.addLayout(form)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("settingsPages")
        self.pages.setAccessibleName(_("Settings pages"))
        self.pages.addTab(rules, _("Rules"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(buttons)

    def add_page(self, title: str, page: QWidget) -> None:
        """Another page of settings (Accounts): saved by its own buttons, not by OK."""
        self.pages.addTab(page, title)

    def _minutes(self, name: str, value: int) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(0, 24 * 60)
        spin.setSingleStep(5)
        spin.setSuffix(" " + _("min"))
        spin.setValue(value)
        return spin

    def policy(self) -> Policy:
        week: list[WorkingHours | None] = []
        for check, start, end in zip(self.day_checks, self.day_starts, self.day_ends, strict=True):
            if check.isChecked() and end.time() > start.time():
                week.append(WorkingHours(_time(start.time()), _time(end.time())))
            else:
                week.append(None)
        return replace(
            self._policy,
            week=tuple(week),
            reserve_minutes=self.reserve_edit.value(),
            wrapup_meeting_minutes=self.wrapup_edit.value(),
            wrapup_block_minutes=self.wrapup_block_edit.value(),
            default_travel_minutes=self.travel_edit.value(),
            base_location_id=self.base_combo.currentData(),
            travel_from_base=self.travel_from_base.isChecked(),
            locale=self.locale_combo.currentData() or "",
            owner_name=self.owner_edit.text().strip(),
        )

    def _validity_changed(self) -> None:
        self.ok_button.setEnabled(all(e.valid for e in (*self.day_starts, *self.day_ends)))

    def accept(self) -> None:
        if not self.ok_button.isEnabled():
            return  # a working hour that cannot be read: its field says why
        self.submitted.emit(self.policy())
        super().accept()


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def _time(value: QTime) -> time:
    return time(value.hour(), value.minute())
