"""Date, time and date-and-time fields that read what people type in their locale.

Each field is a line edit, a calendar button (date fields) and an error line under them.
Text that cannot be read stays as typed, the error says why, and `valid` is False (the
dialog keeps OK disabled): a value is never changed behind the owner's back. Up and Down
step the value (a day, or 15 minutes), Page Up and Page Down a week. Reading is
`diary.date_input` (babel's patterns for the locale).

The fields keep the calls the dialogs and tests used on QDateTimeEdit / QDateEdit /
QTimeEdit (`dateTime()`, `setDate()`, `timeChanged`...), in Qt's wall-clock types.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QEvent, QLocale, QObject, QPoint, Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from diary.date_input import (
    DateInputError,
    format_date_input,
    format_moment_input,
    format_time_input,
    parse_date,
    parse_moment,
    parse_time,
)
from diary.domain.limits import AmbiguousTime, NonexistentTime, wall_time
from diary.domain.model import later
from diary.i18n import Formatter, _
from diary.ui.accessible import name_calendar
from diary.ui.wrapped_label import WrappedLabel


class MissingWallTime(ValueError):
    """A wall-clock time the clocks skip in `zone` that day (the field says so)."""

    def __init__(self, wall: datetime, zone: str) -> None:
        super().__init__(f"{wall:%Y-%m-%d %H:%M} does not exist in {zone}")
        self.wall = wall
        self.zone = zone


def instants_at(wall: datetime, zone: str) -> list[datetime]:
    """The instants (in `zone`) whose wall clock reads `wall` (naive), by the domain's
    `wall_time`: none in a gap, the two of a fold (earlier first), else one."""
    tz = ZoneInfo(zone)
    try:
        return [wall_time(wall.replace(tzinfo=None), tz)]
    except NonexistentTime:
        return []
    except AmbiguousTime as both:
        return [both.first.astimezone(tz), both.second.astimezone(tz)]


ERROR_STYLE = "color: #b71c1c;"
BAD_EDIT_STYLE = "QLineEdit { border: 1px solid #b71c1c; }"
STEP_MINUTES = 15


class _TypedField(QWidget):
    """The line edit, the optional calendar button and the error line; subclasses read."""

    validity_changed = Signal(bool)

    def __init__(self, formatter: Formatter, parent: QWidget | None, *, calendar: bool) -> None:
        super().__init__(parent)
        self.formatter = formatter
        self.locale_name = formatter.locale
        self.line_edit = QLineEdit(self)
        self.line_edit.setObjectName("fieldText")
        self.line_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.error_label = WrappedLabel(self)  # the whole sentence, however long
        self.error_label.setObjectName("fieldError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        self.calendar_button: QToolButton | None = None
        self.calendar: QCalendarWidget | None = None
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.line_edit, 1)
        if calendar:
            self._add_calendar(row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        self.setFocusProxy(self.line_edit)
        self._valid = True
        self.line_edit.textEdited.connect(self._edited)
        self.line_edit.editingFinished.connect(self._finished)
        self.line_edit.installEventFilter(self)

    def _add_calendar(self, row: QHBoxLayout) -> None:
        button = QToolButton(self)
        button.setObjectName("calendarButton")
        button.setText("▾")
        button.setToolTip(_("Choose from a calendar"))
        button.setAccessibleName(_("Choose from a calendar"))
        # A popup frame, shown (not exec'd): the event loop and the worker's answers go on.
        popup = QFrame(self, Qt.WindowType.Popup)
        popup.setObjectName("calendarFrame")
        popup.setFrameShape(QFrame.Shape.StyledPanel)
        calendar = QCalendarWidget(popup)
        calendar.setObjectName("calendarPopup")
        calendar.setLocale(QLocale(self.locale_name))
        calendar.setFirstDayOfWeek(Qt.DayOfWeek(self.formatter.first_weekday + 1))
        calendar.setGridVisible(False)
        calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        name_calendar(calendar)
        layout = QVBoxLayout(popup)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(calendar)
        calendar.clicked.connect(self._calendar_chosen)
        calendar.activated.connect(self._calendar_chosen)
        button.clicked.connect(self.show_calendar)
        row.addWidget(button)
        self.calendar_button, self.calendar, self._popup = button, calendar, popup

    def show_calendar(self) -> None:
        """Open the calendar under the field, on the day it holds (Enter or a click picks)."""
        if self.calendar is None:
            return
        day = self._calendar_day()
        if day is not None:
            self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self._popup.adjustSize()
        self._popup.move(self.line_edit.mapToGlobal(QPoint(0, self.line_edit.height())))
        self._popup.show()
        self.calendar.setFocus()

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 - Qt's name
        """The name is the text field's: it is what a screen reader lands on."""
        super().setAccessibleName(name)
        self.line_edit.setAccessibleName(name)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        # A form's label names this field: hand it to the text field inside, which is what
        # takes the focus (the label's shortcut and a screen reader both go there).
        if not self.line_edit.accessibleName():
            for label in self.window().findChildren(QLabel):
                if label.buddy() is self:
                    label.setBuddy(self.line_edit)
                    self.line_edit.setAccessibleName(label.text().replace("&", ""))
                    break
        super().showEvent(event)

    # -- what subclasses provide ---------------------------------------------------

    def _read(self, text: str) -> None:
        """Take the value `text` names (raise DateInputError or MissingWallTime if none)."""
        raise NotImplementedError

    def _show(self) -> str:
        """The text of the current value."""
        raise NotImplementedError

    def _step(self, steps: int, big: bool) -> None:
        raise NotImplementedError

    def _calendar_day(self) -> date | None:
        return None

    def _set_calendar_day(self, day: date) -> None:
        raise NotImplementedError

    def _emit_changed(self) -> None:
        raise NotImplementedError

    # -- shared behaviour ------------------------------------------------------------

    @property
    def valid(self) -> bool:
        """The text names a value (else the error line says why and nothing changed)."""
        return self._valid

    @property
    def error_text(self) -> str:
        return "" if self._valid else self.error_label.text()

    def text(self) -> str:
        return self.line_edit.text()

    def _edited(self, text: str) -> None:
        try:
            self._read(text)
        except DateInputError as error:
            self._set_error(str(error))
            return
        except MissingWallTime as error:
            self._set_error(self._missing(error))
            return
        self._set_error(None)
        self._emit_changed()

    def _finished(self) -> None:
        if self._valid:
            self._refresh()  # "12/4/26 12 pm" becomes "12/4/2026 12:00 PM": the same value

    def _refresh(self) -> None:
        text = self._show()
        if self.line_edit.text() != text:
            self.line_edit.setText(text)

    def _set_error(self, message: str | None) -> None:
        valid = message is None
        self.error_label.setText(message or "")
        self.error_label.setVisible(not valid)
        self.line_edit.setStyleSheet("" if valid else BAD_EDIT_STYLE)
        self.line_edit.setAccessibleDescription(message or "")
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)

    def _missing(self, error: MissingWallTime) -> str:
        wall = error.wall
        return _("{time} does not exist on {date} in {zone}: the clocks go forward then.").format(
            time=format_time_input(wall.time(), self.locale_name),
            date=format_date_input(wall.date(), self.locale_name),
            zone=error.zone,
        )

    def _changed_from_code(self) -> None:
        """A value set by the program (or a step): shown, error cleared, announced."""
        self._refresh()
        self._set_error(None)
        self._emit_changed()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.line_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            steps = {
                Qt.Key.Key_Up: (1, False),
                Qt.Key.Key_Down: (-1, False),
                Qt.Key.Key_PageUp: (1, True),
                Qt.Key.Key_PageDown: (-1, True),
            }.get(Qt.Key(event.key()))
            if steps is not None:
                if not self._valid:
                    return True  # nothing to step from: the error stays until fixed
                self._step(*steps)
                self._changed_from_code()
                return True
        return super().eventFilter(watched, event)

    def _calendar_chosen(self, value: QDate) -> None:
        try:
            self._set_calendar_day(date(value.year(), value.month(), value.day()))
        except MissingWallTime as error:
            self._set_error(self._missing(error))
        else:
            self._changed_from_code()
        self._popup.hide()
        self.line_edit.setFocus()


