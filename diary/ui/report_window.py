"""The time-per-customer report: a period, a stacked bar chart painted with QPainter (meetings,
travel, wrap-up), each customer's share of the total, and the CSV export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from diary.i18n import Formatter, _, ngettext
from diary.services import InputError
from diary.ui import style
from diary.ui.bridge import BACKGROUND, Bridge
from diary.ui.date_field import DayField
from diary.ui.report_table import ReportTableModel, chart_summary

if TYPE_CHECKING:
    from diary.services.reports import Report

MEETING_COLOUR = QColor("#3d6fb6")
TRAVEL_COLOUR = QColor("#f0a030")
WRAPUP_COLOUR = QColor("#8e9aaf")
OVER_COLOUR = QColor("#b71c1c")
ROW_HEIGHT = 30

# (parent, title, suggested file name) -> chosen path or "" when cancelled
AskSavePath = Callable[[QWidget, str, str], str]


def ask_save_csv(parent: QWidget, title: str, suggested: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(parent, title, suggested, "CSV (*.csv)")
    return path


class ReportChart(QWidget):
    """One stacked bar per customer; customers over their fair share are marked red."""

    def __init__(self, formatter: Formatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.setAccessibleName(_("Chart of the time per customer"))
        self.formatter = formatter
        self.report: Report | None = None
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_report(self, report: Report) -> None:
        self.report = report
        self.setAccessibleDescription(chart_summary(report, self.formatter))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        rows = len(self.report.rows) if self.report else 0
        return QSize(640, 56 + max(1, rows) * ROW_HEIGHT)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(420, self.sizeHint().height())

    def _name_width(self, metrics: QFontMetrics) -> int:
        names = [row.customer.name for row in self.report.rows] if self.report else []
        widest = max((metrics.horizontalAdvance(name) for name in names), default=80)
        return min(max(widest + 16, 90), int(self.width() * 0.3))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), style.GRID_BG)
        metrics = QFontMetrics(self.font())
        report = self.report
        # Legend.
        x = 8.0
        for colour, label in (
            (MEETING_COLOUR, _("Meetings")),
            (TRAVEL_COLOUR, _("Travel")),
            (WRAPUP_COLOUR, _("Wrap-up")),
        ):
            painter.fillRect(QRectF(x, 12, 12, 12), colour)
            painter.setPen(style.TEXT)
            painter.drawText(QRectF(x + 16, 8, 200, 20), Qt.AlignmentFlag.AlignVCenter, label)
            x += 16 + metrics.horizontalAdvance(label) + 18
        painter.setPen(OVER_COLOUR)
        painter.drawText(
            QRectF(x, 8, self.width() - x - 8, 20),
            Qt.AlignmentFlag.AlignVCenter,
            _("▲ more than a fair share"),
        )
        if report is None or not report.rows:
            painter.setPen(style.MUTED)
            painter.drawText(
                QRectF(0, 40, self.width(), ROW_HEIGHT),
                Qt.AlignmentFlag.AlignCenter,
                _("No customer meetings in this period."),
            )
            return
        name_width = self._name_width(metrics)
        value_width = metrics.horizontalAdvance("888 h 88 min · 100 %  ▲") + 12
        bar_left = name_width + 8
        bar_room = max(40.0, self.width() - bar_left - value_width - 8)
        longest = max(row.total_minutes for row in report.rows) or 1
        fair = report.fair_share
        # The fair share as a line behind the bars (share of the total, not of the longest).
        total = report.total_minutes
        if total:
            fair_x = bar_left + bar_room * (fair * total) / longest
            if fair_x <= bar_left + bar_room:
                painter.setPen(QPen(style.MUTED, 1, Qt.PenStyle.DashLine))
                painter.drawLine(
                    int(fair_x), 36, int(fair_x), int(40 + ROW_HEIGHT * len(report.rows))
                )
        y = 40.0
        for row in report.rows:
            over = row.over_share
            painter.setFont(self._bold if over else self.font())
            painter.setPen(OVER_COLOUR if over else style.TEXT)
            painter.drawText(
                QRectF(8, y, name_width - 8, ROW_HEIGHT - 6),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                metrics.elidedText(row.customer.name, Qt.TextElideMode.ElideRight, name_width - 8),
            )
            left = float(bar_left)
            for minutes, colour in (
                (row.meeting_minutes, MEETING_COLOUR),
                (row.travel_minutes, TRAVEL_COLOUR),
                (row.wrapup_minutes, WRAPUP_COLOUR),
            ):
                width = bar_room * minutes / longest
                painter.fillRect(QRectF(left, y + 4, width, ROW_HEIGHT - 14), colour)
                left += width
            if over:
                painter.setPen(QPen(OVER_COLOUR, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(bar_left, y + 4, left - bar_left, ROW_HEIGHT - 14))
            painter.setFont(self.font())
            painter.setPen(OVER_COLOUR if over else style.TEXT)
            text = f"{self.formatter.minutes(row.total_minutes)} · {row.share:.0%}"
            if over:
                text += "  ▲"
            painter.drawText(
                QRectF(left + 6, y, value_width, ROW_HEIGHT - 6),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                text,
            )
            y += ROW_HEIGHT


class ReportWindow(QWidget):
    """Time per customer for a period, as a chart and a CSV file."""

    loaded = Signal(object)  # Report
    exported = Signal(str)  # the path written

    def __init__(
        self,
        parent: QWidget | None,
        bridge: Bridge,
        formatter: Formatter,
        today: date,
        *,
        ask_path: AskSavePath = ask_save_csv,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("reportWindow")
        self.setWindowTitle(_("Time per customer"))
        self._bridge = bridge
        self.formatter = formatter
        self._tz = ZoneInfo(formatter.zone)
        self.ask_path = ask_path  # injectable: tests answer the file dialog
        self.report: Report | None = None
        first = today.replace(day=1)
        self.from_edit = DayField(formatter, first, self)
        self.from_edit.setObjectName("reportFrom")
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        self.to_edit = DayField(formatter, last, self)
        self.to_edit.setObjectName("reportTo")
        self.from_edit.dateChanged.connect(self.reload)
        self.to_edit.dateChanged.connect(self.reload)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("reportTotal")
        self.export_button = QPushButton(_("Export CSV…"), self)
        self.export_button.setObjectName("exportCsvButton")
        self.export_button.clicked.connect(self.export_csv)
        self.chart = ReportChart(formatter, self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        scroll.setAccessibleName(_("Chart"))
        # The chart's figures as a table: what a screen reader reads, and what people copy.
        self.table_model = ReportTableModel(formatter, self)
        self.table = QTableView(self)
        self.table.setObjectName("reportTable")
        self.table.setAccessibleName(_("Time per customer as a table"))
        self.table.setModel(self.table_model)
        self.table.setSortingEnabled(False)  # the chart's order: the most time first
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("reportTabs")
        self.tabs.setAccessibleName(_("The report as a chart or as a table"))
        self.tabs.addTab(scroll, _("Chart"))
        self.tabs.addTab(self.table, _("Table"))
        top = QHBoxLayout()
        from_label = QLabel(_("From"), self)
        from_label.setBuddy(self.from_edit)
        to_label = QLabel(_("to"), self)
        to_label.setBuddy(self.to_edit)
        self.from_edit.setAccessibleName(_("From"))
        self.to_edit.setAccessibleName(_("To"))
        top.addWidget(from_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.from_edit)
        top.addWidget(to_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.to_edit)
        top.addWidget(self.total_label, 1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.resize(760, 420)
        self.reload()

    def period(self) -> tuple[datetime, datetime]:
        lo, hi = self.from_edit.value, self.to_edit.value
        start = datetime(lo.year, lo.month, lo.day, tzinfo=self._tz)
        following = hi + timedelta(days=1)
        end = datetime(following.year, following.month, following.day, tzinfo=self._tz)
        return start, end

    def reload(self) -> None:
        if not (self.from_edit.valid and self.to_edit.valid):
            return  # the field that cannot be read says why
        lo, hi = self.period()
        self._bridge.call(
            lambda service: service.time_per_customer(lo, hi),
            self._loaded,
            self._failed,
            lane=BACKGROUND,
            key="report",
            owner=self,
        )

    def _loaded(self, report: Report) -> None:
        self.report = report
        self.chart.set_report(report)
        self.table_model.set_report(report)
        self.table.resizeColumnsToContents()
        self.total_label.setText(
            ngettext(
                "{total} with {count} customer", "{total} with {count} customers", len(report.rows)
            ).format(total=self.formatter.minutes(report.total_minutes), count=len(report.rows))
        )
        self.loaded.emit(report)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, InputError):
            raise error
        self.total_label.setText(str(error))

    def export_csv(self) -> None:
        report = self.report
        if report is None:
            return
        lo, hi = self.period()
        suggested = f"time-per-customer-{lo.date().isoformat()}.csv"
        path = self.ask_path(self, _("Export CSV"), suggested)
        if not path:
            return
        target = Path(path)

        def write(service: Any) -> str:
            from diary.services.output_files import write_private
            from diary.services.reports import report_csv

            data = report_csv(report).encode("utf-8")
            return str(write_private(target, data, protected=service.database.files))

        self._bridge.call(write, self._written, self._write_failed, lane=BACKGROUND, owner=self)

    def _written(self, path: str) -> None:
        self.exported.emit(path)

    def _write_failed(self, error: BaseException) -> None:
        if not isinstance(error, OSError | InputError):  # InputError: a link, a folder...
            raise error
        if shiboken6.isValid(self):
            QMessageBox.warning(self, _("Not exported"), str(error))
