"""Accessible names for widgets whose words a screen reader cannot find on its own.

A button, a menu item or a field in a QFormLayout is named by its text or its label; a
list, a table, a painted view or a Qt-built part (the calendar's arrows) is not. Every name
is given through `say`, which sets it now and again when the language changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton, QCalendarWidget, QSpinBox, QWidget

from diary.i18n import _

Say = Callable[[Callable[[str], object], Callable[[], str]], None]


def say_now(setter: Callable[[str], object], text: Callable[[], str]) -> None:
    """A `Say` for widgets rebuilt when the language changes: the words are set once."""
    setter(text())


def name_widget(
    widget: QWidget,
    text: Callable[[], str],
    description: Callable[[], str] | None = None,
    say: Say = say_now,
) -> None:
    """Give `widget` an accessible name (and a description, where the name is not enough)."""
    say(widget.setAccessibleName, text)
    if description is not None:
        say(widget.setAccessibleDescription, description)


def name_calendar(calendar: QCalendarWidget, say: Say = say_now) -> None:
    """The mini month and the parts Qt builds inside it (found by Qt's own object names)."""
    name_widget(calendar, lambda: _("Month calendar"), lambda: _("Choose a day to show it"), say)
    parts: tuple[tuple[type[QWidget], str, Callable[[], str]], ...] = (
        (QAbstractButton, "qt_calendar_prevmonth", lambda: _("Previous month")),
        (QAbstractButton, "qt_calendar_nextmonth", lambda: _("Next month")),
        (QSpinBox, "qt_calendar_yearedit", lambda: _("Year")),
        (QWidget, "qt_calendar_calendarview", lambda: _("Days of the month")),
    )
    for kind, object_name, text in parts:
        part = calendar.findChild(kind, object_name)
        if part is not None:
            name_widget(part, text, None, say)


def name_view(view: QWidget, kind: str, say: Say = say_now) -> None:
    """The day, week, month and agenda views, named for what they show."""
    texts: dict[str, tuple[Callable[[], str], Callable[[], str]]] = {
        "day": (lambda: _("Day view"), lambda: _("The appointments of the day, hour by hour")),
        "week": (
            lambda: _("Week view"),
            lambda: _("The appointments of the week, with travel before and wrap-up after"),
        ),
        "month": (lambda: _("Month view"), lambda: _("The appointments of the month, by day")),
        "agenda": (lambda: _("Agenda"), lambda: _("The coming appointments as a list")),
    }
    text, description = texts[kind]
    name_widget(view, text, description, say)