class DayField(_TypedField):
    """A date: `date()` / `setDate(QDate)`, `dateChanged`; `value` is a datetime.date."""

    dateChanged = Signal(QDate)  # noqa: N815 - Qt's name

    def __init__(self, formatter: Formatter, value: date, parent: QWidget | None = None) -> None:
        super().__init__(formatter, parent, calendar=True)
        self.value = value
        self._refresh()
        self.line_edit.setPlaceholderText(format_date_input(date(2026, 12, 4), self.locale_name))

    def _read(self, text: str) -> None:
        self.value = parse_date(text, self.locale_name, default_year=self.value.year)

    def _show(self) -> str:
        return format_date_input(self.value, self.locale_name)

    def _step(self, steps: int, big: bool) -> None:
        self.value += timedelta(days=steps * (7 if big else 1))

    def _calendar_day(self) -> date | None:
        return self.value

    def _set_calendar_day(self, day: date) -> None:
        self.value = day

    def _emit_changed(self) -> None:
        self.dateChanged.emit(self.date())

    def set_value(self, value: date) -> None:
        self.value = value
        self._changed_from_code()

    def date(self) -> QDate:
        return QDate(self.value.year, self.value.month, self.value.day)

    def setDate(self, value: QDate) -> None:  # noqa: N802 - Qt's name
        self.set_value(date(value.year(), value.month(), value.day()))


