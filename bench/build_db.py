"""Builds the benchmark diary: 100,000 appointments over five years in one SQLite file."""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, update

from diary.services import DiaryService
from diary.storage.schema import AppointmentRow, DiaryRow

ZONE = "Europe/London"
PLACES = 40


def build(path: Path, count: int = 100_000, years: int = 5, seed: int = 7) -> float:
    """Create `path` with `count` appointments; returns the seconds it took."""
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    began = time.perf_counter()
    service = DiaryService.open(str(path), zone=ZONE)
    for i in range(PLACES):
        service.add_location(f"Site {i}", address=f"{i} High Street",
                             lat=51.4 + (i % 7) * 0.02, lon=-0.2 + (i // 7) * 0.03)
    service.set_policy("base", "Site 0")
    locations = {loc.name: loc.id for loc in service.locations()}
    tz = ZoneInfo(ZONE)
    rng = random.Random(seed)
    days = [date(2024, 1, 1) + timedelta(days=d) for d in range(365 * years)]
    per_day = count // len(days)
    now = datetime.now(UTC)
    rows = []
    longest = 0
    made = 0
    # 100,000 over five years is ~55 a day: on working days six customer meetings with
    # room between them, the rest short personal blocks in the early morning and evening,
    # so every check sees a day as crowded as the data can make it.
    for day in days:
        starts: list[tuple[int, int, str, int | None]] = []
        minute = 8 * 60 + 30
        if day.weekday() < 5:
            for _ in range(6):
                length = rng.choice((30, 45, 60))
                starts.append((minute, length, "meeting", locations[f"Site {rng.randrange(PLACES)}"]))
                minute += length + rng.choice((45, 60, 75))
        blocks = (count - made) // max(1, (len(days) - days.index(day))) - len(starts)
        early = [(6 * 60 + i * 6, 5, "block", None) for i in range(max(0, blocks) // 2)]
        late = [(18 * 60 + 30 + i * 8, 5, "block", None) for i in range(max(0, blocks) - len(early))]
        for minute, length, kind, location_id in starts + early + late:
            if made >= count:
                break
            start = datetime.combine(day, datetime.min.time()).replace(tzinfo=tz) + timedelta(
                minutes=minute
            )
            start_utc = start.astimezone(UTC)
            rows.append({
                "diary_id": service.store.diary_id, "uid": f"bench-{made}@diary",
                "recurrence_key": "", "sequence": 0, "created": now, "updated": now,
                "start_utc": start_utc, "end_utc": start_utc + timedelta(minutes=length),
                "zone": ZONE, "kind": kind, "title": f"Visit {made}",
                "location_id": location_id,
                "notes": "", "cancelled": False, "is_override": False, "source": "import",
            })
            longest = max(longest, length * 60)
            made += 1
    with service.store.database.write(service.store.diary) as (session, row):
        for i in range(0, len(rows), 5000):
            session.execute(insert(AppointmentRow), rows[i : i + 5000])
        session.execute(update(DiaryRow).where(DiaryRow.id == row.id).values(
            max_span_seconds=longest))
    service.close()
    return time.perf_counter() - began


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out/bench100k.sqlite3")
    target.parent.mkdir(parents=True, exist_ok=True)
    print(f"built {target} in {build(target):.1f} s")
