"""What clicks and keys ask of the grid: a selection, or a request for the view to emit.

The view forwards its left-button presses, releases and double-clicks and its key presses
to `GridGestures`; between press and release the drag controller follows the mouse. A
press selects the box under it; a release hands on the drag's request (`Move`, `Resize`,
`Create`); a double-click asks to `Edit` the appointment under it, or to `Create` an hour
from the slot there. Arrows walk the selection, Alt+arrows ask to `Move` the selected
appointment by a slot or a day, Enter asks to `Edit` it, Delete to `Cancel` it, and Esc
drops a drag. No widget: the selection is read and set through callables and the requests
go to a callable, so the part is tested with a geometry built in memory.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from PySide6.QtCore import QPoint, Qt

from diary.domain.model import Appointment, later
from diary.ui.week_view.drag import (
    SNAP_MINUTES,
    Create,
    DragController,
    Mode,
    Move,
    Request,
    snap,
)
from diary.ui.week_view.keyboard import ARROWS, next_selection, nudged

NEW_LENGTH = timedelta(hours=1)  # what a double-click on an empty slot asks to create


@dataclass(frozen=True, slots=True)
class Edit:
    """Open the appointment `ref` for editing."""

    ref: str


@dataclass(frozen=True, slots=True)
class Cancel:
    """Cancel `appointment` (the owner confirms elsewhere)."""

    appointment: Appointment


GridRequest = Request | Edit | Cancel


class GridGestures:
    """One grid's clicks and keys, over `drag` and the geometry it drags on.

    `selected` gives the ref of the selected appointment (None: nothing selected),
    `select` selects one (or nothing), `ask` is handed each request.
    """

    def __init__(
        self,
        drag: DragController,
        selected: Callable[[], str | None],
        select: Callable[[str | None], None],
        ask: Callable[[GridRequest], None],
    ) -> None:
        self.drag = drag
        self._selected = selected
        self._select = select
        self._ask = ask

    def press(self, pos: QPoint, modifiers: Qt.KeyboardModifier) -> None:
        """The left button went down at viewport `pos`: the box there, if any, is selected."""
        box = self.drag.press(pos, modifiers)
        if box is not None:
            self._select(box.ref)

    def release(self) -> None:
        """The left button came up: the drag's request, if it makes one, is asked."""
        request = self.drag.release()
        if request is not None:
            self._ask(request)

    def double_click(self, pos: QPoint) -> None:
        """A left double-click at viewport `pos`: edit the appointment there, else create
        an hour from the slot (snapped down) there."""
        self.drag.cancel()
        grid = self.drag.geometry
        box = grid.box_at(pos)
        if box is not None:
            self._select(box.ref)
            self._ask(Edit(box.ref))
            return
        day = grid.axis.days[grid.day_index_at(pos.x())]
        minutes = snap(grid.minutes_at(pos.y()), SNAP_MINUTES, math.floor)
        start = grid.axis.moment_at(day, minutes)
        self._ask(Create(start, later(start, NEW_LENGTH)))

    def key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        """A key went down; False when it is not one of the grid's (the widget's then)."""
        selected = self._selected()
        if key == Qt.Key.Key_Escape and self.drag.mode is not Mode.IDLE:
            self.drag.cancel()
        elif key in ARROWS and bool(modifiers & Qt.KeyboardModifier.AltModifier):
            self._nudge(selected, key)
        elif key in ARROWS:
            ref = next_selection(self.drag.geometry.ordered(), selected, key)
            if ref is not None:
                self._select(ref)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and selected:
            self._ask(Edit(selected))
        elif key == Qt.Key.Key_Delete and selected:
            listed = self.drag.geometry.listed(selected)
            if listed is not None:
                self._ask(Cancel(listed.appointment))
        else:
            return False
        return True

    def _nudge(self, selected: str | None, key: int) -> None:
        """Alt+arrow: move the selected appointment by a slot (up/down) or a day (left/right)."""
        grid = self.drag.geometry
        listed = grid.listed(selected) if selected else None
        if listed is not None:
            target = nudged(listed.appointment, key, grid.axis.tz, SNAP_MINUTES)
            self._ask(Move(listed.appointment, target))