class TimeField(_TypedField):
    """A time of day: `time()` / `setTime(QTime)`, `timeChanged`; `value` is a datetime.time."""

    timeChanged = Signal(QTime)  # noqa: N815 - Qt's name

    def __init__(self, formatter: Formatter, value: time, parent: QWidget | None = None) -> None:
        super().__init__(formatter, parent, calendar=False)
        self.value = value
        self._refresh()
        self.line_edit.setPlaceholderText(format_time_input(time(14, 30), self.locale_name))

    def _read(self, text: str) -> None:
        self.value = parse_time(text, self.locale_name)

    def _show(self) -> str:
        return format_time_input(self.value, self.locale_name)

    def _step(self, steps: int, big: bool) -> None:
        minutes = (self.value.hour * 60 + self.value.minute + steps * (60 if big else 15)) % 1440
        self.value = time(minutes // 60, minutes % 60)

    def _emit_changed(self) -> None:
        self.timeChanged.emit(self.time())

    def set_value(self, value: time) -> None:
        self.value = value
        self._changed_from_code()

    def time(self) -> QTime:
        return QTime(self.value.hour, self.value.minute)

    def setTime(self, value: QTime) -> None:  # noqa: N802 - Qt's name
        self.set_value(time(value.hour(), value.minute()))


class MomentField(_TypedField):
    """A date and time in the formatter's zone: `value` is an aware datetime.

    A wall time the clocks skip that day is an error ("does not exist"); one they repeat
    is the earlier of the two unless it is the value already held (so an appointment in
    the repeated hour keeps its own instant while its other fields are edited).
    `dateTime()` / `setDateTime(QDateTime)` and `dateTimeChanged` read and set the wall time.
    """

    dateTimeChanged = Signal(QDateTime)  # noqa: N815 - Qt's name

    def __init__(
        self, formatter: Formatter, value: datetime, parent: QWidget | None = None
    ) -> None:
        super().__init__(formatter, parent, calendar=True)
        self.zone = formatter.zone
        self._tz = ZoneInfo(self.zone)
        self.value = value.astimezone(self._tz)
        self._refresh()
        self.line_edit.setPlaceholderText(
            format_moment_input(datetime(2026, 12, 4, 14, 30), self.locale_name)
        )

    def _instant(self, wall: datetime) -> datetime:
        found = instants_at(wall, self.zone)
        if not found:
            raise MissingWallTime(wall, self.zone)
        for moment in found:
            if moment.timestamp() == self.value.timestamp():
                return moment
        return found[0]

    def _read(self, text: str) -> None:
        wall = parse_moment(text, self.locale_name, default_year=self.value.year)
        try:
            self.value = self._instant(wall)
        except MissingWallTime:
            raise MissingWallTime(wall, self.zone) from None

    def _show(self) -> str:
        local = self.value.astimezone(self._tz)
        text = format_moment_input(local.replace(tzinfo=None), self.locale_name)
        if len(instants_at(local.replace(tzinfo=None), self.zone)) > 1:
            text += f" {local.tzname()}"  # which of the two 01:30s
        return text

    def _edited(self, text: str) -> None:
        # "1:30 AM GMT": the zone name typed after a repeated time picks that one.
        words = text.split()
        if len(words) > 1 and words[-1].isalpha() and words[-1].isupper():
            try:
                wall = parse_moment(
                    " ".join(words[:-1]), self.locale_name, default_year=self.value.year
                )
            except DateInputError:
                pass
            else:
                picked = [m for m in instants_at(wall, self.zone) if m.tzname() == words[-1]]
                if picked:
                    self.value = picked[0]
                    self._set_error(None)
                    self._emit_changed()
                    return
        super()._edited(text)

    def _step(self, steps: int, big: bool) -> None:
        delta = timedelta(days=7 * steps) if big else timedelta(minutes=STEP_MINUTES * steps)
        if big:
            wall = self.value.replace(tzinfo=None) + delta
            try:
                self.value = self._instant(wall)
            except MissingWallTime:
                self.value = later(self.value, delta)
        else:
            self.value = later(self.value, delta)  # real minutes, across a clock change too

    def _calendar_day(self) -> date | None:
        return self.value.astimezone(self._tz).date()

    def _set_calendar_day(self, day: date) -> None:
        local = self.value.astimezone(self._tz)
        self.value = self._instant(datetime.combine(day, local.time().replace(tzinfo=None)))

    def _emit_changed(self) -> None:
        self.dateTimeChanged.emit(self.dateTime())

    def set_value(self, value: datetime) -> None:
        self.value = value.astimezone(self._tz)
        self._changed_from_code()

    def dateTime(self) -> QDateTime:  # noqa: N802 - Qt's name
        local = self.value.astimezone(self._tz)
        return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))

    def setDateTime(self, value: QDateTime) -> None:  # noqa: N802 - Qt's name
        d, t = value.date(), value.time()
        wall = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
        try:
            self.value = self._instant(wall)
        except MissingWallTime as error:
            self._set_error(self._missing(error))
            return
        self._changed_from_code()
