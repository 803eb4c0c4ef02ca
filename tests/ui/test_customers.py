"""The Customers panel: its model, adding and editing through the dialog, the filter, history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QTreeWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from diary.services import DiaryService
from diary.ui.customers import NAME, CustomerDialog, CustomerHistoryDialog, CustomersPanel
from diary.ui.main_window import MainWindow

from tests.ui.conftest import find_dialog, settle


def _panel(qtbot: QtBot, window: MainWindow) -> CustomersPanel:
    window.show_panel(window.customers_dock)
    panel = window.findChild(CustomersPanel, "customersPanel")
    assert panel is not None
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    return panel


def _row_of(panel: CustomersPanel, name: str) -> int:
    for row in range(panel.proxy.rowCount()):
        if panel.proxy.index(row, NAME).data() == name:
            return row
    raise AssertionError(f"{name} not shown")


def test_customer_model_and_filter_pass_the_model_tester(
    qtbot: QtBot, window: MainWindow, qtmodeltester: ModelTester
) -> None:
    panel = _panel(qtbot, window)
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.proxy)
    assert [panel.proxy.index(r, NAME).data() for r in range(2)] == [
        "Familie Krause",
        "Müller GmbH",
    ]
    # The next appointment is filled in from the service (Monday's meetings are ahead of now).
    assert panel.proxy.index(0, 5).data()


def test_add_a_customer_through_the_dialog_then_filter(
    qtbot: QtBot, window: MainWindow, service: DiaryService
) -> None:
    panel = _panel(qtbot, window)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_dialog("customerDialog") is not None)
    dialog = panel.dialog
    assert isinstance(dialog, CustomerDialog)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "nameEdit"), "Schulz Bakery")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "phoneEdit"), "+49 30 1234")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "emailEdit"), "info@schulz.example")
    combo = dialog.findChild(QComboBox, "channelCombo")
    combo.setCurrentIndex(combo.findData("text"))
    qtbot.mouseClick(dialog.findChild(QPushButton, "okButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_dialog("customerDialog") is None)
    stored = service.customer("Schulz Bakery")
    assert (stored.phone, stored.email, stored.prefers.value) == (
        "+49 30 1234",
        "info@schulz.example",
        "text",
    )
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3)
    qtbot.keyClicks(panel.findChild(QLineEdit, "customerFilter"), "schulz")
    assert panel.proxy.rowCount() == 1
    assert panel.proxy.index(0, NAME).data() == "Schulz Bakery"
    panel.filter_edit.clear()
    assert panel.proxy.rowCount() == 3


def test_a_duplicate_name_is_refused_and_the_dialog_stays(
    qtbot: QtBot, window: MainWindow, service: DiaryService
) -> None:
    panel = _panel(qtbot, window)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None
    dialog.name_edit.setText("Müller GmbH")  # keyClicks takes ASCII only
    qtbot.mouseClick(dialog.findChild(QPushButton, "okButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "already exists" in dialog.error_label.text())
    assert dialog.isVisible()
    assert len(service.customers()) == 2


def test_edit_the_selected_customer(
    qtbot: QtBot, window: MainWindow, service: DiaryService
) -> None:
    panel = _panel(qtbot, window)
    row = _row_of(panel, "Müller GmbH")
    rect = panel.table.visualRect(panel.proxy.index(row, NAME))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None and dialog.name_edit.text() == "Müller GmbH"
    dialog.notes_edit.setPlainText("Gate code 4711")
    qtbot.keyClicks(dialog.phone_edit, "030 999")
    qtbot.mouseClick(dialog.findChild(QPushButton, "okButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: service.customer("Müller GmbH").phone == "030 999")
    assert service.customer("Müller GmbH").notes == "Gate code 4711"
    qtbot.waitUntil(lambda: panel.proxy.index(_row_of(panel, "Müller GmbH"), 1).data() == "030 999")


def test_double_click_opens_the_history(qtbot: QtBot, window: MainWindow) -> None:
    panel = _panel(qtbot, window)
    row = _row_of(panel, "Müller GmbH")
    rect = panel.table.visualRect(panel.proxy.index(row, NAME))
    # A real double-click: press and release, then the double-click event.
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: find_dialog("customerHistory") is not None)
    history = panel.history_dialog
    assert isinstance(history, CustomerHistoryDialog)
    qtbot.waitUntil(lambda: history.history is not None)
    settle(qtbot, window)
    tree = history.findChild(QTreeWidget, "historyAppointments")
    titles = [
        tree.topLevelItem(i).child(j).text(1)
        for i in range(tree.topLevelItemCount())
        for j in range(tree.topLevelItem(i).childCount())
    ]
    assert titles == ["Bathroom quote"]
    assert "25 min travel" in tree.topLevelItem(0).child(0).text(3)
    assert "1 meetings" in history.time_label.text()
    history.close()
