"""What every command gets: the open diary, the display zone, the clock, and input parsing.

Exit codes of the whole command line: 0 ok, 1 `check` found problems, 2 bad input
(the message names the argument), 3 refused by the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from diary.domain.limits import (
    FIRST_YEAR,
    LAST_YEAR,
    AmbiguousTime,
    NonexistentTime,
    supported,
    wall_time,
)
from diary.services.clock import Clock, today

if TYPE_CHECKING:
    import argparse

    from diary.services.service import DiaryService

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT, EXIT_REFUSED = 0, 1, 2, 3


# The window and the printer are the UI's; the composition root (`diary.__main__`) hands
# them in, so the command line never imports the UI.
# (database URL or None, display zone) -> exit code when the window closes
Window = Callable[[str | None, str], int]
# (database URL or None, view "day"|"week"|"agenda", day, output file, display zone)
Printer = Callable[[str | None, str, date, Path, str], None]


def excerpt(text: str, limit: int = 40) -> str:
    """`text` quoted for a message, cut to `limit` characters (an argument can be megabytes)."""
    if len(text) <= limit:
        return repr(text)
    return repr(text[:limit]) + f"... ({len(text)} characters)"


class BadInput(Exception):
    """Bad input found by the command line itself; the message starts with the argument."""


class Context:
    """The service (opened on first use), the display zone and the program's one clock."""

    def __init__(
        self, db: str | None, zone: str, clock: Clock, printer: Printer | None = None
    ) -> None:
        self.db = db
        self.zone = zone
        self.tz = ZoneInfo(zone)
        self.clock = clock
        self.printer = printer
        self._service: DiaryService | None = None

    @property
    def service(self) -> DiaryService:
        if self._service is None:
            # Imported here, not at the top: `diary` without a command (the window) and
            # `--help` must not wait for SQLAlchemy.
            from diary.services.service import DiaryService

            self._service = DiaryService.open(self.db, zone=self.zone, clock=self.clock)
        return self._service

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
            self._service = None

    def today(self) -> date:
        """Today in the display zone, by the program's clock."""
        return today(self.clock, self.tz)

    def show(self, moment: datetime) -> str:
        return moment.astimezone(self.tz).isoformat()

    def moment(self, text: str, argument: str) -> datetime:
        """ISO 8601 input; without an offset it is wall-clock time in the display zone.

        A wall-clock time the clocks skip, or one that happens twice (the night they go
        back), is bad input: the message says which and how to give the offset.
        """
        try:
            value = datetime.fromisoformat(text.strip())
        except ValueError:
            raise BadInput(
                f"{argument}: {excerpt(text)} is not an ISO 8601 date and time"
            ) from None
        self.check_year(value, text, argument)
        if value.tzinfo is not None:
            return value
        try:
            return wall_time(value, self.tz)
        except NonexistentTime:
            raise BadInput(
                f"{argument}: {text} does not exist in {self.zone} (the clocks change then)"
            ) from None
        except AmbiguousTime as twice:
            raise BadInput(
                f"{argument}: {text} happens twice in {self.zone} (the clocks go back then); "
                f"give the offset: {twice.first.isoformat()} is the first, "
                f"{twice.second.isoformat()} the second"
            ) from None

    def day(self, text: str, argument: str) -> date:
        try:
            value = date.fromisoformat(text.strip())
        except ValueError:
            return self.moment(text, argument).astimezone(self.tz).date()
        self.check_year(value, text, argument)
        return value

    @staticmethod
    def check_year(value: date, text: str, argument: str) -> None:
        if not supported(value):
            raise BadInput(
                f"{argument}: {excerpt(text)} is outside the years {FIRST_YEAR} to {LAST_YEAR}"
            )

    def day_start(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.tz)

    def range(self, start: str | None, stop: str | None) -> tuple[datetime, datetime]:
        """--from DATE --to DATE, both days included (a time of day is taken as given).

        Without --from the range starts today; without --to it lasts seven days.
        """
        lo = self.edge(start, "--from", end=False) if start else None
        hi = self.edge(stop, "--to", end=True) if stop else None
        if lo is None:
            lo = self.day_start(self.today())
        if hi is None:
            hi = lo + timedelta(days=7)
        if hi <= lo:
            raise BadInput("--to: must be after --from")
        return lo, hi

    def edge(self, text: str, argument: str, *, end: bool) -> datetime:
        """A --from (start of that day) or --to (start of the next day) edge."""
        try:
            day = date.fromisoformat(text.strip())
        except ValueError:
            return self.moment(text, argument)
        self.check_year(day, text, argument)
        return self.day_start(day + timedelta(days=1) if end else day)


Handler = Callable[["argparse.Namespace", Context], int]
