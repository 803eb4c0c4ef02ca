"""Clicks and keys alone: what each selects and what each asks the view to emit."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from pytestqt.qtbot import QtBot

from diary.domain.model import Policy
from diary.i18n import Formatter
from diary.services import Listed
from diary.ui.week_view.drag import Create, DragController, Mode, Move
from diary.ui.week_view.gestures import Cancel, Edit, GridGestures, GridRequest
from diary.ui.week_view.text import GridFonts

from tests.ui.week_view.parts import MONDAY, WEEK, ZONE, at, geometry, listed

NONE = Qt.KeyboardModifier.NoModifier
ALT = Qt.KeyboardModifier.AltModifier


class Owner:
    """The selection and the requests, as the view would hold and emit them."""

    def __init__(self, items: list[Listed]) -> None:
        self.selected: str | None = None
        self.asked: list[GridRequest] = []
        drag = DragController(
            geometry(items),
            GridFonts(QFont()),
            Formatter("en_US", ZONE),
            Policy(zone=ZONE),
            lambda: None,
            dict,
            lambda _dirty: None,
        )
        self.gestures = GridGestures(drag, lambda: self.selected, self.select, self.asked.append)
        self.grid = drag.geometry

    def select(self, ref: str | None) -> None:
        self.selected = ref


def test_a_press_selects_and_a_release_hands_on_the_drag(qtbot: QtBot) -> None:
    survey = listed("survey", at(MONDAY, 9), at(MONDAY, 10))
    owner = Owner([survey])
    press = owner.grid.point_for(at(MONDAY, 9, 20))
    owner.gestures.press(press, NONE)
    assert owner.selected == "survey"
    owner.gestures.drag.move(owner.grid.point_for(at(WEEK[1], 11, 20)), NONE, 4)
    owner.gestures.release()
    assert owner.asked == [Move(survey.appointment, at(WEEK[1], 11))]
    owner.gestures.press(owner.grid.point_for(at(WEEK[4], 15)), NONE)
    owner.gestures.release()  # a click on an empty slot asks nothing
    assert owner.selected == "survey" and len(owner.asked) == 1


def test_a_double_click_edits_the_box_or_asks_for_an_hour_at_the_slot(qtbot: QtBot) -> None:
    survey = listed("survey", at(MONDAY, 9), at(MONDAY, 10))
    owner = Owner([survey])
    owner.gestures.double_click(owner.grid.point_for(at(MONDAY, 9, 30)))
    assert owner.selected == "survey" and owner.asked == [Edit("survey")]
    owner.gestures.double_click(owner.grid.point_for(at(WEEK[2], 14, 40)))  # snapped down
    assert owner.asked[1] == Create(at(WEEK[2], 14, 30), at(WEEK[2], 15, 30))


def test_keys_walk_edit_cancel_and_nudge_the_selection(qtbot: QtBot) -> None:
    survey = listed("survey", at(MONDAY, 9), at(MONDAY, 10))
    later = listed("later", at(MONDAY, 14), at(MONDAY, 15))
    owner = Owner([survey, later])
    keys = owner.gestures
    assert not keys.key(Qt.Key.Key_Return, NONE)  # nothing selected: the widget's
    assert keys.key(Qt.Key.Key_Down, NONE) and owner.selected == "survey"
    assert keys.key(Qt.Key.Key_Down, NONE) and owner.selected == "later"
    assert keys.key(Qt.Key.Key_Enter, NONE)
    assert keys.key(Qt.Key.Key_Delete, NONE)
    assert keys.key(Qt.Key.Key_Down, ALT)
    assert keys.key(Qt.Key.Key_Right, ALT)
    start = later.appointment.start
    assert owner.asked == [
        Edit("later"),
        Cancel(later.appointment),
        Move(later.appointment, start + timedelta(minutes=15)),
        Move(later.appointment, at(WEEK[1], 14)),
    ]
    assert not keys.key(Qt.Key.Key_Escape, NONE)  # no drag to drop
    keys.press(owner.grid.point_for(at(MONDAY, 9, 10)), NONE)
    assert keys.key(Qt.Key.Key_Escape, NONE) and keys.drag.mode is Mode.IDLE
    assert not keys.key(Qt.Key.Key_A, NONE)
    assert len(owner.asked) == 4
