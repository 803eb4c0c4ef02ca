"""Which view the window shows and which day: the mini month, the title and the step
names follow whatever moved it (an action, the mini month, a view itself)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QCalendarWidget

from diary.domain.model import Appointment
from diary.i18n import Formatter
from diary.services.clock import today
from diary.ui.accessible import Say, name_calendar
from diary.ui.week_view import TimeGridView
from diary.ui.window_views import DAY, MONTH, WEEK

if TYPE_CHECKING:
    from diary.ui.main_window import MainWindow


class Navigation:
    """The view shown (`view_name`: day, week, month or agenda) and the day shown
    (`current_date`, a local date in the window's zone) of `window`, and the mini month
    ("miniMonth") that shows and sets that day. Starts on the week of `current_date`."""

    def __init__(self, window: MainWindow, current_date: date, say: Say) -> None:
        self._window = window
        self.current_date = current_date
        self.view_name = WEEK
        self.mini_month = QCalendarWidget(window)
        self.mini_month.setObjectName("miniMonth")
        self.mini_month.setGridVisible(False)
        self.mini_month.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader
        )
        self.mini_month.clicked.connect(self._mini_month_clicked)
        name_calendar(self.mini_month, say)

    def set_view(self, name: str) -> None:
        window = self._window
        view = window.view(name)
        self.view_name = name
        window.stack.setCurrentWidget(view)
        window.view_actions[name].setChecked(True)
        window.window_actions.name_steps(name)
        self.show_date(self.current_date)
        view.setFocus()

    def show_date(self, day: date) -> None:
        """Show `day` in the current view (the mini month follows)."""
        self.current_date = day
        self._window.view(self.view_name).show_date(day)
        self._mark(day)
        self._update_title()

    def view_showed(self, name: str, day: date) -> None:
        """The view called `name` was shown `day` (the window asked, or someone asked the
        view itself): the window's place follows, so what opens the diary shows that day
        again."""
        if name != self.view_name:
            return
        self.current_date = day
        self._mark(day)
        self._update_title()

    def go_today(self) -> None:
        window = self._window
        self.show_date(today(window.clock, window.zone))

    def step(self, direction: int) -> None:
        """One step later (`direction` 1) or earlier (-1): a day, a week, to the 1st of the
        next or previous month, or four weeks in the agenda."""
        name = self.view_name
        day = self.current_date
        if name == DAY:
            day += timedelta(days=direction)
        elif name == WEEK:
            day += timedelta(days=7 * direction)
        elif name == MONTH:
            month = day.month - 1 + direction
            day = date(day.year + month // 12, month % 12 + 1, 1)
        else:
            day += timedelta(days=28 * direction)
        self.show_date(day)

    def open_day(self, day: date) -> None:
        """`day` in the day view."""
        self.current_date = day
        self.set_view(DAY)

    def show_on_day(self, day: date, ref: str | None) -> TimeGridView | None:
        """`day` in the day or week view (the week unless the day view is shown), with the
        appointment `ref` selected; returns that view."""
        if self.view_name not in (DAY, WEEK):
            self.set_view(WEEK)
        self.show_date(day)
        view = self._window.stack.currentWidget()
        if isinstance(view, TimeGridView):
            view.select(ref)
            return view
        return None

    def show_appointment(self, appointment: Appointment) -> None:
        """Show `appointment`'s day in the day or week view, with it selected."""
        local_day = self._window.formatter.local(appointment.start).date()
        view = self.show_on_day(local_day, appointment.ref)
        if view is not None:
            view.setFocus()

    def apply_locale(self, formatter: Formatter) -> None:
        """The mini month in the words and first weekday of `formatter`'s locale."""
        self.mini_month.setLocale(QLocale(formatter.locale))
        self.mini_month.setFirstDayOfWeek(Qt.DayOfWeek(formatter.first_weekday + 1))

    def _mark(self, day: date) -> None:
        self.mini_month.blockSignals(True)
        self.mini_month.setSelectedDate(QDate(day.year, day.month, day.day))
        self.mini_month.blockSignals(False)

    def _mini_month_clicked(self, value: QDate) -> None:
        self.show_date(date(value.year(), value.month(), value.day()))

    def _update_title(self) -> None:
        window = self._window
        formatter = window.formatter
        if self.view_name == DAY:
            text = formatter.date_long(self.current_date)
        elif self.view_name == WEEK:
            days = window.week_view.days
            text = f"{formatter.date_medium(days[0])} – {formatter.date_medium(days[-1])}"
        else:
            text = formatter.month_title(self.current_date)
        window.title_label.setText(text)
        window.setWindowTitle(f"diary — {text}")
