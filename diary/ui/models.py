"""Item models over plain values the bridge delivered: they never query anything in data()."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush

from diary.i18n import Formatter
from diary.ui import style
from diary.ui.explain import reasons

if TYPE_CHECKING:
    from diary.services import Listed

ModelIndex = QModelIndex | QPersistentModelIndex
REF_ROLE = Qt.ItemDataRole.UserRole + 1
DATE_ROLE = Qt.ItemDataRole.UserRole + 2
LISTED_ROLE = Qt.ItemDataRole.UserRole + 3

_NO_PARENT = 0xFFFFFFFF  # internal id of a day row (appointment rows carry their day's row)


class FlaggedModel(QAbstractListModel):
    """The flagged appointments, soonest first; a row knows its ref and its day."""

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.formatter = formatter
        self._items: list[Listed] = []

    def set_items(self, items: list[Listed]) -> None:
        self.beginResetModel()
        self._items = sorted(
            items, key=lambda i: (i.appointment.start.timestamp(), i.appointment.ref)
        )
        self.endResetModel()

    def items(self) -> list[Listed]:
        return list(self._items)

    def error_count(self) -> int:
        return sum(1 for item in self._items if item.has_error)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        a = item.appointment
        if role == Qt.ItemDataRole.DisplayRole:
            day = self.formatter.day_header(self.formatter.local(a.start).date())
            return f"{day} {self.formatter.time(a.start)}  {a.title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(reasons(item.flags))
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = style.marker_colour(item.flags)
            return QBrush(colour.darker(130)) if colour is not None else None
        if role == REF_ROLE:
            return a.ref
        if role == DATE_ROLE:
            return self.formatter.local(a.start).date()
        return None


class AgendaModel(QAbstractItemModel):
    """A tree: each day with appointments, and under it that day's appointments."""

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.formatter = formatter
        self._days: list[date] = []
        self._rows: list[list[Listed]] = []

    def set_items(self, items: list[Listed]) -> None:
        tz = ZoneInfo(self.formatter.zone)
        by_day: dict[date, list[Listed]] = {}
        for item in items:
            if item.appointment.cancelled:
                continue
            by_day.setdefault(item.appointment.start.astimezone(tz).date(), []).append(item)
        self.beginResetModel()
        self._days = sorted(by_day)
        self._rows = [
            sorted(
                by_day[d],
                key=lambda i: (not i.appointment.all_day, i.appointment.start.timestamp()),
            )
            for d in self._days
        ]
        self.endResetModel()

    def day_count(self) -> int:
        return len(self._days)

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _NO_PARENT)
        return self.createIndex(row, column, parent.row())

    def parent(self, child: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid():
            return QModelIndex()
        day_row = child.internalId()
        if day_row == _NO_PARENT:
            return QModelIndex()
        return self.createIndex(int(day_row), 0, _NO_PARENT)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        if not parent.isValid():
            return len(self._days)
        if parent.internalId() == _NO_PARENT and parent.column() == 0:
            return len(self._rows[parent.row()])
        return 0

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 3

    def _item(self, index: ModelIndex) -> Listed | None:
        if index.internalId() == _NO_PARENT:
            return None
        return self._rows[int(index.internalId())][index.row()]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._item(index)
        if item is None:
            day = self._days[index.row()]
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return self.formatter.date_long(day)
            if role == DATE_ROLE:
                return day
            return None
        a = item.appointment
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                if a.all_day:
                    return "—"
                return self.formatter.time_range(a.start, a.end)
            if index.column() == 1:
                return a.title
            parts = [a.customer.name if a.customer else "", a.location.label if a.location else ""]
            return " · ".join(p for p in parts if p)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(reasons(item.flags)) or None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            colour = style.marker_colour(item.flags)
            return QBrush(colour.darker(130)) if colour is not None else None
        if role == REF_ROLE:
            return a.ref
        if role == DATE_ROLE:
            return self.formatter.local(a.start).date()
        if role == LISTED_ROLE:
            return item
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            from diary.i18n import _

            return (_("When"), _("What"), _("With / where"))[section]
        return None
