"""The month view: six weeks of day cells with appointment chips, "+N more" and conflict markers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import QWidget

from diary.domain.rules import DayReserve
from diary.i18n import Formatter, ngettext
from diary.services import Listed
from diary.services.clock import Clock, today
from diary.ui import style
from diary.ui.agenda_load import AgendaLoad
from diary.ui.badges import BadgeRequests, DayBadge, paint_badge
from diary.ui.bridge import Bridge
from diary.ui.when_shown import LoadsWhenShown

if TYPE_CHECKING:
    from diary.services.queries import Agenda

WEEKS = 6
RESERVE_BAR = 7  # px kept free at the foot of a cell for the reserve bar


class MonthView(LoadsWhenShown, QWidget):
    loaded = Signal()
    day_activated = Signal(object)  # date: double-click opens that day
    date_changed = Signal(object)

    def __init__(
        self,
        bridge: Bridge,
        formatter: Formatter,
        parent: QWidget | None = None,
        *,
        clock: Clock,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("monthView")
        self.formatter = formatter
        self._tz = ZoneInfo(formatter.zone)
        self._clock = clock
        self._month = self.today().replace(day=1)
        self._by_day: dict[date, list[Listed]] = {}
        self._reserves: dict[date, DayReserve] = {}
        self._badge_requests = BadgeRequests(bridge, self, self.update)
        self._load = AgendaLoad(bridge, f"agenda-{id(self)}", self._on_agenda)
        self._small = QFont(self.font())
        self._small.setPointSizeF(max(6.5, self.font().pointSizeF() - 1.5))
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        bridge.changed.connect(self._days_changed)
        bridge.touched.connect(self._touched)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(900, 640)

    def today(self) -> date:
        return today(self._clock, self._tz)

    def set_formatter(self, formatter: Formatter) -> None:
        self.formatter = formatter
        self._tz = ZoneInfo(formatter.zone)
        self.reload()

    def days(self) -> list[date]:
        first = self._month
        offset = (first.weekday() - self.formatter.first_weekday) % 7
        start = first - timedelta(days=offset)
        return [start + timedelta(days=i) for i in range(7 * WEEKS)]

    def show_date(self, day: date) -> None:
        self._month = day.replace(day=1)
        self.reload()
        self.date_changed.emit(day)
        self.update()

    def reload(self) -> None:
        if self.owe_load():  # another view is showing: load when this one is shown
            return
        days = self.days()
        lo = datetime.combine(days[0], time(0), tzinfo=self._tz)
        hi = datetime.combine(days[-1] + timedelta(days=1), time(0), tzinfo=self._tz)
        self._load.request(lo, hi)
        self.reload_badges()

    def reload_badges(self) -> None:
        days = self.days()
        self._badge_requests.reload(days[0], days[-1], self.formatter.zone)

    def promise_badges(self) -> dict[date, DayBadge]:
        shown = set(self.days())
        return {day: badge for day, badge in self._badge_requests.badges.items() if day in shown}

    def reserve_on(self, day: date) -> DayReserve | None:
        """The day's reserve as the cell's bar shows it (None: not a working day)."""
        return self._reserves.get(day)

    def _touched(self, topic: str) -> None:
        if topic == "promises":
            self.reload_badges()
        elif topic == "all":
            self.reload()

    @property
    def loading(self) -> bool:
        """An agenda was asked for and has not arrived."""
        return self._load.loading

    def _on_agenda(self, agenda: Agenda) -> None:
        self._by_day = {}
        self._reserves = dict(agenda.reserves)
        shown = set(self.days())
        for item in agenda.items:
            a = item.appointment
            if a.cancelled:
                continue
            day = a.start.astimezone(self._tz).date()
            last = (a.end - timedelta(microseconds=1)).astimezone(self._tz).date()
            while day <= last:
                if day in shown:
                    self._by_day.setdefault(day, []).append(item)
                day += timedelta(days=1)
        self.update()
        self.loaded.emit()

    def _days_changed(self, days: frozenset[date]) -> None:
        if days & set(self.days()):
            self.reload()

    def items_on(self, day: date) -> list[Listed]:
        return list(self._by_day.get(day, []))

    def _header_height(self) -> int:
        return QFontMetrics(self._bold).height() + 8

    def cell_rect(self, index: int) -> QRectF:
        top = self._header_height()
        width = self.width() / 7
        height = (self.height() - top) / WEEKS
        return QRectF((index % 7) * width, top + (index // 7) * height, width, height)

    def day_at(self, x: float, y: float) -> date | None:
        top = self._header_height()
        if y < top:
            return None
        column = min(6, int(x / (self.width() / 7)))
        row = min(WEEKS - 1, int((y - top) / ((self.height() - top) / WEEKS)))
        return self.days()[row * 7 + column]

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        day = self.day_at(event.position().x(), event.position().y())
        if day is not None:
            self.day_activated.emit(day)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), style.GRID_BG)
        days = self.days()
        width = self.width() / 7
        header = self._header_height()
        painter.fillRect(QRectF(0, 0, self.width(), header), QColor("#f4f5f8"))
        painter.setFont(self._bold)
        painter.setPen(style.TEXT)
        for i in range(7):
            painter.drawText(
                QRectF(i * width, 0, width, header),
                Qt.AlignmentFlag.AlignCenter,
                self.formatter.weekday_short(days[i]),
            )
        small = QFontMetrics(self._small)
        line = small.height() + 3
        for index, day in enumerate(days):
            cell = self.cell_rect(index)
            if day.month != self._month.month:
                painter.fillRect(cell, style.OFF_HOURS)
            if day == self.today():
                painter.fillRect(cell, QColor("#fff4c8"))
            painter.setPen(style.LINE)
            painter.drawRect(cell)
            painter.setFont(self._bold if day == self.today() else self._small)
            painter.setPen(style.TEXT if day.month == self._month.month else style.MUTED)
            painter.drawText(cell.adjusted(4, 2, -4, 0), Qt.AlignmentFlag.AlignLeft, str(day.day))
            items = self._by_day.get(day, [])
            marker_left = cell.right() - 2
            if any(style.marker_colour(item.flags) == style.ERROR for item in items):
                style.draw_marker(
                    painter, QPointF(cell.right() - 9, cell.top() + 9), style.ERROR, 6
                )
                marker_left = cell.right() - 18
            elif any(style.marker_colour(item.flags) is not None for item in items):
                style.draw_marker(
                    painter, QPointF(cell.right() - 9, cell.top() + 9), style.WARNING, 6
                )
                marker_left = cell.right() - 18
            badge = self._badge_requests.badges.get(day)
            if badge is not None:
                paint_badge(painter, marker_left - 2, cell.top() + 2, badge, self._small)
            reserve = self._reserves.get(day)
            if reserve is not None:
                self._paint_reserve(painter, cell, reserve)
            room = int((cell.height() - line - 4 - RESERVE_BAR) // line)
            shown = items if len(items) <= room else items[: max(0, room - 1)]
            painter.setFont(self._small)
            y = cell.top() + line + 2
            for item in shown:
                self._paint_chip(
                    painter, QRectF(cell.left() + 3, y, cell.width() - 6, line - 1), item, small
                )
                y += line
            if len(shown) < len(items):
                painter.setPen(style.MUTED)
                painter.drawText(
                    QRectF(cell.left() + 5, y, cell.width() - 8, line),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    ngettext("+{count} more", "+{count} more", len(items) - len(shown)).format(
                        count=len(items) - len(shown)
                    ),
                )

    def _paint_reserve(self, painter: QPainter, cell: QRectF, reserve: DayReserve) -> None:
        """The daily reserve as a thin bar along the cell's foot; a day without it is marked."""
        free = max(0, reserve.free_minutes)
        share = 1.0 if reserve.reserve_minutes == 0 else min(1.0, free / reserve.reserve_minutes)
        colour = (
            style.ERROR
            if reserve.breached
            else (style.WARNING if free < reserve.reserve_minutes * 2 else QColor("#2e7d32"))
        )
        bar = QRectF(cell.left() + 4, cell.bottom() - RESERVE_BAR + 1, cell.width() - 8, 4)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        if reserve.breached:
            # The whole day is tinted: no time left for an urgent call.
            tint = QColor(style.ERROR)
            tint.setAlpha(28)
            painter.fillRect(cell.adjusted(1, 1, -1, -1), tint)
        painter.setBrush(QColor("#dde0e6"))
        painter.drawRoundedRect(bar, 2, 2)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * share, 4), 2, 2)
        painter.restore()

    def _paint_chip(
        self, painter: QPainter, rect: QRectF, item: Listed, metrics: QFontMetrics
    ) -> None:
        a = item.appointment
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.fill_colour(a.kind))
        painter.drawRoundedRect(rect, 3, 3)
        painter.fillRect(
            QRectF(rect.left(), rect.top(), 3, rect.height()), style.kind_colour(a.kind)
        )
        marker = style.marker_colour(item.flags)
        painter.setPen(marker.darker(120) if marker is not None else style.TEXT)
        text = a.title if a.all_day else f"{self.formatter.time(a.start)} {a.title}"
        painter.drawText(
            rect.adjusted(6, 0, -2, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width() - 8)),
        )
