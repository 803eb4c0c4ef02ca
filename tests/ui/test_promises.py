"""The Promises panel: sections, a new promise with a suggested due, the 24-hour check,
done, and telling the customer through their channel."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QSpinBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from diary.domain.model import Channel
from diary.domain.promises import PromiseStatus
from diary.services import DiaryService
from diary.ui.main_window import MainWindow
from diary.ui.promises_panel import WHAT, PromiseDialog, PromisesPanel, Section

from tests.ui.conftest import TODAY, FakeClock, at, find_dialog, settle


@dataclass
class Promised:
    soon: int  # Krause, due Friday: due soon
    risky: int  # Müller, due tonight, check not confirmed: at risk; depends on Anna
    late: int  # Krause, was due yesterday evening
    far: int  # Müller, due in a month


def _arrange(service: DiaryService, clock: FakeClock) -> Promised:
    for name, channel in (("Familie Krause", Channel.EMAIL), ("Müller GmbH", Channel.TEXT)):
        customer = service.customer(name)
        service.update_customer(
            replace(customer, email="krause@example.org", phone="+49 30 555", prefers=channel)
        )
    now = clock.now
    clock.now = now - timedelta(days=1)
    late = service.add_promise(
        "Familie Krause", "Return the keys", at(TODAY, 0) - timedelta(hours=3)
    )
    clock.now = now
    soon = service.add_promise(
        "Familie Krause", "Send the quote", at(TODAY + timedelta(days=2), 12)
    )
    risky = service.add_promise(
        "Müller GmbH", "Order the tiles", at(TODAY, 18), effort=30, depends_on="Anna"
    )
    far = service.add_promise("Müller GmbH", "Final invoice", at(TODAY + timedelta(days=30), 12))
    return Promised(soon.id, risky.id, late.id, far.id)


def _panel(qtbot: QtBot, window: MainWindow, count: int) -> PromisesPanel:
    window.show_panel(window.promises_dock)
    panel = window.findChild(PromisesPanel, "promisesPanel")
    assert panel is not None
    window.bridge.touch("promises")
    qtbot.waitUntil(lambda: panel.model.rowCount() == count)
    return panel


def _click_row(qtbot: QtBot, panel: PromisesPanel, what: str) -> None:
    for row in range(panel.proxy.rowCount()):
        index = panel.proxy.index(row, WHAT)
        if str(index.data()).startswith(what):
            rect = panel.table.visualRect(index)
            qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            assert panel.selected() is not None
            return
    raise AssertionError(f"{what} not shown")


def _shown(panel: PromisesPanel) -> list[str]:
    return sorted(str(panel.proxy.index(row, WHAT).data()) for row in range(panel.proxy.rowCount()))


def test_sections_show_due_soon_at_risk_and_late(
    qtbot: QtBot,
    clocked_window: MainWindow,
    clocked_service: DiaryService,
    clock: FakeClock,
    qtmodeltester: ModelTester,
) -> None:
    _arrange(clocked_service, clock)
    panel = _panel(qtbot, clocked_window, 4)
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.proxy)
    assert panel.summary_label.text() == "4 open · 1 at risk · 1 late"
    combo = panel.section_combo
    combo.setCurrentIndex(combo.findData(Section.LATE.value))
    assert _shown(panel) == ["Return the keys"]
    combo.setCurrentIndex(combo.findData(Section.AT_RISK.value))
    assert _shown(panel) == ["Order the tiles (Anna)"]
    assert "24-hour check" in str(panel.proxy.index(0, 5).data())
    combo.setCurrentIndex(combo.findData(Section.DUE_SOON.value))
    assert _shown(panel) == ["Order the tiles (Anna)", "Send the quote"]
    combo.setCurrentIndex(combo.findData(Section.ALL.value))
    assert len(_shown(panel)) == 4


def test_new_promise_with_when_can_i_promise_this(
    qtbot: QtBot, clocked_window: MainWindow, clocked_service: DiaryService
) -> None:
    panel = _panel(qtbot, clocked_window, 0)
    qtbot.mouseClick(panel.findChild(QPushButton, "newPromiseButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_dialog("promiseDialog") is not None)
    dialog = panel.dialog
    assert isinstance(dialog, PromiseDialog)
    qtbot.waitUntil(lambda: dialog.customer_edit.count() == 2)  # names for the completion
    dialog.customer_edit.setEditText("Müller GmbH")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "whatEdit"), "Bathroom plan")
    effort = dialog.findChild(QSpinBox, "effortEdit")
    effort.setFocus()
    effort.selectAll()
    qtbot.keyClicks(effort, "600")
    assert dialog.effort == 600
    qtbot.keyClicks(dialog.findChild(QLineEdit, "dependsOnEdit"), "Anna")
    expected = clocked_service.suggest_due(600)
    qtbot.mouseClick(dialog.findChild(QPushButton, "suggestDueButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.due == expected)
    assert "You can promise" in dialog.suggestion_label.text()
    qtbot.mouseClick(dialog.findChild(QPushButton, "okButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(clocked_service.promises()) == 1)
    stored = clocked_service.promises()[0].promise
    assert (stored.customer.name, stored.what, stored.due, stored.effort_minutes) == (
        "Müller GmbH",
        "Bathroom plan",
        expected,
        600,
    )
    assert stored.depends_on == "Anna"
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)


def test_confirm_asks_the_check_questions_then_done(
    qtbot: QtBot, clocked_window: MainWindow, clocked_service: DiaryService, clock: FakeClock
) -> None:
    promised = _arrange(clocked_service, clock)
    panel = _panel(qtbot, clocked_window, 4)
    _click_row(qtbot, panel, "Order the tiles")
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_dialog("confirmPromiseDialog") is not None)
    box = panel.question
    assert isinstance(box, QMessageBox)
    assert "Is everything in hand for “Order the tiles” (Müller GmbH)?" in box.text()
    assert "Has Anna confirmed?" in box.text()
    qtbot.mouseClick(box.findChild(QPushButton, "confirmYesButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: clocked_service.promise(promised.risky).status is PromiseStatus.CHECKED)
    qtbot.waitUntil(lambda: panel.summary_label.text() == "4 open · 0 at risk · 1 late")
    _click_row(qtbot, panel, "Send the quote")
    qtbot.mouseClick(panel.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: clocked_service.promise(promised.soon).status is PromiseStatus.DONE)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3)


def test_tell_customer_by_email_text_and_phone(
    qtbot: QtBot, clocked_window: MainWindow, clocked_service: DiaryService, clock: FakeClock
) -> None:
    _arrange(clocked_service, clock)
    panel = _panel(qtbot, clocked_window, 4)
    opened: list[QUrl] = []
    panel.open_url = lambda url: opened.append(url) or True
    # Krause prefers e-mail: the mail program opens with the drafted message.
    _click_row(qtbot, panel, "Return the keys")
    with qtbot.waitSignal(panel.message_shown):
        qtbot.mouseClick(panel.tell_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    assert opened[0].scheme() == "mailto"
    assert opened[0].toString().startswith("mailto:krause@example.org")
    # Müller prefers text: the message lands on the clipboard, with a confirmation.
    _click_row(qtbot, panel, "Order the tiles")
    with qtbot.waitSignal(panel.message_shown) as shown:
        qtbot.mouseClick(panel.tell_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == shown.args[0].body
    assert find_dialog("textCopiedDialog") is not None
    panel.notice.close()  # type: ignore[union-attr]
    # By phone: the call script is shown.
    krause = clocked_service.customer("Familie Krause")
    clocked_service.update_customer(replace(krause, prefers=Channel.PHONE))
    _click_row(qtbot, panel, "Return the keys")
    with qtbot.waitSignal(panel.message_shown) as shown:
        qtbot.mouseClick(panel.tell_button, Qt.MouseButton.LeftButton)
    assert find_dialog("callScriptDialog") is not None
    script = panel.notice.findChild(QPlainTextEdit, "callScript")  # type: ignore[union-attr]
    assert script.toPlainText() == shown.args[0].call_script
    settle(qtbot, clocked_window)
