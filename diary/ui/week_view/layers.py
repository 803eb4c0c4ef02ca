"""The grid's pixmap layers: the background (off hours, working hours, today's tint, hour
lines) and the static layer (the background with every appointment on it), painted once and
copied at the scroll position; the now-line is painted over them at each paint.

The static layer holds the whole day (24 h at the hour height) unless it would be taller than
`MAX_LAYER_HEIGHT` device pixels or bigger than `MAX_LAYER_PIXELS`: then only the viewport.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen, QPixmap

from diary.domain.model import WorkingHours
from diary.ui import style
from diary.ui.week_view.boxes import BoxPainter
from diary.ui.week_view.geometry import GridGeometry
from diary.ui.week_view.plan import scaled

MAX_LAYER_HEIGHT = 8000
MAX_LAYER_PIXELS = 16_000_000  # 64 MB


@dataclass(frozen=True, slots=True)
class Scene:
    """What a paint of the grid depends on besides the geometry and the boxes."""

    today: date
    hours: tuple[WorkingHours | None, ...]  # of each shown day
    selected: str | None
    dragged: str | None  # the appointment being dragged (its box is faded)
    ratio: float  # device pixel ratio
    loaded: bool  # the shown days' appointments have arrived


class GridLayers:
    """The cached layers of one grid; `drop` has the static layer painted again."""

    def __init__(self, geometry: GridGeometry, boxes: BoxPainter) -> None:
        self.geometry = geometry
        self.boxes = boxes
        # The static layer: `static` while it is valid, painted into `_layer`, whose top
        # edge is at content y `_static_top`.
        self.static: QPixmap | None = None
        self._static_for: tuple[object, ...] = ()
        self._static_top = 0
        self._layer: QPixmap | None = None
        self._layer_drawn: list[QRectF] | None = None  # where its appointments are
        self._background: QPixmap | None = None
        self._background_for: tuple[object, ...] = ()

    def drop(self) -> None:
        """Paint the static layer again at the next paint (new formats, new stamps)."""
        self.static = None

    def release(self) -> None:
        """Keep no pixmaps (a hidden view): each holds the whole day."""
        self.static = self._layer = self._background = None
        self._layer_drawn = None

    def whole_height(self, scene: Scene) -> int:
        """The height of a layer holding the whole day (and the viewport below it, zoomed
        out), or 0 when that would take too much memory: the viewport-sized layer then.
        Also 0 before the days are loaded: the first paint of the window has no appointments
        to keep for scrolling, and a layer three screens tall is 3-4 ms of a cold start."""
        if not scene.loaded:
            return 0
        ratio = scene.ratio
        viewport = self.geometry.viewport
        height = max(self.geometry.content_height(), viewport.height())
        if height * ratio > MAX_LAYER_HEIGHT:
            return 0
        if height * viewport.width() * ratio * ratio > MAX_LAYER_PIXELS:
            return 0
        return height

    def _static_key(self, scene: Scene, whole: int) -> tuple[object, ...]:
        return (
            self.geometry.generation,
            whole,
            # The whole-day layer is blitted at the scroll position; only the fallback, a
            # layer the size of the viewport, is painted for one.
            None if whole else self.geometry.scroll,
            self.geometry.viewport.toTuple(),
            scene.selected,
            scene.dragged,
            scene.today,
            scene.ratio,
        )

    def paint(self, painter: QPainter, clip: QRect, scene: Scene) -> None:
        """The cached grid with its appointments, copied into `clip` (viewport coordinates)."""
        self.geometry.ensure()
        whole = self.whole_height(scene)
        key = self._static_key(scene, whole)
        scroll = self.geometry.scroll
        ratio = scene.ratio
        if self.static is None or self._static_for != key:
            top = 0 if whole else scroll
            viewport = self.geometry.viewport
            width = viewport.width()
            height = whole or viewport.height()
            columns, rows = max(1, int(width * ratio)), max(1, int(height * ratio))
            # The last layer's pixmap is painted over (fresh memory costs page faults), and
            # its background is restored only where its last appointments were. A little
            # taller than needed, so that zooming in step by step mostly finds it will do.
            layer = self._layer
            drawn = self._layer_drawn if whole and top == self._static_top else None
            if (
                layer is None
                or layer.width() != columns
                or not rows <= layer.height() <= rows * 3 // 2
                or layer.devicePixelRatio() != ratio
            ):
                spare = min(rows * 5 // 4, max(rows, int(MAX_LAYER_HEIGHT)))
                layer = self._layer = QPixmap(columns, spare if whole else rows)
                layer.setDevicePixelRatio(ratio)
                drawn = None
            static = QPainter(layer)
            static.translate(0, -top)
            area = QRectF(0, top, width, height)
            if whole:
                self._paint_background(static, area, drawn, scene)
            else:
                paint_grid_lines(static, area, self.geometry, scene)
            batch = self.boxes.paint(
                static,
                area,
                ratio,
                whole=bool(whole),
                selected=scene.selected,
                dragged=scene.dragged,
            )
            static.end()
            self.static, self._static_for, self._static_top = layer, key, top
            self._layer_drawn = batch.spans if whole else None
        assert self.static is not None
        source = scaled(clip.translated(0, scroll - self._static_top), ratio)
        painter.drawPixmap(clip, self.static, source)

    def _paint_background(
        self, painter: QPainter, area: QRectF, drawn: list[QRectF] | None, scene: Scene
    ) -> None:
        """Off hours, working hours, today's tint and the lines of the whole-day layer,
        `area` (content coordinates). They change only with the days, the hours, the size and
        the zoom: when the layer is painted over for something else (a selection, new
        data), they are copied back from a pixmap, and only where the last appointments
        were (`drawn`). That pixmap is made the first time it is needed (not at each zoom)."""
        ratio = scene.ratio
        key = (
            area.getRect(),
            ratio,
            self.geometry.hour_px,
            tuple(self.geometry.axis.days),
            str(self.geometry.axis.tz),
            scene.today,
            scene.hours,
        )
        if self._background_for != key:
            self._background, self._background_for = None, key
            drawn = None
        if drawn is None and self._background is None:
            paint_grid_lines(painter, area, self.geometry, scene)
            return
        if self._background is None:
            pixmap = QPixmap(max(1, int(area.width() * ratio)), max(1, int(area.height() * ratio)))
            pixmap.setDevicePixelRatio(ratio)
            background = QPainter(pixmap)
            background.translate(0, -area.top())
            paint_grid_lines(background, area, self.geometry, scene)
            background.end()
            self._background = pixmap
        mode = painter.compositionMode()
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        if drawn is None:
            painter.drawPixmap(area.topLeft(), self._background)
        else:
            for rect in drawn:
                source = QRectF(
                    rect.left() * ratio,
                    (rect.top() - area.top()) * ratio,
                    rect.width() * ratio,
                    rect.height() * ratio,
                )
                painter.drawPixmap(rect, self._background, source)
        painter.setCompositionMode(mode)


def paint_grid_lines(painter: QPainter, area: QRectF, geometry: GridGeometry, scene: Scene) -> None:
    """The background of `area` (content coordinates): off hours, working hours, today's
    tint, the hour and half-hour lines, the lines between days."""
    axis = geometry.axis
    width = geometry.column_width()
    area_top, area_bottom = area.top(), area.bottom()
    painter.fillRect(area, style.OFF_HOURS)
    for i, day in enumerate(axis.days):
        hours = scene.hours[i] if i < len(scene.hours) else None
        left = geometry.day_left(i)
        if hours is not None:
            top = geometry.minutes_to_y(axis.clock_position(day, hours.start))
            bottom = geometry.minutes_to_y(axis.clock_position(day, hours.end))
            painter.fillRect(QRectF(left, top, width, bottom - top), style.GRID_BG)
        if day == scene.today:
            painter.fillRect(QRectF(left, area_top, width, area.height()), style.TODAY_TINT)
        for top, bottom in axis.absent(day):  # the hour skipped when the clocks go forward
            skipped = QRectF(
                left, geometry.minutes_to_y(top), width, geometry.minutes_to_y(bottom - top)
            )
            painter.fillRect(skipped, style.OFF_HOURS)
            painter.fillRect(skipped, QBrush(style.LINE, Qt.BrushStyle.BDiagPattern))
    right = area.width()
    half_pen = QPen(style.HALF_LINE, 1, Qt.PenStyle.DotLine)
    hour_px = geometry.hour_px
    lines = [mark.position for mark in axis.hour_marks()] + [axis.length]
    for position in lines:
        y = geometry.minutes_to_y(position)
        if y < area_top - hour_px or y > area_bottom + hour_px:
            continue
        painter.setPen(style.LINE)
        painter.drawLine(QPointF(0, y), QPointF(right, y))
        if hour_px >= 36:
            half = y + hour_px / 2
            painter.setPen(half_pen)
            painter.drawLine(QPointF(0, half), QPointF(right, half))
    painter.setPen(style.LINE)
    for i in range(1, len(axis.days)):
        x = geometry.day_left(i)
        painter.drawLine(QPointF(x, area_top), QPointF(x, area_bottom))


def paint_now(painter: QPainter, geometry: GridGeometry, now: datetime) -> None:
    """The red line at `now` across its day's column, when that day is shown."""
    axis = geometry.axis
    day = now.astimezone(axis.tz).date()
    if day not in axis.days:
        return
    i = axis.days.index(day)
    y = geometry.minutes_to_y(axis.position(day, now)) - geometry.scroll
    left = geometry.day_left(i)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(style.NOW, 2))
    painter.drawLine(QPointF(left, y), QPointF(left + geometry.column_width(), y))
    painter.setBrush(style.NOW)
    painter.drawEllipse(QRectF(left - 3, y - 4, 8, 8))
    painter.restore()
