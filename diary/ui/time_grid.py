"""The week and day views: a time grid painted from a layout cache, with drag-and-drop.

While the mouse moves, the ghost is judged by the domain rules on the Schedule snapshot that
came with the loaded range (`Schedule.violations_for` / `bands_for`): no database access, and
the same verdict the command line gives.
"""

from __future__ import annotations

import enum
import math
import time
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import starmap
from typing import TYPE_CHECKING, Generic, TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QHideEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from diary.domain.model import Appointment, Kind, Policy, Violation
from diary.i18n import Formatter, _
from diary.services.clock import Clock, today
from diary.ui import style
from diary.ui.badges import BadgeRequests, DayBadge, paint_badge
from diary.ui.bridge import Bridge
from diary.ui.explain import reasons
from diary.ui.grid_layout import (
    DAY_MINUTES,
    DayLayout,
    Segment,
    lay_out_days,
    minutes_into,
    moment_at,
)

if TYPE_CHECKING:
    from diary.domain.rules import Bands, DayReserve, Schedule
    from diary.services import Listed
    from diary.services.queries import Agenda

SNAP_MINUTES = 15
FINE_SNAP_MINUTES = 5
EDGE_PIXELS = 6
GUTTER_WIDTH = 64
MIN_HOUR_PX = 20.0
MAX_HOUR_PX = 240.0
DRAFT_UID = "diary-draft"
_T = TypeVar("_T")
# The static layer holds the whole day (24 h at the hour height) unless it would be taller
# than this many device pixels, or bigger than that many (64 MB): then only the viewport.
MAX_LAYER_HEIGHT = 8000
MAX_LAYER_PIXELS = 16_000_000
ELIDE_CACHE_LIMIT = 20_000
STAMP_SLICE_SECONDS = 0.006  # stamps are drawn between events, this long at a time


class Mode(enum.Enum):
    IDLE = "idle"
    PRESSED = "pressed"  # pressed on an appointment, not yet dragged
    PRESSED_EMPTY = "pressed-empty"
    MOVING = "moving"
    RESIZING = "resizing"
    CREATING = "creating"


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


@dataclass(slots=True)
class _Painted:
    """One box as the static layer paints it, worked out once per layout."""

    box: Box
    ref: str
    look: style.KindStyle
    body_stamps: list[style.Stamp] | None  # the body from cached pixmaps, when it can be
    stripe: QRectF  # on whole device pixels, as fillRect rounds it
    text: QRectF | None  # where the text goes, when there is room for it
    marker: style.Stamp | None
    marked: bool  # it has a marker (drawn where it has no stamp yet)


# A box as painted, by `TimeGridView._shape`: the stamps that paint its body (None: too
# short, none: not yet), the stripe, where the text goes (or None), the marker's stamp (or
# None), whether it has a marker, and per band: travel?, rectangle, outline.
_Shape = tuple[
    list[style.Stamp] | None,
    QRectF,
    QRectF | None,
    style.Stamp | None,
    bool,
    list[tuple[bool, QRectF, QRectF]],
]


@dataclass(slots=True)
class _Band:
    """A travel or wrap-up band as the static layer paints it."""

    box: Box
    look: style.KindStyle
    travel: bool
    rect: QRectF  # on whole device pixels, as fillRect rounds it
    outline: QRectF
    # Bands of one level touch no other band of it, so each level is drawn in one go: a
    # band is one level above the highest earlier band it touches (painted over that).
    level: int = 0


class _ByRef(Generic[_T]):
    """Items in painting order, each box's together, so all but a box or two are quick to
    list (the selected and the dragged box are painted on their own). An appointment over
    several days has a box on each: its items are in as many places."""

    __slots__ = ("items", "_spans")

    def __init__(self) -> None:
        self.items: list[_T] = []
        self._spans: dict[str, list[tuple[int, int]]] = {}

    def add(self, ref: str, items: list[_T]) -> None:
        start = len(self.items)
        self.items.extend(items)
        self._spans.setdefault(ref, []).append((start, len(self.items)))

    def of(self, ref: str | None) -> list[_T]:
        found: list[_T] = []
        for first, end in self._spans.get(ref, []) if ref is not None else []:
            found.extend(self.items[first:end])
        return found

    def without(self, *refs: str | None) -> list[_T]:
        spans = sorted(
            span for ref in set(refs) if ref is not None for span in self._spans.get(ref, [])
        )
        if not spans:
            return self.items
        kept: list[_T] = []
        start = 0
        for first, end in spans:
            kept.extend(self.items[start:first])
            start = end
        kept.extend(self.items[start:])
        return kept


@dataclass(slots=True)
class _Batch:
    """What the static layer draws, grouped so that one call draws many of a kind.

    Only grouping that cannot change a pixel: bands are drawn level by level (see
    `_Band.level`); all bodies come before all stripes, texts and markers anyway.
    """

    boxes: list[_Painted]
    bands: list[_Band]
    # Per level and look: solid travel bands, wrap-up bands, the outlines of both.
    band_groups: list[tuple[style.KindStyle, list[QRectF], list[QRectF], list[QRectF]]]
    body_stamps: _ByRef[style.Stamp]
    bodies_drawn: list[_Painted]  # too short for stamps, or none yet
    stripes: list[tuple[style.KindStyle, _ByRef[QRectF]]]
    texts: list[_Painted]
    markers: _ByRef[style.Stamp]
    markers_drawn: list[_Painted]  # no stamps yet
    spans: list[QRectF]  # per day, on whole device pixels: all that is drawn lies inside

    @classmethod
    def of(
        cls, boxes: list[_Painted], bands: list[_Band], columns: list[QRectF], ratio: float
    ) -> _Batch:
        groups: dict[
            tuple[int, int], tuple[style.KindStyle, list[QRectF], list[QRectF], list[QRectF]]
        ] = {}
        for band in bands:
            key = (band.level, id(band.look))
            group = groups.get(key)
            if group is None:
                group = groups[key] = (band.look, [], [], [])
            (group[1] if band.travel else group[2]).append(band.rect)
            group[3].append(band.outline)
        stripes: dict[int, tuple[style.KindStyle, _ByRef[QRectF]]] = {}
        stamps: _ByRef[style.Stamp] = _ByRef()
        drawn: list[_Painted] = []
        markers: _ByRef[style.Stamp] = _ByRef()
        markers_drawn: list[_Painted] = []
        for p in boxes:
            if p.body_stamps:
                stamps.add(p.ref, p.body_stamps)
            else:
                drawn.append(p)
            stripes.setdefault(id(p.look), (p.look, _ByRef()))[1].add(p.ref, [p.stripe])
            if p.marker is not None:
                markers.add(p.ref, [p.marker])
            elif p.marked:
                markers_drawn.append(p)
        # What each day's boxes and bands cover, and a few pixels for pens and stamps.
        heights: dict[int, tuple[float, float]] = {}
        for rect, day in [(p.box.rect, p.box.segment.day_index) for p in boxes] + [
            (band.rect, band.box.segment.day_index) for band in bands
        ]:
            low, high = heights.get(day, (rect.top(), rect.bottom()))
            heights[day] = (min(low, rect.top()), max(high, rect.bottom()))
        spans = []
        for day, (low, high) in sorted(heights.items()):
            column = columns[day]
            top = math.floor((low - 4) * ratio) / ratio
            bottom = math.ceil((high + 4) * ratio) / ratio
            left = math.floor((column.left() - 2) * ratio) / ratio
            right = math.ceil((column.right() + 2) * ratio) / ratio
            spans.append(QRectF(left, top, right - left, bottom - top))
        return cls(
            boxes,
            bands,
            [groups[key] for key in sorted(groups, key=lambda key: key[0])],
            stamps,
            drawn,
            list(stripes.values()),
            [p for p in boxes if p.text is not None],
            markers,
            markers_drawn,
            spans,
        )


