"""The layers paint the boxes where the geometry puts them, without a widget."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QObject, QRect
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from pytestqt.qtbot import QtBot

from diary.domain.model import Kind, WorkingHours
from diary.i18n import Formatter
from diary.ui import style
from diary.ui.week_view.boxes import BoxPainter, paint_sticky_titles, sticky_titles
from diary.ui.week_view.layers import GridLayers, Scene
from diary.ui.week_view.text import GridFonts

from tests.ui.week_view.parts import MONDAY, WEEK, ZONE, Viewport, at, geometry, listed


def paint(layers: GridLayers, port: Viewport, scene: Scene) -> QImage:
    image = QImage(port.size, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    layers.paint(painter, QRect(0, 0, port.size.width(), port.size.height()), scene)
    painter.end()
    return image


def test_boxes_are_painted_where_the_geometry_says(qtbot: QtBot) -> None:
    port = Viewport(width=700, height=600, scroll=8 * 60)
    items = [
        listed("survey", at(MONDAY, 9), at(MONDAY, 10)),
        listed("lunch", at(WEEK[1], 12), at(WEEK[1], 13), kind=Kind.BLOCK),
    ]
    grid = geometry(items, viewport=port)
    context = QObject()
    boxes = BoxPainter(grid, GridFonts(QFont()), Formatter("en_US", ZONE), context, lambda: None)
    layers = GridLayers(grid, boxes)
    hours = (WorkingHours(time(8), time(18)),) * 7
    scene = Scene(WEEK[2], hours, None, None, 1.0, True)
    image = paint(layers, port, scene)
    for ref, kind in (("survey", Kind.MEETING), ("lunch", Kind.BLOCK)):
        rect = grid.rect_for(ref)
        assert image.pixelColor(rect.left() + 1, rect.top() + 5) == style.kind_colour(kind)
        assert image.pixelColor(rect.right() - 6, rect.bottom() - 4) == style.fill_colour(kind)
    empty = grid.point_for(at(WEEK[4], 15, 10))
    assert image.pixelColor(empty) == QColor(style.GRID_BG)
    # Dragged: the box is faded (the stripe is lighter than the kind's colour).
    faded = paint(layers, port, Scene(WEEK[2], hours, None, "survey", 1.0, True))
    rect = grid.rect_for("survey")
    assert faded.pixelColor(rect.left() + 1, rect.top() + 5) != style.kind_colour(Kind.MEETING)


def test_the_later_days_of_a_long_appointment_keep_their_title_in_view(qtbot: QtBot) -> None:
    port = Viewport(width=700, height=600, scroll=8 * 60)  # 08:00 at the top
    trip = listed("Trade fair", at(MONDAY, 20), at(WEEK[2], 12))  # Monday 20:00 to Wednesday
    grid = geometry([trip], viewport=port)
    fonts = GridFonts(QFont())
    line = fonts.bold_metrics.height()
    grid.ensure()
    shown = {box.segment.day_index: strip for box, strip in sticky_titles(grid, line)}
    assert set(shown) == {1, 2}  # Tuesday's part and Wednesday's, both begun at midnight
    assert all(strip.top() == port.scroll for strip in shown.values())
    image = QImage(port.size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_sticky_titles(painter, grid, fonts, None)
    painter.end()
    tuesday = grid.rect_for("Trade fair")  # Monday's part; Tuesday's is one column right
    assert image.pixelColor(tuesday.left() + 100 + 1, 2) == style.kind_colour(Kind.MEETING)
