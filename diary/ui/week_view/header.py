"""The grid's header: each day's name, its promise badge, how much of the daily reserve is
still free, and its all-day appointments as chips."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from diary.domain.model import Kind
from diary.i18n import Formatter, _
from diary.ui import style
from diary.ui.badges import DayBadge, paint_badge
from diary.ui.week_view.text import GridFonts

if TYPE_CHECKING:
    from diary.domain.rules import DayReserve
    from diary.services import Listed

HEADER_BACKGROUND = QColor("#f4f5f8")
TODAY_BACKGROUND = QColor("#fff4c8")
RESERVE_OK = QColor("#2e7d32")
RESERVE_TRACK = QColor("#dde0e6")


@dataclass(slots=True)
class HeaderContent:
    """What the header shows: the days with their reserves, badges and all-day items."""

    days: list[date]
    reserves: dict[date, DayReserve] = field(default_factory=dict)
    badges: dict[date, DayBadge] = field(default_factory=dict)
    all_day: list[list[Listed]] = field(default_factory=list)  # per day


def all_day_rows(items: Iterable[Listed], days: list[date], zone: ZoneInfo) -> list[list[Listed]]:
    """Per shown day, the all-day appointments on it (not cancelled), as chips."""
    rows: list[list[Listed]] = [[] for _ in days]
    for listed in items:
        a = listed.appointment
        if a.all_day and not a.cancelled:
            first = a.start.astimezone(zone).date()
            last = (a.end - timedelta(microseconds=1)).astimezone(zone).date()
            for i, day in enumerate(days):
                if first <= day <= last:
                    rows[i].append(listed)
    return rows


class DayHeader(QWidget):
    """Painted above the day columns; `gutter` pixels on the left are the all-day label's,
    `column_width` gives the width of a day column, `today` the day tinted as today."""

    def __init__(
        self,
        parent: QWidget,
        fonts: GridFonts,
        formatter: Formatter,
        gutter: int,
        column_width: Callable[[], float],
        today: Callable[[], date],
    ) -> None:
        super().__init__(parent)
        self.fonts = fonts
        self.formatter = formatter
        self.gutter = gutter
        self._column_width = column_width
        self._today = today
        self.content = HeaderContent([])

    def wanted_height(self) -> int:
        """Two lines (day, reserve) and a row per all-day appointment (at least one)."""
        rows = max((len(items) for items in self.content.all_day), default=0)
        line = self.fonts.metrics.height()
        return line * 2 + 12 + max(1, rows) * (line + 4) + 4

    def labels(self) -> list[str]:
        """The day names, as painted."""
        return [self.formatter.day_header(day) for day in self.content.days]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self.paint(QPainter(self), QRectF(self.rect()))

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        """Day names, each working day's free reserve, and the all-day row."""
        fonts, content = self.fonts, self.content
        painter.fillRect(rect, HEADER_BACKGROUND)
        line = fonts.metrics.height()
        width = self._column_width()
        shown_today = self._today()
        for i, day in enumerate(content.days):
            left = self.gutter + i * width
            cell = QRectF(left, 0, width, rect.height())
            if day == shown_today:
                painter.fillRect(cell, TODAY_BACKGROUND)
            painter.setPen(style.TEXT)
            painter.setFont(fonts.bold)
            text = self.formatter.day_header(day)
            badge = content.badges.get(day)
            room = width - 8
            if badge is not None:
                painted = paint_badge(painter, left + width - 4, 4, badge, fonts.small)
                room -= painted.width() + 4
                painter.setFont(fonts.bold)
                painter.setPen(style.TEXT)
            painter.drawText(
                QRectF(left + 4, 4, room, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                fonts.metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(room)),
            )
            reserve = content.reserves.get(day)
            if reserve is not None:
                self._paint_reserve(painter, QRectF(left + 4, 6 + line, width - 8, line), reserve)
            painter.setFont(fonts.small)
            y = 10 + 2 * line
            for listed in content.all_day[i] if i < len(content.all_day) else []:
                chip = QRectF(left + 2, y, width - 4, line + 2)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(style.kind_colour(Kind.ALL_DAY).lighter(170))
                painter.drawRoundedRect(chip, 3, 3)
                painter.setPen(style.TEXT)
                painter.drawText(
                    chip.adjusted(4, 0, -2, 0),
                    Qt.AlignmentFlag.AlignVCenter,
                    fonts.small_metrics.elidedText(
                        listed.appointment.title, Qt.TextElideMode.ElideRight, int(chip.width() - 6)
                    ),
                )
                y += line + 4
            painter.setPen(style.LINE)
            painter.drawLine(QPointF(left, 0), QPointF(left, rect.height()))
        painter.setPen(style.LINE)
        painter.drawLine(QPointF(0, rect.height() - 1), QPointF(rect.width(), rect.height() - 1))
        painter.setPen(style.MUTED)
        painter.setFont(fonts.small)
        painter.drawText(
            QRectF(2, 10 + 2 * line, self.gutter - 6, line),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            _("all day"),
        )

    def _paint_reserve(self, painter: QPainter, rect: QRectF, reserve: DayReserve) -> None:
        """How much of the daily reserve is still free: a small bar and the minutes."""
        fonts = self.fonts
        free = max(0, reserve.free_minutes)
        share = 1.0 if reserve.reserve_minutes == 0 else min(1.0, free / reserve.reserve_minutes)
        colour = (
            style.ERROR
            if reserve.breached
            else (style.WARNING if free < reserve.reserve_minutes * 2 else RESERVE_OK)
        )
        bar = QRectF(rect.left(), rect.center().y() - 3, 36, 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(RESERVE_TRACK)
        painter.drawRoundedRect(bar, 3, 3)
        painter.setBrush(colour)
        painter.drawRoundedRect(
            QRectF(bar.left(), bar.top(), bar.width() * share, bar.height()), 3, 3
        )
        painter.setFont(fonts.small)
        painter.setPen(colour.darker(115))
        if reserve.breached:
            text = _("{free} of {reserve} reserve").format(
                free=self.formatter.minutes(free),
                reserve=self.formatter.minutes(reserve.reserve_minutes),
            )
        else:
            text = _("{free} free").format(free=self.formatter.minutes(free))
        painter.drawText(
            QRectF(bar.right() + 5, rect.top(), rect.width() - bar.width() - 5, rect.height()),
            Qt.AlignmentFlag.AlignVCenter,
            fonts.small_metrics.elidedText(
                text, Qt.TextElideMode.ElideRight, int(rect.width() - bar.width() - 5)
            ),
        )
