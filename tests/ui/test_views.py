"""Locale strings, item models, month and agenda views, the flagged list, printing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListView
from pytestqt.qtbot import QtBot

from diary.domain.model import Kind
from diary.i18n import Formatter
from diary.services import DiaryService, Draft
from diary.ui import style
from diary.ui.main_window import AGENDA, MONTH, MainWindow
from diary.ui.models import AgendaModel, FlaggedModel
from diary.ui.printing import render_view
from diary.ui.week_view import layers

from tests.ui.conftest import MONDAY, TZ, ZONE, Seed, at, find_dialog, settle

LOCALE_CASES = [
    ("en_US", "Mon, 11/23", "2:40 PM", 6, "November 2026"),
    ("de_DE", "Mo., 23.11.", "14:40", 0, "November 2026"),
    ("fr_FR", "lun. 23/11", "14:40", 0, "novembre 2026"),
]


@pytest.mark.parametrize(("locale", "header", "clock", "first", "month"), LOCALE_CASES)
def test_formatter_follows_the_locale(
    locale: str, header: str, clock: str, first: int, month: str
) -> None:
    formatter = Formatter(locale, ZONE)
    day = date(2026, 11, 23)
    assert formatter.day_header(day) == header
    assert formatter.time(datetime(2026, 11, 23, 14, 40, tzinfo=TZ)) == clock
    assert formatter.first_weekday == first
    assert formatter.month_title(day) == month


@pytest.mark.parametrize(
    ("locale", "headers", "label"),
    [
        ("en_US", ["Sun, 2/28", "Mon, 3/1"], "2:00 PM"),
        ("de_DE", ["Mo., 1.3.", "Di., 2.3."], "14:00"),
        ("fr_FR", ["lun. 01/03", "mar. 02/03"], "14:00"),
    ],
)
def test_week_header_and_time_labels_in_each_locale(
    qtbot: QtBot, window: MainWindow, locale: str, headers: list[str], label: str
) -> None:
    policy = window.policy
    from dataclasses import replace

    window.apply_policy(replace(policy, locale=locale))
    settle(qtbot, window)
    assert window.week_view.header_labels()[:2] == headers
    assert window.week_view.hour_label(14) == label


def test_models_pass_the_model_tester(
    qtmodeltester: object, window: MainWindow, qtbot: QtBot
) -> None:
    items = list(window.week_view.agenda.items) if window.week_view.agenda else []
    assert items
    agenda = AgendaModel(window.formatter)
    agenda.set_items(items)
    qtmodeltester.check(agenda)  # type: ignore[attr-defined]
    assert agenda.day_count() == 2
    flagged = FlaggedModel(window.formatter)
    flagged.set_items(items)
    qtmodeltester.check(flagged)  # type: ignore[attr-defined]
    qtmodeltester.check(window.agenda_view.agenda_model)  # type: ignore[attr-defined]
    qtmodeltester.check(window.flagged_model)  # type: ignore[attr-defined]


def test_month_and_agenda_views(qtbot: QtBot, window: MainWindow) -> None:
    window.set_view(MONTH)
    window.show_date(MONDAY)
    qtbot.waitUntil(lambda: not window.month_view.loading)
    assert [i.appointment.title for i in window.month_view.items_on(MONDAY)] == [
        "Kitchen survey",
        "Bathroom quote",
    ]
    window.month_view.grab()
    window.set_view(AGENDA)
    window.show_date(MONDAY)
    qtbot.waitUntil(lambda: not window.agenda_view.loading)
    model = window.agenda_view.agenda_model
    assert model.day_count() == 2
    first = model.index(0, 0)
    assert model.index(0, 1, first).data() == "Kitchen survey"


def test_flagged_list_and_status_bar(
    qtbot: QtBot, window: MainWindow, seed: Seed, service: DiaryService
) -> None:
    tuesday = MONDAY + timedelta(days=1)
    window.changes.book(Draft("Emergency", at(tuesday, 12, 30), at(tuesday, 13, 30)))
    qtbot.waitUntil(lambda: window.changes.dialog is not None)
    window.changes.dialog._answer(  # noqa: SLF001 - the override path is clicked in test_drag
        __import__("diary.ui.refusal", fromlist=["Answer"]).Answer.OVERRIDE, "burst pipe"
    )
    qtbot.waitUntil(lambda: window.flagged_model.rowCount() == 2)
    assert window.conflicts_label.text() == "2 open conflicts"
    flagged = window.findChild(QListView, "flaggedList")
    window.set_view(MONTH)
    index = flagged.model().index(0, 0)
    flagged.clicked.emit(index)
    assert window.current_view_name == "week"
    assert window.week_view.selected == index.data(Qt.ItemDataRole.UserRole + 1)


@pytest.mark.parametrize("layer", ["whole day", "viewport"])
def test_painted_boxes_follow_the_scroll(
    window: MainWindow, seed: Seed, monkeypatch: pytest.MonkeyPatch, layer: str
) -> None:
    """What is painted moves with the scroll: the survey's stripe is where rect_for says
    once scrolled into view (first painted out of view), and after another scroll. The day
    is painted once into a layer and copied at the scroll position, or, where that layer
    would be too big, into one the viewport's size, painted for the scroll position."""
    if layer == "viewport":
        monkeypatch.setattr(layers, "MAX_LAYER_HEIGHT", 100)
    view = window.week_view
    view.zoom(1.5)  # a new layout: painted again, with the patched limit
    bar = view.verticalScrollBar()
    kind = style.kind_colour(Kind.MEETING)
    box = view.rect_for(seed.survey)
    top, bottom = box.top() + bar.value(), box.bottom() + bar.value()  # in the content

    def stripe() -> QColor:
        """The colour inside the survey's stripe, below its rounded corner, as painted."""
        rect = view.rect_for(seed.survey)
        image = view.viewport().grab().toImage()
        ratio = image.devicePixelRatio()
        return image.pixelColor(int((rect.left() + 1) * ratio), int((rect.top() + 3) * ratio))

    for value in (bottom + 40, top - 40, top - 100):
        assert 0 <= value <= bar.maximum()
        bar.setValue(value)
        rect = view.rect_for(seed.survey)
        assert rect.top() == top - value
        if rect.bottom() < 0:
            view.viewport().grab()  # painted with the survey out of view
        else:
            assert stripe() == kind


