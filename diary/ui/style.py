"""Colours and small drawing helpers shared by the views: one look for every view."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF

from diary.domain.model import Kind, Rule, Violation

KIND_COLOURS: dict[Kind, str] = {
    Kind.MEETING: "#2f6fb3",
    Kind.BLOCK: "#7a5aa6",
    Kind.ALL_DAY: "#3c8c5a",
}
ERROR = QColor("#d32f2f")
WARNING = QColor("#f0a020")
GHOST_OK = QColor("#2f6fb3")
GRID_BG = QColor("#fbfbfc")
OFF_HOURS = QColor("#eceef2")
TODAY_TINT = QColor(255, 244, 200, 70)
LINE = QColor("#d9dce3")
HALF_LINE = QColor("#eceef2")
TEXT = QColor("#1f2430")
MUTED = QColor("#5b6270")
NOW = QColor("#e53935")


def kind_colour(kind: Kind) -> QColor:
    return QColor(KIND_COLOURS.get(kind, "#2f6fb3"))


def fill_colour(kind: Kind) -> QColor:
    """The light fill of an appointment box; its kind's colour is the stripe and border."""
    colour = kind_colour(kind)
    white = 0.8  # mix with white: a pale fill keeps the text readable
    return QColor(
        int(colour.red() + (255 - colour.red()) * white),
        int(colour.green() + (255 - colour.green()) * white),
        int(colour.blue() + (255 - colour.blue()) * white),
    )


def marker_colour(flags: tuple[Violation, ...] | list[Violation]) -> QColor | None:
    """Red for a double-booking, amber for a buffer or reserve breach, none otherwise."""
    rules = {v.rule for v in flags}
    if Rule.DOUBLE_BOOKING in rules:
        return ERROR
    if rules & {Rule.BUFFER, Rule.RESERVE}:
        return WARNING
    return None


def travel_brush(kind: Kind) -> QBrush:
    brush = QBrush(kind_colour(kind).lighter(120), Qt.BrushStyle.BDiagPattern)
    return brush


def wrapup_brush(kind: Kind) -> QBrush:
    colour = kind_colour(kind).lighter(210)
    return QBrush(colour)


def draw_marker(painter: QPainter, centre: QPointF, colour: QColor, radius: float = 7.0) -> None:
    """A round badge with "!" that marks a conflict."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(QColor("white"), 1.2))
    painter.setBrush(colour)
    painter.drawEllipse(QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius))
    painter.setPen(QPen(QColor("white"), 2.0))
    painter.drawLine(
        QPointF(centre.x(), centre.y() - radius * 0.5),
        QPointF(centre.x(), centre.y() + radius * 0.15),
    )
    painter.drawPoint(QPointF(centre.x(), centre.y() + radius * 0.5))
    painter.restore()


def rounded(rect: QRectF, radius: float = 4.0) -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    return path


def triangle(rect: QRectF) -> QPolygonF:
    return QPolygonF(
        [
            QPointF(rect.center().x(), rect.top()),
            QPointF(rect.right(), rect.bottom()),
            QPointF(rect.left(), rect.bottom()),
        ]
    )
