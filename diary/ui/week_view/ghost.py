"""The drag ghost: where a dragged (or drawn) appointment would go, its bands, what it would
break, and a label saying when it would be and why it would be refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from diary.domain.model import Appointment, Violation
from diary.ui import style
from diary.ui.week_view.boxes import paint_band
from diary.ui.week_view.geometry import MIN_BOX_PX, RIGHT_MARGIN_PX, GridGeometry
from diary.ui.week_view.text import GridFonts, clock_range

if TYPE_CHECKING:
    from diary.domain.rules import Bands
    from diary.i18n import Formatter


@dataclass(slots=True)
class Ghost:
    """Where the dragged appointment would go, with its bands and what it would break."""

    candidate: Appointment
    bands: Bands
    violations: list[Violation]
    rects: list[QRectF]  # viewport coordinates: box, travel, wrap-up, label
    box: QRectF
    reasons: list[str]

    @property
    def refused(self) -> bool:
        from diary.domain.rules import refusals  # loaded with the first drag, not at start

        return bool(refusals(self.violations))


def place_ghost(
    geometry: GridGeometry,
    fonts: GridFonts,
    candidate: Appointment,
    bands: Bands,
    violations: list[Violation],
    reasons: list[str],
) -> Ghost:
    """The ghost of `candidate` in viewport coordinates, at the current scroll position."""
    axis = geometry.axis
    day = candidate.start.astimezone(axis.tz).date()
    index = axis.days.index(day) if day in axis.days else 0
    left = geometry.day_left(index) + 1
    width = geometry.column_width() - RIGHT_MARGIN_PX
    scroll = geometry.scroll
    top = geometry.minutes_to_y(axis.position(day, candidate.start)) - scroll
    bottom = geometry.minutes_to_y(min(axis.length, axis.position(day, candidate.end)))
    box = QRectF(left, top, width, max(MIN_BOX_PX, bottom - scroll - top))
    rects = [box]
    if bands.travel_minutes:
        height = geometry.minutes_to_y(bands.travel_minutes)
        rects.append(QRectF(left, top - height, width, height))
    if bands.wrapup_minutes:
        rects.append(QRectF(left, box.bottom(), width, geometry.minutes_to_y(bands.wrapup_minutes)))
    rects.append(_label_rect(geometry, fonts, box, len(reasons) + 1))
    return Ghost(candidate, bands, violations, rects, box, reasons)


def _label_rect(geometry: GridGeometry, fonts: GridFonts, box: QRectF, lines: int) -> QRectF:
    """Below the ghost's box (above it near the bottom), inside the viewport."""
    viewport = geometry.viewport
    height = lines * fonts.small_metrics.height() + 8
    width = max(box.width() * 1.8, 240.0)
    x = box.left() if box.left() + width <= viewport.width() else box.right() - width
    y = box.bottom() + 4
    if y + height > viewport.height():
        y = max(0.0, box.top() - height - 4)
    return QRectF(max(0.0, x), y, width, height)


def ghost_label(ghost: Ghost, formatter: Formatter) -> str:
    """The label's first line: the day and the times a drop would store."""
    start, end = ghost.candidate.start, ghost.candidate.end
    day = formatter.local(start).date()
    return f"{formatter.weekday_short(day)} {clock_range(formatter, start, end)}"


def paint_ghost(
    painter: QPainter,
    ghost: Ghost,
    geometry: GridGeometry,
    fonts: GridFonts,
    formatter: Formatter,
) -> None:
    """The ghost's bands, its dashed box (green, amber or red) and its label."""
    why = ghost.reasons
    if ghost.refused:
        colour = style.ERROR
    elif why:
        colour = style.WARNING
    else:
        colour = style.GHOST_OK
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    kind = ghost.candidate.kind
    box = ghost.box
    if ghost.bands.travel_minutes:
        paint_band(painter, ghost.rects[1], kind, True)
    if ghost.bands.wrapup_minutes:
        wrap = QRectF(
            box.left(),
            box.bottom(),
            box.width(),
            geometry.minutes_to_y(ghost.bands.wrapup_minutes),
        )
        paint_band(painter, wrap, kind, False)
    fill = QColor(colour)
    fill.setAlpha(70)
    painter.setBrush(fill)
    painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
    painter.drawPath(style.rounded(box, 3))
    label = ghost.rects[-1]
    painter.setPen(QPen(colour, 1))
    painter.setBrush(QColor(255, 255, 255, 235))
    painter.drawPath(style.rounded(label, 4))
    painter.setFont(fonts.bold)
    metrics = fonts.small_metrics
    y = label.top() + 4
    text_width = int(label.width() - 10)
    painter.setPen(colour.darker(120))
    painter.drawText(
        QRectF(label.left() + 5, y, text_width, metrics.height()), ghost_label(ghost, formatter)
    )
    painter.setFont(fonts.small)
    for line in why:
        y += metrics.height()
        painter.drawText(
            QRectF(label.left() + 5, y, text_width, metrics.height()),
            metrics.elidedText(line, Qt.TextElideMode.ElideRight, text_width),
        )
    painter.restore()
