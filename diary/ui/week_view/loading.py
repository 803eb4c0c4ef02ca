"""The days the grid shows and their agenda, asked for through the bridge.

`shown_days` is the week (or the one day) that holds a date, from the formatter's first
weekday. `AgendaLoad` (`diary.ui.agenda_load`, shared with the month and agenda views)
asks for the agenda of the shown span and keeps only the newest answer.
"""

from __future__ import annotations

from datetime import date, timedelta

from diary.ui.agenda_load import AgendaLoad

__all__ = ["AgendaLoad", "shown_days"]


def shown_days(day: date, day_count: int, first_weekday: int) -> list[date]:
    """`day_count` days from the start of the week holding `day`, weeks starting on
    `first_weekday` (0 Monday ... 6 Sunday); `[day]` for a day count of 1."""
    if day_count == 1:
        return [day]
    offset = (day.weekday() - first_weekday) % 7
    first = day - timedelta(days=offset)
    return [first + timedelta(days=i) for i in range(day_count)]
