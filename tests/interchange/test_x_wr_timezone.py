"""X-WR-TIMEZONE (Google's calendar zone) moves UTC and floating times into that zone, and
leaves times that name their own zone where they are, whether or not anything else in the
file needed moving."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from diary.interchange.ics_import import parse_calendar

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def _file(*events: tuple[str, str]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//diary tests//xwr//EN"]
    lines.append("X-WR-TIMEZONE:Europe/Berlin")
    for uid, start in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20250101T000000Z",
            start,
            "DURATION:PT1H",
            "SUMMARY:Visit",
            "END:VEVENT",
        ]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def _starts(data: bytes) -> dict[str, tuple[datetime, str]]:
    parsed = parse_calendar(data, source="xwr.ics", default_zone="Europe/London")
    return {event.uid: (event.start, event.zone) for event in parsed.events}


def test_zoned_times_stay_in_their_zone_when_nothing_needs_moving() -> None:
    found = _starts(_file(("ny", "DTSTART;TZID=America/New_York:20250312T090000")))
    assert found["ny"] == (datetime(2025, 3, 12, 9, tzinfo=NEW_YORK), "America/New_York")


def test_utc_and_floating_times_move_and_zoned_ones_stay_in_one_file() -> None:
    found = _starts(
        _file(
            ("ny", "DTSTART;TZID=America/New_York:20250312T090000"),
            ("utc", "DTSTART:20250312T090000Z"),
            ("floating", "DTSTART:20250315T080000"),
        )
    )
    assert found["ny"] == (datetime(2025, 3, 12, 9, tzinfo=NEW_YORK), "America/New_York")
    assert found["utc"] == (datetime(2025, 3, 12, 10, tzinfo=BERLIN), "Europe/Berlin")
    assert found["floating"][0] == datetime(2025, 3, 15, 8, tzinfo=BERLIN)
    assert found["floating"][0].utcoffset() == BERLIN.utcoffset(datetime(2025, 3, 15))
