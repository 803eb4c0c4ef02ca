"""The dialog that says something went wrong, where the log is, and copies the report."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from diary.crash import CrashReport
from diary.i18n import _


class CrashDialog(QDialog):
    """What went wrong in one line, the log's path, the report to copy or read."""

    def __init__(self, report: CrashReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.report = report
        self.setWindowTitle(_("diary: something went wrong"))
        intro = QLabel(
            _(
                "Something went wrong: {problem}\n\n"
                "What you saved before is safe. If you were changing something, check that "
                "it is there. The details are in the log:\n{path}"
            ).format(problem=report.problem, path=report.log_file),
            self,
        )
        intro.setObjectName("crashSummary")
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(report.text, self)
        self.details.setObjectName("crashDetails")
        self.details.setReadOnly(True)
        self.details.setAccessibleName(_("Crash report"))
        self.details.setMinimumHeight(160)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(_("Copy report"), self)
        self.copy_button.setObjectName("copyReportButton")
        self.copy_button.setAccessibleDescription(
            _("Copies the report, to paste into a message to whoever looks after diary")
        )
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button = QPushButton(_("Open log folder"), self)
        self.folder_button.setObjectName("openLogFolderButton")
        self.folder_button.clicked.connect(self.open_log_folder)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def copy_report(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.report.text)
        self.copy_button.setText(_("Copied"))

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report.log_file.parent)))


def show_crash_report(report: CrashReport) -> None:
    """Show `report` and wait until it is closed (the crash handler's `show`)."""
    if QApplication.instance() is None:
        return  # before the window's application exists: the log and stderr have it
    dialog = CrashDialog(report, QApplication.activeWindow())
    dialog.exec()
