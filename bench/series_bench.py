"""Series kept as rules: a week's listing with 200 never-ending series among 10,000 events.

Run: .venv/bin/python -m bench.series_bench [--runs 15]
Prints a table of medians. Three diaries (SQLite files in bench/out/, clock fixed at
1 Dec 2026, zone Europe/London):
- plain: 10,000 single events over a year around now (about 190 a week);
- series: the same plus 200 series without end (150 weekly, 40 monthly, 10 daily
  stand-ups, starting between 2012 and 2026);
- flat: the plain events plus, as single events, exactly the series' occurrences of the
  weeks listed: the same appointments on screen, no series.
The listing of the current week (stored occurrences) and of a week three years on (no
write since: expanded from the rules in memory) is timed against listing plain (issue 12's
target: at most 1.5x) and flat (the same visible appointments, which isolates what series
cost). Each import is timed against a bare icalendar parse of the same file.

A listing is timed twice: again at the same revision (what the window does on every
refresh: the rules' verdicts are cached per revision), and cold, as after a write (nothing
cached: loaded, expanded and judged). The three diaries are listed in turn, round after
round. Each row gives the median wall-clock time and the median CPU time of this process:
on a machine shared with other work the CPU time and its ratios hold still while the wall
clock follows the load.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar

from diary.services import DiaryService
from diary.services.clock import FixedClock

OUT = Path(__file__).resolve().parent / "out"
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
ZONE = ZoneInfo("Europe/London")
WEEKS = {
    "this week": datetime(2026, 11, 30, tzinfo=ZONE),
    "in 3 years": datetime(2029, 12, 3, tzinfo=ZONE),
}


def _event(uid: str, start: datetime, minutes: int, title: str, rule: str = "") -> list[str]:
    fmt = "%Y%m%dT%H%M%S"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261101T000000Z",
        f"DTSTART;TZID=Europe/London:{start:{fmt}}",
        f"DTEND;TZID=Europe/London:{start + timedelta(minutes=minutes):{fmt}}",
        f"SUMMARY:{title}",
    ]
    if rule:
        lines.append(f"RRULE:{rule}")
    return [*lines, "END:VEVENT"]


def _calendar(events: list[list[str]]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//series//EN"]
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def singles(count: int, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    first = datetime(2026, 6, 1)
    found = []
    for number in range(count):
        day = first + timedelta(days=rng.randrange(365))
        while day.weekday() > 4:
            day += timedelta(days=1)
        start = day.replace(hour=8) + timedelta(minutes=15 * rng.randrange(36))
        found.append(_event(f"single-{number}@bench", start, rng.choice([30, 45, 60]), "Visit"))
    return found


def series(seed: int = 11) -> list[list[str]]:
    rng = random.Random(seed)
    found = []
    kinds = ["FREQ=WEEKLY"] * 150 + ["FREQ=MONTHLY"] * 40 + ["FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"] * 10
    for number, rule in enumerate(kinds):
        day = datetime(2012, 1, 2) + timedelta(days=rng.randrange(15 * 365))
        while day.weekday() > 4:
            day += timedelta(days=1)
        start = day.replace(hour=7) + timedelta(minutes=15 * rng.randrange(44))
        found.append(_event(f"series-{number}@bench", start, 30, "Regular", rule))
    return found


def _fresh(name: str) -> str:
    path = OUT / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _open(url: str) -> DiaryService:
    return DiaryService.open(url, zone="Europe/London", clock=FixedClock(NOW))


Timing = tuple[float, float]  # median seconds: wall clock, CPU time of this process


def median(
    action: Callable[[], object], runs: int, setup: Callable[[], object] | None = None
) -> Timing:
    walls, cpus = [], []
    for _ in range(runs):
        if setup is not None:
            setup()
        began, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - began)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def interleaved(
    actions: dict[str, Callable[[], object]],
    runs: int,
    setups: dict[str, Callable[[], object]] | None = None,
) -> dict[str, Timing]:
    """Median timings of `actions`, run in turn within each round: a listing takes about a
    millisecond, so a collection or another process's burst lands on one of them by chance;
    taken in turn, plain, flat and series share whatever the machine does meanwhile."""
    samples: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in actions}
    for _ in range(runs):
        for name, action in actions.items():
            if setups is not None:
                setups[name]()
            began, cpu = time.perf_counter(), time.process_time()
            action()
            samples[name][0].append(time.perf_counter() - began)
            samples[name][1].append(time.process_time() - cpu)
    return {n: (statistics.median(w), statistics.median(c)) for n, (w, c) in samples.items()}


def ratio(part: Timing, whole: Timing) -> str:
    return f"{part[0] / whole[0]:.2f}x (CPU {part[1] / whole[1]:.2f}x)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    plain_events = singles(10_000)
    series_events = series()
    files = {
        "plain": OUT / "series-bench-plain.ics",
        "series": OUT / "series-bench-series.ics",
    }
    files["plain"].write_text(_calendar(plain_events), encoding="utf-8")
    files["series"].write_text(_calendar(plain_events + series_events), encoding="utf-8")
    rows: list[tuple[str, Timing, str]] = []
    services: dict[str, DiaryService] = {}
    for name, path in files.items():
        data = path.read_bytes()
        bare = median(lambda data=data: Calendar.from_ical(data), 3)
        rows.append((f"bare icalendar parse of {name}", bare, ""))
        service = _open(_fresh(f"series-bench-{name}.sqlite3"))
        spent = median(lambda s=service, p=path: s.calendar().import_calendar(p), 1)
        rows.append(
            (
                f"import {name} ({path.stat().st_size // 1024} KB)",
                spent,
                f"{ratio(spent, bare)} bare parse",
            )
        )
        services[name] = service
    # flat: the plain events and, as single events, the series' occurrences of the weeks.
    flat = [*plain_events]
    for label, first in WEEKS.items():
        week = services["series"].listing(first, first + timedelta(days=7))
        for index, item in enumerate(i for i in week if i.appointment.series_uid):
            a = item.appointment
            minutes = int((a.end - a.start).total_seconds() // 60)
            flat.append(
                _event(
                    f"flat-{label}-{index}@bench",
                    a.start.astimezone(ZONE).replace(tzinfo=None),
                    minutes,
                    "Regular",
                )
            )
    flat_path = OUT / "series-bench-flat.ics"
    flat_path.write_text(_calendar(flat), encoding="utf-8")
    services["flat"] = _open(_fresh("series-bench-flat.sqlite3"))
    services["flat"].calendar().import_calendar(flat_path)
    try:
        for label, first in WEEKS.items():
            last = first + timedelta(days=7)
            counts = {name: len(s.listing(first, last)) for name, s in services.items()}
            for how in ("", "cold, "):
                times = interleaved(
                    {
                        name: lambda s=s, a=first, b=last: s.listing(a, b)
                        for name, s in services.items()
                    },
                    args.runs,
                    # Nothing cached, as after a write (reload is what a restore does).
                    {name: s.store.reload for name, s in services.items()} if how else None,
                )
                heading = f"week {label}: {how}"
                rows.append((f"{heading}plain ({counts['plain']} shown)", times["plain"], ""))
                rows.append((f"{heading}flat ({counts['flat']} shown)", times["flat"], ""))
                rows.append(
                    (
                        f"{heading}200 series + 10k ({counts['series']} shown)",
                        times["series"],
                        f"{ratio(times['series'], times['plain'])} plain (target <= 1.5), "
                        f"{ratio(times['series'], times['flat'])} flat",
                    )
                )
    finally:
        for service in services.values():
            service.close()
    width = max(len(name) for name, _, _ in rows)
    print(f"{'step':<{width}}  {'ms':>8}  {'CPU ms':>8}  note")
    for name, (wall, cpu), note in rows:
        print(f"{name:<{width}}  {wall * 1000:8.1f}  {cpu * 1000:8.1f}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
