"""Colours and small drawing helpers shared by the views: one look for every view."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPixmap

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


_PARSED: dict[str, QColor] = {}


def kind_colour(kind: Kind) -> QColor:
    """The kind's colour (a copy: the caller may change it)."""
    name = KIND_COLOURS.get(kind, "#2f6fb3")
    parsed = _PARSED.get(name)
    if parsed is None:
        parsed = _PARSED[name] = QColor(name)
    return QColor(parsed)


def fill_colour(kind: Kind) -> QColor:
    """The light fill of an appointment box; its kind's colour is the stripe and border."""
    colour = kind_colour(kind)
    white = 0.8  # mix with white: a pale fill keeps the text readable
    return QColor(
        int(colour.red() + (255 - colour.red()) * white),
        int(colour.green() + (255 - colour.green()) * white),
        int(colour.blue() + (255 - colour.blue()) * white),
    )


@dataclass(frozen=True, slots=True, eq=False)
class KindStyle:
    """Everything an appointment box and its bands are painted with, made once per kind.

    Shared: treat as read-only.
    """

    colour: QColor  # stripe
    pen: QPen  # border
    selected_pen: QPen  # border of the selected box
    fill: QBrush  # body
    travel_fill: QColor  # travel band, under its hatching
    travel_brush: QBrush  # travel band hatching
    wrapup_brush: QBrush
    band_pen: QPen  # dashed edge of both bands


_KIND_STYLES: dict[Kind, KindStyle] = {}


def kind_style(kind: Kind) -> KindStyle:
    found = _KIND_STYLES.get(kind)
    if found is None:
        colour = kind_colour(kind)
        found = _KIND_STYLES[kind] = KindStyle(
            colour=colour,
            pen=QPen(colour, 1),
            selected_pen=QPen(colour.darker(130), 2),
            fill=QBrush(fill_colour(kind)),
            travel_fill=colour.lighter(200),
            travel_brush=travel_brush(kind),
            wrapup_brush=wrapup_brush(kind),
            band_pen=QPen(colour.lighter(150), 1, Qt.PenStyle.DashLine),
        )
    return found


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


# The arguments of QPainter.drawPixmap that copy a stamp: where (logical), what, which part
# (device pixels). At a pixel ratio of 1, plain numbers: nothing for the cycle collector.
Stamp = tuple[QPointF, QPixmap, QRectF] | tuple[int, int, QPixmap, int, int, int, int]
_Part = tuple[tuple[int, int, int, int], QRectF]  # a part of a stamp's pixmap, both ways


def _part(left: int, top: int, width: int, height: int) -> _Part:
    return (left, top, width, height), QRectF(left, top, width, height)


def _stamp(ratio: float, x: int, y: int, pixmap: QPixmap, part: _Part) -> Stamp:
    """Copy `part` of `pixmap` to device pixel (`x`, `y`)."""
    if ratio == 1.0:
        return (x, y, pixmap, *part[0])
    return (QPointF(x / ratio, y / ratio), pixmap, part[1])


def _phase(value: float, steps: int) -> tuple[int, int]:
    """`value` (device pixels) as a whole pixel and a phase in 1/`steps` of a pixel."""
    whole = math.floor(value)
    phase = round((value - whole) * steps)
    if phase == steps:
        return whole + 1, 0
    return whole, phase


