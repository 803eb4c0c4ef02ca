"""The week and day views: day columns of a time grid, with a header above and a gutter beside.

The view wires the parts: it loads the shown days through the bridge (loading), hands them
to the geometry (the layout cache), paints through the layers, forwards the mouse and keys
to the drag controller and the gestures and emits what they ask for. Refreshing:
`refresh_days(days)` reloads when one of `days` is shown; the bridge's `changed` signal is
connected to it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QHideEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from diary.domain.model import Policy
from diary.i18n import Formatter
from diary.services.clock import Clock, today
from diary.ui.badges import BadgeRequests, DayBadge
from diary.ui.bridge import Bridge
from diary.ui.week_view import words
from diary.ui.week_view.accessible import GridAccessible, notify_selected
from diary.ui.week_view.accessible import install as install_accessible
from diary.ui.week_view.axis import TimeAxis
from diary.ui.week_view.boxes import BoxPainter, paint_sticky_titles
from diary.ui.week_view.drag import Create, DragController, Move, Resize
from diary.ui.week_view.geometry import Box, GridGeometry
from diary.ui.week_view.gestures import Edit, GridGestures, GridRequest
from diary.ui.week_view.ghost import Ghost, paint_ghost
from diary.ui.week_view.gutter import GUTTER_WIDTH, TimeGutter
from diary.ui.week_view.header import DayHeader, all_day_rows
from diary.ui.week_view.layers import GridLayers, Scene, paint_now
from diary.ui.week_view.loading import AgendaLoad, shown_days
from diary.ui.week_view.place import GridPlace
from diary.ui.week_view.text import GridFonts

if TYPE_CHECKING:
    from diary.services import Listed
    from diary.services.queries import Agenda


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
        self.formatter = formatter
        self.policy = policy
        self.day_count = day_count
        self._tz = ZoneInfo(formatter.zone)
        self._clock = clock
        self._anchor = self.today()
        self._load = AgendaLoad(bridge, f"agenda-{id(self)}", self._on_agenda)
        self._all_day: list[list[Listed]] = []
        self.selected: str | None = None
        self.fonts = GridFonts(self.font())
        self.grid = GridGeometry(
            TimeAxis(self._days_for(self._anchor), self._tz),
            self.verticalScrollBar().value,
            lambda: self.viewport().size(),
        )
        self.grid.set_min_box_px(self.fonts.bold_metrics.height() + 3)
        self.boxes = BoxPainter(self.grid, self.fonts, formatter, self, self._stamps_ready)
        self.layers = GridLayers(self.grid, self.boxes)
        self.drag = DragController(
            self.grid,
            self.fonts,
            formatter,
            policy,
            lambda: self.agenda.schedule if self.agenda is not None else None,
            self.titles,
            self._repaint_ghost,
        )
        self.gestures = GridGestures(self.drag, lambda: self.selected, self.select, self._ask)
        self._header = DayHeader(
            self, self.fonts, formatter, GUTTER_WIDTH, self.grid.column_width, self.today
        )
        self._gutter = TimeGutter(self, self.grid, self.fonts, formatter)
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
        self.place = GridPlace(
            self.grid, self.verticalScrollBar(), lambda: self.viewport().height(), policy
        )
        self._badge_requests = BadgeRequests(bridge, self, self._badges_arrived)
        self._accessible: GridAccessible | None = None
        install_accessible(TimeGridView)
        self._show_header()
        self._update_margins()
        bridge.changed.connect(self.refresh_days)
        bridge.touched.connect(self._touched)

    # -- public surface --------------------------------------------------------------

    @property
    def days(self) -> list[date]:
        return list(self.grid.axis.days)

    @property
    def _days(self) -> list[date]:
        return self.grid.axis.days

    def today(self) -> date:
        return today(self._clock, self._tz)

    def show_date(self, day: date) -> None:
        """Show the week (or day) holding `day` and load it."""
        days = self._days_for(day)
        self._anchor = day
        if days != self._days:
            self.grid.set_axis(TimeAxis(days, self._tz))
            self._load.forget()
            self._all_day = [[] for _ in days]
            self.place.new_days()
        self.reload()
        self.date_changed.emit(day)
        self._show_header()
        self._update_margins()
        self.viewport().update()
        self._header.update()

    def reload(self) -> None:
        """Ask for the shown days again (results arrive later, on this thread)."""
        axis = self.grid.axis
        lo = axis.day_start(self._days[0])
        hi = axis.day_start(self._days[-1] + timedelta(days=1))
        self._load.request(lo, hi)
        self.reload_badges()

    def refresh_days(self, days: frozenset[date]) -> None:
        """Something changed on `days` (here or elsewhere): reload when one of them is shown.

        The entry point for every "these days changed" notice (the bridge's `changed`
        signal; a sync or another writer's notice should come the same way)."""
        if days & set(self._days):
            self.reload()

    def reload_badges(self) -> None:
        """Ask which promises are due on the shown days (for the header badges)."""
        self._badge_requests.reload(self._days[0], self._days[-1], self.formatter.zone)

    def promise_badges(self) -> dict[date, DayBadge]:
        """The badges painted in the header, by day."""
        return {
            day: badge for day, badge in self._badge_requests.badges.items() if day in self._days
        }

    def set_policy(self, policy: Policy, formatter: Formatter) -> None:
        self.policy = policy
        self.formatter = formatter
        self._tz = ZoneInfo(formatter.zone)
        days = self._days_for(self._anchor)
        if days != self._days or self._tz != self.grid.axis.tz:
            self.grid.set_axis(TimeAxis(days, self._tz))
            self._all_day = [[] for _ in days]
        self.boxes.formatter = self._header.formatter = self._gutter.formatter = formatter
        self.drag.policy, self.drag.formatter = policy, formatter
        self.place.new_policy(policy)
        self.fonts.forget()
        self.layers.drop()  # painted with the old formatter
        self._show_header()
        self._update_margins()
        self.reload()

    def rect_for(self, uid: str) -> QRect:
        """The appointment's box (its first segment) in viewport coordinates, or an empty QRect."""
        return self.grid.rect_for(uid)

    def point_for(self, moment: datetime) -> QPoint:
        """The viewport point of `moment`: the middle of its day column, at its time."""
        return self.grid.point_for(moment)

    def box_at(self, pos: QPoint | QPointF) -> Box | None:
        """The topmost appointment box under a viewport point."""
        return self.grid.box_at(pos)

    def titles(self) -> dict[str, str]:
        """Titles of the loaded appointments (and their neighbours), by ref (worked out once
        per load: a drag asks on every mouse move)."""
        return self._load.titles()

    def listed(self, ref: str) -> Listed | None:
        return self.grid.listed(ref)

    def select(self, ref: str | None) -> None:
        if ref != self.selected:
            self.selected = ref
            self.selection_changed.emit(ref)
            self.viewport().update()
            notify_selected(self)

    def accessible_grid(self) -> GridAccessible:
        """What a screen reader reads of the grid: each shown day, each appointment."""
        if self._accessible is None:
            self._accessible = GridAccessible(self)
        return self._accessible

    def zoom(self, factor: float) -> None:
        self.place.zoom(factor)
        self.fonts.forget()
        self.viewport().update()
        self._gutter.update()

    @property
    def hour_px(self) -> float:
        return self.grid.hour_px

    @property
    def ghost(self) -> Ghost | None:
        return self.drag.ghost

    @property
    def agenda(self) -> Agenda | None:
        """What was loaded for the shown days; None until it has arrived."""
        return self._load.agenda

    @property
    def loading(self) -> bool:
        """An agenda was asked for and has not arrived."""
        return self._load.loading

    def hour_label(self, hour: int) -> str:
        """The text of the time label at `hour` o'clock, as the gutter paints it."""
        return self.formatter.time(datetime.combine(self._days[0], time(hour), tzinfo=self._tz))

    def gutter_labels(self) -> list[tuple[float, str]]:
        """Each hour line's position (axis minutes) and its label, as the gutter paints it
        ("01:00 BST" and "01:00 GMT" where an hour repeats)."""
        return self._gutter.labels()

    def header_labels(self) -> list[str]:
        """The day names of the header, as painted."""
        return [self.formatter.day_header(day) for day in self._days]

    def paint_header(self, painter: QPainter, rect: QRect) -> None:
        self._header.paint(painter, QRectF(rect))

    def paint_gutter(self, painter: QPainter, rect: QRect) -> None:
        self._gutter.paint(painter, QRectF(rect))

    def cancel_drag(self) -> None:
        """Esc: forget the drag; nothing was written."""
        self.drag.cancel()

    def drag_to(self, pos: QPoint, modifiers: Qt.KeyboardModifier) -> None:
        """Follow the mouse: the candidate, its bands and its verdict from the domain rules."""
        self.drag.drag_to(pos, modifiers)

    # -- loading ---------------------------------------------------------------------

    def _days_for(self, day: date) -> list[date]:
        return shown_days(day, self.day_count, self.formatter.first_weekday)

    def _on_agenda(self, agenda: Agenda) -> None:
        self._all_day = all_day_rows(agenda.items, self._days, self._tz)
        self.grid.set_items(agenda.items)
        if self.selected is not None and not any(
            item.appointment.ref == self.selected for item in agenda.items
        ):
            self.select(None)
        self._show_header()
        self._update_margins()
        self.grid.ensure()
        self.viewport().update()
        self._header.update()
        self.loaded.emit()

    def _touched(self, topic: str) -> None:
        if topic == "promises":
            self.reload_badges()
        elif topic == "all":
            self.reload()

    def _badges_arrived(self) -> None:
        self._header.content.badges = self._badge_requests.badges
        self._header.update()

    def _show_header(self) -> None:
        content = self._header.content
        content.days = list(self._days)
        content.reserves = self.agenda.reserves if self.agenda else {}
        content.badges = self._badge_requests.badges
        content.all_day = self._all_day

    # -- geometry --------------------------------------------------------------------

    def _update_margins(self) -> None:
        top = self._header.wanted_height()
        self.setViewportMargins(GUTTER_WIDTH, top, 0, 0)
        frame = self.frameWidth()
        self._header.setGeometry(frame, frame, self.width() - 2 * frame, top)
        self._gutter.setGeometry(frame, frame + top, GUTTER_WIDTH, self.viewport().height())
        self.place.resized()

    def _scrolled(self) -> None:
        self.place.scrolled()
        self._gutter.update()
        self.viewport().update()

    # -- events ----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.grid.invalidate()
        self._update_margins()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self.layers.release()  # painted again on show

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
        return words.tooltip(listed, self.formatter)

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
        self.gestures.press(event.position().toPoint(), event.modifiers())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pos = event.position().toPoint()
        if not event.buttons() & Qt.MouseButton.LeftButton:
            cursor = self.drag.cursor_at(pos)
            if cursor is None:
                self.viewport().unsetCursor()
            else:
                self.viewport().setCursor(cursor)
            return
        self.drag.move(pos, event.modifiers(), QApplication.startDragDistance())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        self.gestures.release()
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.gestures.double_click(event.position().toPoint())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self.gestures.key(event.key(), event.modifiers()):
            super().keyPressEvent(event)

    def _ask(self, request: GridRequest) -> None:
        """Emit what a click or a key asked for."""
        if isinstance(request, Move):
            self.move_requested.emit(request.appointment, request.start)
        elif isinstance(request, Resize):
            self.resize_requested.emit(request.appointment, request.end)
        elif isinstance(request, Create):
            self.create_requested.emit(request.start, request.end)
        elif isinstance(request, Edit):
            self.edit_requested.emit(request.ref)
        else:
            self.cancel_requested.emit(request.appointment)

    def _repaint_ghost(self, dirty: QRectF) -> None:
        self.viewport().update(dirty.toAlignedRect().adjusted(-3, -3, 3, 3))

    # -- painting --------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self.viewport())
        self.paint_grid(painter, event.rect())

    def paint_grid(self, painter: QPainter, clip: QRect) -> None:
        """The cached grid with its appointments, then the now-line and the ghost on top."""
        scene = self._scene()
        self.layers.paint(painter, clip, scene)
        paint_sticky_titles(painter, self.grid, self.fonts, scene.dragged)
        paint_now(painter, self.grid, self._clock())
        ghost = self.drag.ghost
        if ghost is not None:
            paint_ghost(painter, ghost, self.grid, self.fonts, self.formatter)

    def _scene(self) -> Scene:
        return Scene(
            today=self.today(),
            hours=tuple(self.policy.hours_on(day.weekday()) for day in self._days),
            selected=self.selected,
            dragged=self.drag.dragged,
            ratio=self.devicePixelRatioF(),
            loaded=self.agenda is not None,
        )

    def _stamps_ready(self) -> None:
        self.layers.drop()
        self.viewport().update()
