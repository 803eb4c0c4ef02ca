"""The time-per-customer report as a table: what the chart paints, for a screen reader (and
for anyone who wants the figures)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from diary.i18n import Formatter, _
from diary.ui.keyed_table import KeyedTableModel

if TYPE_CHECKING:
    from diary.services.reports import Report, ReportRow

OVER_COLOUR = QColor("#b71c1c")
CUSTOMER, MEETINGS, MEETING_TIME, TRAVEL, WRAPUP, TOTAL, SHARE, FAIR = range(8)


class ReportTableModel(KeyedTableModel["ReportRow"]):
    """One row per customer, in the chart's order: meetings, their time, travel, wrap-up,
    the total, the share of the period's total and whether it is over a fair share."""

    columns = 8

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(lambda row: row.customer.id, parent)
        self.formatter = formatter

    def set_report(self, report: Report) -> None:
        self.set_rows(report.rows)

    def header_texts(self) -> Sequence[str]:
        return (
            _("Customer"),
            _("Meetings"),
            _("Meeting time"),
            _("Travel"),
            _("Wrap-up"),
            _("Total"),
            _("Share"),
            _("More than a fair share"),
        )

    def column_text(self, row: ReportRow, column: int) -> str:
        minutes = self.formatter.minutes
        if column == CUSTOMER:
            return row.customer.name
        if column == MEETINGS:
            return str(row.meetings)
        if column == MEETING_TIME:
            return minutes(row.meeting_minutes)
        if column == TRAVEL:
            return minutes(row.travel_minutes)
        if column == WRAPUP:
            return minutes(row.wrapup_minutes)
        if column == TOTAL:
            return minutes(row.total_minutes)
        if column == SHARE:
            return f"{row.share:.0%}"
        return _("yes") if row.over_share else _("no")

    def column_sort(self, row: ReportRow, column: int) -> Any:
        numbers = {
            MEETINGS: row.meetings,
            MEETING_TIME: row.meeting_minutes,
            TRAVEL: row.travel_minutes,
            WRAPUP: row.wrapup_minutes,
            TOTAL: row.total_minutes,
            SHARE: row.share,
            FAIR: row.over_share,
        }
        return numbers.get(column, row.customer.name.casefold())

    def row_data(self, row: ReportRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.over_share:
            return OVER_COLOUR
        if role == Qt.ItemDataRole.TextAlignmentRole and column != CUSTOMER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def chart_summary(report: Report | None, formatter: Formatter) -> str:
    """The chart in words (its accessible description): one sentence per customer."""
    if report is None or not report.rows:
        return _("No customer meetings in this period.")
    parts = []
    for row in report.rows:
        text = _("{customer}: {total}, {share} of the time").format(
            customer=row.customer.name,
            total=formatter.minutes(row.total_minutes),
            share=f"{row.share:.0%}",
        )
        if row.over_share:
            text += " " + _("(more than a fair share)")
        parts.append(text)
    return "; ".join(parts)