def test_opening_a_dock_keeps_the_time_at_the_top_of_the_grid(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.week_view
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + view.point_for(at(MONDAY, 10)).y())  # 10:00 at the top

    def time_at_top() -> float:
        nine, ten = view.point_for(at(MONDAY, 9)).y(), view.point_for(at(MONDAY, 10)).y()
        return 9 * 60 - nine * 60 / (ten - nine)

    before, height = time_at_top(), view.viewport().height()
    window.show_panel(window.customers_dock)  # docked below the grid: a lower viewport
    qtbot.waitUntil(lambda: view.viewport().height() < height - 50)
    assert time_at_top() == pytest.approx(before, abs=1.5)
    assert before == pytest.approx(10 * 60, abs=1.5)


def test_zoom_with_ctrl_wheel(window: MainWindow) -> None:
    view = window.week_view
    before = view.hour_px
    view.zoom(1.5)
    assert view.hour_px == pytest.approx(before * 1.5)


@pytest.mark.parametrize("view", ["day", "week", "agenda"])
def test_print_renders_png_and_pdf(seed: Seed, tmp_path: Path, view: str) -> None:
    png = tmp_path / f"{view}.png"
    pdf = tmp_path / f"{view}.pdf"
    render_view(seed.url, view, MONDAY, png, ZONE)
    render_view(seed.url, view, MONDAY, pdf, ZONE)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_menus_and_buttons_follow_the_locale_chosen_in_settings(
    qtbot: QtBot, window: MainWindow
) -> None:
    from PySide6.QtWidgets import QComboBox, QDialog, QMenu

    window.settings_action.trigger()
    qtbot.waitUntil(lambda: find_dialog("settingsDialog") is not None)
    dialog = find_dialog("settingsDialog")
    assert isinstance(dialog, QDialog)
    combo = dialog.findChild(QComboBox, "localeCombo")
    assert combo is not None
    combo.setCurrentIndex(combo.findData("de_DE"))
    dialog.accept()
    qtbot.waitUntil(lambda: window.service.policy().locale == "de_DE")
    qtbot.waitUntil(lambda: window.today_action.text() == "Heute")
    file_menu = window.findChild(QMenu, "fileMenu")
    assert file_menu is not None and file_menu.title() == "&Datei"
    assert window.view_actions["week"].text() == "Woche"
    assert window.customers_dock.windowTitle() == "Kunden"
    assert window.undo_action.text().startswith("Rückgängig")
    assert window.week_view.header_labels()[0] == "Mo., 1.3."
