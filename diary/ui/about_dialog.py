"""Help > About: what diary is, its version and licence, and where it keeps its files."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from diary.about import APP_NAME, LICENCE, LICENCE_NAME, VERSION, data_folder, log_folder
from diary.i18n import _
from diary.ui.app_icon import app_icon


class AboutDialog(QDialog):
    """The version, the licence, the data and log folders, and the diary shown (`kept_at`:
    its file or its database URL without password; None while none is open)."""

    def __init__(self, parent: QWidget | None, kept_at: str | None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(_("About diary"))
        icon = QLabel(self)
        icon.setPixmap(app_icon().pixmap(64, 64))
        icon.setAccessibleName(_("diary's icon"))
        heading = QLabel(f"<b>{APP_NAME} {VERSION}</b>", self)
        heading.setObjectName("aboutVersion")
        blurb = QLabel(
            _(
                "An appointment book that counts travel and wrap-up time, keeps an hour a "
                "day free and tracks the promises you make to customers."
            ),
            self,
        )
        blurb.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.addWidget(heading)
        words.addWidget(blurb)
        top.addLayout(words, 1)

        self.data_folder = str(data_folder())
        self.log_folder = str(log_folder())
        facts = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        rows = (
            ("aboutLicence", _("Licence"), f"{LICENCE_NAME} ({LICENCE})"),
            ("aboutDataFolder", _("Data folder"), self.data_folder),
            ("aboutDiary", _("This diary"), kept_at or _("No diary open")),
            ("aboutLogFolder", _("Log folder"), self.log_folder),
        )
        for object_name, label, value in rows:
            field = QLabel(value, self)
            field.setObjectName(object_name)
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field.setAccessibleName(label)
            facts.addRow(label, field)
            self.fields[object_name] = field

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        open_data = QPushButton(_("Open data folder"), self)
        open_data.setObjectName("openDataFolderButton")
        open_data.clicked.connect(lambda: _open_folder(self.data_folder))
        buttons.addButton(open_data, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(facts)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)


def _open_folder(path: str) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(path))
