"""Painting the appointments of the grid: bands, box bodies (stamped from cached pixmaps where
they can be), stripes, titles, detail lines and conflict markers, in batches.

The layout comes from `GridGeometry`; what each box looks like is planned once per layout and
pixel ratio (`plan`); `paint` draws the plan into the static layer (`layers`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from itertools import starmap
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter

from diary.domain.model import Kind
from diary.ui import style
from diary.ui.week_view.geometry import Box, GridGeometry
from diary.ui.week_view.plan import Band, Batch, Painted, Shape, fill_rect, level_bands, stamps_for
from diary.ui.week_view.text import GridFonts, clock, clock_range

if TYPE_CHECKING:
    from diary.i18n import Formatter

STAMP_SLICE_SECONDS = 0.006  # stamps are drawn between events, this long at a time
FADED = 0.35  # the opacity of the dragged appointment's box


class BoxPainter:
    """Paints the boxes of `geometry` with `fonts`; `formatter` gives their times.

    Stamps a box needs and does not have yet are drawn a slice at a time from `context`'s
    event loop; `stamps_ready` is called when they are, to paint again with them.
    """

    def __init__(
        self,
        geometry: GridGeometry,
        fonts: GridFonts,
        formatter: Formatter,
        context: QObject,
        stamps_ready: Callable[[], None],
    ) -> None:
        self.geometry = geometry
        self.fonts = fonts
        self.formatter = formatter
        self._context = context
        self._stamps_ready = stamps_ready
        self._planned: Batch | None = None
        self._plan_for: tuple[object, ...] = ()
        self._stamps: style.MarkerStamps | None = None
        self._bodies: style.BoxStamps | None = None
        self._stamps_coming = False  # `_make_stamps` is to run
        self._shapes: dict[tuple[object, ...], Shape] = {}

    def plan(self, ratio: float) -> Batch:
        """How each box and band is painted, worked out once per layout and pixel ratio."""
        key = (self.geometry.generation, ratio)
        if self._plan_for == key and self._planned is not None:
            return self._planned
        if self._stamps is None or self._stamps.ratio != ratio:
            self._stamps, self._bodies = stamps_for(ratio)
            self._shapes = {}
        # Shapes are kept from one layout to the next only: a reload finds most again, and
        # zooming leaves no heap of them behind (Qt's value objects are garbage collected
        # by Python's cycle collector, whose full passes take longer the more there are).
        previous = self._shapes
        shapes: dict[tuple[object, ...], Shape] = {}
        kind_style = style.kind_style
        painted: list[Painted] = []
        bands: list[Band] = []
        for box in self.geometry.boxes:
            listed = box.segment.listed
            look = kind_style(listed.appointment.kind)
            marker = style.marker_colour(listed.flags) if listed.flags else None
            rect, travel, wrapup = box.rect, box.travel, box.wrapup
            # A box's shape is a function of these alone: most survive a reload.
            shape_key = (
                rect.getRect(),
                travel.getRect() if travel is not None else None,
                wrapup.getRect() if wrapup is not None else None,
                id(look),
                marker.rgba() if marker is not None else None,
            )
            shape = previous.get(shape_key) or shapes.get(shape_key)
            if shape is None:
                shape = self._shape(box, look, marker, ratio)
            body_stamps, stripe, text, marker_stamp, marked, band_shapes = shape
            if body_stamps != [] and (marker_stamp is not None or not marked):
                shapes[shape_key] = shape  # kept once it has all its stamps
            painted.append(
                Painted(box, box.ref, look, body_stamps, stripe, text, marker_stamp, marked)
            )
            for is_travel, fill, outline in band_shapes:
                bands.append(Band(box, look, is_travel, fill, outline))
        level_bands(bands)
        self._shapes = shapes
        assert self._stamps is not None and self._bodies is not None
        if (self._bodies.wanted or self._stamps.wanted) and not self._stamps_coming:
            # Boxes of lanes without stamps are drawn (that costs less for one paint); the
            # stamps are drawn when there is nothing else to do, then the plan is made again.
            self._stamps_coming = True
            QTimer.singleShot(0, self._context, self._make_stamps)
        self._planned = Batch.of(painted, bands, self.geometry.columns(), ratio)
        self._plan_for = key
        return self._planned

    def _make_stamps(self) -> None:
        """Draw wanted stamps a few milliseconds at a time; then plan and paint with them."""
        began = time.perf_counter()
        for stamps in (self._bodies, self._stamps):
            left = STAMP_SLICE_SECONDS - (time.perf_counter() - began)
            if stamps is not None and stamps.wanted and not stamps.make_wanted(left):
                QTimer.singleShot(0, self._context, self._make_stamps)
                return
        self._stamps_coming = False
        self._plan_for = ()
        self._stamps_ready()

    def _shape(self, box: Box, look: style.KindStyle, marker: QColor | None, ratio: float) -> Shape:
        """Where the parts of a box and its bands go, and the stamps that paint them."""
        assert self._stamps is not None and self._bodies is not None
        rect = box.rect
        marker_stamp = None
        marked = False
        if marker is not None:
            radius = min(7.0, rect.height() / 2 - 1, rect.width() / 2 - 1)
            if radius >= 3:
                centre = QPointF(rect.right() - radius - 2, rect.top() + radius + 2)
                marker_stamp = self._stamps.place(centre, marker, radius)
                marked = True
        room = rect.adjusted(7, 2, -(16 if marker else 3), -1)
        bands = [
            (is_travel, fill_rect(band, ratio), band.adjusted(0.5, 0.5, -0.5, -0.5))
            for band, is_travel in ((box.travel, True), (box.wrapup, False))
            if band is not None
        ]
        return (
            self._bodies.place(rect, look.pen, look.fill),
            fill_rect(QRectF(rect.left(), rect.top(), 4, rect.height()), ratio),
            room if room.height() >= 8 and room.width() >= 12 else None,
            marker_stamp,
            marked,
            bands,
        )

    def paint(
        self,
        painter: QPainter,
        area: QRectF,
        ratio: float,
        *,
        whole: bool,
        selected: str | None,
        dragged: str | None,
    ) -> Batch:
        """Bands and boxes inside `area` (content coordinates), in passes with the painter
        set up once for each: all bands; all box bodies (antialiased); all stripes; all
        titles; all detail lines; all markers. The `dragged` box is faded, the `selected`
        one has a thicker, darker border. `whole`: the area is the whole day."""
        batch = self.plan(ratio)
        if not whole:  # the viewport-sized layer: only what it shows
            batch = Batch.of(
                [p for p in batch.boxes if p.box.rect.intersects(area)],
                [band for band in batch.bands if band.rect.intersects(area)],
                self.geometry.columns(),
                ratio,
            )
        paint_bands(painter, batch)
        # Stamps are drawn by a loop in C (starmap): a Python loop costs as much as a copy.
        draw_pixmap = painter.drawPixmap
        deque(starmap(draw_pixmap, batch.body_stamps.without(selected, dragged)), maxlen=0)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for p in batch.boxes if selected or dragged else ():
            if p.body_stamps and p.ref in (selected, dragged):
                _paint_body(painter, p, selected, dragged)
        for p in batch.bodies_drawn:
            _paint_body(painter, p, selected, dragged)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        for look, stripes in batch.stripes:
            painter.setBrush(look.colour)
            painter.drawRects(stripes.without(dragged))
            for rect in stripes.of(dragged):
                painter.setOpacity(FADED)
                painter.drawRect(rect)
                painter.setOpacity(1.0)
        if batch.texts:
            self._paint_titles(painter, batch.texts, dragged)
            self._paint_details(painter, batch.texts, dragged)
        deque(starmap(draw_pixmap, batch.markers.without(dragged)), maxlen=0)
        for p in batch.markers_drawn:
            if p.ref != dragged:
                paint_marker(painter, p.box)
        for p in batch.boxes if dragged else ():
            if p.ref == dragged and p.marked:
                # Drawn, not stamped: faded, its "!" shows the faded red under it.
                painter.setOpacity(FADED)
                paint_marker(painter, p.box)
                painter.setOpacity(1.0)
        return batch

    def _paint_titles(self, painter: QPainter, texts: list[Painted], dragged: str | None) -> None:
        """Each box's first line in bold: its title, or time and title when it is short.

        drawText clips to the line it is given; a box's text is clipped to the box by hand
        only where the line reaches below it.
        """
        fonts = self.fonts
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        bold_line = fonts.bold_metrics.height()
        line = fonts.small_metrics.height()
        painter.setPen(style.TEXT)
        painter.setFont(fonts.bold)
        for p in texts:
            rect = p.text
            assert rect is not None
            a = p.box.appointment
            title = a.title
            if rect.height() < bold_line + line:
                # Too short for two lines: time and title on one.
                title = f"{clock(self.formatter, a.start)} {a.title}"
            clip = rect.top() + bold_line > rect.bottom()
            if clip:
                painter.setClipRect(rect)
            fade = p.ref == dragged
            if fade:
                painter.setOpacity(FADED)
            painter.drawText(
                QRectF(rect.left(), rect.top(), rect.width(), bold_line),
                align,
                fonts.elided(title, int(rect.width()), True),
            )
            if fade:
                painter.setOpacity(1.0)
            if clip:
                painter.setClipping(False)

    def _paint_details(self, painter: QPainter, texts: list[Painted], dragged: str | None) -> None:
        """Under each title, as many of time, customer and place as the box has room for."""
        fonts = self.fonts
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        bold_line = fonts.bold_metrics.height()
        line = fonts.small_metrics.height()
        painter.setFont(fonts.small)
        painter.setPen(style.MUTED)
        for p in texts:
            rect = p.text
            assert rect is not None
            y = rect.top() + bold_line
            bottom = rect.bottom()
            if y + line > bottom + 2:
                continue
            a = p.box.appointment
            lines = [clock_range(self.formatter, a.start, a.end)]
            if a.customer is not None:
                lines.append(a.customer.name)
            if a.location is not None:
                lines.append(a.location.label)
            width = int(rect.width())
            fade = p.ref == dragged
            if fade:
                painter.setOpacity(FADED)
            clipped = False
            for text in lines:
                if y + line > bottom + 2:
                    break
                if y + line > bottom and not clipped:
                    painter.setClipRect(rect)
                    clipped = True
                painter.drawText(
                    QRectF(rect.left(), y, rect.width(), line),
                    align,
                    fonts.elided(text, width, False),
                )
                y += line
            if clipped:
                painter.setClipping(False)
            if fade:
                painter.setOpacity(1.0)


def sticky_titles(geometry: GridGeometry, line: float) -> list[tuple[Box, QRectF]]:
    """The boxes whose top (and title) is scrolled out of view while `line` pixels or more
    of them show, and where their title goes instead: the top of the viewport (a part on
    the second day of a long appointment starts at midnight, far above the working day)."""
    scroll = geometry.scroll
    found = []
    for box in geometry.boxes:
        rect = box.rect
        if rect.top() < scroll <= rect.bottom() - line - 4:
            found.append((box, QRectF(rect.left(), scroll, rect.width(), line + 3)))
    return found


def paint_sticky_titles(
    painter: QPainter, geometry: GridGeometry, fonts: GridFonts, dragged: str | None
) -> None:
    """Each box scrolled past its top keeps its title at the top of the viewport."""
    line = fonts.bold_metrics.height()
    shown = sticky_titles(geometry, line)
    if not shown:
        return
    scroll = geometry.scroll
    painter.save()
    painter.translate(0, -scroll)
    painter.setFont(fonts.bold)
    for box, strip in shown:
        look = style.kind_style(box.appointment.kind)
        if box.ref == dragged:
            painter.setOpacity(FADED)
        inner = strip.adjusted(1, 1, -1, 0)
        painter.fillRect(inner, look.fill)
        painter.fillRect(QRectF(strip.left(), strip.top(), 4, strip.height()), look.colour)
        painter.setPen(style.TEXT)
        text = strip.adjusted(7, 1, -3, 0)
        painter.drawText(
            text,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fonts.elided(box.appointment.title, int(text.width()), True),
        )
        painter.setOpacity(1.0)
    painter.restore()


def paint_marker(painter: QPainter, box: Box) -> None:
    """A box's conflict marker, drawn (`BoxPainter._shape` places the stamp of the same)."""
    colour = style.marker_colour(box.segment.listed.flags)
    rect = box.rect
    radius = min(7.0, rect.height() / 2 - 1, rect.width() / 2 - 1)
    if colour is not None and radius >= 3:
        centre = QPointF(rect.right() - radius - 2, rect.top() + radius + 2)
        style.draw_marker(painter, centre, colour, radius)


