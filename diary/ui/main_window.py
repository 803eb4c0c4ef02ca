"""The appointment book window: it wires views, dialogs and the undo stack; it holds no rules."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Union
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QDate,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPaintEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from diary.domain.model import Appointment, Location, Policy, later
from diary.i18n import Formatter, _, install, ngettext
from diary.services.clock import Clock, SystemClock, today
from diary.ui import last_start, placement, window_keys
from diary.ui.accessible import name_calendar, name_view, name_widget
from diary.ui.bridge import BACKGROUND, Bridge
from diary.ui.changes import Changes
from diary.ui.week_view import TimeGridView

if TYPE_CHECKING:
    # Built on demand: the first paint does not wait for these modules.
    from PySide6.QtWidgets import QListView, QSystemTrayIcon

    from diary.services import DiaryService, Draft, Listed
    from diary.ui.agenda_view import AgendaView
    from diary.ui.appointment_dialog import AppointmentDialog
    from diary.ui.customers import CustomersPanel
    from diary.ui.models import FlaggedModel
    from diary.ui.month_view import MonthView
    from diary.ui.print_flow import SheetPrinting
    from diary.ui.promises_panel import PromisesPanel
    from diary.ui.reminders import Reminders
    from diary.ui.report_window import ReportWindow
    from diary.ui.restore import BackupRestore
    from diary.ui.search_popup import SearchPopup
    from diary.ui.settings_dialog import SettingsDialog
    from diary.ui.transfer import CalendarTransfer

log = logging.getLogger(__name__)

DAY, WEEK, MONTH, AGENDA = "day", "week", "month", "agenda"

View = Union["TimeGridView", "MonthView", "AgendaView"]


class MainWindow(QMainWindow):
    """The window over the diary `bridge` reaches.

    With a bridge still opening its diary (`Bridge.opening`) the window paints at once on
    `policy` (what it last showed for the diary named `remember_as`, else neutral defaults;
    see `last_start`), starts the opening after its first paint, says "Opening the
    diary…" until `bridge.ready`, then takes the stored policy, zone and locale and loads.
    `service` is what `bridge` holds (None while it opens); `window.service` reads the bridge's.
    """

    flagged_loaded = Signal()
    ready = Signal()  # the diary is open and the window shows its policy (see `is_ready`)

    def __init__(
        self,
        service: DiaryService | None,
        bridge: Bridge,
        policy: Policy,
        zone: str,
        *,
        clock: Clock | None = None,
        remember_as: str | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        # (setter, words): given again in the new language when the locale changes.
        self._said: list[tuple[Callable[[str], object], Callable[[], str]]] = []
        self.clock: Clock = clock or SystemClock()
        self.bridge = bridge
        self._remember_as = remember_as  # the diary's URL, for the next start (last_start)
        self.is_ready = False
        self.open_error: BaseException | None = None
        self._open_started = False
        bridge.setParent(self)
        self.policy = policy
        self.zone = zone
        self.formatter = Formatter(policy.locale or None, zone)
        install(self.formatter.locale)
        self.current_date = today(self.clock, zone)
        self.undo_stack = QUndoStack(self)
        self.changes = Changes(bridge, self.undo_stack, self.formatter, self)
        # Nothing fails silently: a call without its own failure path, and a change, undo or
        # redo that could not be stored, are said in the status bar (tracebacks in the log).
        self.failures: list[str] = []
        bridge.error.connect(self._call_failed)
        self.changes.failed.connect(self.show_failure)
        self.appointment_dialog: AppointmentDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self._closed = False
        self._quitting = False

        # Every view is built now (each loads only when shown), so each can be found by its
        # object name from the start.
        self.stack = QStackedWidget(self)
        self._views: dict[str, View] = {}
        self._current_view = WEEK
        self.week_view = self._grid(WEEK)
        for name in (DAY, MONTH, AGENDA):
            self.view(name)
        self.changes.titles = self._titles

        self.mini_month = QCalendarWidget(self)
        self.mini_month.setObjectName("miniMonth")
        self.mini_month.setGridVisible(False)
        self.mini_month.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader
        )
        self.mini_month.clicked.connect(self._mini_month_clicked)
        name_calendar(self.mini_month, self._say)
        side = QWidget(self)
        self._side_layout = side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 4, 4, 4)
        side_layout.addWidget(self.mini_month)
        self.flagged_title = QLabel(side)
        side_layout.addWidget(self.flagged_title)
        self._flagged_list: QListView | None = None
        self._flagged_model: FlaggedModel | None = None
        side_layout.addStretch(1)
        self.flagged_list  # noqa: B018 - built on first read
        side.setMaximumWidth(300)
        splitter = QSplitter(self)
        splitter.addWidget(side)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        self.setCentralWidget(splitter)

        # The panels are built when their dock is first shown (or `customers_panel` /
        # `promises_panel` first read): the docks start hidden, the first paint needs neither.
        self._customers_panel: CustomersPanel | None = None
        self._promises_panel: PromisesPanel | None = None
        self.customers_dock = self._dock(lambda: _("Customers"), "customersDock", self._customers)
        self.promises_dock = self._dock(lambda: _("Promises"), "promisesDock", self._promises)
        self.tabifyDockWidget(self.customers_dock, self.promises_dock)
        self._transfer: CalendarTransfer | None = None
        self._backup_restore: BackupRestore | None = None
        self.report_window: ReportWindow | None = None
        self._sheet_printing: SheetPrinting | None = None
        self.tray: QSystemTrayIcon | None = None
        self._reminders: Reminders | None = None
        self.notifications: list[tuple[str, str]] = []

        self.conflicts_label = QLabel(self)
        self.conflicts_label.setObjectName("conflictsLabel")
        self.statusBar().addPermanentWidget(self.conflicts_label)
        self._build_actions()
        self._apply_locale()
        placement.restore(self)  # the size and docks it was left with, on a screen
        window_keys.install(self)  # Esc and Ctrl+W close the report and every dialog
        bridge.changed.connect(self._days_changed)
        bridge.touched.connect(self._touched)
        self.set_view(WEEK)
        self.refresh_flagged()
        self._first_painted = False
        self._rest_started = False
        # Should no paint come (a window started hidden), start the rest anyway.
        QTimer.singleShot(1000, self._after_first_paint)
        if bridge.is_ready:
            self.is_ready = True
        else:
            self._await_diary()

    # -- opening the diary -----------------------------------------------------------

    @property
    def service(self) -> DiaryService:
        """The open diary (read it once `is_ready`; before then there is none)."""
        return self.bridge.service

    def _data_actions(self) -> list[QAction]:
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

    def _await_diary(self) -> None:
        for action in self._data_actions():
            action.setEnabled(False)
        for panel in self._panels():
            panel.setEnabled(False)
        self.statusBar().showMessage(_("Opening the diary…"))
        self.bridge.ready.connect(self._diary_opened)
        self.bridge.open_failed.connect(self._diary_not_opened)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self._first_painted:
            # The first paint is on screen: now the database layer, the tray and the
            # reminders may take the interpreter.
            self._first_painted = True
            log.info("window painted")  # (bench/bundle_bench.py times the start by it)
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        if self._rest_started or self._closed:
            return
        self._rest_started = True
        from diary.ui import qt_language

        qt_language.use(self.formatter.locale)
        if not self.bridge.is_ready:
            self._start_opening()  # first: the diary opens on its thread meanwhile
        # The icon after the first paint: loading QIcon costs the start some milliseconds,
        # and the window manager takes the icon whenever it comes.
        from diary.ui.app_icon import app_icon

        QApplication.setWindowIcon(app_icon())
        self.setWindowIcon(app_icon())
        self._start_tray()

    def _start_opening(self) -> None:
        if self._open_started or self._closed:
            return
        self._open_started = True
        self.bridge.open()

    def _diary_opened(self, prepared: object) -> None:
        if isinstance(prepared, tuple) and len(prepared) == 2:
            policy, zone = prepared
            if isinstance(policy, Policy) and isinstance(zone, str):
                if zone != self.zone:
                    shown_today = today(self.clock, self.zone)
                    self.zone = zone
                    if self.current_date == shown_today:
                        self.current_date = today(self.clock, zone)
                self.apply_policy(policy)
        for action in self._data_actions():
            action.setEnabled(True)
        for panel in self._panels():
            panel.setEnabled(True)
        self.statusBar().clearMessage()
        self.is_ready = True
        log.info("diary open")
        self.ready.emit()

    def _diary_not_opened(self, error: BaseException) -> None:
        self.open_error = error
        self.statusBar().showMessage(_("The diary could not be opened."))
        self.title_label.setText(_("No diary open"))
        self.setWindowTitle("diary — " + _("No diary open"))
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Critical,
            _("Diary not opened"),
            _("The diary could not be opened; nothing was changed.\n\n{problem}").format(
                problem=str(error) or type(error).__name__
            ),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("openFailedDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _dock(
        self, title: Callable[[], str], name: str, build: Callable[[], QWidget]
    ) -> QDockWidget:
        dock = QDockWidget(self)
        self._say(dock.setWindowTitle, title)
        dock.setObjectName(name)
        dock.visibilityChanged.connect(lambda visible: build() if visible else None)
        dock.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.hide()  # View > Customers / Promises shows them
        return dock

    @property
    def customers_panel(self) -> CustomersPanel:
        return self._customers()

    @property
    def promises_panel(self) -> PromisesPanel:
        return self._promises()

    def _customers(self) -> CustomersPanel:
        if self._customers_panel is None:
            from diary.ui.customers import CustomersPanel

            panel = CustomersPanel(self.bridge, self.formatter, self)
            self._customers_panel = panel
            self._place_panel(self.customers_dock, panel)
        return self._customers_panel

    def _promises(self) -> PromisesPanel:
        if self._promises_panel is None:
            from diary.ui.promises_panel import PromisesPanel

            panel = PromisesPanel(self.bridge, self.formatter, self.clock, self)
            self._promises_panel = panel
            self._place_panel(self.promises_dock, panel)
        return self._promises_panel

    def _place_panel(self, dock: QDockWidget, panel: QWidget) -> None:
        panel.setEnabled(self.bridge.is_ready)  # enabled when the diary opens
        dock.setWidget(panel)

    def _panels(self) -> list[CustomersPanel | PromisesPanel]:
        """The panels built so far."""
        return [p for p in (self._customers_panel, self._promises_panel) if p is not None]

    def show_panel(self, dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()

    # -- tray and reminders ----------------------------------------------------------

    @property
    def reminders(self) -> Reminders:
        """Leave-now, 24-hour checks, newly at risk: built when the tray starts, after the
        first paint (or when first asked for)."""
        if self._reminders is None:
            from diary.ui.reminders import Reminders

            self._reminders = Reminders(self.bridge, self.clock, self.notify, self.formatter, self)
        return self._reminders

    def _start_tray(self) -> None:
        from PySide6.QtWidgets import QSystemTrayIcon

        if QSystemTrayIcon.isSystemTrayAvailable():
            from diary.ui.app_icon import app_icon

            tray = QSystemTrayIcon(app_icon(), self)
            tray.setObjectName("trayIcon")
            tray.setToolTip("diary")
            tray.activated.connect(self._tray_activated)
            tray.show()
            self.tray = tray
        self.reminders.start()
        QTimer.singleShot(0, self.reminders.tick)

    def _call_failed(self, error: BaseException) -> None:
        self.show_failure(_("Could not be done: {error}").format(error=error))

    def show_failure(self, text: str) -> None:
        """Say in the status bar that something the owner asked for did not happen."""
        self.failures.append(text)
        self.statusBar().showMessage(text, 30_000)

    def notify(self, title: str, text: str) -> None:
        """Show a reminder: in the tray when there is one, else in the status bar."""
        self.notifications.append((title, text))
        if self.tray is not None and self.tray.isVisible():
            icon = type(self.tray).MessageIcon.Information
            self.tray.showMessage(title, text, icon, 15_000)
        self.statusBar().showMessage(f"{title} — {text}" if text else title, 30_000)

    def _tray_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if self.tray is not None and reason is type(self.tray).ActivationReason.Trigger:
            self.showNormal()
            self.raise_()
            self.activateWindow()

    # -- import, export, reports -----------------------------------------------------

    @property
    def transfer(self) -> CalendarTransfer:
        """File > Import / Export, built when first used."""
        if self._transfer is None:
            from diary.ui.transfer import CalendarTransfer

            self._transfer = CalendarTransfer(self.bridge, self)
            self._transfer.finished.connect(self._transfer_finished)
        return self._transfer

    @property
    def backup_restore(self) -> BackupRestore:
        """File > Restore from backup…, built when first used."""
        if self._backup_restore is None:
            from diary.ui.restore import BackupRestore

            self._backup_restore = BackupRestore(
                self.bridge, self, lambda: self.formatter, self._restored
            )
        return self._backup_restore

    def _restored(self, policy: Policy) -> None:
        # Undo steps hold values of the diary before the restore: none of them applies now.
        self.undo_stack.clear()
        self.apply_policy(policy)
        self.statusBar().showMessage(_("Restored from the backup"), 10_000)

    def _transfer_finished(self, summary: object) -> None:
        from diary.ui.transfer import summary_text

        text = summary_text(summary)
        if text:
            self.statusBar().showMessage(text, 10_000)

    def open_report(self) -> None:
        shown_today = today(self.clock, self.zone)
        window = self.report_window
        if window is None:
            from diary.ui.report_window import ReportWindow

            window = ReportWindow(self, self.bridge, self.formatter, shown_today)
            self.report_window = window
        window.show()
        window.raise_()

    # -- actions ---------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.today_action = self._action(lambda: _("Today"))
        self.today_action.setObjectName("todayAction")
        self.today_action.setShortcut(QKeySequence("Ctrl+T"))
        self.today_action.triggered.connect(self.go_today)
        self.previous_action = self._action(lambda: _("Previous"))
        self.previous_action.setObjectName("previousAction")
        self.previous_action.setShortcut(QKeySequence(QKeySequence.StandardKey.MoveToPreviousPage))
        self.previous_action.triggered.connect(lambda: self.step(-1))
        self.next_action = self._action(lambda: _("Next"))
        self.next_action.setObjectName("nextAction")
        self.next_action.setShortcut(QKeySequence(QKeySequence.StandardKey.MoveToNextPage))
        self.next_action.triggered.connect(lambda: self.step(1))
        self.view_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
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
            action.triggered.connect(self._view_action)
            group.addAction(action)
            self.view_actions[name] = action
        self.new_action = self._action(lambda: _("New appointment"))
        self.new_action.setObjectName("newAction")
        self.new_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.new_action.triggered.connect(self._new_from_toolbar)
        self.undo_action, self.redo_action = self._undo_actions()
        self.cancel_action = self._action(lambda: _("Cancel appointment"))
        self.cancel_action.setObjectName("cancelAppointmentAction")
        self.cancel_action.triggered.connect(self._cancel_selected)
        self.settings_action = self._action(lambda: _("Settings…"))
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.triggered.connect(self.open_settings)
        self.print_action = self._action(lambda: _("Print day sheet…"))
        self.print_action.setObjectName("printAction")
        self.print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_action.triggered.connect(self.print_day_sheet)
        self.save_view_action = self._action(lambda: _("Save view as PDF…"))
        self.save_view_action.setObjectName("saveViewAction")
        self.save_view_action.triggered.connect(self._save_pdf)
        quit_action = self._action(lambda: _("Quit"))
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.quit)

        toolbar = self.addToolBar("")
        self._say(toolbar.setWindowTitle, lambda: _("Navigation"))
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.addAction(self.today_action)
        toolbar.addAction(self.previous_action)
        toolbar.addAction(self.next_action)
        # On the toolbar Previous and Next show an arrow beside their word (a glyph: a
        # style's icons cost the first paint ~10 ms); a screen reader hears the word alone.
        for action, arrow in ((self.previous_action, "◀ {}"), (self.next_action, "{} ▶")):
            self._say(action.setIconText, _with_arrow(action, arrow))
            button = toolbar.widgetForAction(action)
            if button is not None:
                self._say(button.setAccessibleName, action.text)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("titleLabel")
        self.title_label.setMinimumWidth(200)
        self.title_label.setStyleSheet("font-weight: bold; padding: 0 12px;")
        toolbar.addWidget(self.title_label)
        toolbar.addSeparator()
        for action in self.view_actions.values():
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.new_action)
        self._build_search(toolbar)

        self.import_action = self._action(lambda: _("Import…"))
        self.import_action.setObjectName("importAction")
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(lambda: self.transfer.import_file())
        self.export_action = self._action(lambda: _("Export…"))
        self.export_action.setObjectName("exportAction")
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(lambda: self.transfer.export_file())
        self.restore_action = self._action(lambda: _("Restore from backup…"))
        self.restore_action.setObjectName("restoreAction")
        self.restore_action.triggered.connect(lambda: self.backup_restore.start())
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
        self.report_action.triggered.connect(self.open_report)

        file_menu = self.menuBar().addMenu("")
        self._say(file_menu.setTitle, lambda: _("&File"))
        file_menu.setObjectName("fileMenu")
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
        edit_menu = self.menuBar().addMenu("")
        self._say(edit_menu.setTitle, lambda: _("&Edit"))
        edit_menu.setObjectName("editMenu")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        self._edit_menu = edit_menu
        edit_menu.addSeparator()
        edit_menu.addAction(self.new_action)
        edit_menu.addAction(self.cancel_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.search_action)
        view_menu = self.menuBar().addMenu("")
        self._say(view_menu.setTitle, lambda: _("&View"))
        view_menu.addAction(self.today_action)
        view_menu.addAction(self.previous_action)
        view_menu.addAction(self.next_action)
        view_menu.addSeparator()
        for action in self.view_actions.values():
            view_menu.addAction(action)
        view_menu.addSeparator()
        for dock, key in ((self.customers_dock, "Ctrl+5"), (self.promises_dock, "Ctrl+6")):
            toggle = dock.toggleViewAction()
            toggle.setObjectName(f"{dock.objectName()}Action")
            toggle.setShortcut(QKeySequence(key))
            view_menu.addAction(toggle)
        reports_menu = self.menuBar().addMenu("")
        self._say(reports_menu.setTitle, lambda: _("&Reports"))
        reports_menu.setObjectName("reportsMenu")
        reports_menu.addAction(self.report_action)
        self.about_action = self._action(lambda: _("About diary"))
        self.about_action.setObjectName("aboutAction")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.open_about)
        help_menu = self.menuBar().addMenu("")
        self._say(help_menu.setTitle, lambda: _("&Help"))
        help_menu.setObjectName("helpMenu")
        help_menu.addAction(self.about_action)
        self._name_steps()

    # -- search (Ctrl+F) -------------------------------------------------------------

    def _build_search(self, toolbar: QToolBar) -> None:
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaximumWidth(280)
        self._say(self.search_edit.setPlaceholderText, lambda: _("Search (Ctrl+F)"))
        words = lambda: _("Search appointments, customers and promises")  # noqa: E731
        name_widget(self.search_edit, words, None, self._say)
        toolbar.addSeparator()
        toolbar.addWidget(self.search_edit)
        self.search_edit.textEdited.connect(self._search_typed)
        self.search_action = self._action(lambda: _("Find…"))
        self.search_action.setObjectName("searchAction")
        self.search_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.search_action.triggered.connect(self.focus_search)
        self._search_popup: SearchPopup | None = None

    @property
    def search_popup(self) -> SearchPopup:
        """The results under the search field, built when first needed."""
        if self._search_popup is None:
            from diary.ui.search_popup import SearchPopup

            popup = SearchPopup(self, self.search_edit, self.bridge, self.formatter)
            popup.appointment_chosen.connect(self.show_appointment)
            popup.customer_chosen.connect(
                lambda customer: self._open_customer(customer.name)
            )
            popup.promise_chosen.connect(lambda promise: self._open_promise(promise.id))
            self._search_popup = popup
        return self._search_popup

    def focus_search(self) -> None:
        self.search_popup  # noqa: B018 - built now: typing starts at once
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _search_typed(self, text: str) -> None:
        if self._search_popup is None:
            self.search_popup.search_now()  # its own connection takes the next keys

    def show_appointment(self, appointment: Appointment) -> None:
        """Show `appointment`'s day in the day or week view, with it selected."""
        if self.current_view_name not in (DAY, WEEK):
            self.set_view(WEEK)
        self.show_date(self.formatter.local(appointment.start).date())
        view = self.stack.currentWidget()
        if isinstance(view, TimeGridView):
            view.select(appointment.ref)
            view.setFocus()

    def _open_customer(self, name: str) -> None:
        self.show_panel(self.customers_dock)
        self.customers_panel.open_history(name)

    def _open_promise(self, promise_id: int) -> None:
        self.show_panel(self.promises_dock)
        self.promises_panel.show_promise(promise_id)

    def _name_steps(self) -> None:
        """Previous and Next say what they step by in the view shown (their tooltip, which
        a screen reader reads as the buttons' description)."""
        before, after = {
            DAY: (_("Previous day"), _("Next day")),
            WEEK: (_("Previous week"), _("Next week")),
            MONTH: (_("Previous month"), _("Next month")),
            AGENDA: (_("4 weeks earlier"), _("4 weeks later")),
        }[self._current_view]
        for action, words in ((self.previous_action, before), (self.next_action, after)):
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{words} ({keys})" if keys else words)

    def open_about(self) -> None:
        """Help > About: version, licence, where the data and the log are."""
        from diary.ui.about_dialog import AboutDialog

        kept_at = self.service.kept_at() if self.bridge.is_ready else None
        dialog = AboutDialog(self, kept_at)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _action(self, text: Callable[[], str]) -> QAction:
        action = _action("", self)
        self._say(action.setText, text)
        return action

    def _say(self, setter: Callable[[str], object], text: Callable[[], str]) -> None:
        """Give `setter` its words now, and again in the new language when the locale
        changes (`_retranslate`)."""
        setter(text())
        self._said.append((setter, text))

    def _retranslate(self) -> None:
        for setter, text in self._said:
            setter(text())
        self._name_steps()
        from diary.ui import qt_language

        qt_language.use(self.formatter.locale)  # Qt's own buttons and menus too
        self._rebuild_in_new_language()
        # QUndoStack fixes the word of the actions it makes: make them anew.
        undo, redo = self._undo_actions()
        for old, new in ((self.undo_action, undo), (self.redo_action, redo)):
            self._edit_menu.insertAction(old, new)
            self._edit_menu.removeAction(old)
            old.deleteLater()
        self.undo_action, self.redo_action = undo, redo

    def _rebuild_in_new_language(self) -> None:
        """The panels and the report are built with their words: built again, now."""
        panels = (
            ("_customers_panel", self._customers),
            ("_promises_panel", self._promises),
        )
        for attribute, build in panels:
            old = getattr(self, attribute)
            if old is None:
                continue
            setattr(self, attribute, None)
            build()  # in its dock, in place of the old one
            old.deleteLater()
        report = self.report_window
        if report is not None:
            shown = report.isVisible()
            self.report_window = None
            report.close()
            report.deleteLater()
            if shown:
                self.open_report()

    def _undo_actions(self) -> tuple[QAction, QAction]:
        """Undo and redo, named after the command they undo ("Undo move Kitchen survey")."""
        undo = self.undo_stack.createUndoAction(self, _("Undo"))
        undo.setObjectName("undoAction")
        undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        redo = self.undo_stack.createRedoAction(self, _("Redo"))
        redo.setObjectName("redoAction")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        return undo, redo

    # -- the views -------------------------------------------------------------------

    @property
    def day_view(self) -> TimeGridView:
        view = self.view(DAY)
        assert isinstance(view, TimeGridView)
        return view

    @property
    def month_view(self) -> MonthView:
        from diary.ui.month_view import MonthView

        view = self.view(MONTH)
        assert isinstance(view, MonthView)
        return view

    @property
    def agenda_view(self) -> AgendaView:
        from diary.ui.agenda_view import AgendaView

        view = self.view(AGENDA)
        assert isinstance(view, AgendaView)
        return view

    @property
    def views(self) -> dict[str, View]:
        """Every view by name (building those not built yet)."""
        return {name: self.view(name) for name in (DAY, WEEK, MONTH, AGENDA)}

    def view(self, name: str) -> View:
        """The view called `name` (day, week, month, agenda), built on first use."""
        view = self._views.get(name)
        if view is not None:
            return view
        if name in (DAY, WEEK):
            return self._grid(name)
        if name == MONTH:
            from diary.ui.month_view import MonthView

            month = MonthView(self.bridge, self.formatter, self, clock=self.clock)
            name_view(month, MONTH, self._say)
            month.day_activated.connect(self._open_day)
            return self._add_view(MONTH, month)
        if name == AGENDA:
            from diary.ui.agenda_view import AgendaView

            agenda = AgendaView(self.bridge, self.formatter, self, clock=self.clock)
            name_view(agenda, AGENDA, self._say)
            agenda.edit_requested.connect(self.edit_appointment)
            return self._add_view(AGENDA, agenda)
        raise KeyError(name)

    def _grid(self, name: str) -> TimeGridView:
        days = 7 if name == WEEK else 1
        grid = TimeGridView(
            self.bridge, self.formatter, self.policy, days, self, clock=self.clock
        )
        grid.setObjectName(f"{name}View")
        name_view(grid, name, self._say)
        grid.date_changed.connect(functools.partial(self._view_showed, name))
        grid.create_requested.connect(self.new_appointment)
        grid.edit_requested.connect(self.edit_appointment)
        grid.move_requested.connect(self.changes.move)
        grid.resize_requested.connect(self.changes.resize)
        grid.cancel_requested.connect(self.changes.cancel)
        self._add_view(name, grid)
        return grid

    def _add_view(self, name: str, view: View) -> View:
        self._views[name] = view
        self.stack.addWidget(view)
        return view

    # -- navigation ------------------------------------------------------------------

    @property
    def current_view_name(self) -> str:
        return self._current_view

    def set_view(self, name: str) -> None:
        view = self.view(name)
        self._current_view = name
        self.stack.setCurrentWidget(view)
        self.view_actions[name].setChecked(True)
        self._name_steps()
        self.show_date(self.current_date)
        view.setFocus()

    def _view_action(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.set_view(str(action.data()))

    def show_date(self, day: date) -> None:
        """Show `day` in the current view (the mini month follows)."""
        self.current_date = day
        self.view(self._current_view).show_date(day)
        self.mini_month.blockSignals(True)
        self.mini_month.setSelectedDate(QDate(day.year, day.month, day.day))
        self.mini_month.blockSignals(False)
        self._update_title()

    def _view_showed(self, name: str, day: date) -> None:
        """A view was shown `day` (the window asked, or someone asked the view itself): the
        window's place follows, so what opens the diary shows that day again."""
        if name != self._current_view:
            return
        self.current_date = day
        self.mini_month.blockSignals(True)
        self.mini_month.setSelectedDate(QDate(day.year, day.month, day.day))
        self.mini_month.blockSignals(False)
        self._update_title()

    def go_today(self) -> None:
        self.show_date(today(self.clock, self.zone))

    def step(self, direction: int) -> None:
        name = self.current_view_name
        day = self.current_date
        if name == DAY:
            day += timedelta(days=direction)
        elif name == WEEK:
            day += timedelta(days=7 * direction)
        elif name == MONTH:
            month = day.month - 1 + direction
            day = date(day.year + month // 12, month % 12 + 1, 1)
        else:
            day += timedelta(days=28 * direction)
        self.show_date(day)

    def _update_title(self) -> None:
        name = self.current_view_name
        if name == DAY:
            text = self.formatter.date_long(self.current_date)
        elif name == WEEK:
            days = self.week_view.days
            text = f"{self.formatter.date_medium(days[0])} – {self.formatter.date_medium(days[-1])}"
        else:
            text = self.formatter.month_title(self.current_date)
        self.title_label.setText(text)
        self.setWindowTitle(f"diary — {text}")

    def _open_day(self, day: date) -> None:
        self.current_date = day
        self.set_view(DAY)

    def _mini_month_clicked(self, value: QDate) -> None:
        self.show_date(date(value.year(), value.month(), value.day()))

    def _flagged_clicked(self, index: QModelIndex | QPersistentModelIndex) -> None:
        from diary.ui.models import DATE_ROLE, REF_ROLE

        day = index.data(DATE_ROLE)
        ref = index.data(REF_ROLE)
        if not isinstance(day, date):
            return
        if self.current_view_name not in (DAY, WEEK):
            self.set_view(WEEK)
        self.show_date(day)
        view = self.stack.currentWidget()
        if isinstance(view, TimeGridView):
            view.select(ref)

    # -- flagged list and status bar -------------------------------------------------

    @property
    def flagged_list(self) -> QListView:
        """The flagged appointments (click to jump), built after the first paint or when
        first asked for."""
        if self._flagged_list is None:
            from PySide6.QtWidgets import QListView

            from diary.ui.models import FlaggedModel

            self._flagged_model = FlaggedModel(self.formatter, self)
            view = QListView(self)
            view.setObjectName("flaggedList")
            name_widget(view, lambda: _("Flagged appointments"), None, self._say)
            view.setModel(self._flagged_model)
            view.clicked.connect(self._flagged_clicked)
            view.activated.connect(self._flagged_clicked)
            self._side_layout.takeAt(self._side_layout.count() - 1)  # the stretch held its place
            self._side_layout.addWidget(view, 1)
            self._flagged_list = view
        return self._flagged_list

    @property
    def flagged_model(self) -> FlaggedModel:
        self.flagged_list  # noqa: B018 - builds the model with its view
        assert self._flagged_model is not None
        return self._flagged_model

    def refresh_flagged(self) -> None:
        self.bridge.call(
            lambda service: service.check(), self._flagged_loaded, lane=BACKGROUND, key="check"
        )

    def _flagged_loaded(self, items: list[Listed]) -> None:
        self.flagged_model.set_items(items)
        errors = self.flagged_model.error_count()
        self.flagged_title.setText(_("Flagged ({count})").format(count=len(items)))
        self.conflicts_label.setText(
            ngettext("{count} open conflict", "{count} open conflicts", errors).format(
                count=errors
            )
        )
        self.flagged_loaded.emit()

    def _days_changed(self, days: frozenset[date]) -> None:
        self.refresh_flagged()

    def _touched(self, topic: str) -> None:
        if topic == "all":
            self.refresh_flagged()

    # -- appointments ----------------------------------------------------------------

    def _new_from_toolbar(self) -> None:
        """Ctrl+N: a new hour at the next slot that breaks no rule (the services' suggestion,
        the domain's next_feasible_slot), from now or from the shown day if it is later."""
        if not self.bridge.is_ready:
            return
        tz = ZoneInfo(self.zone)
        day = self.current_date
        day_start = datetime(day.year, day.month, day.day, tzinfo=tz)
        after = max(self.clock(), day_start, key=lambda moment: moment.timestamp())
        length = timedelta(hours=1)
        self.bridge.call(  # the main lane: the owner is waiting for the dialog
            lambda service: service.suggest(length, after=after),
            lambda start: self._new_at(start, after, length),
        )

    def _new_at(self, start: datetime | None, after: datetime, length: timedelta) -> None:
        if start is None:  # nothing free within a year: the next quarter hour, judged live
            quarter = 15 * 60
            start = datetime.fromtimestamp(-(-after.timestamp() // quarter) * quarter, after.tzinfo)
        start = start.astimezone(ZoneInfo(self.zone))
        self.new_appointment(start, later(start, length))

    def new_appointment(self, start: datetime, end: datetime) -> None:
        self._open_dialog(start, end, None)

    def edit_appointment(self, ref: str) -> None:
        view = self.stack.currentWidget()
        listed = view.listed(ref) if isinstance(view, TimeGridView) else None
        if listed is not None:
            a = listed.appointment
            self._open_dialog(a.start, a.end, a)
            return
        self.bridge.call(lambda service: service.get(ref), self._edit_loaded)

    def _edit_loaded(self, appointment: Appointment) -> None:
        self._open_dialog(appointment.start, appointment.end, appointment)

    def _open_dialog(self, start: datetime, end: datetime, existing: Appointment | None) -> None:
        if not self.bridge.is_ready:
            return  # no diary to book into yet (or at all)
        from diary.ui.appointment_dialog import AppointmentDialog

        dialog = AppointmentDialog(
            self, self.bridge, self.formatter, start, end, existing, clock=self.clock
        )
        dialog.submitted.connect(self._dialog_submitted)
        self.appointment_dialog = dialog
        dialog.open()
        dialog.preview()

    def _dialog_submitted(self, ref: str | None, draft: Draft) -> None:
        dialog, self.appointment_dialog = self.appointment_dialog, None
        repeat = dialog.repeat() if dialog is not None else None
        if ref is None and repeat is not None:
            self.changes.book_series(draft, repeat)
        elif ref is None:
            self.changes.book(draft)
        else:
            self.changes.edit(ref, draft)

    def _titles(self) -> dict[str, str]:
        titles: dict[str, str] = {}
        for name in (DAY, WEEK):
            grid = self._views.get(name)
            if isinstance(grid, TimeGridView):
                titles.update(grid.titles())
        return titles

    def _selected(self) -> Appointment | None:
        view = self.stack.currentWidget()
        if isinstance(view, TimeGridView) and view.selected:
            listed = view.listed(view.selected)
            return listed.appointment if listed else None
        return None

    def _cancel_selected(self) -> None:
        appointment = self._selected()
        if appointment is not None:
            self.changes.cancel(appointment)

    # -- settings --------------------------------------------------------------------

    def open_settings(self) -> None:
        self.bridge.call(lambda service: service.locations(), self._settings_loaded)

    def _settings_loaded(self, locations: list[Location]) -> None:
        from diary.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self, self.policy, locations, self.formatter)
        dialog.submitted.connect(self._settings_submitted)
        self.settings_dialog = dialog
        dialog.open()

    def _settings_submitted(self, policy: Policy) -> None:
        self.bridge.call(lambda service: service.update_policy(policy), self.apply_policy)

    def apply_policy(self, policy: Policy) -> None:
        """A changed policy: new formats for every view, and everything judged again."""
        self.policy = policy
        if self._remember_as is not None:
            last_start.keep_policy(self._remember_as, policy)
        spoken = self.formatter.locale
        self.formatter = Formatter(policy.locale or None, self.zone)
        install(self.formatter.locale)
        if self.formatter.locale != spoken:
            self._retranslate()
        self.changes.formatter = self.formatter
        if self._flagged_model is not None:
            self._flagged_model.formatter = self.formatter
        for view in self._views.values():
            if isinstance(view, TimeGridView):
                view.set_policy(policy, self.formatter)
            else:
                view.set_formatter(self.formatter)
            # Their hours, day names and badges are painted: every part paints again now,
            # not when next scrolled or navigated.
            for part in view.findChildren(QWidget):
                part.update()
        for panel in self._panels():
            panel.formatter = self.formatter
            panel.model.formatter = self.formatter
            panel.reload()
        if self._reminders is not None:
            self._reminders.formatter = self.formatter
        if self._search_popup is not None:
            self._search_popup.formatter = self.formatter
        self._apply_locale()
        self.show_date(self.current_date)
        self.refresh_flagged()

    def _apply_locale(self) -> None:
        self.mini_month.setLocale(QLocale(self.formatter.locale))
        self.mini_month.setFirstDayOfWeek(Qt.DayOfWeek(self.formatter.first_weekday + 1))

    def print_day_sheet(self) -> None:
        """Ctrl+P: the sheet of the day shown, to a printer or a PDF (the print dialog)."""
        if not self.bridge.is_ready:
            return
        if self._sheet_printing is None:
            from diary.ui.print_flow import SheetPrinting

            self._sheet_printing = SheetPrinting(self, self.bridge, lambda: self.formatter)
            self._sheet_printing.printed.connect(
                lambda where: self.statusBar().showMessage(
                    _("Day sheet printed to {where}").format(where=where), 10_000
                )
            )
        self._sheet_printing.print_day(self.current_date)

    def _save_pdf(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getSaveFileName(self, _("Save view as PDF"), "", "PDF (*.pdf)")
        if path:
            from diary.ui.printing import render_widget

            view = self.stack.currentWidget()
            render_widget(view, path)

    # -- lifetime --------------------------------------------------------------------

    def quit(self) -> None:
        """Close for real, even when closing would only hide the window to the tray."""
        self._quitting = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if (
            self.tray is not None
            and self.hide_to_tray_action.isChecked()
            and not self._quitting
            and not self._closed
        ):
            event.ignore()
            self.hide()
            self.notify(_("diary is still running"), _("Reminders keep coming from the tray."))
            return
        if not self._closed and self._transfer is not None and self._transfer.running:
            event.ignore()  # an import or export runs: ask first, quit when it has stopped
            self._transfer.ask_to_stop(self, self.quit)
            return
        if not self._closed:
            if self._reminders is not None:
                self._reminders.stop()
            if self.tray is not None:
                self.tray.hide()
            self._closed = True
            placement.keep(self)
            self.bridge.shutdown()
            if self.bridge.is_ready:
                self.bridge.service.close()
        super().closeEvent(event)


def _with_arrow(action: QAction, pattern: str) -> Callable[[], str]:
    """The action's word with an arrow glyph where `pattern` puts it ("◀ {}")."""
    return lambda: pattern.format(action.text())


def _action(text: str, parent: QObject) -> QAction:
    """An action with its text. (Passing the text to QAction() makes PySide weigh the
    constructor taking an icon first, which builds all of QIcon's enums: 2 ms of the start.)"""
    action = QAction(parent)
    action.setText(text)
    return action
