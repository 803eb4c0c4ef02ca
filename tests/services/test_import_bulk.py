"""An import stores its rows many to a statement: every row lands, in the list and in search.

Dates are in December 2026, after the fixture's clock (23 Nov 2026), on purpose.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from diary.services import DiaryService

TZ = ZoneInfo("Europe/London")
WORDS = ["alder", "birch", "cedar", "damson", "elder", "fir", "gorse", "hazel", "ivy", "juniper"]


def _calendar(count: int) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//diary tests//bulk//EN"]
    first = datetime(2026, 12, 1, 8)
    for number in range(count):
        start = first + timedelta(days=number // 8, hours=number % 8)
        lines += [
            "BEGIN:VEVENT",
            f"UID:bulk-{number}@test",
            "DTSTAMP:20261101T000000Z",
            f"DTSTART;TZID=Europe/London:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/London:{start + timedelta(minutes=30):%Y%m%dT%H%M%S}",
            # A word only this event has: search must find exactly it.
            f"SUMMARY:Visit {WORDS[number // 10 % 10]}{WORDS[number % 10]}",
            "END:VEVENT",
        ]
    return "\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n"


def test_more_rows_than_one_statement_holds_all_land_and_are_found(
    service: DiaryService, tmp_path: Path
) -> None:
    # 23 columns a row: 43 rows a statement; 100 rows are three statements, the last short.
    path = tmp_path / "bulk.ics"
    path.write_text(_calendar(100), encoding="utf-8")
    summary = service.calendar().import_calendar(path)
    assert summary.added == 100
    listed = service.listing(datetime(2026, 12, 1, tzinfo=TZ), datetime(2026, 12, 20, tzinfo=TZ))
    assert sorted(item.appointment.uid for item in listed) == sorted(
        f"bulk-{n}@test" for n in range(100)
    )
    for number in (0, 42, 43, 86, 99):
        word = f"{WORDS[number // 10 % 10]}{WORDS[number % 10]}"
        found = service.search(word).appointments
        assert [a.uid for a in found] == [f"bulk-{number}@test"], word
