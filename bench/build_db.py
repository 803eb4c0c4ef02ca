"""Builds the benchmark diary: 100,000 appointments over five years in one SQLite file.

100,000 over five years is about 55 a day. On working days five customer meetings with
room between them; the rest are short personal blocks before and after working hours,
so every check sees a day as crowded as that count makes it, yet slots still exist.
The rows go in through the same bulk path an iCalendar import uses.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from diary.domain.model import Appointment, Kind, Location
from diary.services import DiaryService

ZONE = "Europe/London"
PLACES = 40
MEETINGS_A_DAY = 5


def _day_plan(
    day: date, rng: random.Random, blocks: int, sites: list[Location]
) -> list[tuple[int, int, Kind, Location | None]]:
    plan: list[tuple[int, int, Kind, Location | None]] = []
    if day.weekday() < 5:
        minute = 8 * 60 + 45
        for _ in range(MEETINGS_A_DAY):
            length = rng.choice((30, 45, 60))
            plan.append((minute, length, Kind.MEETING, rng.choice(sites)))
            minute += length + rng.choice((50, 60, 75))
    early = max(0, blocks - len(plan)) // 2
    late = max(0, blocks - len(plan)) - early
    plan += [(5 * 60 + i * 6, 5, Kind.BLOCK, None) for i in range(early)]
    plan += [(18 * 60 + 30 + i * 8, 5, Kind.BLOCK, None) for i in range(late)]
    return plan


def build(path: Path | str, count: int = 100_000, years: int = 5, seed: int = 7) -> float:
    """Create the diary with `count` appointments in the SQLite file `path` (made anew) or
    in the empty database at the SQLAlchemy URL `path`; returns the seconds it took."""
    if isinstance(path, Path):
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
    began = time.perf_counter()
    service = DiaryService.open(str(path), zone=ZONE)
    for i in range(PLACES):
        service.add_location(
            f"Site {i}",
            address=f"{i} High Street",
            lat=51.4 + (i % 7) * 0.02,
            lon=-0.2 + (i // 7) * 0.03,
        )
    service.set_policy("base", "Site 0")
    sites = service.locations()
    tz = ZoneInfo(ZONE)
    rng = random.Random(seed)
    days = [date(2024, 1, 1) + timedelta(days=d) for d in range(365 * years)]
    appointments = []
    for index, day in enumerate(days):
        blocks = (count - len(appointments)) // (len(days) - index)
        for minute, length, kind, site in _day_plan(day, rng, blocks, sites):
            start = datetime(day.year, day.month, day.day, tzinfo=tz) + timedelta(minutes=minute)
            end = (start.astimezone(UTC) + timedelta(minutes=length)).astimezone(tz)
            number = len(appointments)
            appointments.append(
                Appointment(
                    f"bench-{number}@diary",
                    f"Visit {number}",
                    start,
                    end,
                    ZONE,
                    kind=kind,
                    location=site,
                )
            )
    with service.store.write() as uow:
        uow.rows.insert_new(appointments[:count])
    service.close()
    return time.perf_counter() - began


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out/bench100k.sqlite3")
    target.parent.mkdir(parents=True, exist_ok=True)
    print(f"built {target} in {build(target):.1f} s")
