"""What the window opens beside itself: import and export, the report, the settings, the
day sheet to print, a view saved as PDF, About. Each is built when first used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from diary.domain.model import Location, Policy
from diary.i18n import _
from diary.services.clock import today

if TYPE_CHECKING:
    from diary.ui.main_window import MainWindow
    from diary.ui.print_flow import SheetPrinting
    from diary.ui.report_window import ReportWindow
    from diary.ui.restore import BackupRestore
    from diary.ui.settings_dialog import SettingsDialog
    from diary.ui.transfer import CalendarTransfer


class WindowDialogs:
    """File > Import / Export (`transfer`), File > Restore from backup… (`backup_restore`),
    Reports > Time per customer (`report_window`),
    File > Settings… (`settings_dialog`; a saved policy goes to `window.apply_policy`),
    File > Print day sheet…, File > Save view as PDF… and Help > About, for `window`.
    What they did is said in the window's status bar."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self._transfer: CalendarTransfer | None = None
        self._backup_restore: BackupRestore | None = None
        self.report_window: ReportWindow | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.sheet_printing: SheetPrinting | None = None

    @property
    def transfer(self) -> CalendarTransfer:
        """File > Import / Export, built when first used."""
        if self._transfer is None:
            from diary.ui.transfer import CalendarTransfer

            self._transfer = CalendarTransfer(self._window.bridge, self._window)
            self._transfer.finished.connect(self._transfer_finished)
        return self._transfer

    @property
    def transfer_running(self) -> bool:
        return self._transfer is not None and self._transfer.running

    def _transfer_finished(self, summary: object) -> None:
        from diary.ui.transfer import summary_text

        text = summary_text(summary)
        if text:
            self._window.statusBar().showMessage(text, 10_000)

    @property
    def backup_restore(self) -> BackupRestore:
        """File > Restore from backup…, built when first used."""
        if self._backup_restore is None:
            from diary.ui.restore import BackupRestore

            window = self._window
            self._backup_restore = BackupRestore(
                window.bridge, window, lambda: window.formatter, self._restored
            )
        return self._backup_restore

    def _restored(self, policy: Policy) -> None:
        window = self._window
        # Undo steps hold values of the diary before the restore: none of them applies now.
        window.undo_stack.clear()
        window.apply_policy(policy)
        window.statusBar().showMessage(_("Restored from the backup"), 10_000)

    def open_report(self) -> None:
        window = self._window
        shown_today = today(window.clock, window.zone)
        report = self.report_window
        if report is None:
            from diary.ui.report_window import ReportWindow

            report = ReportWindow(window, window.bridge, window.formatter, shown_today)
            self.report_window = report
        report.show()
        report.raise_()

    def rebuild_report(self) -> None:
        """The report is built with its words: built again (in the language installed now)
        if it is open, else when next opened."""
        report = self.report_window
        if report is not None:
            shown = report.isVisible()
            self.report_window = None
            report.close()
            report.deleteLater()
            if shown:
                self.open_report()

    def open_settings(self) -> None:
        self._window.bridge.call(lambda service: service.locations(), self._settings_loaded)

    def _settings_loaded(self, locations: list[Location]) -> None:
        from diary.ui.settings_dialog import SettingsDialog

        window = self._window
        dialog = SettingsDialog(window, window.policy, locations, window.formatter)
        dialog.add_page(_("Accounts"), window.sync_controls.accounts_page(dialog))
        dialog.submitted.connect(self._settings_submitted)
        self.settings_dialog = dialog
        dialog.open()

    def _settings_submitted(self, policy: Policy) -> None:
        window = self._window
        window.bridge.call(lambda service: service.update_policy(policy), window.apply_policy)

    def print_day_sheet(self) -> None:
        """Ctrl+P: the sheet of the day shown, to a printer or a PDF (the print dialog)."""
        window = self._window
        if not window.bridge.is_ready:
            return
        if self.sheet_printing is None:
            from diary.ui.print_flow import SheetPrinting

            self.sheet_printing = SheetPrinting(window, window.bridge, lambda: window.formatter)
            self.sheet_printing.printed.connect(
                lambda where: window.statusBar().showMessage(
                    _("Day sheet printed to {where}").format(where=where), 10_000
                )
            )
        self.sheet_printing.print_day(window.current_date)

    def save_view_as_pdf(self) -> None:
        """File > Save view as PDF…: the view shown, drawn into the PDF file chosen."""
        from PySide6.QtWidgets import QFileDialog

        window = self._window
        path, _filter = QFileDialog.getSaveFileName(
            window, _("Save view as PDF"), "", "PDF (*.pdf)"
        )
        if path:
            from diary.ui.printing import render_widget

            render_widget(window.stack.currentWidget(), path)

    def open_about(self) -> None:
        """Help > About: version, licence, where the data and the log are."""
        from diary.ui.about_dialog import AboutDialog

        window = self._window
        kept_at = window.service.kept_at() if window.bridge.is_ready else None
        dialog = AboutDialog(window, kept_at)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
