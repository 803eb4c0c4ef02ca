"""A screen reader can name every control: the accessibility tree of the main window (each
view, each panel) and of the report window has no nameless interactive widget."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QApplication, QToolBar, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from diary.crash import CrashReport
from diary.ui.crash_dialog import CrashDialog
from diary.ui.main_window import MainWindow

from tests.ui.conftest import MONDAY, find_dialog, settle

Role = QAccessible.Role
# Roles a person acts on (a plain pane or label is not one, unless it takes the focus).
INTERACTIVE = {
    Role.PushButton,
    Role.CheckBox,
    Role.RadioButton,
    Role.ComboBox,
    Role.EditableText,
    Role.SpinBox,
    Role.Slider,
    Role.Dial,
    Role.ButtonMenu,
    Role.ButtonDropDown,
    Role.List,
    Role.Table,
    Role.Tree,
    Role.PageTab,
    Role.MenuItem,
    Role.Link,
}
# An item of a list, table or tree is named by its text: an empty cell is empty, not nameless.
ITEMS = {Role.Cell, Role.TreeItem, Role.ListItem, Role.Row, Role.ColumnHeader, Role.RowHeader}


def nameless(top: QWidget) -> list[str]:
    """Every visible interactive node under `top` without an accessible name, as a path."""
    found: list[str] = []

    def walk(node: QAccessibleInterface, path: str, depth: int) -> None:
        obj = node.object()
        here = f"{path}/{node.role().name}:{type(obj).__name__}#{obj.objectName() if obj else ''}"
        state = node.state()
        interactive = (state.focusable and node.role() not in ITEMS) or node.role() in INTERACTIVE
        if interactive and not state.invisible and not node.text(QAccessible.Text.Name).strip():
            found.append(here)
        assert depth < 40, f"the accessibility tree loops at {here}"
        for i in range(node.childCount()):
            child = node.child(i)
            if child is not None:
                walk(child, here, depth + 1)

    root = QAccessible.queryAccessibleInterface(top)
    assert root is not None
    walk(root, "", 0)
    return found


def test_every_control_of_the_main_window_has_a_name(qtbot: QtBot, window: MainWindow) -> None:
    missing: set[str] = set()
    for view in ("day", "week", "month", "agenda"):
        window.set_view(view)
        window.show_date(MONDAY)
        settle(qtbot, window)
        for dock in (window.customers_dock, window.promises_dock):
            window.show_panel(dock)
            qtbot.waitUntil(lambda dock=dock: dock.widget() is not None and dock.isVisible())
            QApplication.processEvents()
            missing.update(nameless(window))
    assert sorted(missing) == []


def test_previous_and_next_say_what_they_do(qtbot: QtBot, window: MainWindow) -> None:
    toolbar = window.findChild(QToolBar, "mainToolBar")
    buttons = {
        button.defaultAction().objectName(): button
        for button in toolbar.findChildren(QToolButton)
        if button.defaultAction() is not None
    }
    previous, following = buttons["previousAction"], buttons["nextAction"]
    assert (previous.text(), following.text()) == ("Previous", "Next")
    assert previous.toolButtonStyle().name == "ToolButtonTextBesideIcon"  # words are shown
    window.set_view("week")
    described = QAccessible.queryAccessibleInterface(previous)
    assert described.text(QAccessible.Text.Name) == "Previous"
    assert described.text(QAccessible.Text.Description).startswith("Previous week")
    window.set_view("month")
    assert following.toolTip().startswith("Next month")


def test_the_report_window_has_names_and_a_table_of_the_chart(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.report_action.trigger()
    report_window = window.report_window
    assert report_window is not None
    qtbot.waitUntil(lambda: report_window.report is not None, timeout=5000)
    assert nameless(report_window) == []
    report_window.tabs.setCurrentWidget(report_window.table)
    assert nameless(report_window) == []
    table = QAccessible.queryAccessibleInterface(report_window.table)
    assert table.role() == Role.Table
    assert table.text(QAccessible.Text.Name) == "Time per customer as a table"
    report_window.close()


def test_the_dialogs_name_their_controls(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.new_action.trigger()
    qtbot.waitUntil(lambda: find_dialog("appointmentDialog") is not None)
    window.open_settings()
    qtbot.waitUntil(lambda: find_dialog("settingsDialog") is not None)
    window.about_action.trigger()
    crash = CrashDialog(CrashReport("ValueError: x", "...", tmp_path / "diary.log"))
    qtbot.addWidget(crash)
    crash.show()
    shown = {}
    for name in ("appointmentDialog", "settingsDialog", "aboutDialog", "crashDialog"):
        dialog = find_dialog(name)
        assert dialog is not None, name
        shown[name] = nameless(dialog)
    assert shown == {name: [] for name in shown}
    crash.close()
