"""The appointment book window: it wires views, dialogs and the undo stack; it holds no rules.

Its parts are objects it owns, each in a module of its own: the views (`window_views`), the
view and day shown with the mini month (`window_navigation`), the actions, toolbar and menus
(`window_actions`), the search field (`window_search`), the flagged list (`flagged_side`),
booking and editing (`appointment_flow`), the docks and panels (`window_panels`), the tray
and reminders (`window_tray`), what opens beside the window (`window_dialogs`) and the
diary opening after the first paint (`diary_opening`). The window keeps the names the rest
of the program and its tests use (`window.new_action`, `window.week_view`...).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QPaintEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from diary.domain.model import Appointment, Policy
from diary.i18n import Formatter, _, install
from diary.services.clock import Clock, SystemClock, today
from diary.ui import last_start, placement, window_keys
from diary.ui.appointment_flow import AppointmentFlow
from diary.ui.bridge import Bridge
from diary.ui.changes import Changes
from diary.ui.diary_opening import DiaryOpening
from diary.ui.flagged_side import FlaggedSide
from diary.ui.sync_controls import SyncControls
from diary.ui.week_view import TimeGridView
from diary.ui.window_actions import WindowActions
from diary.ui.window_dialogs import WindowDialogs
from diary.ui.window_navigation import Navigation
from diary.ui.window_panels import WindowPanels
from diary.ui.window_search import WindowSearch
from diary.ui.window_tray import WindowTray
from diary.ui.window_views import AGENDA, DAY, MONTH, WEEK, View, WindowViews

if TYPE_CHECKING:
    # Built on demand: the first paint does not wait for these modules.
    from PySide6.QtWidgets import QListView, QSystemTrayIcon

    from diary.services import DiaryService
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

__all__ = ["AGENDA", "DAY", "MONTH", "WEEK", "MainWindow", "View"]

log = logging.getLogger(__name__)


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
        bridge.setParent(self)
        self.policy = policy
        self.zone = zone
        self.formatter = Formatter(policy.locale or None, zone)
        install(self.formatter.locale)
        self.undo_stack = QUndoStack(self)
        self.changes = Changes(bridge, self.undo_stack, self.formatter, self)
        # Nothing fails silently: a call without its own failure path, and a change, undo or
        # redo that could not be stored, are said in the status bar (tracebacks in the log).
        self.failures: list[str] = []
        bridge.error.connect(self._call_failed)
        self.changes.failed.connect(self.show_failure)
        self.appointments = AppointmentFlow(self)
        self._closed = False
        self._quitting = False

        # Every view is built now (each loads only when shown), so each can be found by its
        # object name from the start.
        self.view_stack = WindowViews(self, self._say)
        self.stack = self.view_stack.stack
        self.week_view = self.view_stack.grid(WEEK)
        for name in (DAY, MONTH, AGENDA):
            self.view(name)
        self.changes.titles = self.view_stack.titles

        self.navigation = Navigation(self, today(self.clock, zone), self._say)
        self.mini_month = self.navigation.mini_month
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 4, 4, 4)
        side_layout.addWidget(self.mini_month)
        self.flagged = FlaggedSide(self, side_layout, self._say)
        self.flagged.loaded.connect(self.flagged_loaded)
        self.flagged_title = self.flagged.title
        self.flagged_list  # noqa: B018 - built on first read
        side.setMaximumWidth(300)
        splitter = QSplitter(self)
        splitter.addWidget(side)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        self.setCentralWidget(splitter)

        self.panels = WindowPanels(self, self._say)
        self.customers_dock = self.panels.customers_dock
        self.promises_dock = self.panels.promises_dock
        self.dialogs = WindowDialogs(self)
        self.tray_reminders = WindowTray(self)

        self.conflicts_label = self.flagged.conflicts_label
        self.statusBar().addPermanentWidget(self.conflicts_label)
        self.search = WindowSearch(self, self._say)
        self.search_edit = self.search.edit
        self.search_action = self.search.action
        self.window_actions = actions = WindowActions(self, self._say)
        # The actions by the names the program and its tests use (undo and redo are
        # properties: they are made anew when the language changes).
        self.today_action = actions.today_action
        self.previous_action = actions.previous_action
        self.next_action = actions.next_action
        self.view_actions = actions.view_actions
        self.new_action = actions.new_action
        self.cancel_action = actions.cancel_action
        self.settings_action = actions.settings_action
        self.print_action = actions.print_action
        self.save_view_action = actions.save_view_action
        self.import_action = actions.import_action
        self.export_action = actions.export_action
        self.restore_action = actions.restore_action
        self.hide_to_tray_action = actions.hide_to_tray_action
        self.report_action = actions.report_action
        self.about_action = actions.about_action
        self.title_label = actions.title_label
        self.sync_controls = SyncControls(self, actions.file_menu, actions.view_menu)
        actions.name_steps(self.navigation.view_name)
        self.navigation.apply_locale(self.formatter)
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
        self.opening = DiaryOpening(self)
        if bridge.is_ready:
            self.is_ready = True
        else:
            self.opening.wait()

    # -- opening the diary (see `DiaryOpening`) ---------------------------------------

    @property
    def service(self) -> DiaryService:
        """The open diary (read it once `is_ready`; before then there is none)."""
        return self.bridge.service

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
            self.opening.start()  # first: the diary opens on its thread meanwhile
        # The icon after the first paint: loading QIcon costs the start some milliseconds,
        # and the window manager takes the icon whenever it comes.
        from diary.ui.app_icon import app_icon

        QApplication.setWindowIcon(app_icon())
        self.setWindowIcon(app_icon())
        self.tray_reminders.start()

    # -- the parts, by the names the program and its tests use -------------------------

    @property
    def undo_action(self) -> QAction:
        return self.window_actions.undo_action

    @property
    def redo_action(self) -> QAction:
        return self.window_actions.redo_action

    @property
    def search_popup(self) -> SearchPopup:
        """The results under the search field, built when first needed."""
        return self.search.popup

    def focus_search(self) -> None:
        self.search.focus()

    @property
    def flagged_list(self) -> QListView:
        """The flagged appointments (click to jump)."""
        return self.flagged.list_view

    @property
    def flagged_model(self) -> FlaggedModel:
        return self.flagged.model

    def refresh_flagged(self) -> None:
        self.flagged.refresh()

    @property
    def customers_panel(self) -> CustomersPanel:
        return self.panels.customers()

    @property
    def promises_panel(self) -> PromisesPanel:
        return self.panels.promises()

    def show_panel(self, dock: QDockWidget) -> None:
        self.panels.show(dock)

    @property
    def appointment_dialog(self) -> AppointmentDialog | None:
        """The appointment dialog while it is open."""
        return self.appointments.dialog

    def new_appointment(self, start: datetime, end: datetime) -> None:
        self.appointments.new(start, end)

    def edit_appointment(self, ref: str) -> None:
        self.appointments.edit(ref)

    @property
    def tray(self) -> QSystemTrayIcon | None:
        return self.tray_reminders.icon

    @property
    def reminders(self) -> Reminders:
        """Leave-now, 24-hour checks, newly at risk (see `WindowTray`)."""
        return self.tray_reminders.reminders

    @property
    def notifications(self) -> list[tuple[str, str]]:
        return self.tray_reminders.notifications

    def notify(self, title: str, text: str) -> None:
        """Show a reminder: in the tray when there is one, else in the status bar."""
        self.tray_reminders.notify(title, text)

    def _call_failed(self, error: BaseException) -> None:
        self.show_failure(_("Could not be done: {error}").format(error=error))

    def show_failure(self, text: str) -> None:
        """Say in the status bar that something the owner asked for did not happen."""
        self.failures.append(text)
        self.statusBar().showMessage(text, 30_000)

    # -- import, export, restore, reports, settings, printing (see `WindowDialogs`) -----

    @property
    def transfer(self) -> CalendarTransfer:
        """File > Import / Export, built when first used."""
        return self.dialogs.transfer

    @property
    def backup_restore(self) -> BackupRestore:
        """File > Restore from backup…, built when first used."""
        return self.dialogs.backup_restore

    @property
    def report_window(self) -> ReportWindow | None:
        return self.dialogs.report_window

    @property
    def settings_dialog(self) -> SettingsDialog | None:
        return self.dialogs.settings_dialog

    @property
    def _sheet_printing(self) -> SheetPrinting | None:
        return self.dialogs.sheet_printing

    def open_report(self) -> None:
        self.dialogs.open_report()

    def open_settings(self) -> None:
        self.dialogs.open_settings()

    def print_day_sheet(self) -> None:
        """Ctrl+P: the sheet of the day shown, to a printer or a PDF (the print dialog)."""
        self.dialogs.print_day_sheet()

    def open_about(self) -> None:
        """Help > About: version, licence, where the data and the log are."""
        self.dialogs.open_about()

    # -- words -----------------------------------------------------------------------

    def _say(self, setter: Callable[[str], object], text: Callable[[], str]) -> None:
        """Give `setter` its words now, and again in the new language when the locale
        changes (`_retranslate`)."""
        setter(text())
        self._said.append((setter, text))

    def _retranslate(self) -> None:
        for setter, text in self._said:
            setter(text())
        self.window_actions.name_steps(self.navigation.view_name)
        from diary.ui import qt_language

        qt_language.use(self.formatter.locale)  # Qt's own buttons and menus too
        # The panels and the report are built with their words: built again, now.
        self.panels.rebuild()
        self.dialogs.rebuild_report()
        self.window_actions.remake_undo_actions()

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
        return self.view_stack.view(name)

    # -- navigation (see `Navigation`) -------------------------------------------------

    @property
    def current_date(self) -> date:
        """The day shown (local, in `zone`)."""
        return self.navigation.current_date

    @current_date.setter
    def current_date(self, day: date) -> None:
        self.navigation.current_date = day

    @property
    def current_view_name(self) -> str:
        return self.navigation.view_name

    def set_view(self, name: str) -> None:
        self.navigation.set_view(name)

    def show_date(self, day: date) -> None:
        """Show `day` in the current view (the mini month follows)."""
        self.navigation.show_date(day)

    def go_today(self) -> None:
        self.navigation.go_today()

    def step(self, direction: int) -> None:
        self.navigation.step(direction)

    def show_appointment(self, appointment: Appointment) -> None:
        """Show `appointment`'s day in the day or week view, with it selected."""
        self.navigation.show_appointment(appointment)

    def _days_changed(self, days: frozenset[date]) -> None:
        self.refresh_flagged()

    def _touched(self, topic: str) -> None:
        if topic == "all":
            self.refresh_flagged()

    # -- the policy ----------------------------------------------------------------

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
        self.flagged.set_formatter(self.formatter)
        self.view_stack.set_policy(policy, self.formatter)
        for panel in self.panels.built():
            panel.formatter = self.formatter
            panel.model.formatter = self.formatter
            panel.reload()
        self.tray_reminders.set_formatter(self.formatter)
        self.search.set_formatter(self.formatter)
        self.sync_controls.apply_policy(policy.sync_minutes, self.formatter)
        self.navigation.apply_locale(self.formatter)
        self.show_date(self.current_date)
        self.refresh_flagged()

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
        if not self._closed and self.dialogs.transfer_running:
            event.ignore()  # an import or export runs: ask first, quit when it has stopped
            self.transfer.ask_to_stop(self, self.quit)
            return
        if not self._closed:
            self.tray_reminders.stop()
            self._closed = True
            placement.keep(self)
            self.bridge.shutdown()
            if self.bridge.is_ready:
                self.bridge.service.close()
        super().closeEvent(event)
