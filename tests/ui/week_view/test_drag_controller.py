"""The drag controller alone: press, move, release give what a drop stores."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QFont
from pytestqt.qtbot import QtBot

from diary.domain.model import Policy
from diary.i18n import Formatter
from diary.services import Listed
from diary.ui.week_view.drag import Create, DragController, Mode, Move, Resize
from diary.ui.week_view.text import GridFonts

from tests.ui.week_view.parts import MONDAY, WEEK, ZONE, at, geometry, listed

NONE = Qt.KeyboardModifier.NoModifier


def controller(qtbot: QtBot, items: list[Listed]) -> tuple[DragController, list[QRectF]]:
    repainted: list[QRectF] = []
    grid = geometry(items)
    drag = DragController(
        grid,
        GridFonts(QFont()),
        Formatter("en_US", ZONE),
        Policy(zone=ZONE),
        lambda: None,
        dict,
        repainted.append,
    )
    return drag, repainted


def test_a_move_asks_to_move_by_what_the_mouse_moved(qtbot: QtBot) -> None:
    survey = listed("survey", at(MONDAY, 9), at(MONDAY, 10))
    drag, repainted = controller(qtbot, [survey])
    grid = drag.geometry
    press = grid.point_for(at(MONDAY, 9, 20))  # grabbed 20 minutes into the box
    assert drag.press(press, NONE) is not None and drag.mode is Mode.PRESSED
    drop = grid.point_for(at(WEEK[2], 14, 20))
    drag.move(drop, NONE, start_distance=4)
    assert drag.mode is Mode.MOVING and drag.ghost is not None
    assert drag.ghost.candidate.start == at(WEEK[2], 14)
    assert drag.dragged == "survey" and repainted
    request = drag.release()
    assert request == Move(survey.appointment, at(WEEK[2], 14))
    assert drag.ghost is None and drag.mode is Mode.IDLE


def test_the_bottom_edge_resizes_and_an_empty_spot_draws_a_new_one(qtbot: QtBot) -> None:
    survey = listed("survey", at(MONDAY, 9), at(MONDAY, 10))
    drag, _ = controller(qtbot, [survey])
    grid = drag.geometry
    edge = QPoint(grid.point_for(at(MONDAY, 9)).x(), grid.rect_for("survey").bottom() - 2)
    drag.press(edge, NONE)
    drag.move(QPoint(edge.x(), grid.point_for(at(MONDAY, 11, 5)).y()), NONE, 4)
    assert drag.mode is Mode.RESIZING
    assert drag.release() == Resize(survey.appointment, at(MONDAY, 11))
    drag.press(grid.point_for(at(WEEK[3], 13, 10)), NONE)  # snapped down to 13:00
    drag.move(grid.point_for(at(WEEK[3], 14, 50)), NONE, 4)  # snapped up to 15:00
    assert drag.release() == Create(at(WEEK[3], 13), at(WEEK[3], 15))


def test_a_short_move_or_a_cancel_asks_for_nothing(qtbot: QtBot) -> None:
    survey = listed("survey", at(MONDAY, 9), at(MONDAY, 10))
    drag, _ = controller(qtbot, [survey])
    press = drag.geometry.point_for(at(MONDAY, 9, 30))
    drag.press(press, NONE)
    drag.move(press + QPoint(1, 1), NONE, 4)
    assert drag.ghost is None and drag.release() is None
    drag.press(press, NONE)
    drag.move(drag.geometry.point_for(at(MONDAY, 15)), NONE, 4)
    drag.cancel()
    assert drag.ghost is None and drag.release() is None


def test_shift_snaps_to_five_minutes(qtbot: QtBot) -> None:
    survey = listed("survey", at(MONDAY, 9), at(MONDAY, 10))
    drag, _ = controller(qtbot, [survey])
    grid = drag.geometry
    drag.press(grid.point_for(at(MONDAY, 9)), NONE)
    shift = Qt.KeyboardModifier.ShiftModifier
    drag.move(grid.point_for(at(MONDAY, 11, 5)), shift, 4)
    assert drag.release() == Move(survey.appointment, at(MONDAY, 11, 5))
