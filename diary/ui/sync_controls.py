"""The window's part of calendar sync: "Sync now" (F5), the status bar's sync line, the
background runner, the Conflicts list, and the Accounts page of Settings.

Kept apart from `main_window` (which only makes one of these and tells it the policy), so
the window stays a thing that wires.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from diary.i18n import Formatter, _
from diary.ui.accounts_page import AccountsPage
from diary.ui.bridge import Bridge
from diary.ui.sync_runner import SyncRunner

if TYPE_CHECKING:
    from diary.services.sync.conflicts import ConflictView
    from diary.ui.main_window import MainWindow

FIELD_WORDS = {
    "title": "title",
    "when": "time",
    "location": "place",
    "notes": "notes",
    "customer": "customer",
    "kind": "kind",
    "wrapup": "wrap-up",
    "cancelled": "cancelled",
    "override_reason": "override reason",
}


class ConflictsPanel(QWidget):
    """Appointments changed on both sides: the server's version is live; keep the desktop's,
    the server's, or both."""

    def __init__(self, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsPanel")
        self._bridge = bridge
        self.conflicts: list[ConflictView] = []
        self.list = QListWidget(self)
        self.list.setObjectName("conflictsList")
        self.list.setAccessibleName(_("Conflicts"))
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addStretch(1)
        for keep, label in (
            ("desktop", _("Keep the desktop's")),
            ("server", _("Keep the server's")),
            ("both", _("Keep both")),
        ):
            button = QPushButton(label, self)
            button.setObjectName(f"keep{keep.capitalize()}Button")
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, k=keep: self.resolve(k))
            self.buttons[keep] = button
            row.addWidget(button)
        self.list.currentRowChanged.connect(self._selected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        self._bridge.call(
            lambda service: service.sync_conflicts.conflicts(), self._loaded, owner=self
        )

    def _loaded(self, conflicts: list[ConflictView]) -> None:
        self.conflicts = conflicts
        self.list.clear()
        for conflict in conflicts:
            lines = [conflict.title]
            for name, pair in conflict.fields.items():
                lines.append(
                    _("{field}: here “{desktop}”, on the server “{server}”").format(
                        field=_(FIELD_WORDS.get(name, name)),
                        desktop=_shown(pair.get("desktop")),
                        server=_shown(pair.get("server")),
                    )
                )
            self.list.addItem(QListWidgetItem("\n".join(lines)))
        if not conflicts:
            empty = QListWidgetItem(_("No conflicts: both sides agree."))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)
        self._selected(self.list.currentRow())

    def _selected(self, row: int) -> None:
        for button in self.buttons.values():
            button.setEnabled(0 <= row < len(self.conflicts))

    def resolve(self, keep: str) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.conflicts):
            return
        conflict_id = self.conflicts[row].id
        self._bridge.change(
            lambda service: service.sync_conflicts.resolve(conflict_id, keep),
            lambda _outcome: self.reload(),
        )


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    text = str(value)
    if text.count("/") >= 2 and "T" in text:  # a time as the sync keeps it: start/end/zone
        start, end, _zone = text.split("/", 2)
        return f"{start[:16].replace('T', ' ')} – {end[11:16]}"
    return text


class SyncControls:
    """Sync now, the status line, the runner, the Conflicts dock and the Accounts page."""

    def __init__(self, window: MainWindow, file_menu: QMenu, view_menu: QMenu) -> None:
        self.window = window
        bridge = window.bridge
        self.runner = SyncRunner(bridge, window, window.formatter, window.notify, window.clock)
        window.statusBar().addPermanentWidget(self.runner.label)
        self.action = QAction(_("Sync now"), window)
        self.action.setObjectName("syncNowAction")
        self.action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.action.triggered.connect(self.runner.sync_now)
        window.addAction(self.action)  # F5 works wherever the focus is
        first = file_menu.actions()
        if first:
            file_menu.insertAction(first[0], self.action)
        else:
            file_menu.addAction(self.action)
        self._panel: ConflictsPanel | None = None
        self.dock: QDockWidget = window.panels.dock(
            lambda: _("Conflicts"), "conflictsDock", lambda: self.panel
        )
        toggle = self.dock.toggleViewAction()
        toggle.setObjectName("conflictsDockAction")
        toggle.setShortcut(QKeySequence("Ctrl+7"))
        view_menu.addAction(toggle)
        self.runner.finished.connect(self._synced)

    @property
    def panel(self) -> ConflictsPanel:
        if self._panel is None:
            self._panel = ConflictsPanel(self.window.bridge, self.dock)
            self.dock.setWidget(self._panel)
        return self._panel

    def _synced(self, reports: list[Any]) -> None:
        if any(r.conflicts for r in reports):
            self.dock.show()
        if self._panel is not None:
            self._panel.reload()

    def apply_policy(self, minutes: int, formatter: Formatter) -> None:
        self.runner.formatter = formatter
        self.runner.set_interval(minutes)

    def started(self) -> None:
        """The diary is open: a first sync soon after (the window paints first)."""
        self.runner.pause.start()

    def accounts_page(self, parent: QWidget) -> AccountsPage:
        page = AccountsPage(self.window.bridge, self.window.formatter, parent)
        page.changed.connect(self.runner.sync_now)
        return page