def _paint_body(painter: QPainter, p: Painted, selected: str | None, dragged: str | None) -> None:
    """One box body drawn by Qt (antialiased): the selected, the dragged, odd sizes."""
    look = p.look
    body = p.box.rect.adjusted(0.5, 0.5, -0.5, -0.5)
    painter.setPen(look.selected_pen if p.ref == selected else look.pen)
    painter.setBrush(look.fill)
    if p.ref == dragged:
        painter.setOpacity(FADED)
        painter.drawRoundedRect(body, 3, 3)
        painter.setOpacity(1.0)
    else:
        painter.drawRoundedRect(body, 3, 3)


def paint_bands(painter: QPainter, batch: Batch) -> None:
    """Every box's travel band (hatched) and wrap-up band, under all the boxes."""
    for look, travel, wrapup, outlines in batch.band_groups:
        painter.setPen(Qt.PenStyle.NoPen)
        if travel:
            painter.setBrush(look.travel_fill)
            painter.drawRects(travel)
            painter.setBrush(look.travel_brush)
            painter.drawRects(travel)
        if wrapup:
            painter.setBrush(look.wrapup_brush)
            painter.drawRects(wrapup)
        painter.setPen(look.band_pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRects(outlines)


def paint_band(painter: QPainter, rect: QRectF, kind: Kind, travel: bool) -> None:
    """One band (the ghost's): as `paint_bands` paints them."""
    look = style.kind_style(kind)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    if travel:
        painter.fillRect(rect, look.travel_fill)
        painter.fillRect(rect, look.travel_brush)
    else:
        painter.fillRect(rect, look.wrapup_brush)
    painter.setPen(look.band_pen)
    painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
    painter.restore()
