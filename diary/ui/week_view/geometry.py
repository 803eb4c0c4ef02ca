"""The grid's geometry: columns, the hour height, and the layout cache (a rectangle per
appointment segment and band) that painting, hit testing, `rect_for` and `point_for` read.

Rectangles are in content coordinates (the whole day, unscrolled) unless a name says
viewport; `scroll` and `viewport` are read from the view when asked, so they never go stale.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize

from diary.ui.week_view.axis import TimeAxis
from diary.ui.week_view.layout import DayLayout, Segment, lay_out_days

if TYPE_CHECKING:
    from diary.domain.model import Appointment
    from diary.services import Listed

MIN_HOUR_PX = 20.0
MAX_HOUR_PX = 240.0
MIN_BOX_PX = 6.0  # the shortest ghost drawn, whatever its length
RIGHT_MARGIN_PX = 8  # room on the right of a column to click into empty time


@dataclass(slots=True)
class Box:
    """One painted appointment segment and its bands, in content coordinates (unscrolled)."""

    segment: Segment
    rect: QRectF
    travel: QRectF | None
    wrapup: QRectF | None

    @property
    def ref(self) -> str:
        return self.segment.ref

    @property
    def appointment(self) -> Appointment:
        return self.segment.listed.appointment


class GridGeometry:
    """Where the shown days, hours and appointments go in the grid.

    `scroll` gives the scroll position (pixels) and `viewport` the viewport's size; the
    layout is made again (`generation` goes up) after `invalidate`, on first use.
    """

    def __init__(
        self, axis: TimeAxis, scroll: Callable[[], int], viewport: Callable[[], QSize]
    ) -> None:
        self.axis = axis
        self.hour_px = 48.0
        # The shortest box: one line of text, so a 5-minute appointment shows its title.
        self.min_box_px = MIN_BOX_PX
        self._scroll = scroll
        self._viewport = viewport
        self._items: Sequence[Listed] = ()
        self._dirty = True
        self.generation = 0
        self.layouts: list[DayLayout] = []
        self.boxes: list[Box] = []
        self.by_ref: dict[str, list[Box]] = {}

    # -- inputs ----------------------------------------------------------------------

    def set_axis(self, axis: TimeAxis) -> None:
        """New days (or zone): no boxes until the items of those days are set."""
        self.axis = axis
        self._items = ()
        self.boxes, self.by_ref = [], {}
        self._dirty = True

    def set_items(self, items: Sequence[Listed]) -> None:
        self._items = items
        self._dirty = True

    def set_hour_px(self, hour_px: float) -> None:
        if not math.isclose(hour_px, self.hour_px):
            self.hour_px = hour_px
            self._dirty = True

    def set_min_box_px(self, pixels: float) -> None:
        if pixels != self.min_box_px:
            self.min_box_px = pixels
            self._dirty = True

    def invalidate(self) -> None:
        """The size changed: lay out again on next use."""
        self._dirty = True

    # -- scales ----------------------------------------------------------------------

    @property
    def scroll(self) -> int:
        return self._scroll()

    @property
    def viewport(self) -> QSize:
        return self._viewport()

    def content_height(self) -> int:
        """The height of the whole axis at the hour height."""
        return int(math.ceil(self.axis.length / 60 * self.hour_px))

    def column_width(self) -> float:
        return self._viewport().width() / max(1, len(self.axis.days))

    def day_left(self, index: int) -> float:
        return index * self.column_width()

    def columns(self) -> list[QRectF]:
        """Each day's column (its left and right; any height)."""
        width = self.column_width()
        return [QRectF(self.day_left(i), 0, width, 1) for i in range(len(self.axis.days))]

    def minutes_to_y(self, minutes: float) -> float:
        return minutes * self.hour_px / 60

    def y_to_minutes(self, y: float) -> float:
        return y * 60 / self.hour_px

    def to_viewport(self, rect: QRectF) -> QRectF:
        return rect.translated(0, -self._scroll())

    def day_index_at(self, x: float) -> int:
        """The shown day under viewport x (the nearest at the edges)."""
        return min(len(self.axis.days) - 1, max(0, int(x // self.column_width())))

    def minutes_at(self, y: float) -> float:
        """The axis minutes under viewport y."""
        return self.y_to_minutes(y + self._scroll())

    # -- the layout cache ------------------------------------------------------------

    def ensure(self) -> None:
        """Lay the boxes out if anything they depend on changed."""
        if not self._dirty:
            return
        self._dirty = False
        self.generation += 1
        self.layouts = lay_out_days(
            self.axis, list(self._items), self.y_to_minutes(self.min_box_px)
        )
        self.boxes = []
        self.by_ref = {}
        width = self.column_width()
        for layout in self.layouts:
            left = self.day_left(layout.segments[0].day_index) if layout.segments else 0.0
            usable = width - RIGHT_MARGIN_PX
            for segment in layout.segments:
                lane = usable / segment.columns
                x = left + 1 + segment.column * lane
                top = self.minutes_to_y(segment.top)
                bottom = self.minutes_to_y(segment.reach)
                rect = QRectF(x, top, max(4.0, lane - 2), bottom - top)
                bands = segment.listed.bands
                travel = wrapup = None
                if segment.first and bands.travel_minutes:
                    height = self.minutes_to_y(bands.travel_minutes)
                    travel = QRectF(x, top - height, rect.width(), height)
                if segment.last and bands.wrapup_minutes:
                    height = self.minutes_to_y(bands.wrapup_minutes)
                    wrapup = QRectF(x, rect.bottom(), rect.width(), height)
                box = Box(segment, rect, travel, wrapup)
                self.boxes.append(box)
                self.by_ref.setdefault(segment.ref, []).append(box)

    def box_at(self, pos: QPoint | QPointF) -> Box | None:
        """The topmost appointment box under a viewport point."""
        self.ensure()
        point = QPointF(pos.x(), pos.y() + self._scroll())
        for box in reversed(self.boxes):
            if box.rect.contains(point):
                return box
        return None

    def rect_for(self, ref: str) -> QRect:
        """The appointment's box (its first segment) in viewport coordinates, or an empty QRect."""
        self.ensure()
        boxes = self.by_ref.get(ref)
        if not boxes:
            return QRect()
        return self.to_viewport(boxes[0].rect).toRect()

    def point_for(self, moment: datetime) -> QPoint:
        """The viewport point of `moment`: the middle of its day column, at its time;
        (-1, -1) when its day is not shown."""
        day = moment.astimezone(self.axis.tz).date()
        if day not in self.axis.days:
            return QPoint(-1, -1)
        i = self.axis.days.index(day)
        x = self.day_left(i) + self.column_width() / 2
        y = self.minutes_to_y(self.axis.position(day, moment)) - self._scroll()
        return QPoint(int(x), int(round(y)))

    def listed(self, ref: str) -> Listed | None:
        boxes = self.by_ref.get(ref)
        return boxes[0].segment.listed if boxes else None

    def ordered(self) -> list[Box]:
        """The first box of each appointment, in order of time (for the keyboard)."""
        self.ensure()
        firsts = [boxes[0] for boxes in self.by_ref.values()]
        return sorted(firsts, key=lambda b: (b.appointment.start.timestamp(), b.ref))
