"""The promises as a table: one row per promise, and the sections the panel shows (all, due
soon, at risk, late). What "due soon" means is the domain's (`diary.domain.promises.due_soon`)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from diary.domain.promises import PromiseStatus, due_soon
from diary.i18n import Formatter, _
from diary.services.drafts import check_questions, describe_reasons
from diary.ui.keyed_table import SORT_ROLE, VALUE_ROLE, KeyedTableModel

if TYPE_CHECKING:
    from diary.services.promises import PromiseView

STATUS, CUSTOMER, WHAT, DUE, CHECK, REASONS = range(6)
LATE_COLOUR = QColor("#b71c1c")
RISK_COLOUR = QColor("#e65100")

Clock = Callable[[], datetime]


def status_text(view: PromiseView) -> str:
    if view.assessment.late:
        return _("late")
    if view.at_risk:
        return _("at risk")
    return {
        PromiseStatus.OPEN: _("open"),
        PromiseStatus.CHECKED: _("checked"),
        PromiseStatus.DONE: _("done"),
    }.get(view.status, str(view.status.value))


class PromiseTableModel(KeyedTableModel["PromiseView"]):
    """One row per promise: status, customer, what, due, check time and why it is at risk."""

    columns = 6

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(lambda view: view.promise.id, parent)
        self.formatter = formatter

    def header_texts(self) -> Sequence[str]:
        return (_("Status"), _("Customer"), _("What"), _("Due"), _("Check"), _("Reasons"))

    def _moment(self, moment: datetime) -> str:
        local = self.formatter.local(moment)
        return f"{self.formatter.date_medium(local.date())} {self.formatter.time(local)}"

    def column_text(self, row: PromiseView, column: int) -> str:
        p = row.promise
        if column == STATUS:
            return status_text(row)
        if column == CUSTOMER:
            return p.customer.name
        if column == WHAT:
            return p.what + (f" ({p.depends_on})" if p.depends_on else "")
        if column == DUE:
            return self._moment(p.due)
        if column == CHECK:
            return self._moment(row.check_at)
        return "; ".join(describe_reasons(row.assessment.reasons))

    def column_sort(self, row: PromiseView, column: int) -> Any:
        if column == DUE:
            return row.promise.due.timestamp()
        if column == CHECK:
            return row.check_at.timestamp()
        if column == STATUS:
            return (
                0 if row.assessment.late else 1 if row.at_risk else 2,
                row.promise.due.timestamp(),
            )
        return super().column_sort(row, column)

    def row_data(self, row: PromiseView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            if row.assessment.late:
                return QBrush(LATE_COLOUR)
            if row.at_risk:
                return QBrush(RISK_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and column in (REASONS, WHAT):
            return "\n".join(
                [*check_questions(row.promise), *describe_reasons(row.assessment.reasons)]
            )
        return None


class Section(enum.Enum):
    ALL = "all"
    DUE_SOON = "due-soon"
    AT_RISK = "at-risk"
    LATE = "late"


class PromiseSections(QSortFilterProxyModel):
    """Shows one section of the promises: all, due soon, at risk (not yet late), or late."""

    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.section = Section.ALL
        self.setSortRole(SORT_ROLE)

    def set_section(self, section: Section) -> None:
        self.beginFilterChange()
        self.section = section
        self.endFilterChange()

    def filterAcceptsRow(  # noqa: N802 - Qt override
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        from diary.services.promises import PromiseView  # loaded by now: rows exist

        view = self.sourceModel().index(source_row, 0, source_parent).data(VALUE_ROLE)
        if not isinstance(view, PromiseView):
            return False
        if self.section is Section.LATE:
            return view.assessment.late
        if self.section is Section.AT_RISK:
            return view.at_risk and not view.assessment.late
        if self.section is Section.DUE_SOON:
            return due_soon(view.promise, view.status, self._clock())
        return True
