"""iCalendar benchmark: import and export of 10,000 events against bare icalendar and khal.

Run: .venv/bin/python bench/ical_bench.py [--events 10000] [--runs 3] [--khal-runs 1] [--no-khal]
Prints a table of medians. The generated file and databases go to bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from diary.services import DiaryService
from diary.services.calendar_io import CalendarIO

OUT = Path(__file__).resolve().parent / "out"
GENERATOR = Path(__file__).resolve().parent / "workload" / "gen_ics.py"
KHAL_VENV = Path("/tmp/diary-bench-khal")
NOW = datetime(2025, 6, 1, tzinfo=UTC)
KHAL_README_SECONDS = 91.0


Timing = tuple[float, float]  # median seconds: wall clock, CPU time of this process


def median_time(
    action: Callable[[], object], runs: int, setup: Callable[[], None] | None = None
) -> Timing:
    """Median wall-clock and CPU time: on a machine shared with other work the CPU time and
    its ratios hold still while the wall clock follows the load."""
    walls, cpus = [], []
    for _ in range(runs):
        if setup is not None:
            setup()
        start, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def ratio(part: Timing, whole: Timing) -> str:
    return f"{part[0] / whole[0]:.2f}x (CPU {part[1] / whole[1]:.2f}x)"


def fresh_db(name: str) -> str:
    path = OUT / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def diary_import(ics: Path) -> None:
    service = DiaryService.open(fresh_db("import.sqlite3"), zone="Europe/London", clock=lambda: NOW)
    try:
        CalendarIO(service.store).import_calendar(ics)
    finally:
        service.close()


def khal_binary() -> Path | None:
    found = shutil.which("khal")
    if found:
        return Path(found)
    binary = KHAL_VENV / "bin" / "khal"
    if not binary.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", str(KHAL_VENV)], check=True)
            subprocess.run([str(KHAL_VENV / "bin" / "pip"), "install", "-q", "khal"], check=True)
        except (OSError, subprocess.CalledProcessError):
            return None
    return binary if binary.exists() else None


def khal_import(binary: Path, ics: Path) -> None:
    home = OUT / "khal"
    shutil.rmtree(home, ignore_errors=True)
    (home / "cal").mkdir(parents=True)
    config = home / "config"
    config.write_text(
        f"[calendars]\n[[bench]]\npath = {home / 'cal'}\n"
        f"[locale]\nlocal_timezone = Europe/London\ndefault_timezone = Europe/London\n"
        f"[sqlite]\npath = {home / 'khal.db'}\n"
    )
    subprocess.run(
        [str(binary), "-c", str(config), "import", "--batch", "-a", "bench", str(ics)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def bare_export(service: DiaryService) -> bytes:
    """The same appointments as bare icalendar VEVENTs (with an alarm), serialised."""
    start, end = datetime(2020, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC)
    with service.store.read() as uow:
        appointments = uow.appointments.overlapping(start, end)
    calendar = Calendar()
    calendar.add("PRODID", "-//bench//EN")
    calendar.add("VERSION", "2.0")
    for a in appointments:
        event = Event()
        event.add("UID", a.ref)
        event.add("DTSTAMP", NOW)
        event.add("DTSTART", a.start)
        event.add("DTEND", a.end)
        event.add("SUMMARY", a.title)
        event.add("SEQUENCE", a.sequence)
        if a.location:
            event.add("LOCATION", a.location.label)
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", a.title)
        alarm.add("TRIGGER", -timedelta(minutes=10))
        event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--khal-runs", type=int, default=1)
    parser.add_argument("--no-khal", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    ics = OUT / f"events-{args.events}.ics"
    if not ics.exists():
        subprocess.run(
            [sys.executable, str(GENERATOR), str(args.events), str(ics), "--seed", "42"], check=True
        )
    data = ics.read_bytes()
    rows: list[tuple[str, Timing, str]] = []
    bare_parse = median_time(lambda: Calendar.from_ical(data), args.runs)
    rows.append(("bare icalendar.Calendar.from_ical", bare_parse, ""))
    ours = median_time(lambda: diary_import(ics), args.runs)
    rows.append(("diary import (SQLite)", ours, f"{ratio(ours, bare_parse)} bare (target <= 1.5)"))
    if args.no_khal or (binary := khal_binary()) is None:
        readme = (KHAL_README_SECONDS, float("nan"))
        rows.append(("khal import --batch", readme, "README figure, NOT MEASURED"))
    else:
        # khal runs in a child process: only the wall clock says what it took.
        khal = median_time(lambda: khal_import(binary, ics), args.khal_runs)
        note = f"diary is {khal[0] / ours[0]:.1f}x faster (target >= 5)"
        rows.append(("khal import --batch", khal, note))
    service = DiaryService.open(fresh_db("export.sqlite3"), zone="Europe/London", clock=lambda: NOW)
    try:
        CalendarIO(service.store).import_calendar(ics)
        bare_out = median_time(lambda: bare_export(service), args.runs)
        rows.append(("bare icalendar serialisation", bare_out, ""))
        target = OUT / "export.ics"
        io = CalendarIO(service.store)
        lo = datetime(2020, 1, 1, tzinfo=UTC)
        for label, buffers in (("diary export", True), ("diary export --no-buffers", False)):
            spent = median_time(
                lambda b=buffers: io.export_calendar(target, lo, buffers=b), args.runs
            )
            rows.append((label, spent, f"{ratio(spent, bare_out)} bare (target <= 1.5)"))
    finally:
        service.close()
    width = max(len(name) for name, _, _ in rows)
    print(f"{'step':<{width}}  {'seconds':>8}  {'CPU s':>8}  note")
    for name, (wall, cpu), note in rows:
        print(f"{name:<{width}}  {wall:8.2f}  {cpu:8.2f}  {note}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TZ", "Europe/London")
    raise SystemExit(main())
