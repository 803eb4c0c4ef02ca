"""Read-side cache of each day's appointments, valid for one revision of the diary.

Every write transaction raises the diary's revision, so a reader asks one tiny question
("which revision is it?") and reuses the days it already loaded while nothing changed:
the live verdict while typing or dragging then costs no range query at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from diary.domain.days import day_bounds, local_days
from diary.domain.model import Appointment, Location, Policy
from diary.domain.travel import TravelTable

MAX_DAYS = 400
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Settings:
    policy: Policy
    travel: TravelTable
    base: Location | None


class NeighbourCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._revision: int | None = None
        self._settings: Settings | None = None
        self._days: dict[date, list[Appointment]] = {}
        self._snapshots: dict[tuple[float, float], object] = {}

    def snapshot(self, revision: int, lo: datetime, hi: datetime, build: Callable[[], T]) -> T:
        """A built snapshot of [lo, hi) (rules' working state included), reused as is."""
        key = (lo.timestamp(), hi.timestamp())
        with self._lock:
            self._at(revision)
            found = self._snapshots.get(key)
        if found is not None:
            return found  # type: ignore[return-value]
        built = build()
        with self._lock:
            if self._revision == revision:
                if len(self._snapshots) > MAX_DAYS:
                    self._snapshots.clear()
                self._snapshots[key] = built
        return built

    def settings(self, revision: int, load: Callable[[], Settings]) -> Settings:
        with self._lock:
            self._at(revision)
            if self._settings is None:
                self._settings = load()
            return self._settings

    def appointments(
        self,
        revision: int,
        zone: str,
        lo: datetime,
        hi: datetime,
        load: Callable[[datetime, datetime], list[Appointment]],
    ) -> list[Appointment]:
        """Appointments overlapping [lo, hi), a range of whole local days in `zone`."""
        days = local_days(lo, hi, zone)
        with self._lock:
            self._at(revision)
            missing = [d for d in days if d not in self._days]
        if missing:
            start, stop = day_bounds(missing[0], zone)[0], day_bounds(missing[-1], zone)[1]
            loaded = load(start, stop)
            per_day: dict[date, list[Appointment]] = {d: [] for d in missing}
            for a in loaded:
                # Clipped to what was loaded: an appointment may run for years (to 2200).
                first = max(a.start, start)
                for d in local_days(first, max(first, min(a.end, stop)), zone):
                    if d in per_day:
                        per_day[d].append(a)
            with self._lock:
                if self._revision == revision:
                    if len(self._days) > MAX_DAYS:
                        self._days.clear()
                    self._days.update(per_day)
        else:
            per_day = {}
        found: dict[str, Appointment] = {}
        with self._lock:
            for d in days:
                for a in per_day.get(d) or self._days.get(d) or ():
                    found[a.ref] = a
        return list(found.values())

    def _at(self, revision: int) -> None:
        if revision != self._revision:
            self._revision = revision
            self._settings = None
            self._days = {}
            self._snapshots = {}


def whole_days(lo: datetime, hi: datetime, zone: str) -> bool:
    """Whether [lo, hi) starts and ends at local midnights (what the cache keeps)."""
    days = local_days(lo, hi, zone)
    return (
        day_bounds(days[0], zone)[0].timestamp() == lo.timestamp()
        and day_bounds(days[-1], zone)[1].timestamp() == hi.timestamp()
    )
