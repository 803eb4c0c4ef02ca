"""Booking and editing from the window: Ctrl+N at the next free slot, the appointment
dialog opened and its result handed to the undoable changes, Cancel appointment."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from diary.domain.model import Appointment, later
from diary.ui.week_view import TimeGridView

if TYPE_CHECKING:
    from diary.services import Draft
    from diary.ui.appointment_dialog import AppointmentDialog
    from diary.ui.main_window import MainWindow


class AppointmentFlow:
    """Opens the appointment dialog of `window` ("appointmentDialog", kept in `dialog` while
    it is open) and books, books a series, or edits through `window.changes` (undoable).

    Nothing opens before the diary is open.
    """

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.dialog: AppointmentDialog | None = None

    def new_at_next_free_slot(self) -> None:
        """Ctrl+N: a new hour at the next slot that breaks no rule (the services' suggestion,
        the domain's next_feasible_slot), from now or from the shown day if it is later."""
        window = self._window
        if not window.bridge.is_ready:
            return
        tz = ZoneInfo(window.zone)
        day = window.current_date
        day_start = datetime(day.year, day.month, day.day, tzinfo=tz)
        after = max(window.clock(), day_start, key=lambda moment: moment.timestamp())
        length = timedelta(hours=1)
        window.bridge.call(  # the main lane: the owner is waiting for the dialog
            lambda service: service.suggest(length, after=after),
            lambda start: self._new_at(start, after, length),
        )

    def _new_at(self, start: datetime | None, after: datetime, length: timedelta) -> None:
        if start is None:  # nothing free within a year: the next quarter hour, judged live
            quarter = 15 * 60
            start = datetime.fromtimestamp(-(-after.timestamp() // quarter) * quarter, after.tzinfo)
        start = start.astimezone(ZoneInfo(self._window.zone))
        self.new(start, later(start, length))

    def new(self, start: datetime, end: datetime) -> None:
        """The dialog for a new appointment from `start` to `end` (aware datetimes)."""
        self._open_dialog(start, end, None)

    def edit(self, ref: str) -> None:
        """The dialog for the appointment `ref`: from the view shown when it holds it, else
        loaded from the diary first."""
        view = self._window.stack.currentWidget()
        listed = view.listed(ref) if isinstance(view, TimeGridView) else None
        if listed is not None:
            a = listed.appointment
            self._open_dialog(a.start, a.end, a)
            return
        self._window.bridge.call(lambda service: service.get(ref), self._edit_loaded)

    def _edit_loaded(self, appointment: Appointment) -> None:
        self._open_dialog(appointment.start, appointment.end, appointment)

    def _open_dialog(self, start: datetime, end: datetime, existing: Appointment | None) -> None:
        window = self._window
        if not window.bridge.is_ready:
            return  # no diary to book into yet (or at all)
        from diary.ui.appointment_dialog import AppointmentDialog

        dialog = AppointmentDialog(
            window, window.bridge, window.formatter, start, end, existing, clock=window.clock
        )
        dialog.submitted.connect(self._submitted)
        self.dialog = dialog
        dialog.open()
        dialog.preview()

    def _submitted(self, ref: str | None, draft: Draft) -> None:
        dialog, self.dialog = self.dialog, None
        repeat = dialog.repeat() if dialog is not None else None
        changes = self._window.changes
        if ref is None and repeat is not None:
            changes.book_series(draft, repeat)
        elif ref is None:
            changes.book(draft)
        else:
            changes.edit(ref, draft)

    def selected(self) -> Appointment | None:
        """The appointment selected in the day or week view shown, if any."""
        view = self._window.stack.currentWidget()
        if isinstance(view, TimeGridView) and view.selected:
            listed = view.listed(view.selected)
            return listed.appointment if listed else None
        return None

    def cancel_selected(self) -> None:
        appointment = self.selected()
        if appointment is not None:
            self._window.changes.cancel(appointment)
