"""The window's actions, its toolbar and its menu bar: what each command is called, its
keys, and where it sits. The actions call the window's methods; they decide nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu

from diary.i18n import _
from diary.ui import last_start
from diary.ui.accessible import Say
from diary.ui.window_views import AGENDA, DAY, MONTH, WEEK

if TYPE_CHECKING:
    from diary.ui.main_window import MainWindow


class WindowActions:
    """Every action of `window` (each a child of the window, found by its object name),
    placed on the "mainToolBar" and in the File, Edit, View, Reports and Help menus.

    Built after the window's views, docks and search field, which it places. The words go
    through `say`, so they change with the language; undo and redo are made anew then
    (`remake_undo_actions`), as QUndoStack fixes their word when it makes them.
    """

    def __init__(self, window: MainWindow, say: Say) -> None:
        self._window = window
        self._say = say
        self.today_action = self._action(lambda: _("Today"))
        self.today_action.setObjectName("todayAction")
        self.today_action.setShortcut(QKeySequence("Ctrl+T"))
        self.today_action.triggered.connect(window.navigation.go_today)
        self.previous_action = self._action(lambda: _("Previous"))
        self.previous_action.setObjectName("previousAction")
        self.previous_action.setShortcut(QKeySequence(QKeySequence.StandardKey.MoveToPreviousPage))
        self.previous_action.triggered.connect(lambda: window.step(-1))
        self.next_action = self._action(lambda: _("Next"))
        self.next_action.setObjectName("nextAction")
        self.next_action.setShortcut(QKeySequence(QKeySequence.StandardKey.MoveToNextPage))
        self.next_action.triggered.connect(lambda: window.step(1))
        self.view_actions: dict[str, QAction] = {}
        group = QActionGroup(window)
        labels: tuple[tuple[str, Callable[[], str], str], ...] = (
            (DAY, lambda: _("Day"), "Ctrl+1"),
            (WEEK, lambda: _("Week"), "Ctrl+2"),
            (MONTH, lambda: _("Month"), "Ctrl+3"),
            (AGENDA, lambda: _("Agenda"), "Ctrl+4"),
        )
        for name, label, key in labels:
            action = self._action(label)
            action.setObjectName(f"{name}Action")
            action.setCheckable(True)
            action.setShortcut(QKeySequence(key))
            action.setData(name)
            action.triggered.connect(lambda _checked=False, name=name: window.set_view(name))
            group.addAction(action)
            self.view_actions[name] = action
        self.new_action = self._action(lambda: _("New appointment"))
        self.new_action.setObjectName("newAction")
        self.new_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.new_action.triggered.connect(window.appointments.new_at_next_free_slot)
        self.undo_action, self.redo_action = self._undo_actions()
        self.cancel_action = self._action(lambda: _("Cancel appointment"))
        self.cancel_action.setObjectName("cancelAppointmentAction")
        self.cancel_action.triggered.connect(window.appointments.cancel_selected)
        self.settings_action = self._action(lambda: _("Settings…"))
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.triggered.connect(window.open_settings)
        self.print_action = self._action(lambda: _("Print day sheet…"))
        self.print_action.setObjectName("printAction")
        self.print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_action.triggered.connect(window.print_day_sheet)
        self.save_view_action = self._action(lambda: _("Save view as PDF…"))
        self.save_view_action.setObjectName("saveViewAction")
        self.save_view_action.triggered.connect(window.dialogs.save_view_as_pdf)
        quit_action = self._action(lambda: _("Quit"))
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(window.quit)

        toolbar = window.addToolBar("")
        say(toolbar.setWindowTitle, lambda: _("Navigation"))
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.addAction(self.today_action)
        toolbar.addAction(self.previous_action)
        toolbar.addAction(self.next_action)
        # On the toolbar Previous and Next show an arrow beside their word (a glyph: a
        # style's icons cost the first paint ~10 ms); a screen reader hears the word alone.
        for action, arrow in ((self.previous_action, "◀ {}"), (self.next_action, "{} ▶")):
            say(action.setIconText, _with_arrow(action, arrow))
            button = toolbar.widgetForAction(action)
            if button is not None:
                say(button.setAccessibleName, action.text)
        self.title_label = QLabel(window)
        self.title_label.setObjectName("titleLabel")
        self.title_label.setMinimumWidth(200)
        self.title_label.setStyleSheet("font-weight: bold; padding: 0 12px;")
        toolbar.addWidget(self.title_label)
        toolbar.addSeparator()
        for action in self.view_actions.values():
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.new_action)
        toolbar.addSeparator()
        toolbar.addWidget(window.search.edit)

        self.import_action = self._action(lambda: _("Import…"))
        self.import_action.setObjectName("importAction")
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(lambda: window.transfer.import_file())
        self.export_action = self._action(lambda: _("Export…"))
        self.export_action.setObjectName("exportAction")
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(lambda: window.transfer.export_file())
        self.restore_action = self._action(lambda: _("Restore from backup…"))
        self.restore_action.setObjectName("restoreAction")
        self.restore_action.triggered.connect(lambda: window.backup_restore.start())
        self.hide_to_tray_action = self._action(lambda: _("Keep running in the tray when closed"))
        self.hide_to_tray_action.setObjectName("hideToTrayAction")
        self.hide_to_tray_action.setCheckable(True)
        self.hide_to_tray_action.setChecked(
            bool(last_start.settings().value("hide_to_tray", True, type=bool))
        )
        self.hide_to_tray_action.toggled.connect(
            lambda on: last_start.settings().setValue("hide_to_tray", on)
        )
        self.report_action = self._action(lambda: _("Time per customer…"))
        self.report_action.setObjectName("reportAction")
        self.report_action.triggered.connect(window.open_report)

        file_menu = self._menu(lambda: _("&File"), "fileMenu")
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.print_action)
        file_menu.addAction(self.save_view_action)
        file_menu.addAction(self.settings_action)
        file_menu.addAction(self.hide_to_tray_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        self._edit_menu = edit_menu = self._menu(lambda: _("&Edit"), "editMenu")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.new_action)
        edit_menu.addAction(self.cancel_action)
        edit_menu.addSeparator()
        edit_menu.addAction(window.search.action)
        view_menu = self._menu(lambda: _("&View"), "")
        view_menu.addAction(self.today_action)
        view_menu.addAction(self.previous_action)
        view_menu.addAction(self.next_action)
        view_menu.addSeparator()
        for action in self.view_actions.values():
            view_menu.addAction(action)
        view_menu.addSeparator()
        for dock, key in ((window.customers_dock, "Ctrl+5"), (window.promises_dock, "Ctrl+6")):
            toggle = dock.toggleViewAction()
            toggle.setObjectName(f"{dock.objectName()}Action")
            toggle.setShortcut(QKeySequence(key))
            view_menu.addAction(toggle)
        self.file_menu, self.view_menu = file_menu, view_menu  # the sync adds to them
        reports_menu = self._menu(lambda: _("&Reports"), "reportsMenu")
        reports_menu.addAction(self.report_action)
        self.about_action = self._action(lambda: _("About diary"))
        self.about_action.setObjectName("aboutAction")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(window.open_about)
        help_menu = self._menu(lambda: _("&Help"), "helpMenu")
        help_menu.addAction(self.about_action)

    @property
    def data_actions(self) -> list[QAction]:
        """What needs an open diary: off until it is open, and for good if it cannot be."""
        return [
            self.new_action,
            self.cancel_action,
            self.settings_action,
            self.import_action,
            self.export_action,
            self.restore_action,
            self.report_action,
        ]

    def name_steps(self, view_name: str) -> None:
        """Previous and Next say what they step by in the view called `view_name` (their
        tooltip, which a screen reader reads as the buttons' description)."""
        before, after = {
            DAY: (_("Previous day"), _("Next day")),
            WEEK: (_("Previous week"), _("Next week")),
            MONTH: (_("Previous month"), _("Next month")),
            AGENDA: (_("4 weeks earlier"), _("4 weeks later")),
        }[view_name]
        for action, words in ((self.previous_action, before), (self.next_action, after)):
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{words} ({keys})" if keys else words)

    def remake_undo_actions(self) -> None:
        """Undo and redo in the language installed now: QUndoStack fixes the word of the
        actions it makes, so they are made anew, in the same place in the Edit menu."""
        undo, redo = self._undo_actions()
        for old, new in ((self.undo_action, undo), (self.redo_action, redo)):
            self._edit_menu.insertAction(old, new)
            self._edit_menu.removeAction(old)
            old.deleteLater()
        self.undo_action, self.redo_action = undo, redo

    def _undo_actions(self) -> tuple[QAction, QAction]:
        """Undo and redo, named after the command they undo ("Undo move Kitchen survey")."""
        window = self._window
        undo = window.undo_stack.createUndoAction(window, _("Undo"))
        undo.setObjectName("undoAction")
        undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        redo = window.undo_stack.createRedoAction(window, _("Redo"))
        redo.setObjectName("redoAction")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        return undo, redo

    def _menu(self, title: Callable[[], str], name: str) -> QMenu:
        menu = self._window.menuBar().addMenu("")
        self._say(menu.setTitle, title)
        if name:
            menu.setObjectName(name)
        return menu

    def _action(self, text: Callable[[], str]) -> QAction:
        action = text_action("", self._window)
        self._say(action.setText, text)
        return action


def _with_arrow(action: QAction, pattern: str) -> Callable[[], str]:
    """The action's word with an arrow glyph where `pattern` puts it ("◀ {}")."""
    return lambda: pattern.format(action.text())


def text_action(text: str, parent: QObject) -> QAction:
    """An action with its text. (Passing the text to QAction() makes PySide weigh the
    constructor taking an icon first, which builds all of QIcon's enums: 2 ms of the start.)"""
    action = QAction(parent)
    action.setText(text)
    return action
