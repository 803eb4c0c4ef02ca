"""The window's views by name (day, week, month, agenda) in one stack."""

from __future__ import annotations

import functools
from datetime import date
from typing import TYPE_CHECKING, Union

from PySide6.QtWidgets import QStackedWidget, QWidget

from diary.domain.model import Policy
from diary.i18n import Formatter
from diary.ui.accessible import Say, name_view
from diary.ui.week_view import TimeGridView

if TYPE_CHECKING:
    from diary.ui.agenda_view import AgendaView
    from diary.ui.main_window import MainWindow
    from diary.ui.month_view import MonthView

DAY, WEEK, MONTH, AGENDA = "day", "week", "month", "agenda"

View = Union["TimeGridView", "MonthView", "AgendaView"]


class WindowViews:
    """Each view of `window` in `stack`, found by its object name ("dayView", "weekView",
    "monthView", "agendaView"); a view loads only when shown.

    A view's requests go to the window: create and edit to its appointment flow, move,
    resize and cancel to its undoable changes, the day it shows to its navigation.
    """

    def __init__(self, window: MainWindow, say: Say) -> None:
        self._window = window
        self._say = say
        self.stack = QStackedWidget(window)
        self._views: dict[str, View] = {}

    def view(self, name: str) -> View:
        """The view called `name` (day, week, month, agenda), built on first use.

        Raises KeyError for any other name."""
        view = self._views.get(name)
        if view is not None:
            return view
        window = self._window
        if name in (DAY, WEEK):
            return self.grid(name)
        if name == MONTH:
            from diary.ui.month_view import MonthView

            month = MonthView(window.bridge, window.formatter, window, clock=window.clock)
            name_view(month, MONTH, self._say)
            month.day_activated.connect(self._open_day)
            return self._add(MONTH, month)
        if name == AGENDA:
            from diary.ui.agenda_view import AgendaView

            agenda = AgendaView(window.bridge, window.formatter, window, clock=window.clock)
            name_view(agenda, AGENDA, self._say)
            agenda.edit_requested.connect(window.edit_appointment)
            return self._add(AGENDA, agenda)
        raise KeyError(name)

    def grid(self, name: str) -> TimeGridView:
        """The day (one column) or week (seven) view, built now."""
        window = self._window
        days = 7 if name == WEEK else 1
        grid = TimeGridView(
            window.bridge, window.formatter, window.policy, days, window, clock=window.clock
        )
        grid.setObjectName(f"{name}View")
        name_view(grid, name, self._say)
        grid.date_changed.connect(functools.partial(self._showed, name))
        grid.create_requested.connect(window.new_appointment)
        grid.edit_requested.connect(window.edit_appointment)
        grid.move_requested.connect(window.changes.move)
        grid.resize_requested.connect(window.changes.resize)
        grid.cancel_requested.connect(window.changes.cancel)
        self._add(name, grid)
        return grid

    # The views are built before the window's navigation (its mini month follows them in the
    # Tab order), so they reach it only when they signal.

    def _showed(self, name: str, day: date) -> None:
        self._window.navigation.view_showed(name, day)

    def _open_day(self, day: date) -> None:
        self._window.navigation.open_day(day)

    def _add(self, name: str, view: View) -> View:
        self._views[name] = view
        self.stack.addWidget(view)
        return view

    def titles(self) -> dict[str, str]:
        """The titles of the appointments the day and week views hold, by reference (the
        undo stack names its steps with them)."""
        titles: dict[str, str] = {}
        for name in (DAY, WEEK):
            grid = self._views.get(name)
            if isinstance(grid, TimeGridView):
                titles.update(grid.titles())
        return titles

    def set_policy(self, policy: Policy, formatter: Formatter) -> None:
        """New formats (and for the day and week views the working hours and buffers of
        `policy`) for every view built, each painted again now."""
        for view in self._views.values():
            if isinstance(view, TimeGridView):
                view.set_policy(policy, formatter)
            else:
                view.set_formatter(formatter)
            # Their hours, day names and badges are painted: every part paints again now,
            # not when next scrolled or navigated.
            for part in view.findChildren(QWidget):
                part.update()