_STAMPS: dict[float, tuple[style.MarkerStamps, style.BoxStamps]] = {}


def _stamps_for(ratio: float) -> tuple[style.MarkerStamps, style.BoxStamps]:
    """The stamps of markers and box bodies at a pixel ratio, shared by all views."""
    stamps = _STAMPS.get(ratio)
    if stamps is None:
        stamps = _STAMPS[ratio] = (style.MarkerStamps(ratio), style.BoxStamps(ratio))
    return stamps


def _fill_rect(rect: QRectF, ratio: float) -> QRectF:
    """`rect` on the whole device pixels that QPainter.fillRect (no antialiasing) covers."""
    if ratio == 1.0:
        left = math.floor(rect.left() + 0.5)
        top = math.floor(rect.top() + 0.5)
        return QRectF(
            left,
            top,
            math.floor(rect.right() + 0.5) - left,
            math.floor(rect.bottom() + 0.5) - top,
        )
    left = math.floor(rect.left() * ratio + 0.5)
    top = math.floor(rect.top() * ratio + 0.5)
    right = math.floor(rect.right() * ratio + 0.5)
    bottom = math.floor(rect.bottom() * ratio + 0.5)
    return QRectF(left / ratio, top / ratio, (right - left) / ratio, (bottom - top) / ratio)


def _level_bands(bands: list[_Band]) -> None:
    """Set each band's `level`: one above the highest earlier band it touches (or nearly:
    a pixel around it), so that drawing level by level paints what drawing one by one does."""
    touching: dict[int, list[int]] = {}  # band index: earlier touching band indices
    by_day: dict[int, list[tuple[float, float, float, float, int]]] = {}
    for index, band in enumerate(bands):
        near = band.rect.adjusted(-1, -1, 1, 1)
        by_day.setdefault(band.box.segment.day_index, []).append(
            (near.top(), near.bottom(), near.left(), near.right(), index)
        )
    for spans in by_day.values():
        spans.sort()
        active: list[tuple[float, float, float, float, int]] = []
        for span in spans:
            top, _bottom, left, right, index = span
            active = [other for other in active if other[1] > top]
            for other in active:
                if other[2] < right and left < other[3]:
                    first, last = sorted((index, other[4]))
                    touching.setdefault(last, []).append(first)
            active.append(span)
    for index, band in enumerate(bands):
        earlier = touching.get(index)
        if earlier:
            band.level = 1 + max(bands[i].level for i in earlier)


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


class _Header(QWidget):
    def __init__(self, view: TimeGridView) -> None:
        super().__init__(view)
        self._view = view

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        self._view.paint_header(painter, self.rect())


class _Gutter(QWidget):
    def __init__(self, view: TimeGridView) -> None:
        super().__init__(view)
        self._view = view

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        self._view.paint_gutter(painter, self.rect())


