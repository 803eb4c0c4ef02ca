"""A diary process to be killed: `python -m tests.robustness.kill_worker URL book|import RUN`.

`book` books one appointment after another and prints `CONFIRMED <ref>` after each commit;
`import` imports calendar files of IMPORT_EVENTS events, printing `PROGRESS` as the import
goes and `IMPORTED <uid prefix>` once each has committed. Everything printed is flushed at
once, so what the parent read before the kill was confirmed to the user.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from diary.services import DiaryService, Draft
from diary.services.clock import FixedClock

NOW = datetime(2031, 1, 6, 8, 0, tzinfo=UTC)  # far from any real date, on purpose
IMPORT_EVENTS = 1500


def calendar(prefix: str, first: datetime) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//diary soak//EN"]
    for number in range(IMPORT_EVENTS):
        start = first + timedelta(hours=number)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{prefix}-{number}",
            "DTSTAMP:20310101T000000Z",
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
            f"DTEND:{start + timedelta(minutes=30):%Y%m%dT%H%M%SZ}",
            f"SUMMARY:Imported {number}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def book(service: DiaryService, run: str) -> None:
    for number in range(100_000):
        start = NOW + timedelta(days=number, hours=3)
        outcome = service.book(
            Draft(f"{run} booking {number}", start, start + timedelta(minutes=45)),
            force=True,
            reason="soak",
        )
        assert outcome.appointment is not None
        print(f"CONFIRMED {outcome.appointment.ref}", flush=True)


def _progress(done: int, total: int) -> None:
    print("PROGRESS", flush=True)


def import_files(service: DiaryService, run: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="diary-kill-"))
    calendar_io = service.calendar()
    for number in range(1000):
        prefix = f"imp-{run}-{number}"
        path = folder / f"{prefix}.ics"
        path.write_text(calendar(prefix, NOW + timedelta(days=400 + 70 * number)))
        calendar_io.import_calendar(path, progress=_progress)
        print(f"IMPORTED {prefix}", flush=True)


def main(url: str, mode: str, run: str) -> None:
    service = DiaryService.open(url, zone="Europe/London", clock=FixedClock(NOW))
    print("READY", flush=True)
    (book if mode == "book" else import_files)(service, run)


if __name__ == "__main__":
    main(*sys.argv[1:4])
