"""The header and the gutter alone: their words in the locale, the header's height."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from diary.domain.model import Kind
from diary.i18n import Formatter
from diary.ui.week_view.gutter import TimeGutter
from diary.ui.week_view.header import DayHeader
from diary.ui.week_view.text import GridFonts

from tests.ui.week_view.parts import MONDAY, WEEK, ZONE, at, geometry, listed


@pytest.mark.parametrize(
    ("locale", "first", "two"), [("en_US", "Mon, 3/1", "2:00 AM"), ("de_DE", "Mo., 1.3.", "02:00")]
)
def test_day_names_and_hour_labels_follow_the_locale(
    qtbot: QtBot, locale: str, first: str, two: str
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    fonts, formatter = GridFonts(QFont()), Formatter(locale, ZONE)
    header = DayHeader(parent, fonts, formatter, 64, lambda: 100.0, lambda: MONDAY)
    header.content.days = list(WEEK)
    assert header.labels()[0] == first
    gutter = TimeGutter(parent, geometry([]), fonts, formatter)
    assert gutter.labels()[2] == (120.0, two)
    assert len(gutter.labels()) == 24


def test_the_header_grows_a_row_per_all_day_appointment(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    header = DayHeader(
        parent, GridFonts(QFont()), Formatter("en_US", ZONE), 64, lambda: 100.0, lambda: MONDAY
    )
    header.content.days = list(WEEK)
    one_row = header.wanted_height()
    holidays = [listed(f"h{i}", at(MONDAY, 0), at(WEEK[1], 0), kind=Kind.ALL_DAY) for i in range(3)]
    header.content.all_day = [holidays] + [[] for _ in WEEK[1:]]
    assert header.wanted_height() > one_row
    header.resize(764, header.wanted_height())
    header.grab()  # paints the chips
