"""Settings > Accounts: the calendar servers the diary syncs with.

Add one (URL, user, password), test the connection (which lists its calendars), choose
the diary's calendar and the busy ones, remove one. Every server call runs on the
bridge's sync lane; the page only shows answers. The password goes to the system keyring;
without one it is kept for this session only, and the page says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from diary.i18n import Formatter, _, ngettext
from diary.ui.bridge import SYNC, Bridge

if TYPE_CHECKING:
    from diary.interchange.dav import RemoteCalendar
    from diary.services import DiaryService
    from diary.services.sync.accounts import AccountView, Added

NEW_CALENDAR = "\x00new"  # the calendar combo's "make a new one" entry


class AccountsPage(QWidget):
    """The list of accounts and the form that adds one."""

    changed = Signal()  # an account was added or removed

    def __init__(self, bridge: Bridge, formatter: Formatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsPage")
        self._bridge = bridge
        self.formatter = formatter
        self.accounts: list[AccountView] = []

        self.list = QListWidget(self)
        self.list.setObjectName("accountsList")
        self.list.setAccessibleName(_("Calendar accounts"))
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.setObjectName("removeAccountButton")
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self._remove)
        self.list.currentRowChanged.connect(
            lambda row: self.remove_button.setEnabled(0 <= row < len(self.accounts))
        )

        self.name_edit = self._line("accountName", _("Work"))
        self.url_edit = self._line("accountUrl", "https://cloud.example.com/remote.php/dav")
        self.user_edit = self._line("accountUser", "")
        self.password_edit = self._line("accountPassword", "")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_button = QPushButton(_("Test connection"), self)
        self.test_button.setObjectName("testConnectionButton")
        self.test_button.clicked.connect(self._test)
        self.calendar_combo = QComboBox(self)
        self.calendar_combo.setObjectName("calendarCombo")
        self.busy_list = QListWidget(self)
        self.busy_list.setObjectName("busyList")
        self.busy_list.setAccessibleName(_("Calendars counted as busy time"))
        self.busy_list.setMaximumHeight(90)
        self.add_button = QPushButton(_("Add account"), self)
        self.add_button.setObjectName("addAccountButton")
        self.add_button.clicked.connect(self._add)
        self.status = QLabel(self)
        self.status.setObjectName("accountStatus")
        self.status.setWordWrap(True)
        self._calendars_found(None)

        existing = QGroupBox(_("Calendar accounts"), self)
        existing_layout = QVBoxLayout(existing)
        existing_layout.addWidget(self.list)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        existing_layout.addLayout(row)

        new = QGroupBox(_("Add an account"), self)
        form = QFormLayout(new)
        form.addRow(_("Name"), self.name_edit)
        form.addRow(_("Server address"), self.url_edit)
        form.addRow(_("User name"), self.user_edit)
        form.addRow(_("Password"), self.password_edit)
        form.addRow("", self.test_button)
        form.addRow(_("Diary's calendar"), self.calendar_combo)
        form.addRow(_("Busy time from"), self.busy_list)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        form.addRow(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(existing, 1)
        layout.addWidget(new)
        layout.addWidget(self.status)
        self.reload()

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    # -- the list ----------------------------------------------------------------------

    def reload(self) -> None:
        self._bridge.call(
            lambda service: service.accounts.accounts(), self._loaded, lane=SYNC, owner=self
        )

    def _loaded(self, accounts: list[AccountView]) -> None:
        self.accounts = accounts
        self.list.clear()
        for account in accounts:
            self.list.addItem(QListWidgetItem(self._describe(account)))
        if not accounts:
            placeholder = QListWidgetItem(_("No account yet: add one below."))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(placeholder)
        self.remove_button.setEnabled(False)

    def _describe(self, account: AccountView) -> str:
        calendar = account.calendar or _("calendar to be found at the first sync")
        lines = [
            f"{account.name} — {account.username} @ {account.url}",
            _("Diary's calendar: {calendar}").format(calendar=calendar),
        ]
        if account.busy:
            lines.append(_("Busy time from: {calendars}").format(calendars=", ".join(account.busy)))
        if account.last_sync is not None:
            local = self.formatter.local(account.last_sync)
            when = f"{self.formatter.date_medium(local.date())} {self.formatter.time(local)}"
            lines.append(_("Last synced {when}").format(when=when))
        if account.last_result and account.last_result != "ok":
            lines.append(account.last_result)
        return "\n".join(lines)

    def _remove(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.accounts):
            return
        name = self.accounts[row].name
        self._bridge.call(
            lambda service: service.accounts.remove(name),
            lambda _none: self._after_change(_("Removed {name}.").format(name=name)),
            self._failed,
            lane=SYNC,
            owner=self,
        )

    # -- testing and adding --------------------------------------------------------------

    def _test(self) -> None:
        url, user, password = self.url_edit.text(), self.user_edit.text(), self.password_edit.text()
        self.status.setText(_("Asking the server…"))
        self.test_button.setEnabled(False)
        self._bridge.call(
            lambda service: service.accounts.calendars(url, user, password or None),
            self._calendars_found,
            self._failed,
            lane=SYNC,
            owner=self,
        )

    def _calendars_found(self, calendars: list[RemoteCalendar] | None) -> None:
        self.test_button.setEnabled(True)
        self.calendar_combo.clear()
        self.busy_list.clear()
        found = calendars or []
        for calendar in found:
            if calendar.holds_events and calendar.writable:
                self.calendar_combo.addItem(calendar.name, calendar.url)
            item = QListWidgetItem(calendar.name, self.busy_list)
            item.setData(Qt.ItemDataRole.UserRole, calendar.url)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.calendar_combo.addItem(_("A new calendar “Diary”"), NEW_CALENDAR)
        if calendars is not None:
            self.status.setText(
                ngettext(
                    "Connected: {count} calendar found.",
                    "Connected: {count} calendars found.",
                    len(found),
                ).format(count=len(found))
            )

    def _busy_chosen(self) -> list[str]:
        chosen = []
        for index in range(self.busy_list.count()):
            item = self.busy_list.item(index)
            if item.checkState() is Qt.CheckState.Checked:
                chosen.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return chosen

    def _add(self) -> None:
        name, url, user = self.name_edit.text(), self.url_edit.text(), self.user_edit.text()
        password = self.password_edit.text() or None
        chosen = self.calendar_combo.currentData()
        calendar = "Diary" if chosen in (None, NEW_CALENDAR) else str(chosen)
        busy = [b for b in self._busy_chosen() if b != calendar]
        self.status.setText(_("Adding {name}…").format(name=name))
        self.add_button.setEnabled(False)

        def add(service: DiaryService) -> Added:
            added = service.accounts.add(
                name, url=url, username=user, calendar=calendar, busy=busy, password=password
            )
            if password is not None and not service.passwords.keyring_available():
                # No keyring: kept in memory for this session, asked again next time.
                from diary.services.sync.passwords import account_key

                view = added.account
                service.passwords.remember_for_session(
                    account_key(view.username, view.url), password
                )
            return added

        self._bridge.call(add, self._added, self._failed, lane=SYNC, owner=self)

    def _added(self, added: Added) -> None:
        self.add_button.setEnabled(True)
        self.password_edit.clear()
        notes = " ".join(added.notes)
        self._after_change(
            (_("Added {name}.").format(name=added.account.name) + " " + notes).strip()
        )

    def _after_change(self, text: str) -> None:
        self.status.setText(text)
        self.reload()
        self.changed.emit()

    def _failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.add_button.setEnabled(True)
        self.status.setText(str(error))

    def state(self) -> dict[str, Any]:
        """What the page shows, for tests and screenshots."""
        return {
            "accounts": [a.name for a in self.accounts],
            "calendars": [
                self.calendar_combo.itemText(i) for i in range(self.calendar_combo.count())
            ],
            "status": self.status.text(),
        }
