"""Search (Ctrl+F): results as you type under the toolbar's search field.

The field keeps the keyboard: Up and Down move through the results, Enter opens the one
chosen (an appointment: its day, selected; a customer: their history; a promise: the
promises panel on it), Esc closes the list and then clears the field. Every query runs on
the bridge's worker; an answer to text no longer in the field is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from diary.i18n import Formatter, _
from diary.ui.bridge import Bridge

if TYPE_CHECKING:
    from diary.domain.model import Appointment, Customer
    from diary.domain.promises import Promise
    from diary.services.search import SearchResults

DELAY_MS = 120  # typing pauses this long before a query goes out
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
HEADER, APPOINTMENT, CUSTOMER, PROMISE = "header", "appointment", "customer", "promise"
WIDTH = 460
MAX_VISIBLE_ROWS = 12

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class _Row:
    kind: str
    text: str
    value: object = None


class SearchResultsModel(QAbstractListModel):
    """The results in groups (appointments, customers, promises), each under a heading."""

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.formatter = formatter
        self._rows: list[_Row] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_results(self, results: SearchResults) -> None:
        rows: list[_Row] = []
        if results.appointments:
            rows.append(_Row(HEADER, _("Appointments")))
            rows += [_Row(APPOINTMENT, self._appointment(a), a) for a in results.appointments]
        if results.customers:
            rows.append(_Row(HEADER, _("Customers")))
            rows += [_Row(CUSTOMER, self._customer(c), c) for c in results.customers]
        if results.promises:
            rows.append(_Row(HEADER, _("Promises")))
            rows += [_Row(PROMISE, self._promise(p), p) for p in results.promises]
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def _appointment(self, a: Appointment) -> str:
        f = self.formatter
        local = f.local(a.start)
        when = f"{f.date_medium(local.date())}, {f.time_range(a.start, a.end)}"
        details = [when]
        if a.customer is not None:
            details.append(a.customer.name)
        if a.location is not None:
            details.append(a.location.address or a.location.name)
        return f"{a.title}\n{' · '.join(details)}"

    def _customer(self, c: Customer) -> str:
        reach = " · ".join(part for part in (c.phone, c.email) if part)
        return f"{c.name}\n{reach}" if reach else c.name

    def _promise(self, p: Promise) -> str:
        f = self.formatter
        local = f.local(p.due)
        due = f"{f.date_medium(local.date())} {f.time(p.due)}"
        return f"{p.what}\n" + _("{customer}, due {due}").format(customer=p.customer.name, due=due)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.text
        if role == VALUE_ROLE:
            return row.value
        if role == KIND_ROLE:
            return row.kind
        if row.kind == HEADER:
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#2f6fb3"))
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].kind == HEADER:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def selectable_rows(self) -> list[int]:
        return [i for i, row in enumerate(self._rows) if row.kind != HEADER]


class SearchPopup(QFrame):
    """The list under the search field; says what was chosen by its signals."""

    appointment_chosen = Signal(object)  # Appointment
    customer_chosen = Signal(object)  # Customer
    promise_chosen = Signal(object)  # Promise
    shown = Signal(object)  # SearchResults: the answer now on screen

    def __init__(
        self, window: QWidget, field: QLineEdit, bridge: Bridge, formatter: Formatter
    ) -> None:
        super().__init__(window)
        self.setObjectName("searchPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.field = field
        self._bridge = bridge
        self.results: SearchResults | None = None
        self.model = SearchResultsModel(formatter, self)
        self.list = QListView(self)
        self.list.setObjectName("searchResults")
        self.list.setAccessibleName(_("Search results"))
        self.list.setModel(self.model)
        # The field keeps the keyboard; the list follows it (and takes clicks).
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setUniformItemSizes(False)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setStyleSheet("QListView::item { padding: 3px 8px; }")
        self.list.setAlternatingRowColors(False)
        self.list.clicked.connect(self.activate)
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("searchEmpty")
        self.empty_label.setContentsMargins(8, 6, 8, 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.list)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        field.textEdited.connect(self._typed)
        field.installEventFilter(self)
        self.hide()

    @property
    def formatter(self) -> Formatter:
        return self.model.formatter

    @formatter.setter
    def formatter(self, formatter: Formatter) -> None:
        self.model.formatter = formatter

    # -- asking ------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self.hide()
            return
        self._timer.start()

    def search_now(self) -> None:
        """Ask for what the field says (on the worker); the answer fills the list."""
        query = self.field.text()
        if not query.strip():
            return
        self._bridge.call(
            lambda service: service.search(query), self._found, key="search", owner=self
        )

    def _found(self, results: SearchResults) -> None:
        if results.query != self.field.text():
            return  # typed on meanwhile: a fresher answer is coming
        self.results = results
        self.model.set_results(results)
        nothing = results.empty
        self.empty_label.setText(
            _("Nothing found for “{query}”.").format(query=results.query.strip()) if nothing else ""
        )
        self.empty_label.setVisible(nothing)
        self.list.setVisible(not nothing)
        rows = self.model.selectable_rows()
        if rows:
            self.list.setCurrentIndex(self.model.index(rows[0]))
        self._place()
        self.show()
        self.raise_()
        self.shown.emit(results)

    def _place(self) -> None:
        window = self.parentWidget()
        assert window is not None
        below = self.field.mapTo(window, QPoint(0, self.field.height() + 2))
        # As wide as the longest line needs (a title, its date, customer and place), up to the
        # window's width: a line cut at the right edge hides the place one is looking for.
        widest = self.list.sizeHintForColumn(0) + 2 * self.list.frameWidth() + 24
        width = min(max(self.field.width(), WIDTH, widest), max(WIDTH, window.width() - 8))
        left = min(below.x(), max(0, window.width() - width - 4))
        rows = min(self.model.rowCount(), MAX_VISIBLE_ROWS)
        height = 40
        if rows:
            height = sum(self.list.sizeHintForRow(i) for i in range(rows)) + 6
        self.setGeometry(left, below.y(), width, min(height, window.height() - below.y() - 8))

    # -- choosing ----------------------------------------------------------------

    def move_selection(self, step: int) -> None:
        rows = self.model.selectable_rows()
        if not rows:
            return
        current = self.list.currentIndex().row()
        if current not in rows:
            target = rows[0] if step > 0 else rows[-1]
        else:
            position = max(0, min(len(rows) - 1, rows.index(current) + step))
            target = rows[position]
        index = self.model.index(target)
        self.list.setCurrentIndex(index)
        self.list.scrollTo(index)

    def activate(self, index: QModelIndex | None = None) -> None:
        """Open what `index` (default: the current row) holds, and close the list."""
        index = index if index is not None and index.isValid() else self.list.currentIndex()
        if not index.isValid() or not self.isVisible():
            return
        kind = index.data(KIND_ROLE)
        value = index.data(VALUE_ROLE)
        signal: dict[str, Callable[[object], None]] = {
            APPOINTMENT: self.appointment_chosen.emit,
            CUSTOMER: self.customer_chosen.emit,
            PROMISE: self.promise_chosen.emit,
        }
        emit = signal.get(str(kind))
        if emit is None:
            return
        self.hide()
        emit(value)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.field:
            if event.type() == QEvent.Type.KeyPress:
                assert isinstance(event, QKeyEvent)
                return self._key(event)
            if event.type() == QEvent.Type.FocusOut:
                # A click in the list keeps the focus in the field; anywhere else closes it.
                QTimer.singleShot(0, self._focus_gone)
        return super().eventFilter(watched, event)

    def _focus_gone(self) -> None:
        if not self.field.hasFocus():
            self.hide()

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            if not self.isVisible() and self.field.text().strip():
                self.search_now()
                return True
            self.move_selection(1 if key == Qt.Key.Key_Down else -1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._timer.isActive() or (
                self.results is not None and self.results.query != self.field.text()
            ):
                # Enter before the answer came: take the first result of the fresh answer.
                self._timer.stop()
                self.shown.connect(self._activate_once)
                self.search_now()
                return True
            self.activate()
            return True
        if key == Qt.Key.Key_Escape:
            if self.isVisible():
                self.hide()
            else:
                self.field.clear()
                window = self.parentWidget()
                if window is not None:
                    window.setFocus()
            return True
        return False

    def _activate_once(self, _results: object) -> None:
        self.shown.disconnect(self._activate_once)
        self.activate()