class MarkerStamps:
    """Conflict markers drawn once and stamped: `draw_marker` with an antialiased ellipse
    and lines costs far more than copying a few pixels, and a week shows hundreds.

    Stamps are made per colour, radius (to 1/64 px) and sub-pixel phase of the centre (to
    1/16 device pixel), so a stamped marker lands within 1/32 px of where `draw_marker` puts
    it. (Boxes side by side share their sizes exactly: that makes few radii.)
    One pixmap holds the stamps of a colour, radius and phase down for every phase across,
    all drawn at once (one painter for each stamp would cost more than the stamps save).
    `ratio` is the device pixel ratio of the painted device; the painter may be translated by
    whole device pixels only (no scaling).
    """

    STEPS = 16
    RADIUS_STEPS = 64
    LIMIT = 512  # sheets kept; past that the cache starts again

    def __init__(self, ratio: float) -> None:
        self.ratio = ratio
        self._sheets: dict[tuple[int, int, int], tuple[QPixmap, int, list[_Part]]] = {}
        self._wanted: dict[tuple[int, int, int], QColor] = {}

    def place(self, centre: QPointF, colour: QColor, radius: float) -> Stamp | None:
        """Where to draw which stamp for a marker at `centre`, or None: draw that marker.

        Stamps are not drawn here (for one paint, drawing the markers costs less): a
        marker without them is `wanted`, for `make_wanted` to draw later."""
        ratio = self.ratio
        left, phase_x = _phase(centre.x() * ratio, self.STEPS)
        top, phase_y = _phase(centre.y() * ratio, self.STEPS)
        steps = round(radius * self.RADIUS_STEPS)
        key = (colour.rgba(), steps, phase_y)
        sheet = self._sheets.get(key)
        if sheet is None:
            self._wanted.setdefault(key, QColor(colour))
            return None
        pixmap, half, parts = sheet
        return _stamp(ratio, left - half, top - half, pixmap, parts[phase_x])

    @property
    def wanted(self) -> bool:
        """Markers were placed that have no stamps yet."""
        return bool(self._wanted)

    def make_wanted(self, seconds: float) -> bool:
        """Draw the stamps of wanted markers for about `seconds`; True when none is left."""
        began = time.perf_counter()
        while self._wanted:
            key = next(iter(self._wanted))
            colour = self._wanted.pop(key)
            if len(self._sheets) >= self.LIMIT:
                self._sheets.clear()  # start again (stamps in use stay alive where placed)
            self._sheets[key] = self._sheet(colour, key[1] / self.RADIUS_STEPS, key[2])
            if time.perf_counter() - began > seconds:
                break
        return not self._wanted

    def _sheet(
        self, colour: QColor, radius: float, phase_y: int
    ) -> tuple[QPixmap, int, list[_Part]]:
        """The stamps of a marker for each phase across, side by side."""
        ratio, steps = self.ratio, self.STEPS
        half = math.ceil((radius + 1.0) * ratio) + 2  # the white ring and its antialiasing
        side = 2 * half + 2
        pixmap = QPixmap(side * steps, side)
        pixmap.fill(Qt.GlobalColor.transparent)
        pixmap.setDevicePixelRatio(ratio)
        painter = QPainter(pixmap)
        for phase_x in range(steps):
            centre = QPointF(
                (phase_x * side + half + phase_x / steps) / ratio, (half + phase_y / steps) / ratio
            )
            draw_marker(painter, centre, colour, radius)
        painter.end()
        return pixmap, half, [_part(phase_x * side, 0, side, side) for phase_x in range(steps)]


class _Lane:
    """The stamps of the box bodies with one pen, brush, left edge and width, in one pixmap:
    the top of a body for each phase down, the bottom for each, and straight rows."""

    __slots__ = ("pixmap", "x", "tops", "bottoms", "middle", "straight")

    def __init__(self, pixmap: QPixmap, x: int) -> None:
        self.pixmap = pixmap
        self.x = x  # where its stamps go across (device pixels)
        self.tops: list[_Part] = []  # by phase of the top edge: the part to copy
        self.bottoms: list[_Part] = []  # by phase of the bottom edge
        self.middle = 0  # the first of its straight rows
        self.straight: dict[int, _Part] = {}  # by number of rows


