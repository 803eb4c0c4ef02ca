"""Which automatic backups to keep: the newest of each of the last days, and of the last weeks.

The usual grandfather-father-son rotation, counted over days (and ISO weeks) that HAVE a
backup rather than calendar days: an owner who does not open diary for three weeks still
finds the backups from before the break.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

DAILY = 7  # days with a backup whose newest one is kept
WEEKLY = 4  # ISO weeks with a backup whose newest one is kept


def kept(taken: Iterable[datetime], *, daily: int = DAILY, weekly: int = WEEKLY) -> set[datetime]:
    """The moments (local, aware) of the backups to keep; the others may be deleted.

    Kept: the newest backup of each of the `daily` most recent local days that have one,
    and the newest of each of the `weekly` most recent ISO weeks that have one (a week's
    newest is often also a day's: then it counts for both).
    """
    newest_of_day: dict[object, datetime] = {}
    newest_of_week: dict[object, datetime] = {}
    for moment in taken:
        day = moment.date()
        week = day.isocalendar()[:2]
        if day not in newest_of_day or moment > newest_of_day[day]:
            newest_of_day[day] = moment
        if week not in newest_of_week or moment > newest_of_week[week]:
            newest_of_week[week] = moment
    days = sorted(newest_of_day.values(), reverse=True)[:daily]
    weeks = sorted(newest_of_week.values(), reverse=True)[:weekly]
    return {*days, *weeks}
