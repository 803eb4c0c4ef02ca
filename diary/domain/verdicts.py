"""What the rules find about a snapshot: the time each appointment really occupies, each
day's reserve, and the flags (`diary.domain.rules` works them out)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from diary.domain.model import Violation


@dataclass(frozen=True, slots=True)
class Bands:
    """The time an appointment really occupies around itself."""

    travel_minutes: int
    travel_from: str | None
    wrapup_minutes: int


@dataclass(frozen=True, slots=True)
class DayReserve:
    day: date
    working_minutes: int
    free_minutes: int
    reserve_minutes: int

    @property
    def breached(self) -> bool:
        return self.free_minutes < self.reserve_minutes


@dataclass(frozen=True, slots=True)
class Evaluation:
    violations: Mapping[str, tuple[Violation, ...]]
    bands: Mapping[str, Bands]
    reserves: Mapping[date, DayReserve]

    def flags(self, ref: str) -> tuple[Violation, ...]:
        return self.violations.get(ref, ())


def refusals(violations: Iterable[Violation]) -> list[Violation]:
    """The violations that make a booking refused unless overridden."""
    return [v for v in violations if v.refusable]
