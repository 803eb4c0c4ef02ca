"""A table model over plain values with a key each: a reload updates, inserts and removes rows,
so views keep their selection and scroll position (no model reset for one changed row)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

ModelIndex = QModelIndex | QPersistentModelIndex
VALUE_ROLE = Qt.ItemDataRole.UserRole + 10  # the row's value object
SORT_ROLE = Qt.ItemDataRole.UserRole + 11  # a sortable raw value for the column

Row = TypeVar("Row")


class KeyedTableModel(QAbstractTableModel, Generic[Row]):
    """Rows of values; subclasses say the headers, the key, the text and the sort value."""

    columns = 0

    def __init__(self, key: Callable[[Row], Hashable], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._key = key
        self._rows: list[Row] = []

    # -- subclass hooks --------------------------------------------------------------

    def header_texts(self) -> Sequence[str]:
        """Column titles, translated when asked (never at import time)."""
        raise NotImplementedError

    def column_text(self, row: Row, column: int) -> str:
        raise NotImplementedError

    def column_sort(self, row: Row, column: int) -> Any:
        return self.column_text(row, column).casefold()

    def row_data(self, row: Row, column: int, role: int) -> Any:
        """Other roles (colour, tooltip) for a cell; None by default."""
        return None

    # -- the rows --------------------------------------------------------------------

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_of(self, key: Hashable) -> int:
        for i, row in enumerate(self._rows):
            if self._key(row) == key:
                return i
        return -1

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Make the model hold `rows`: removed rows go, kept rows update, new rows append."""
        wanted = {self._key(r): r for r in rows}
        for i in range(len(self._rows) - 1, -1, -1):
            if self._key(self._rows[i]) not in wanted:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self._rows[i]
                self.endRemoveRows()
        last = self.columnCount() - 1
        known: set[Hashable] = set()
        for i, row in enumerate(self._rows):
            key = self._key(row)
            known.add(key)
            fresh = wanted[key]
            if fresh != row:
                self._rows[i] = fresh
                self.dataChanged.emit(self.index(i, 0), self.index(i, last))
        new = [r for r in rows if self._key(r) not in known]
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()

    # -- Qt model interface ----------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.columns

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < self.columns:
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.column_text(row, index.column())
        if role == VALUE_ROLE:
            return row
        if role == SORT_ROLE:
            return self.column_sort(row, index.column())
        return self.row_data(row, index.column(), role)

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < self.columns
        ):
            return self.header_texts()[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