class TimeGridView(QAbstractScrollArea):
    """Day columns of a time grid; `day_count` 7 for the week view, 1 for the day view."""

    loaded = Signal()
    selection_changed = Signal(object)  # ref or None
    create_requested = Signal(object, object)  # start, end
    edit_requested = Signal(str)
    move_requested = Signal(object, object)  # Appointment, new start
    resize_requested = Signal(object, object)  # Appointment, new end
    cancel_requested = Signal(object)  # Appointment
    date_changed = Signal(object)

    def __init__(
        self,
        bridge: Bridge,
        formatter: Formatter,
        policy: Policy,
        day_count: int,
        parent: QWidget | None = None,
        *,
        clock: Clock,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.formatter = formatter
        self.policy = policy
        self.day_count = day_count
        self._tz = ZoneInfo(formatter.zone)
        self._clock = clock
        self._anchor = self.today()
        self._days: list[date] = self._days_for(self._anchor)
        self._agenda: Agenda | None = None
        self._layouts: list[DayLayout] = []
        self._boxes: list[Box] = []
        self._by_ref: dict[str, list[Box]] = {}
        self._all_day: list[list[Listed]] = []
        self._hour_px = 48.0
        self._zoomed = False
        self._layout_dirty = True
        self._layout_generation = 0
        self._static: QPixmap | None = None
        self._static_for: tuple[object, ...] = ()
        # The static layer: `_static` while it is valid (set it to None to have it painted
        # again), painted into `_layer`, whose top edge is at content y `_static_top`.
        self._static_top = 0
        self._layer: QPixmap | None = None
        self._layer_drawn: list[QRectF] | None = None  # where its appointments are
        self._background: QPixmap | None = None
        self._background_for: tuple[object, ...] = ()
        self._planned: _Batch | None = None
        self._plan_for: tuple[object, ...] = ()
        self._stamps: style.MarkerStamps | None = None
        self._bodies: style.BoxStamps | None = None
        self._stamps_coming = False  # `_make_stamps` is to run
        self._shapes: dict[tuple[object, ...], _Shape] = {}
        self._elide_cache: dict[tuple[str, int, bool], str] = {}
        self._generation = 0
        self.loading = False
        self.selected: str | None = None
        self._mode = Mode.IDLE
        self._press_pos = QPoint()
        self._press_box: Box | None = None
        self._grab_minutes = 0.0
        self._ghost: Ghost | None = None
        self._drag_schedule: Schedule | None = None
        self._create_from: datetime | None = None
        self._header = _Header(self)
        self._gutter = _Gutter(self)
        self._font = QFont(self.font())
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self._small = QFont(self.font())
        self._small.setPointSizeF(max(6.5, self.font().pointSizeF() - 1.5))
        self._bold_metrics = QFontMetrics(self._bold)
        self._small_metrics = QFontMetrics(self._small)
        # A viewport made here, in Python: asking Qt for its own would make PySide work out
        # the type of a widget it has not seen, which builds every QtWidgets class first
        # (~17 ms of the cold start).
        self.setViewport(QWidget(self))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setMouseTracking(True)
        self.viewport().setAutoFillBackground(False)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self._now_timer = QTimer(self)
        self._now_timer.setInterval(60_000)
        self._now_timer.timeout.connect(self.viewport().update)
        self._now_timer.start()
        self._scroll_pending = True
        self._badge_requests = BadgeRequests(bridge, self, self._header.update)
        self._update_margins()
        bridge.changed.connect(self._days_changed)
        bridge.touched.connect(self._touched)

    # -- public surface --------------------------------------------------------------

    @property
    def days(self) -> list[date]:
        return list(self._days)

    def today(self) -> date:
        return today(self._clock, self._tz)

    def show_date(self, day: date) -> None:
        """Show the week (or day) holding `day` and load it."""
        days = self._days_for(day)
        self._anchor = day
        if days != self._days:
            self._days = days
            self._agenda = None
            self._boxes = []
            self._by_ref = {}
            self._all_day = [[] for _ in days]
            self._scroll_pending = True
            self._layout_dirty = True
        self.reload()
        self.date_changed.emit(day)
        self._update_margins()
        self.viewport().update()
        self._header.update()

    def reload(self) -> None:
        """Ask for the shown days again (results arrive later, on this thread)."""
        lo = moment_at(self._days[0], 0, self._tz)
        hi = moment_at(self._days[-1] + timedelta(days=1), 0, self._tz)
        self._generation += 1
        generation = self._generation
        self.loading = True
        self._bridge.call(
            lambda service: service.agenda(lo, hi),
            lambda agenda: self._on_agenda(generation, agenda),
            key=f"agenda-{id(self)}",
        )
        self.reload_badges()

    def reload_badges(self) -> None:
        """Ask which promises are due on the shown days (for the header badges)."""
        self._badge_requests.reload(self._days[0], self._days[-1], self.formatter.zone)

    def promise_badges(self) -> dict[date, DayBadge]:
        """The badges painted in the header, by day."""
        return {
            day: badge for day, badge in self._badge_requests.badges.items() if day in self._days
        }

    def _touched(self, topic: str) -> None:
        if topic == "promises":
            self.reload_badges()
        elif topic == "all":
            self.reload()

    def set_policy(self, policy: Policy, formatter: Formatter) -> None:
        self.policy = policy
        self.formatter = formatter
        self._tz = ZoneInfo(formatter.zone)
        self._days = self._days_for(self._anchor)
        self._scroll_pending = True
        self._forget_text()
        self._static = None  # painted with the old formatter
        self._update_margins()
        self.reload()

    def rect_for(self, uid: str) -> QRect:
        """The appointment's box (its first segment) in viewport coordinates, or an empty QRect."""
        self._ensure_layout()
        boxes = self._by_ref.get(uid)
        if not boxes:
            return QRect()
        return self._to_viewport(boxes[0].rect).toRect()

    def point_for(self, moment: datetime) -> QPoint:
        """The viewport point of `moment`: the middle of its day column, at its time."""
        day = moment.astimezone(self._tz).date()
        if day not in self._days:
            return QPoint(-1, -1)
        i = self._days.index(day)
        x = self._day_left(i) + self._column_width() / 2
        y = self._minutes_to_y(minutes_into(day, moment, self._tz)) - self._scroll()
        return QPoint(int(x), int(round(y)))

    def titles(self) -> dict[str, str]:
        """Titles of the loaded appointments (and their neighbours), by ref."""
        if self._agenda is None:
            return {}
        titles = {a.ref: a.title for a in self._agenda.schedule.appointments}
        titles.update({i.appointment.ref: i.appointment.title for i in self._agenda.items})
        return titles

    def listed(self, ref: str) -> Listed | None:
        boxes = self._by_ref.get(ref)
        return boxes[0].segment.listed if boxes else None

    def select(self, ref: str | None) -> None:
        if ref != self.selected:
            self.selected = ref
            self.selection_changed.emit(ref)
            self.viewport().update()

    def zoom(self, factor: float) -> None:
        centre = self._y_to_minutes(self._scroll() + self.viewport().height() / 2)
        self._hour_px = min(MAX_HOUR_PX, max(MIN_HOUR_PX, self._hour_px * factor))
        self._zoomed = True
        self._layout_dirty = True
        self._forget_text()
        self._update_scroll_range()
        self.verticalScrollBar().setValue(
            int(self._minutes_to_y(centre) - self.viewport().height() / 2)
        )
        self.viewport().update()
        self._gutter.update()

    @property
    def hour_px(self) -> float:
        return self._hour_px

    @property
    def ghost(self) -> Ghost | None:
        return self._ghost

    @property
    def agenda(self) -> Agenda | None:
        return self._agenda

    # -- loading ---------------------------------------------------------------------

    def _days_for(self, day: date) -> list[date]:
        if self.day_count == 1:
            return [day]
        offset = (day.weekday() - self.formatter.first_weekday) % 7
        first = day - timedelta(days=offset)
        return [first + timedelta(days=i) for i in range(self.day_count)]

    def _on_agenda(self, generation: int, agenda: Agenda) -> None:
        if generation != self._generation:
            return
        self._agenda = agenda
        self.loading = False
        self._all_day = [[] for _ in self._days]
        for listed in agenda.items:
            a = listed.appointment
            if a.all_day and not a.cancelled:
                first = a.start.astimezone(self._tz).date()
                last = (a.end - timedelta(microseconds=1)).astimezone(self._tz).date()
                for i, day in enumerate(self._days):
                    if first <= day <= last:
                        self._all_day[i].append(listed)
        self._layout_dirty = True
        if self.selected is not None and not any(
            item.appointment.ref == self.selected for item in agenda.items
        ):
            self.select(None)
        self._update_margins()
        self._ensure_layout()
        self.viewport().update()
        self._header.update()
        self.loaded.emit()

    def _days_changed(self, days: frozenset[date]) -> None:
        if days & set(self._days):
            self.reload()

    # -- geometry --------------------------------------------------------------------

    def _header_height(self) -> int:
        rows = max((len(items) for items in self._all_day), default=0)
        line = QFontMetrics(self._font).height()
        return line * 2 + 12 + max(1, rows) * (line + 4) + 4

    def _update_margins(self) -> None:
        # A new height fits the working day anew (until the user zooms): the time at the
        # top of the grid stays where it was (a dock opening below must not scroll it).
        shown = self._y_to_minutes(self._scroll())
        hour_px, pending = self._hour_px, self._scroll_pending
        top = self._header_height()
        self.setViewportMargins(GUTTER_WIDTH, top, 0, 0)
        frame = self.frameWidth()
        self._header.setGeometry(frame, frame, self.width() - 2 * frame, top)
        self._gutter.setGeometry(frame, frame + top, GUTTER_WIDTH, self.viewport().height())
        self._fit_zoom()
        self._update_scroll_range()
        if self._hour_px != hour_px and not pending:
            self.verticalScrollBar().setValue(round(self._minutes_to_y(shown)))

    def _working_span(self) -> tuple[int, int]:
        """The earliest start and latest end of working hours on the shown days, in minutes."""
        spans = [
            (h.start.hour * 60 + h.start.minute, h.end.hour * 60 + h.end.minute)
            for d in self._days
            if (h := self.policy.hours_on(d.weekday())) is not None
        ] or [(8 * 60, 18 * 60)]
        return min(s for s, _e in spans), max(e for _s, e in spans)

    def _fit_zoom(self) -> None:
        """Until the user zooms, fit the working day (and a little around it) to the height."""
        if self._zoomed:
            return
        start, end = self._working_span()
        height = max(1, self.viewport().height())
        hours = (end - start) / 60 + 1.0
        fitted = min(MAX_HOUR_PX, max(MIN_HOUR_PX + 12, height / hours))
        if not math.isclose(fitted, self._hour_px):
            self._hour_px = fitted
            self._layout_dirty = True

    def _update_scroll_range(self) -> None:
        content = int(math.ceil(24 * self._hour_px))
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, content - self.viewport().height()))
        bar.setPageStep(self.viewport().height())
        bar.setSingleStep(int(self._hour_px / 2))
        if self._scroll_pending and self.viewport().height() > 10:
            start, _end = self._working_span()
            bar.setValue(int(self._minutes_to_y(max(0, start - 30))))
            self._scroll_pending = False

    def _scroll(self) -> int:
        return self.verticalScrollBar().value()

    def _scrolled(self) -> None:
        self._gutter.update()
        self.viewport().update()

    def _column_width(self) -> float:
        return self.viewport().width() / max(1, len(self._days))

    def _day_left(self, index: int) -> float:
        return index * self._column_width()

    def _minutes_to_y(self, minutes: float) -> float:
        return minutes * self._hour_px / 60

    def _y_to_minutes(self, y: float) -> float:
        return y * 60 / self._hour_px

    def _to_viewport(self, rect: QRectF) -> QRectF:
        return rect.translated(0, -self._scroll())

    def _day_index_at(self, x: float) -> int:
        return min(len(self._days) - 1, max(0, int(x // self._column_width())))

    def _minutes_at(self, y: float) -> float:
        return self._y_to_minutes(y + self._scroll())

    def _ensure_layout(self) -> None:
        if not self._layout_dirty:
            return
        self._layout_dirty = False
        items = list(self._agenda.items) if self._agenda else []
        self._layout_generation += 1
        self._layouts = lay_out_days(self._days, items, self._tz)
        self._boxes = []
        self._by_ref = {}
        width = self._column_width()
        for layout in self._layouts:
            left = self._day_left(layout.segments[0].day_index) if layout.segments else 0.0
            usable = width - 8  # leave room on the right to click into empty time
            for segment in layout.segments:
                lane = usable / segment.columns
                x = left + 1 + segment.column * lane
                top = self._minutes_to_y(segment.top)
                bottom = max(top + 6, self._minutes_to_y(segment.bottom))
                rect = QRectF(x, top, max(4.0, lane - 2), bottom - top)
                bands = segment.listed.bands
                travel = wrapup = None
                if segment.first and bands.travel_minutes:
                    height = self._minutes_to_y(bands.travel_minutes)
                    travel = QRectF(x, top - height, rect.width(), height)
                if segment.last and bands.wrapup_minutes:
                    height = self._minutes_to_y(bands.wrapup_minutes)
                    wrapup = QRectF(x, rect.bottom(), rect.width(), height)
                box = Box(segment, rect, travel, wrapup)
                self._boxes.append(box)
                self._by_ref.setdefault(segment.ref, []).append(box)

    def box_at(self, pos: QPoint | QPointF) -> Box | None:
        """The topmost appointment box under a viewport point."""
        self._ensure_layout()
        point = QPointF(pos.x(), pos.y() + self._scroll())
        for box in reversed(self._boxes):
            if box.rect.contains(point):
                return box
        return None

    # -- events ----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._layout_dirty = True
        self._update_margins()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        # A hidden view keeps no layers: each holds the whole day (painted again on show).
        self._static = self._layer = self._background = None
        self._layer_drawn = None

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(900, 640)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            box = self.box_at(event.pos())
            if box is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_for(box.segment.listed), self)
            return True
        return super().viewportEvent(event)

    def tooltip_for(self, listed: Listed) -> str:
        a = listed.appointment
        lines = [a.title, self.formatter.time_range(a.start, a.end)]
        if a.customer is not None:
            lines.append(a.customer.name)
        if a.location is not None:
            lines.append(a.location.label)
        if listed.bands.travel_minutes:
            lines.append(
                _("{minutes} min travel from {place}").format(
                    minutes=listed.bands.travel_minutes, place=listed.bands.travel_from or "?"
                )
            )
        if listed.bands.wrapup_minutes:
            lines.append(_("{minutes} min wrap-up").format(minutes=listed.bands.wrapup_minutes))
        why = reasons(listed.flags)
        if why:
            lines.append("")
            lines.extend(f"⚠ {line}" for line in why)
        if a.override_reason:
            lines.append(_("Kept anyway: {reason}").format(reason=a.override_reason))
        return "\n".join(lines)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom(1.15**steps)
            event.accept()
            return
        super().wheelEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position().toPoint()
        self._press_pos = pos
        box = self.box_at(pos)
        self._press_box = box
        if box is not None:
            self._mode = Mode.PRESSED
            start_minutes = minutes_into(
                self._days[box.segment.day_index], box.appointment.start, self._tz
            )
            self._grab_minutes = self._minutes_at(pos.y()) - start_minutes
            self.select(box.ref)
        else:
            self._mode = Mode.PRESSED_EMPTY
            day = self._days[self._day_index_at(pos.x())]
            minutes = _snap(self._minutes_at(pos.y()), self._snap_step(event), math.floor)
            self._create_from = moment_at(day, minutes, self._tz)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pos = event.position().toPoint()
        if not event.buttons() & Qt.MouseButton.LeftButton:
            self._hover(pos)
            return
        if self._mode in (Mode.PRESSED, Mode.PRESSED_EMPTY):
            if (pos - self._press_pos).manhattanLength() < QApplication.startDragDistance():
                return
            self._start_drag()
        self.drag_to(pos, event.modifiers())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        mode, ghost, box = self._mode, self._ghost, self._press_box
        self._end_drag()
        if ghost is None or box is None and mode is not Mode.CREATING:
            return
        candidate = ghost.candidate
        if mode is Mode.MOVING and box is not None:
            if candidate.start.timestamp() != box.appointment.start.timestamp():
                self.move_requested.emit(box.appointment, candidate.start)
        elif mode is Mode.RESIZING and box is not None:
            if candidate.end.timestamp() != box.appointment.end.timestamp():
                self.resize_requested.emit(box.appointment, candidate.end)
        elif mode is Mode.CREATING:
            self.create_requested.emit(candidate.start, candidate.end)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._end_drag()
        pos = event.position().toPoint()
        box = self.box_at(pos)
        if box is not None:
            self.select(box.ref)
            self.edit_requested.emit(box.ref)
            return
        day = self._days[self._day_index_at(pos.x())]
        minutes = _snap(self._minutes_at(pos.y()), SNAP_MINUTES, math.floor)
        start = moment_at(day, minutes, self._tz)
        self.create_requested.emit(start, start + timedelta(hours=1))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if key == Qt.Key.Key_Escape and self._mode is not Mode.IDLE:
            self.cancel_drag()
            return
        arrows = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right}
        if key in arrows and alt:
            self._nudge(key)
            return
        if key in arrows:
            self._move_selection(key)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected:
            self.edit_requested.emit(self.selected)
            return
        if key == Qt.Key.Key_Delete and self.selected:
            listed = self.listed(self.selected)
            if listed is not None:
                self.cancel_requested.emit(listed.appointment)
            return
        super().keyPressEvent(event)

    # -- dragging --------------------------------------------------------------------

    def _snap_step(self, event: QMouseEvent | None = None, modifiers: object = None) -> int:
        mods = event.modifiers() if event is not None else modifiers
        if isinstance(mods, Qt.KeyboardModifier) and mods & Qt.KeyboardModifier.ShiftModifier:
            return FINE_SNAP_MINUTES
        return SNAP_MINUTES

    def _start_drag(self) -> None:
        # The snapshot that came with the shown range: every rule is judged on it while
        # the mouse moves, without touching the database.
        self._drag_schedule = self._agenda.schedule if self._agenda is not None else None
        box = self._press_box
        if self._mode is Mode.PRESSED_EMPTY:
            self._mode = Mode.CREATING
        elif box is not None:
            near_bottom = self._to_viewport(box.rect).bottom() - self._press_pos.y() <= EDGE_PIXELS
            self._mode = Mode.RESIZING if near_bottom and box.segment.last else Mode.MOVING

    def drag_to(self, pos: QPoint, modifiers: Qt.KeyboardModifier) -> None:
        """Follow the mouse: the candidate, its bands and its verdict from the domain rules."""
        step = self._snap_step(None, modifiers)
        day_index = self._day_index_at(pos.x())
        day = self._days[day_index]
        minutes = self._minutes_at(pos.y())
        box = self._press_box
        candidate: Appointment | None = None
        if self._mode is Mode.MOVING and box is not None:
            start = _snap(minutes - self._grab_minutes, step, round)
            start = min(max(start, 0), DAY_MINUTES - step)
            candidate = box.appointment.moved_to(moment_at(day, start, self._tz))
        elif self._mode is Mode.RESIZING and box is not None:
            a = box.appointment
            start_day = a.start.astimezone(self._tz).date()
            end = _snap(
                minutes_into(start_day, moment_at(day, minutes, self._tz), self._tz), step, round
            )
            begin = minutes_into(start_day, a.start, self._tz)
            end = max(end, begin + step)
            candidate = a.resized_to(moment_at(start_day, end, self._tz))
        elif self._mode is Mode.CREATING and self._create_from is not None:
            here = _snap(minutes, step, math.ceil)
            start_day = self._create_from.astimezone(self._tz).date()
            anchor = minutes_into(start_day, self._create_from, self._tz)
            lo, hi = sorted((anchor, here))
            hi = max(hi, lo + step)
            candidate = Appointment(
                uid=DRAFT_UID,
                title=_("New appointment"),
                start=moment_at(start_day, lo, self._tz),
                end=moment_at(start_day, hi, self._tz),
                zone=self.formatter.zone,
                kind=Kind.MEETING,
            )
        if candidate is None:
            return
        if self._ghost is not None and self._ghost.candidate == candidate:
            return
        self._set_ghost(self._judge(candidate))

    def _judge(self, candidate: Appointment) -> Ghost:
        schedule = self._drag_schedule
        if schedule is None:
            from diary.domain.rules import Bands

            violations: list[Violation] = []
            bands = Bands(0, None, self.policy.wrapup_for(candidate))
        else:
            violations = schedule.violations_for(candidate)
            bands = schedule.bands_for(candidate)
        return self._ghost_geometry(candidate, bands, violations)

    def _ghost_geometry(
        self, candidate: Appointment, bands: Bands, violations: list[Violation]
    ) -> Ghost:
        day = candidate.start.astimezone(self._tz).date()
        index = self._days.index(day) if day in self._days else 0
        left = self._day_left(index) + 1
        width = self._column_width() - 8
        scroll = self._scroll()
        top = self._minutes_to_y(minutes_into(day, candidate.start, self._tz)) - scroll
        bottom = self._minutes_to_y(min(DAY_MINUTES, minutes_into(day, candidate.end, self._tz)))
        box = QRectF(left, top, width, max(6.0, bottom - scroll - top))
        rects = [box]
        if bands.travel_minutes:
            height = self._minutes_to_y(bands.travel_minutes)
            rects.append(QRectF(left, top - height, width, height))
        if bands.wrapup_minutes:
            rects.append(
                QRectF(left, box.bottom(), width, self._minutes_to_y(bands.wrapup_minutes))
            )
        why = reasons(violations, candidate.ref, self.titles())
        rects.append(self._label_rect(box, len(why) + 1))
        return Ghost(candidate, bands, violations, rects, box, why)

    def _label_rect(self, box: QRectF, lines: int) -> QRectF:
        metrics = QFontMetrics(self._small)
        height = lines * metrics.height() + 8
        width = max(box.width() * 1.8, 240.0)
        x = box.left() if box.left() + width <= self.viewport().width() else box.right() - width
        y = box.bottom() + 4
        if y + height > self.viewport().height():
            y = max(0.0, box.top() - height - 4)
        return QRectF(max(0.0, x), y, width, height)

    def _set_ghost(self, ghost: Ghost | None) -> None:
        dirty = QRectF()
        for old in self._ghost.rects if self._ghost else []:
            dirty = dirty.united(old)
        for new in ghost.rects if ghost else []:
            dirty = dirty.united(new)
        self._ghost = ghost
        if not dirty.isEmpty():
            self.viewport().update(dirty.toAlignedRect().adjusted(-3, -3, 3, 3))

    def cancel_drag(self) -> None:
        """Esc: forget the drag; nothing was written."""
        self._end_drag()

    def _end_drag(self) -> None:
        self._mode = Mode.IDLE
        self._drag_schedule = None
        self._set_ghost(None)

    def _hover(self, pos: QPoint) -> None:
        box = self.box_at(pos)
        near_bottom = (
            box is not None
            and box.segment.last
            and self._to_viewport(box.rect).bottom() - pos.y() <= EDGE_PIXELS
        )
        if near_bottom:
            self.viewport().setCursor(Qt.CursorShape.SizeVerCursor)
        elif box is not None:
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.viewport().unsetCursor()

    # -- keyboard --------------------------------------------------------------------

    def _ordered(self) -> list[Box]:
        self._ensure_layout()
        firsts = [boxes[0] for boxes in self._by_ref.values()]
        return sorted(firsts, key=lambda b: (b.appointment.start.timestamp(), b.ref))

    def _move_selection(self, key: int) -> None:
        ordered = self._ordered()
        if not ordered:
            return
        refs = [b.ref for b in ordered]
        if self.selected not in refs:
            self.select(refs[0])
            return
        current = ordered[refs.index(self.selected)]
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if key == Qt.Key.Key_Up else 1
            index = min(len(refs) - 1, max(0, refs.index(self.selected) + step))
            self.select(refs[index])
            return
        step = -1 if key == Qt.Key.Key_Left else 1
        target = current.segment.day_index + step
        while 0 <= target < len(self._days):
            same_day = [b for b in ordered if b.segment.day_index == target]
            if same_day:
                best = min(same_day, key=lambda b: abs(b.segment.top - current.segment.top))
                self.select(best.ref)
                return
            target += step

    def _nudge(self, key: int) -> None:
        """Alt+arrow: move the selected appointment by a slot (up/down) or a day (left/right)."""
        listed = self.listed(self.selected) if self.selected else None
        if listed is None:
            return
        a = listed.appointment
        shifts = {
            Qt.Key.Key_Up: timedelta(minutes=-SNAP_MINUTES),
            Qt.Key.Key_Down: timedelta(minutes=SNAP_MINUTES),
            Qt.Key.Key_Left: timedelta(days=-1),
            Qt.Key.Key_Right: timedelta(days=1),
        }
        local = a.start.astimezone(self._tz)
        # Wall-clock arithmetic in the display zone, so a day later is the same time of day.
        target = (local + shifts[Qt.Key(key)]).replace(tzinfo=self._tz)
        self.move_requested.emit(a, target)

    # -- painting --------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self._ensure_layout()
        painter = QPainter(self.viewport())
        self.paint_grid(painter, event.rect())

    def _static_key(self) -> tuple[object, ...]:
        dragged = self._press_box.ref if self._ghost and self._press_box else None
        whole = self._whole_height()
        return (
            self._layout_generation,
            whole,
            # The whole-day layer is blitted at the scroll position; only the fallback, a
            # layer the size of the viewport, is painted for one.
            None if whole else self._scroll(),
            self.viewport().size().toTuple(),
            self.selected,
            dragged,
            self.today(),
            self.devicePixelRatioF(),
        )

    def _whole_height(self) -> int:
        """The height of a layer holding the whole day (and the viewport below it, zoomed
        out), or 0 when that would take too much memory: the viewport-sized layer then.
        Also 0 before the days are loaded: the first paint of the window has no appointments
        to keep for scrolling, and a layer three screens tall is 3-4 ms of a cold start."""
        if self._agenda is None:
            return 0
        ratio = self.devicePixelRatioF()
        viewport = self.viewport()
        height = max(int(math.ceil(24 * self._hour_px)), viewport.height())
        if height * ratio > MAX_LAYER_HEIGHT:
            return 0
        if height * viewport.width() * ratio * ratio > MAX_LAYER_PIXELS:
            return 0
        return height

    def paint_grid(self, painter: QPainter, clip: QRect) -> None:
        """The cached grid with its appointments, then the now-line and the ghost on top."""
        key = self._static_key()
        scroll = self._scroll()
        ratio = self.devicePixelRatioF()
        if self._static is None or self._static_for != key:
            whole = self._whole_height()
            top = 0 if whole else scroll
            width = self.viewport().width()
            height = whole or self.viewport().height()
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
                self._paint_background(static, area, drawn)
            else:
                self._paint_grid_lines(static, area)
            batch = self._paint_appointments(static, area, whole=bool(whole))
            static.end()
            self._static, self._static_for, self._static_top = layer, key, top
            self._layer_drawn = batch.spans if whole else None
        source = _scaled(clip.translated(0, scroll - self._static_top), ratio)
        painter.drawPixmap(clip, self._static, source)
        self._paint_now(painter, scroll)
        if self._ghost is not None:
            self._paint_ghost(painter, self._ghost)

    def _paint_background(
        self, painter: QPainter, area: QRectF, drawn: list[QRectF] | None
    ) -> None:
        """Off hours, working hours, today's tint and the lines of the whole-day layer,
        `area` (content coordinates). They change only with the days, the hours, the size and
        the zoom: when the layer is painted over for something else (a selection, new
        data), they are copied back from a pixmap, and only where the last appointments
        were (`drawn`). That pixmap is made the first time it is needed (not at each zoom)."""
        ratio = self.devicePixelRatioF()
        key = (
            area.getRect(),
            ratio,
            self._hour_px,
            tuple(self._days),
            self.today(),
            tuple(self.policy.hours_on(day.weekday()) for day in self._days),
        )
        if self._background_for != key:
            self._background, self._background_for = None, key
            drawn = None
        if drawn is None and self._background is None:
            self._paint_grid_lines(painter, area)
            return
        if self._background is None:
            pixmap = QPixmap(max(1, int(area.width() * ratio)), max(1, int(area.height() * ratio)))
            pixmap.setDevicePixelRatio(ratio)
            background = QPainter(pixmap)
            background.translate(0, -area.top())
            self._paint_grid_lines(background, area)
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

    def _paint_grid_lines(self, painter: QPainter, area: QRectF) -> None:
        width = self._column_width()
        area_top, area_bottom = area.top(), area.bottom()
        painter.fillRect(area, style.OFF_HOURS)
        for i, day in enumerate(self._days):
            hours = self.policy.hours_on(day.weekday())
            left = self._day_left(i)
            if hours is not None:
                top = self._minutes_to_y(hours.start.hour * 60 + hours.start.minute)
                bottom = self._minutes_to_y(hours.end.hour * 60 + hours.end.minute)
                painter.fillRect(QRectF(left, top, width, bottom - top), style.GRID_BG)
            if day == self.today():
                painter.fillRect(QRectF(left, area_top, width, area.height()), style.TODAY_TINT)
        first_hour = max(0, int(self._y_to_minutes(area_top) // 60))
        last_hour = min(24, int(self._y_to_minutes(area_bottom) // 60) + 1)
        right = area.width()
        half_pen = QPen(style.HALF_LINE, 1, Qt.PenStyle.DotLine)
        for hour in range(first_hour, last_hour + 1):
            y = self._minutes_to_y(hour * 60)
            painter.setPen(style.LINE)
            painter.drawLine(QPointF(0, y), QPointF(right, y))
            if self._hour_px >= 36:
                half = y + self._hour_px / 2
                painter.setPen(half_pen)
                painter.drawLine(QPointF(0, half), QPointF(right, half))
        painter.setPen(style.LINE)
        for i in range(1, len(self._days)):
            x = self._day_left(i)
            painter.drawLine(QPointF(x, area_top), QPointF(x, area_bottom))

    def _plan(self) -> _Batch:
        """How each box and band is painted, worked out once per layout and pixel ratio."""
        ratio = self.devicePixelRatioF()
        key = (self._layout_generation, ratio)
        if self._plan_for == key and self._planned is not None:
            return self._planned
        if self._stamps is None or self._stamps.ratio != ratio:
            self._stamps, self._bodies = _stamps_for(ratio)
            self._shapes = {}
        # Shapes are kept from one layout to the next only: a reload finds most again, and
        # zooming leaves no heap of them behind (Qt's value objects are garbage collected
        # by Python's cycle collector, whose full passes take longer the more there are).
        previous = self._shapes
        shapes: dict[tuple[object, ...], _Shape] = {}
        kind_style = style.kind_style
        painted: list[_Painted] = []
        bands: list[_Band] = []
        for box in self._boxes:
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
                _Painted(box, box.ref, look, body_stamps, stripe, text, marker_stamp, marked)
            )
            for is_travel, fill, outline in band_shapes:
                bands.append(_Band(box, look, is_travel, fill, outline))
        _level_bands(bands)
        self._shapes = shapes
        assert self._stamps is not None and self._bodies is not None
        if (self._bodies.wanted or self._stamps.wanted) and not self._stamps_coming:
            # Boxes of lanes without stamps are drawn (that costs less for one paint); the
            # stamps are drawn when there is nothing else to do, then the plan is made again.
            self._stamps_coming = True
            QTimer.singleShot(0, self, self._make_stamps)
        self._planned, self._plan_for = _Batch.of(painted, bands, self._columns(), ratio), key
        return self._planned

    def _make_stamps(self) -> None:
        """Draw wanted stamps a few milliseconds at a time; then plan and paint with them."""
        began = time.perf_counter()
        for stamps in (self._bodies, self._stamps):
            left = STAMP_SLICE_SECONDS - (time.perf_counter() - began)
            if stamps is not None and stamps.wanted and not stamps.make_wanted(left):
                QTimer.singleShot(0, self, self._make_stamps)
                return
        self._stamps_coming = False
        self._plan_for = ()
        self._static = None
        self.viewport().update()

    def _shape(
        self, box: Box, look: style.KindStyle, marker: QColor | None, ratio: float
    ) -> _Shape:
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
            (is_travel, _fill_rect(band, ratio), band.adjusted(0.5, 0.5, -0.5, -0.5))
            for band, is_travel in ((box.travel, True), (box.wrapup, False))
            if band is not None
        ]
        return (
            self._bodies.place(rect, look.pen, look.fill),
            _fill_rect(QRectF(rect.left(), rect.top(), 4, rect.height()), ratio),
            room if room.height() >= 8 and room.width() >= 12 else None,
            marker_stamp,
            marked,
            bands,
        )

    def _columns(self) -> list[QRectF]:
        """Each day's column (its left and right; any height)."""
        width = self._column_width()
        return [QRectF(self._day_left(i), 0, width, 1) for i in range(len(self._days))]

    def _paint_appointments(self, painter: QPainter, area: QRectF, *, whole: bool) -> _Batch:
        """Bands and boxes, in passes with the painter set up once for each: all bands; all
        box bodies (antialiased); all stripes; all titles; all detail lines; all markers.
        The dragged box is faded, the selected one has a thicker, darker border."""
        batch = self._plan()
        if not whole:  # the viewport-sized layer: only what it shows
            batch = _Batch.of(
                [p for p in batch.boxes if p.box.rect.intersects(area)],
                [band for band in batch.bands if band.rect.intersects(area)],
                self._columns(),
                self.devicePixelRatioF(),
            )
        dragged = self._press_box.ref if self._ghost and self._press_box else None
        selected = self.selected
        faded = 0.35
        self._paint_bands(painter, batch)
        # Stamps are drawn by a loop in C (starmap): a Python loop costs as much as a copy.
        draw_pixmap = painter.drawPixmap
        deque(starmap(draw_pixmap, batch.body_stamps.without(selected, dragged)), maxlen=0)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for p in batch.boxes if selected or dragged else ():
            if p.body_stamps and p.ref in (selected, dragged):
                self._paint_body(painter, p, selected, dragged, faded)
        for p in batch.bodies_drawn:
            self._paint_body(painter, p, selected, dragged, faded)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        for look, stripes in batch.stripes:
            painter.setBrush(look.colour)
            painter.drawRects(stripes.without(dragged))
            for rect in stripes.of(dragged):
                painter.setOpacity(faded)
                painter.drawRect(rect)
                painter.setOpacity(1.0)
        if batch.texts:
            self._paint_titles(painter, batch.texts, dragged, faded)
            self._paint_details(painter, batch.texts, dragged, faded)
        deque(starmap(draw_pixmap, batch.markers.without(dragged)), maxlen=0)
        for p in batch.markers_drawn:
            if p.ref != dragged:
                self._paint_marker(painter, p.box)
        for p in batch.boxes if dragged else ():
            if p.ref == dragged and p.marked:
                # Drawn, not stamped: faded, its "!" shows the faded red under it.
                painter.setOpacity(faded)
                self._paint_marker(painter, p.box)
                painter.setOpacity(1.0)
        return batch

    def _paint_marker(self, painter: QPainter, box: Box) -> None:
        """A box's conflict marker, drawn (`_shape` places the stamp of the same)."""
        colour = style.marker_colour(box.segment.listed.flags)
        rect = box.rect
        radius = min(7.0, rect.height() / 2 - 1, rect.width() / 2 - 1)
        if colour is not None and radius >= 3:
            centre = QPointF(rect.right() - radius - 2, rect.top() + radius + 2)
            style.draw_marker(painter, centre, colour, radius)

    def _paint_body(
        self,
        painter: QPainter,
        p: _Painted,
        selected: str | None,
        dragged: str | None,
        faded: float,
    ) -> None:
        """One box body drawn by Qt (antialiased): the selected, the dragged, odd sizes."""
        look = p.look
        body = p.box.rect.adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(look.selected_pen if p.ref == selected else look.pen)
        painter.setBrush(look.fill)
        if p.ref == dragged:
            painter.setOpacity(faded)
            painter.drawRoundedRect(body, 3, 3)
            painter.setOpacity(1.0)
        else:
            painter.drawRoundedRect(body, 3, 3)

    def _paint_bands(self, painter: QPainter, batch: _Batch) -> None:
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

    def _paint_band(self, painter: QPainter, rect: QRectF, kind: Kind, travel: bool) -> None:
        """One band (the ghost's): as `_paint_bands` paints them."""
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

    def _elided(self, text: str, width: int, bold: bool) -> str:
        key = (text, width, bold)
        found = self._elide_cache.get(key)
        if found is None:
            if len(self._elide_cache) >= ELIDE_CACHE_LIMIT:
                self._elide_cache.clear()
            metrics = self._bold_metrics if bold else self._small_metrics
            found = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
            self._elide_cache[key] = found
        return found

    def _forget_text(self) -> None:
        """Fonts or the formatter changed: measured and shortened text no longer holds."""
        self._elide_cache.clear()
        self._bold_metrics = QFontMetrics(self._bold)
        self._small_metrics = QFontMetrics(self._small)

    def _paint_titles(
        self, painter: QPainter, texts: list[_Painted], dragged: str | None, faded: float
    ) -> None:
        """Each box's first line in bold: its title, or time and title when it is short.

        drawText clips to the line it is given; a box's text is clipped to the box by hand
        only where the line reaches below it.
        """
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        bold_line = self._bold_metrics.height()
        line = self._small_metrics.height()
        painter.setPen(style.TEXT)
        painter.setFont(self._bold)
        for p in texts:
            rect = p.text
            assert rect is not None
            a = p.box.appointment
            title = a.title
            if rect.height() < bold_line + line:
                # Too short for two lines: time and title on one.
                title = f"{self.formatter.time(a.start)} {a.title}"
            clip = rect.top() + bold_line > rect.bottom()
            if clip:
                painter.setClipRect(rect)
            fade = p.ref == dragged
            if fade:
                painter.setOpacity(faded)
            painter.drawText(
                QRectF(rect.left(), rect.top(), rect.width(), bold_line),
                align,
                self._elided(title, int(rect.width()), True),
            )
            if fade:
                painter.setOpacity(1.0)
            if clip:
                painter.setClipping(False)

    def _paint_details(
        self, painter: QPainter, texts: list[_Painted], dragged: str | None, faded: float
    ) -> None:
        """Under each title, as many of time, customer and place as the box has room for."""
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        bold_line = self._bold_metrics.height()
        line = self._small_metrics.height()
        painter.setFont(self._small)
        painter.setPen(style.MUTED)
        for p in texts:
            rect = p.text
            assert rect is not None
            y = rect.top() + bold_line
            bottom = rect.bottom()
            if y + line > bottom + 2:
                continue
            a = p.box.appointment
            lines = [self.formatter.time_range(a.start, a.end)]
            if a.customer is not None:
                lines.append(a.customer.name)
            if a.location is not None:
                lines.append(a.location.label)
            width = int(rect.width())
            fade = p.ref == dragged
            if fade:
                painter.setOpacity(faded)
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
                    self._elided(text, width, False),
                )
                y += line
            if clipped:
                painter.setClipping(False)
            if fade:
                painter.setOpacity(1.0)

    def _paint_now(self, painter: QPainter, scroll: int) -> None:
        now = self._clock().astimezone(self._tz)
        day = now.date()
        if day not in self._days:
            return
        i = self._days.index(day)
        y = self._minutes_to_y(minutes_into(day, now, self._tz)) - scroll
        left = self._day_left(i)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(style.NOW, 2))
        painter.drawLine(QPointF(left, y), QPointF(left + self._column_width(), y))
        painter.setBrush(style.NOW)
        painter.drawEllipse(QRectF(left - 3, y - 4, 8, 8))
        painter.restore()

    def _paint_ghost(self, painter: QPainter, ghost: Ghost) -> None:
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
            self._paint_band(painter, ghost.rects[1], kind, True)
        if ghost.bands.wrapup_minutes:
            wrap = QRectF(
                box.left(),
                box.bottom(),
                box.width(),
                self._minutes_to_y(ghost.bands.wrapup_minutes),
            )
            self._paint_band(painter, wrap, kind, False)
        fill = QColor(colour)
        fill.setAlpha(70)
        painter.setBrush(fill)
        painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
        painter.drawPath(style.rounded(box, 3))
        label = ghost.rects[-1]
        painter.setPen(QPen(colour, 1))
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawPath(style.rounded(label, 4))
        painter.setFont(self._bold)
        metrics = QFontMetrics(self._small)
        y = label.top() + 4
        text_width = int(label.width() - 10)
        head = f"{self.formatter.weekday_short(ghost.candidate.start.astimezone(self._tz).date())} "
        head += self.formatter.time_range(ghost.candidate.start, ghost.candidate.end)
        painter.setPen(colour.darker(120))
        painter.drawText(QRectF(label.left() + 5, y, text_width, metrics.height()), head)
        painter.setFont(self._small)
        for line in why:
            y += metrics.height()
            painter.drawText(
                QRectF(label.left() + 5, y, text_width, metrics.height()),
                metrics.elidedText(line, Qt.TextElideMode.ElideRight, text_width),
            )
        painter.restore()

    def paint_header(self, painter: QPainter, rect: QRect) -> None:
        """Day names, each working day's free reserve, and the all-day row."""
        painter.fillRect(rect, QColor("#f4f5f8"))
        metrics = QFontMetrics(self._font)
        line = metrics.height()
        width = self._column_width()
        reserves: dict[date, DayReserve] = self._agenda.reserves if self._agenda else {}
        for i, day in enumerate(self._days):
            left = GUTTER_WIDTH + self._day_left(i)
            cell = QRectF(left, 0, width, rect.height())
            if day == self.today():
                painter.fillRect(cell, QColor("#fff4c8"))
            painter.setPen(style.TEXT)
            painter.setFont(self._bold)
            text = self.formatter.day_header(day)
            badge = self._badge_requests.badges.get(day)
            room = width - 8
            if badge is not None:
                painted = paint_badge(painter, left + width - 4, 4, badge, self._small)
                room -= painted.width() + 4
                painter.setFont(self._bold)
                painter.setPen(style.TEXT)
            painter.drawText(
                QRectF(left + 4, 4, room, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(room)),
            )
            reserve = reserves.get(day)
            if reserve is not None:
                self._paint_reserve(painter, QRectF(left + 4, 6 + line, width - 8, line), reserve)
            painter.setFont(self._small)
            small = QFontMetrics(self._small)
            y = 10 + 2 * line
            for listed in self._all_day[i] if i < len(self._all_day) else []:
                chip = QRectF(left + 2, y, width - 4, line + 2)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(style.kind_colour(Kind.ALL_DAY).lighter(170))
                painter.drawRoundedRect(chip, 3, 3)
                painter.setPen(style.TEXT)
                painter.drawText(
                    chip.adjusted(4, 0, -2, 0),
                    Qt.AlignmentFlag.AlignVCenter,
                    small.elidedText(
                        listed.appointment.title, Qt.TextElideMode.ElideRight, int(chip.width() - 6)
                    ),
                )
                y += line + 4
            painter.setPen(style.LINE)
            painter.drawLine(QPointF(left, 0), QPointF(left, rect.height()))
        painter.setPen(style.LINE)
        painter.drawLine(QPointF(0, rect.height() - 1), QPointF(rect.width(), rect.height() - 1))
        painter.setPen(style.MUTED)
        painter.setFont(self._small)
        painter.drawText(
            QRectF(2, 10 + 2 * line, GUTTER_WIDTH - 6, line),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            _("all day"),
        )

    def _paint_reserve(self, painter: QPainter, rect: QRectF, reserve: DayReserve) -> None:
        """How much of the daily reserve is still free: a small bar and the minutes."""
        free = max(0, reserve.free_minutes)
        share = 1.0 if reserve.reserve_minutes == 0 else min(1.0, free / reserve.reserve_minutes)
        colour = (
            style.ERROR
            if reserve.breached
            else (style.WARNING if free < reserve.reserve_minutes * 2 else QColor("#2e7d32"))
        )
        bar = QRectF(rect.left(), rect.center().y() - 3, 36, 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#dde0e6"))
        painter.drawRoundedRect(bar, 3, 3)
        painter.setBrush(colour)
        painter.drawRoundedRect(
            QRectF(bar.left(), bar.top(), bar.width() * share, bar.height()), 3, 3
        )
        painter.setFont(self._small)
        painter.setPen(colour.darker(115))
        if reserve.breached:
            text = _("{free} of {reserve} reserve").format(
                free=self.formatter.minutes(free),
                reserve=self.formatter.minutes(reserve.reserve_minutes),
            )
        else:
            text = _("{free} free").format(free=self.formatter.minutes(free))
        metrics = QFontMetrics(self._small)
        painter.drawText(
            QRectF(bar.right() + 5, rect.top(), rect.width() - bar.width() - 5, rect.height()),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(
                text, Qt.TextElideMode.ElideRight, int(rect.width() - bar.width() - 5)
            ),
        )

    def paint_gutter(self, painter: QPainter, rect: QRect) -> None:
        painter.fillRect(rect, QColor("#f4f5f8"))
        painter.setFont(self._small)
        painter.setPen(style.MUTED)
        metrics = QFontMetrics(self._small)
        scroll = self._scroll()
        first_hour = max(0, int(self._y_to_minutes(scroll) // 60))
        last_hour = min(23, int(self._y_to_minutes(scroll + rect.height()) // 60) + 1)
        anchor = self._days[0]
        for hour in range(first_hour, last_hour + 1):
            y = self._minutes_to_y(hour * 60) - scroll
            label = self.formatter.time(moment_at(anchor, hour * 60, self._tz))
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, GUTTER_WIDTH - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )

    def hour_label(self, hour: int) -> str:
        """The text of the time label at `hour` o'clock, as the gutter paints it."""
        return self.formatter.time(moment_at(self._days[0], hour * 60, self._tz))

    def header_labels(self) -> list[str]:
        """The day names of the header, as painted."""
        return [self.formatter.day_header(day) for day in self._days]


def _scaled(rect: QRect, ratio: float) -> QRect:
    return QRect(
        int(rect.x() * ratio),
        int(rect.y() * ratio),
        int(rect.width() * ratio),
        int(rect.height() * ratio),
    )


def _snap(minutes: float, step: int, rounding: object) -> float:
    func = rounding if callable(rounding) else round
    return float(func(minutes / step) * step)
