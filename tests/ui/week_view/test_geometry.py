"""The layout cache: rectangles, hit testing, `rect_for` and `point_for` agree."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint

from diary.ui.week_view.geometry import MIN_BOX_PX

from tests.ui.week_view.parts import MONDAY, WEEK, Viewport, at, geometry, listed


def test_a_box_runs_from_its_start_to_its_end_in_its_day_column() -> None:
    port = Viewport(width=700, height=600, scroll=8 * 60)  # 08:00 at the top
    grid = geometry([listed("a", at(WEEK[2], 9), at(WEEK[2], 10, 30))], viewport=port)
    rect = grid.rect_for("a")
    assert (rect.top(), rect.height()) == (60, 90)  # one pixel a minute
    assert rect.left() >= 200 and rect.right() < 300  # the third of seven 100-pixel columns
    assert grid.point_for(at(WEEK[2], 9)).y() == rect.top()
    assert grid.point_for(at(WEEK[2], 10, 30)).y() == rect.top() + 90
    assert grid.point_for(at(WEEK[2], 9)).x() == 250


def test_hit_testing_finds_the_box_under_the_mouse_and_nothing_beside_it() -> None:
    grid = geometry([listed("a", at(MONDAY, 9), at(MONDAY, 10))])
    inside = grid.point_for(at(MONDAY, 9, 30))
    box = grid.box_at(inside)
    assert box is not None and box.ref == "a"
    assert grid.box_at(grid.point_for(at(MONDAY, 10, 30))) is None
    assert grid.box_at(grid.point_for(at(WEEK[1], 9, 30))) is None


def test_the_scroll_moves_every_box_and_point_alike() -> None:
    port = Viewport()
    grid = geometry([listed("a", at(MONDAY, 9), at(MONDAY, 10))], viewport=port)
    before = grid.rect_for("a").top(), grid.point_for(at(MONDAY, 9)).y()
    port.scroll = 120
    after = grid.rect_for("a").top(), grid.point_for(at(MONDAY, 9)).y()
    assert (after[0] - before[0], after[1] - before[1]) == (-120, -120)


def test_bands_sit_above_and_below_their_box() -> None:
    grid = geometry([listed("a", at(MONDAY, 9), at(MONDAY, 10), travel=25, wrapup=15)])
    grid.ensure()
    box = grid.by_ref["a"][0]
    assert box.travel is not None and box.wrapup is not None
    assert (box.travel.bottom(), box.travel.height()) == (box.rect.top(), 25)
    assert (box.wrapup.top(), box.wrapup.height()) == (box.rect.bottom(), 15)


@pytest.mark.parametrize("hour_px", [20.0, 48.0])
def test_a_short_appointment_keeps_a_box_that_can_be_grabbed(hour_px: float) -> None:
    grid = geometry([listed("a", at(MONDAY, 9), at(MONDAY, 9, 5))], hour_px=hour_px)
    rect = grid.rect_for("a")
    assert rect.height() >= MIN_BOX_PX - 1
    assert grid.box_at(QPoint(rect.center())) is not None


def test_a_new_size_lays_out_again() -> None:
    port = Viewport(width=700)
    grid = geometry([listed("a", at(MONDAY, 9), at(MONDAY, 10))], viewport=port)
    narrow = grid.rect_for("a").width()
    port.size.setWidth(1400)
    grid.invalidate()
    assert grid.rect_for("a").width() > narrow * 1.9
    assert grid.point_for(at(MONDAY, 9) + timedelta(days=9)) == QPoint(-1, -1)  # not shown
