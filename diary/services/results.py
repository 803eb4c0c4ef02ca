"""What the use cases take and give back: plain values, safe to hand to any thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from diary.domain.model import Appointment, Kind, Rule, Violation

if TYPE_CHECKING:
    from diary.domain.verdicts import Bands

# What a long use case (an import, an export) reports and asks as it goes on.
Progress = Callable[[int, int], None]  # (done, total); a total of 0: not known yet
Cancelled = Callable[[], bool]  # True once the user asked to stop


class InputError(ValueError):
    """Bad input from the user: says which field (or file and line) and what is wrong."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class NotFoundError(InputError):
    """The named appointment, customer or location does not exist."""


@dataclass(frozen=True, slots=True)
class Draft:
    """An appointment as the user describes it: names instead of ids, zone optional."""

    title: str
    start: datetime
    end: datetime
    kind: Kind = Kind.MEETING
    customer: str | None = None
    location: str | None = None
    wrapup_minutes: int | None = None
    notes: str = ""
    zone: str | None = None  # None: the diary's zone


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of a change: what was (or would have been) stored and what it breaks.

    A refused change wrote nothing; `nearest` is the nearest start that breaks no rule.
    `changed_days` are the local days (diary zone) whose contents changed, for views
    that refresh only those.
    """

    appointment: Appointment | None
    violations: tuple[Violation, ...] = ()
    refused: bool = False
    nearest: datetime | None = None
    changed_days: frozenset[date] = field(default_factory=frozenset)
    before: Appointment | None = None  # the stored value before the change, for undo

    @property
    def ok(self) -> bool:
        return not self.refused


@dataclass(frozen=True, slots=True)
class Listed:
    """An appointment with its current flags and the bands it occupies around itself."""

    appointment: Appointment
    flags: tuple[Violation, ...]
    bands: Bands

    @property
    def flag_names(self) -> list[str]:
        order = list(Rule)
        return sorted({str(v.rule) for v in self.flags}, key=lambda r: order.index(Rule(r)))

    @property
    def has_error(self) -> bool:
        return any(v.refusable for v in self.flags)


@dataclass(frozen=True, slots=True)
class Repeat:
    """How a new appointment repeats, as the dialog's "Repeats" field offers it."""

    frequency: str  # "daily", "weekly" or "monthly"
    interval: int = 1  # every N days/weeks/months ("every 2 weeks")
    count: int | None = None  # stop after this many, or
    until: date | None = None  # on this local date (inclusive); neither: open-ended

    def rrule(self, zone: str = "UTC") -> str:
        """The RFC 5545 RRULE value, e.g. "FREQ=WEEKLY;INTERVAL=2".

        UNTIL is the end of the `until` day in `zone` (in UTC, as RFC 5545 wants it), so an
        evening occurrence on that day is still included west of Greenwich.
        """
        if self.frequency not in ("daily", "weekly", "monthly"):
            raise InputError("repeats", f"{self.frequency!r} is not daily, weekly or monthly")
        if self.interval < 1:
            raise InputError("repeats", "the interval must be at least 1")
        parts = [f"FREQ={self.frequency.upper()}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        elif self.until is not None:
            day_end = datetime.combine(self.until, time(23, 59, 59), ZoneInfo(zone))
            parts.append(f"UNTIL={day_end.astimezone(UTC):%Y%m%dT%H%M%SZ}")
        return ";".join(parts)
