"""The grid's gutter: the time of each hour line, beside the day columns."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from diary.i18n import Formatter
from diary.ui import style
from diary.ui.week_view.axis import HourMark
from diary.ui.week_view.geometry import GridGeometry
from diary.ui.week_view.text import GridFonts

GUTTER_WIDTH = 64
GUTTER_BACKGROUND = QColor("#f4f5f8")


class TimeGutter(QWidget):
    """Painted left of the day columns, scrolled with them (`grid.scroll`)."""

    def __init__(
        self, parent: QWidget, grid: GridGeometry, fonts: GridFonts, formatter: Formatter
    ) -> None:
        super().__init__(parent)
        self.grid = grid
        self.fonts = fonts
        self.formatter = formatter

    def labels(self) -> list[tuple[float, str]]:
        """Each hour line's position (axis minutes) and its label, as painted."""
        return [(mark.position, self.label(mark)) for mark in self.grid.axis.hour_marks()]

    def label(self, mark: HourMark) -> str:
        """The time of an hour line, and which of the two it is where an hour repeats."""
        axis = self.grid.axis
        # The formatter reads the wall clock of the instant; one made on the zone's own
        # tzinfo keeps the hour asked for even where that day skips it.
        text = self.formatter.time(datetime.combine(axis.days[0], mark.at, tzinfo=axis.tz))
        return f"{text} {mark.zone_name}" if mark.zone_name else text

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self.paint(QPainter(self), QRectF(self.rect()))

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, GUTTER_BACKGROUND)
        painter.setFont(self.fonts.small)
        painter.setPen(style.MUTED)
        line = self.fonts.small_metrics.height()
        grid = self.grid
        scroll = grid.scroll
        for position, label in self.labels_between(scroll, scroll + rect.height()):
            y = grid.minutes_to_y(position) - scroll
            painter.drawText(
                QRectF(0, y - line / 2, GUTTER_WIDTH - 6, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )

    def labels_between(self, top: float, bottom: float) -> list[tuple[float, str]]:
        """The labels whose line is within an hour of content y `top` to `bottom`."""
        grid = self.grid
        reach = grid.hour_px
        return [
            (mark.position, self.label(mark))
            for mark in grid.axis.hour_marks()
            if top - reach <= grid.minutes_to_y(mark.position) <= bottom + reach
        ]