class BoxStamps:
    """Appointment box bodies (an antialiased rounded rectangle with a border) stamped from
    cached pixmaps. Qt's antialiased fill and stroke cost per pixel row; a copy costs far
    less, and every row between the rounded ends of a body is the same.

    A body is stamped in parts that meet exactly and never overlap (semi-transparent edge
    pixels must not be blended twice): its top down to below the rounded corners, straight
    rows (copied as often as it takes), and its bottom. The parts are cut from bodies drawn
    by Qt at the same width and sub-pixel phases as the box: across to 1/64 device pixel, up
    and down to 1/8. Boxes side by side in a lane share their left edge and width exactly:
    each lane's stamps are drawn at once, for every phase up and down, so a new zoom (which
    moves the edges up and down, not across) needs no new stamps. Boxes too short to have
    straight rows are not stamped (`place` returns None): draw those directly, as those of
    a lane without stamps yet. `ratio` is the device pixel ratio; the painter may be
    translated by whole device pixels only.
    """

    ACROSS = 64  # sub-pixel steps of the left edge and the width
    DOWN = 8  # sub-pixel steps of the top and bottom edges
    RADIUS = 3.0
    MARGIN = 3  # device pixels around the body: the pen's outer half and antialiasing
    STRAIGHT = 128  # straight rows in a lane's stamps
    LIMIT_BYTES = 32 << 20  # past that the cache starts again

    def __init__(self, ratio: float) -> None:
        self.ratio = ratio
        self._lanes: dict[tuple[int, int, float, float], _Lane] = {}
        self._wanted: dict[tuple[int, int, float, float], tuple[QRectF, QPen, QBrush]] = {}
        self._bytes = 0
        # Rows below a body's top edge row until past its rounded corners (and above the
        # bottom edge row): the straight rows start and end there.
        self._corner = math.ceil((self.RADIUS + 1.5) * ratio) + 1

    def place(self, rect: QRectF, pen: QPen, brush: QBrush) -> list[Stamp] | None:
        """The stamps that paint `painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5,
        -0.5), 3, 3)` with `pen` and `brush`, antialiased, or None (the box is too short to
        be stamped) or none (not yet): draw that directly.

        A lane's stamps are not drawn here (for one paint, drawing its boxes costs less):
        its boxes get none and the lane is `wanted`, for `make_wanted` to draw later."""
        ratio, corner, margin = self.ratio, self._corner, self.MARGIN
        top, phase_top = _phase(rect.top() * ratio, self.DOWN)
        bottom, phase_bottom = _phase(rect.bottom() * ratio, self.DOWN)
        straight = bottom - top - 2 * corner
        if straight < 0:
            return None
        key = (id(pen), id(brush), rect.left(), rect.width())
        lane = self._lanes.get(key)
        if lane is None:
            self._wanted.setdefault(key, (QRectF(rect), pen, brush))
            return []
        x, pixmap = lane.x, lane.pixmap
        # The top: from `margin` rows above the top edge row to `corner` rows below it.
        stamps = [_stamp(ratio, x, top - margin, pixmap, lane.tops[phase_top])]
        row = top + corner
        while straight > 0:
            rows = min(straight, self.STRAIGHT)
            part = lane.straight.get(rows)
            if part is None:
                part = lane.straight[rows] = _part(0, lane.middle, pixmap.width(), rows)
            stamps.append(_stamp(ratio, x, row, pixmap, part))
            row += rows
            straight -= rows
        # The bottom: from `corner` rows above the bottom edge row to below it.
        stamps.append(_stamp(ratio, x, row, pixmap, lane.bottoms[phase_bottom]))
        return stamps

    @property
    def wanted(self) -> bool:
        """Lanes were placed that have no stamps yet."""
        return bool(self._wanted)

    def make_wanted(self, seconds: float) -> bool:
        """Draw the stamps of wanted lanes for about `seconds`; True when none is left."""
        began = time.perf_counter()
        while self._wanted:
            key = next(iter(self._wanted))
            rect, pen, brush = self._wanted.pop(key)
            lane = self._lane(rect, pen, brush)
            size = lane.pixmap.width() * lane.pixmap.height() * 4
            if self._bytes + size > self.LIMIT_BYTES:
                self._lanes.clear()  # start again (stamps in use stay alive where placed)
                self._bytes = 0
            self._lanes[key] = lane
            self._bytes += size
            if time.perf_counter() - began > seconds:
                break
        return not self._wanted

    def _lane(self, rect: QRectF, pen: QPen, brush: QBrush) -> _Lane:
        """Draw the lane's stamps: a body for each phase of the top edge (its top is used),
        one for each phase of the bottom edge (its bottom), and one with straight rows."""
        ratio, margin, corner, down = self.ratio, self.MARGIN, self._corner, self.DOWN
        left, phase_x = _phase(rect.left() * ratio, self.ACROSS)
        width = round(rect.width() * ratio * self.ACROSS) / self.ACROSS  # device pixels
        columns = math.ceil(phase_x / self.ACROSS + width) + 2 * margin + 1
        # A cell: `margin` rows, a body with `corner` straight rows past each rounded end
        # (`tall` rows from its top edge row to its bottom edge row), `margin` + 2 rows.
        tall = 2 * corner + 2
        cell = tall + 2 * margin + 2
        rows = 2 * down * cell + cell + self.STRAIGHT
        pixmap = QPixmap(columns, rows)
        pixmap.fill(Qt.GlobalColor.transparent)
        pixmap.setDevicePixelRatio(ratio)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(pen)
        painter.setBrush(brush)
        across = margin + phase_x / self.ACROSS

        def body(first: int, phase_top: int, rows: int, phase_bottom: int) -> None:
            top = first + margin + phase_top / down
            bottom = first + margin + rows + phase_bottom / down
            shape = QRectF(across / ratio, top / ratio, width / ratio, (bottom - top) / ratio)
            painter.drawRoundedRect(shape.adjusted(0.5, 0.5, -0.5, -0.5), 3.0, 3.0)

        lane = _Lane(pixmap, left - margin)
        for phase in range(down):
            first = phase * cell
            body(first, phase, tall, 0)
            lane.tops.append(_part(0, first, columns, margin + corner))
        for phase in range(down):
            first = (down + phase) * cell
            body(first, 0, tall, phase)
            start = first + margin + tall - corner
            lane.bottoms.append(_part(0, start, columns, first + cell - start))
        first = 2 * down * cell
        body(first, 0, tall + self.STRAIGHT, 0)
        lane.middle = first + margin + corner
        painter.end()
        return lane


def rounded(rect: QRectF, radius: float = 4.0) -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    return path
