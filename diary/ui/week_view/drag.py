"""Dragging in the grid: the state machine of a press, a move, a resize or a drawn new
appointment; the ghost that follows the mouse; the rule snapshot it is judged on.

At drag start the controller takes the `Schedule` snapshot that came with the shown range;
on every mouse move it judges the candidate on that snapshot with the domain rules
(`Schedule.violations_for` / `bands_for`): no database access while the mouse moves, and the
same verdict the command line gives. A release gives a `Request` for the view to emit.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRectF, Qt

from diary.domain.model import Appointment, Kind, Policy, Violation, later
from diary.i18n import Formatter, _
from diary.ui.explain import reasons
from diary.ui.week_view.axis import WallTime
from diary.ui.week_view.geometry import Box, GridGeometry
from diary.ui.week_view.ghost import Ghost, place_ghost
from diary.ui.week_view.text import GridFonts

if TYPE_CHECKING:
    from diary.domain.rules import Schedule

SNAP_MINUTES = 15
FINE_SNAP_MINUTES = 5  # with Shift held
EDGE_PIXELS = 6  # this close to a box's bottom edge, a drag resizes it
DRAFT_UID = "diary-draft"


class Mode(enum.Enum):
    IDLE = "idle"
    PRESSED = "pressed"  # pressed on an appointment, not yet dragged
    PRESSED_EMPTY = "pressed-empty"
    MOVING = "moving"
    RESIZING = "resizing"
    CREATING = "creating"


@dataclass(frozen=True, slots=True)
class Move:
    appointment: Appointment
    start: datetime


@dataclass(frozen=True, slots=True)
class Resize:
    appointment: Appointment
    end: datetime


@dataclass(frozen=True, slots=True)
class Create:
    start: datetime
    end: datetime


Request = Move | Resize | Create


def snap_step(modifiers: Qt.KeyboardModifier) -> int:
    """The minutes a drag snaps to: 5 with Shift held, else 15."""
    if modifiers & Qt.KeyboardModifier.ShiftModifier:
        return FINE_SNAP_MINUTES
    return SNAP_MINUTES


def snap(minutes: float, step: int, rounding: Callable[[float], int] = round) -> float:
    return float(rounding(minutes / step) * step)


class DragController:
    """One grid's drag: `press`, `move` (with the button held), `release` or `cancel`.

    `formatter` words the times a drop would ask for that do not exist.
    `schedule` gives the snapshot of the shown range (None before it has loaded), `titles`
    the names of appointments a reason may mention, `repaint` is asked to repaint a
    viewport rectangle where the ghost was or is.
    """

    def __init__(
        self,
        geometry: GridGeometry,
        fonts: GridFonts,
        formatter: Formatter,
        policy: Policy,
        schedule: Callable[[], Schedule | None],
        titles: Callable[[], dict[str, str]],
        repaint: Callable[[QRectF], None],
    ) -> None:
        self.geometry = geometry
        self.fonts = fonts
        self.formatter = formatter
        self.policy = policy
        self._schedule_of_view = schedule
        self._titles = titles
        self._repaint = repaint
        self.mode = Mode.IDLE
        self.press_pos = QPoint()
        self.press_box: Box | None = None
        self._grab_minutes = 0.0
        self._create_from: datetime | None = None
        self._schedule: Schedule | None = None
        self.ghost: Ghost | None = None
        self.skipped: list[WallTime] = []  # times the last candidate asked for, not on the clock
        self._press_skipped: list[WallTime] = []
        self._ghost_skipped: list[WallTime] = []  # what `skipped` was for the ghost shown

    @property
    def zone(self) -> str:
        return self.formatter.zone

    @property
    def dragged(self) -> str | None:
        """The appointment whose box is being dragged (painted faded), if any."""
        return self.press_box.ref if self.ghost and self.press_box else None

    def press(self, pos: QPoint, modifiers: Qt.KeyboardModifier) -> Box | None:
        """The left button went down at viewport `pos`; the box pressed on, if any."""
        geometry = self.geometry
        axis = geometry.axis
        self.press_pos = pos
        box = geometry.box_at(pos)
        self.press_box = box
        if box is not None:
            self.mode = Mode.PRESSED
            start = axis.position(axis.days[box.segment.day_index], box.appointment.start)
            self._grab_minutes = geometry.minutes_at(pos.y()) - start
        else:
            self.mode = Mode.PRESSED_EMPTY
            day = axis.days[geometry.day_index_at(pos.x())]
            minutes = snap(geometry.minutes_at(pos.y()), snap_step(modifiers), math.floor)
            self._create_from = self._at(day, minutes)
            self._press_skipped = list(self.skipped)
        return box

    def move(self, pos: QPoint, modifiers: Qt.KeyboardModifier, start_distance: int) -> None:
        """The mouse moved to `pos` with the button held: a drag once it went far enough."""
        if self.mode is Mode.IDLE:
            return
        if self.mode in (Mode.PRESSED, Mode.PRESSED_EMPTY):
            if (pos - self.press_pos).manhattanLength() < start_distance:
                return
            self._start()
        self.drag_to(pos, modifiers)

    def _start(self) -> None:
        # The snapshot that came with the shown range: every rule is judged on it while
        # the mouse moves, without touching the database.
        self._schedule = self._schedule_of_view()
        box = self.press_box
        if self.mode is Mode.PRESSED_EMPTY:
            self.mode = Mode.CREATING
        elif box is not None:
            bottom = self.geometry.to_viewport(box.rect).bottom()
            near_bottom = bottom - self.press_pos.y() <= EDGE_PIXELS
            self.mode = Mode.RESIZING if near_bottom and box.segment.last else Mode.MOVING

    def drag_to(self, pos: QPoint, modifiers: Qt.KeyboardModifier) -> None:
        """Follow the mouse: the candidate, its bands and its verdict from the domain rules."""
        candidate = self.candidate_at(pos, modifiers)
        if candidate is None:
            return
        if (
            self.ghost is not None
            and _same(self.ghost.candidate, candidate)
            and self.skipped == self._ghost_skipped
        ):
            return
        self._ghost_skipped = list(self.skipped)
        self._set_ghost(self._judge(candidate))

    def candidate_at(self, pos: QPoint, modifiers: Qt.KeyboardModifier) -> Appointment | None:
        """What a drop at viewport `pos` would store (`skipped` then says which wall-clock
        times asked for do not exist that day)."""
        geometry = self.geometry
        axis = geometry.axis
        step = snap_step(modifiers)
        slot = timedelta(minutes=step)
        day = axis.days[geometry.day_index_at(pos.x())]
        minutes = geometry.minutes_at(pos.y())
        box = self.press_box
        self.skipped = []
        if self.mode is Mode.MOVING and box is not None:
            start = snap(minutes - self._grab_minutes, step, round)
            start = min(max(start, 0), axis.length - step)
            return box.appointment.moved_to(self._at(day, start))
        if self.mode is Mode.RESIZING and box is not None:
            a = box.appointment
            end = self._at(day, snap(minutes, step, round))
            if end.timestamp() < later(a.start, slot).timestamp():
                end = later(a.start, slot)
            return a.resized_to(end)
        if self.mode is Mode.CREATING and self._create_from is not None:
            self.skipped = list(self._press_skipped)
            start_day = self._create_from.astimezone(axis.tz).date()
            here = self._at(start_day, snap(minutes, step, math.ceil))
            lo, hi = sorted((self._create_from, here), key=lambda moment: moment.timestamp())
            if hi.timestamp() < later(lo, slot).timestamp():
                hi = later(lo, slot)
            return Appointment(
                uid=DRAFT_UID,
                title=_("New appointment"),
                start=lo,
                end=hi,
                zone=self.zone,
                kind=Kind.MEETING,
            )
        return None

    def _at(self, day: date, minutes: float) -> datetime:
        """The instant `minutes` down `day`'s column; a wall-clock time that does not exist
        that day is noted in `skipped` (and read as RFC 5545 says: see `TimeAxis`)."""
        wall = self.geometry.axis.wall_time_at(day, minutes)
        if not wall.exists:
            self.skipped.append(wall)
        return wall.moment

    def _judge(self, candidate: Appointment) -> Ghost:
        schedule = self._schedule
        if schedule is None:
            from diary.domain.rules import Bands

            violations: list[Violation] = []
            bands = Bands(0, None, self.policy.wrapup_for(candidate))
        else:
            violations = schedule.violations_for(candidate)
            bands = schedule.bands_for(candidate)
        why = [self._skipped_words(wall) for wall in self.skipped]
        why += reasons(violations, candidate.ref, self._titles())
        return place_ghost(self.geometry, self.fonts, candidate, bands, violations, why)

    def _skipped_words(self, wall: WallTime) -> str:
        asked = wall.asked.replace(tzinfo=self.geometry.axis.tz)
        return _("{time} does not exist on {day}: the clocks go forward").format(
            time=self.formatter.time(asked), day=self.formatter.day_header(asked.date())
        )

    def _set_ghost(self, ghost: Ghost | None) -> None:
        dirty = QRectF()
        for old in self.ghost.rects if self.ghost else []:
            dirty = dirty.united(old)
        for new in ghost.rects if ghost else []:
            dirty = dirty.united(new)
        self.ghost = ghost
        if not dirty.isEmpty():
            self._repaint(dirty)

    def release(self) -> Request | None:
        """The button went up: what the drop asks for (None: nothing to change)."""
        mode, ghost, box = self.mode, self.ghost, self.press_box
        self.cancel()
        if ghost is None or box is None and mode is not Mode.CREATING:
            return None
        candidate = ghost.candidate
        if mode is Mode.MOVING and box is not None:
            if candidate.start.timestamp() != box.appointment.start.timestamp():
                return Move(box.appointment, candidate.start)
        elif mode is Mode.RESIZING and box is not None:
            if candidate.end.timestamp() != box.appointment.end.timestamp():
                return Resize(box.appointment, candidate.end)
        elif mode is Mode.CREATING:
            return Create(candidate.start, candidate.end)
        return None

    def cancel(self) -> None:
        """Forget the drag (Esc, a double click, a release): nothing is written."""
        self.mode = Mode.IDLE
        self._schedule = None
        self._set_ghost(None)

    def cursor_at(self, pos: QPoint) -> Qt.CursorShape | None:
        """The cursor over viewport `pos` with no button held (None: the default)."""
        box = self.geometry.box_at(pos)
        if box is None:
            return None
        bottom = self.geometry.to_viewport(box.rect).bottom()
        if box.segment.last and bottom - pos.y() <= EDGE_PIXELS:
            return Qt.CursorShape.SizeVerCursor
        return Qt.CursorShape.OpenHandCursor


def _same(a: Appointment, b: Appointment) -> bool:
    """The same candidate: equal, and at the same instants (== on datetimes of one zone
    ignores which of the two 01:30 of a repeated hour they are, PEP 495)."""
    return a == b and (a.start.timestamp(), a.end.timestamp()) == (
        b.start.timestamp(),
        b.end.timestamp(),
    )
