"""File > Restore from backup…: pick a backup (or another file), confirm, restore on the worker,
then the window reloads everything from the restored diary.

The list and the restore run through the bridge, never on the GUI thread. A file that
cannot be restored is named with the reason, and nothing has changed (the service checks
the file before it touches the diary).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from diary.i18n import Formatter, _
from diary.services import InputError
from diary.ui.bridge import Bridge

if TYPE_CHECKING:
    from diary.domain.model import Policy
    from diary.services.backups import Backup, Restored

AskPath = Callable[[QWidget, str], str]
BACKUP_FILTER = "diary backup (*.sqlite3 *.db);;All files (*)"
PATH_ROLE = Qt.ItemDataRole.UserRole


def ask_backup_file(parent: QWidget, title: str) -> str:
    path, _filter = QFileDialog.getOpenFileName(parent, title, "", BACKUP_FILTER)
    return path


class BackupsDialog(QDialog):
    """The backups, newest first: when each was taken, why, and how big; Restore, Other
    file…, Cancel. `chosen` carries the path of the file to restore."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget, backups: list[Backup], formatter: Formatter) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(_("Restore from backup"))
        self.ask_file: AskPath = ask_backup_file
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Choose the backup to go back to. The diary as it is now is kept as a "
                "backup first, so a restore can be undone by restoring that one."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.backup_list = QListWidget(self)
        self.backup_list.setObjectName("backupList")
        self.backup_list.setAccessibleName(_("Backups"))
        kinds = {
            "automatic": _("daily"),
            "manual": _("made by hand"),
            "before-restore": _("before a restore"),
        }
        for backup in backups:
            when = f"{formatter.date_medium(formatter.local(backup.taken).date())} " + (
                formatter.time(backup.taken)
            )
            text = _("{when} ({kind}, {size} kB)").format(
                when=when,
                kind=kinds.get(backup.kind, backup.kind),
                size=max(1, backup.size // 1024),
            )
            item = QListWidgetItem(text, self.backup_list)
            item.setData(PATH_ROLE, str(backup.path))
        if backups:
            self.backup_list.setCurrentRow(0)
        else:
            QListWidgetItem(_("No backups yet"), self.backup_list).setFlags(Qt.ItemFlag.NoItemFlags)
        self.backup_list.itemDoubleClicked.connect(lambda _item: self._restore_selected())
        layout.addWidget(self.backup_list)
        buttons = QDialogButtonBox(self)
        self.restore_button = buttons.addButton(
            _("Restore…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setEnabled(bool(backups))
        self.other_button = QPushButton(_("Other file…"), self)
        self.other_button.setObjectName("otherFileButton")
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelButton")
        self.restore_button.clicked.connect(self._restore_selected)
        self.other_button.clicked.connect(self._other_file)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 360)

    def _restore_selected(self) -> None:
        item = self.backup_list.currentItem()
        path = item.data(PATH_ROLE) if item is not None else None
        if isinstance(path, str) and path:
            self.accept()
            self.chosen.emit(path)

    def _other_file(self) -> None:
        path = self.ask_file(self, _("Restore from backup"))
        if path:
            self.accept()
            self.chosen.emit(path)


class BackupRestore(QObject):
    """Runs File > Restore from backup… for a window: `restored(Restored)` when done,
    `failed(str)` with the message shown when the file was refused or the restore failed."""

    restored = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        bridge: Bridge,
        window: QWidget,
        formatter: Callable[[], Formatter],
        reload: Callable[[Policy], None],
    ) -> None:
        super().__init__(window)
        self._bridge = bridge
        self._window = window
        self._formatter = formatter
        self._reload = reload
        self.dialog: BackupsDialog | None = None
        self.confirmation: QMessageBox | None = None
        self.message: QMessageBox | None = None

    def start(self) -> None:
        """Ask the worker for the backups, then show them."""
        self._bridge.call(lambda service: service.backups.backups(), self._show, owner=self)

    def _show(self, backups: list[Backup]) -> None:
        dialog = BackupsDialog(self._window, backups, self._formatter())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.chosen.connect(self._confirm)
        self.dialog = dialog
        dialog.open()

    def _confirm(self, path: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Restore from backup"),
            _(
                "Replace the whole diary by this backup?\n\n{path}\n\n"
                "Everything changed since it was taken is replaced; the diary as it is now "
                "is kept as a backup first."
            ).format(path=path),
            QMessageBox.StandardButton.Cancel,
            self._window,
        )
        box.setObjectName("restoreConfirmDialog")
        restore = box.addButton(_("Restore"), QMessageBox.ButtonRole.DestructiveRole)
        restore.setObjectName("confirmRestoreButton")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        restore.clicked.connect(lambda: self._restore(path))
        self.confirmation = box
        box.open()

    def _restore(self, path: str) -> None:
        def run(service: Any) -> tuple[Restored, Policy]:
            return service.restore_backup(path), service.policy()

        self._bridge.call(run, self._done, self._failed, owner=self)

    def _done(self, result: tuple[Restored, Policy]) -> None:
        restored, policy = result
        self._reload(policy)
        self._bridge.touch("all")
        self.restored.emit(restored)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, InputError | OSError):
            raise error
        text = str(error)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Backup not restored"),
            _("Nothing was changed.\n\n{problem}").format(problem=text),
            QMessageBox.StandardButton.Ok,
            self._window,
        )
        box.setObjectName("restoreErrorDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.message = box
        if shiboken6.isValid(self._window):
            box.open()
        self.failed.emit(text)
