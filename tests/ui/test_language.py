"""A language chosen in the settings applies at once, everywhere: the menus, the painted time
axis, the panels already open, the report window, Qt's own buttons; counts in the plural
form of the language."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from diary.services import DiaryService
from diary.ui.main_window import MainWindow

from tests.ui.conftest import MONDAY, FakeClock, Seed, at, find_dialog, settle


class Paints(QObject):
    """Which widgets have painted since it was installed."""

    def __init__(self, widgets: list[QWidget]) -> None:
        super().__init__()
        self.waiting = {id(w): w for w in widgets}
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.waiting.pop(id(watched), None)
        return False


def choose_language(qtbot: QtBot, window: MainWindow, service: DiaryService, locale: str) -> None:
    """Settings…, the language combo, OK: as a person does."""
    window.settings_action.trigger()
    qtbot.waitUntil(lambda: find_dialog("settingsDialog") is not None)
    dialog = find_dialog("settingsDialog")
    assert dialog is not None
    combo = dialog.findChild(QComboBox, "localeCombo")
    combo.setCurrentIndex(combo.findData(locale))
    qtbot.mouseClick(dialog.findChild(QPushButton, "okButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.formatter.locale == locale, timeout=5000)
    assert service.policy().locale == locale


@pytest.mark.parametrize(
    ("locale", "hour", "new_promise", "add_customer", "report", "cancel"),
    [
        ("de_DE", "08:00", "Neue Zusage…", "Hinzufügen…", "Zeit pro Kunde", "Abbrechen"),
        ("fr_FR", "08:00", "Nouvel engagement…", "Ajouter…", "Temps par client", "Annuler"),
    ],
)
def test_a_language_change_applies_everywhere_at_once(
    qtbot: QtBot,
    window: MainWindow,
    service: DiaryService,
    locale: str,
    hour: str,
    new_promise: str,
    add_customer: str,
    report: str,
    cancel: str,
) -> None:
    window.show_panel(window.promises_dock)
    window.show_panel(window.customers_dock)
    window.report_action.trigger()
    assert window.week_view.hour_label(8) == "8:00 AM"
    parts = [w for w in window.week_view.findChildren(QWidget) if w.isVisible()]
    painted = Paints(parts)
    choose_language(qtbot, window, service, locale)
    # The time axis and the day names are painted again now, not when next navigated.
    qtbot.waitUntil(lambda: not painted.waiting, timeout=5000)
    assert window.week_view.hour_label(8) == hour
    # The panels that were open speak it too, without a restart.
    assert window.promises_panel.new_button.text() == new_promise
    assert window.customers_panel.add_button.text() == add_customer
    assert window.promises_dock.widget() is window.promises_panel
    shown = window.report_window
    assert shown is not None and shown.isVisible() and shown.windowTitle() == report
    # Qt's own words as well: a dialog's Cancel button.
    window.new_appointment(at(MONDAY, 14), at(MONDAY, 15))
    qtbot.waitUntil(lambda: find_dialog("appointmentDialog") is not None)
    dialog = find_dialog("appointmentDialog")
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == cancel
    dialog.close()
    settle(qtbot, window)


def test_counts_follow_the_plural_rules_of_french(
    qtbot: QtBot, window: MainWindow, service: DiaryService, seed: Seed, tmp_path: Path
) -> None:
    # Made at the window's clock (Monday 07:00, not today's date: the suite runs on any
    # date), checked 24 hours before it is due, on Sunday: not confirmed, so at risk now.
    maker = DiaryService.open(seed.url, clock=FakeClock(at(MONDAY, 7)))
    try:
        maker.add_promise("Müller GmbH", "Send the bathroom quote", at(MONDAY, 17))
    finally:
        maker.close()
    window.show_panel(window.promises_dock)
    choose_language(qtbot, window, service, "fr_FR")
    summary = window.promises_panel.summary_label
    # One at risk is "menacé", none late is "0 en retard": each count in its own form.
    qtbot.waitUntil(lambda: summary.text() == "1 en cours · 1 menacé · 0 en retard", timeout=5000)
    # The seeded week has no open conflict: French says it in the singular, not "0 conflits".
    qtbot.waitUntil(lambda: window.conflicts_label.text() == "0 conflit ouvert")
    target = tmp_path / "out.ics"
    window.transfer.ask_save = lambda parent, title: str(target)
    with qtbot.waitSignal(window.transfer.finished, timeout=10_000):
        window.export_action.trigger()
    message = window.statusBar().currentMessage()
    # Several events in the plural, the one promise in the singular (0 takes it too in
    # French: "0 conflit ouvert" above).
    assert " événements et 1 engagement exportés vers " in message, message
