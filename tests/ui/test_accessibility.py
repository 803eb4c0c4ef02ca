"""A screen reader can name every control: the accessibility tree of the main window (each
view, each panel) and of the report window has no nameless interactive widget."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtTest import QTest
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
    assert (previous.text(), following.text()) == ("◀ Previous", "Next ▶")  # words shown
    window.set_view("week")
    described = QAccessible.queryAccessibleInterface(previous)
    assert described.text(QAccessible.Text.Name) == "Previous"  # heard without the glyph
    assert described.text(QAccessible.Text.Description).startswith("Previous week")
    window.set_view("month")
    assert following.toolTip().startswith("Next month")
    assert window.previous_action.text() == "Previous"  # the View menu's item


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


def _grid_nodes(view: QWidget) -> list[tuple[str, list[tuple[str, str, QAccessible.State]]]]:
    """The week or day view as a screen reader walks it: each day's list and its items."""
    grid = QAccessible.queryAccessibleInterface(view)
    assert grid is not None
    days = []
    for i in range(grid.childCount()):
        node = grid.child(i)
        if node is None or node.role() != Role.List:
            continue
        items = []
        for j in range(node.childCount()):
            item = node.child(j)
            assert item.role() == Role.ListItem and item.parent().text(Name) == node.text(Name)
            items.append((item.text(Name), item.text(QAccessible.Text.Description), item.state()))
        days.append((node.text(Name), items))
    return days


Name = QAccessible.Text.Name


def test_a_screen_reader_walks_the_week_appointment_by_appointment(
    qtbot: QtBot, window: MainWindow
) -> None:
    from datetime import timedelta

    from diary.services import Draft

    from tests.ui.conftest import at

    tuesday = MONDAY + timedelta(days=1)
    window.changes.book(Draft("Emergency", at(tuesday, 12, 30), at(tuesday, 13, 30)))
    qtbot.waitUntil(lambda: window.changes.dialog is not None)
    from diary.ui.refusal import Answer

    window.changes.dialog._answer(Answer.OVERRIDE, "burst pipe")  # noqa: SLF001 - as in test_views
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1)
    settle(qtbot, window)
    days = _grid_nodes(window.week_view)
    assert len(days) == 7
    names = dict(days)
    assert names["Monday, March 1, 2027: 2 appointments"][0][0] == (
        "9:00 AM – 10:00 AM, Kitchen survey"
    )
    quote_name, quote_description, _state = names["Monday, March 1, 2027: 2 appointments"][1]
    assert quote_name == "11:00 AM – 12:00 PM, Bathroom quote"
    assert "Müller GmbH" in quote_description and "25 min travel from Lindenweg" in (
        quote_description
    )
    tuesday_items = names["Tuesday, March 2, 2027: 2 appointments"]
    assert [name for name, _d, _s in tuesday_items] == [
        "12:00 PM – 1:00 PM, Lunch, conflict",
        "12:30 PM – 1:30 PM, Emergency, conflict",
    ]
    assert "Double-booked" in tuesday_items[1][1] or "double-booked" in tuesday_items[1][1]
    assert "Kept anyway: burst pipe" in tuesday_items[1][1]
    assert names["Sunday, February 28, 2027: no appointments"] == []

    # The keyboard selects the first appointment: it is the one a screen reader is told of.
    window.week_view.setFocus()
    QTest.keyClick(window.week_view, Qt.Key.Key_Down)
    grid = QAccessible.queryAccessibleInterface(window.week_view)
    focused = grid.focusChild()
    assert focused is not None and focused.text(Name) == "9:00 AM – 10:00 AM, Kitchen survey"
    monday = dict(_grid_nodes(window.week_view))["Monday, March 1, 2027: 2 appointments"]
    assert monday[0][2].selected and not monday[1][2].selected
    assert nameless(window.week_view) == []


def test_the_day_view_reads_its_day(qtbot: QtBot, window: MainWindow) -> None:
    window.set_view("day")
    window.show_date(MONDAY)
    settle(qtbot, window)
    (day,) = _grid_nodes(window.day_view)
    assert day[0] == "Monday, March 1, 2027: 2 appointments"
    assert [name for name, _d, _s in day[1]] == [
        "9:00 AM – 10:00 AM, Kitchen survey",
        "11:00 AM – 12:00 PM, Bathroom quote",
    ]
