"""A TZID that is not an IANA name means what the file's VTIMEZONE says (RFC 5545 §3.2.19).

Issue 12 measured US Eastern rules under a custom name read as `America/Grand_Turk` (the
first zone by name with those offsets) and `TZID:GMT` carrying UK summer time read as UTC.
The zone diary keeps is the most used IANA zone with the same rules.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from diary.interchange.ics_import import parse_calendar

# US rules since 2007 and EU rules since 1996, written as RRULE observances (as Outlook
# and Exchange write them, from a DTSTART in 1601 or 1970).
US_EASTERN = [
    "BEGIN:STANDARD",
    "DTSTART:16011104T020000",
    "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
    "TZOFFSETFROM:-0400",
    "TZOFFSETTO:-0500",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:16010311T020000",
    "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
    "TZOFFSETFROM:-0500",
    "TZOFFSETTO:-0400",
    "END:DAYLIGHT",
]
UK = [
    "BEGIN:STANDARD",
    "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "END:DAYLIGHT",
]


def _file(tzid: str, observances: list[str], local: str) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//t//t//EN",
        "BEGIN:VTIMEZONE",
        f"TZID:{tzid}",
        *observances,
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "UID:zone-1",
        "DTSTAMP:20260101T000000Z",
        f'DTSTART;TZID="{tzid}":{local}',
        "DURATION:PT1H",
        "SUMMARY:Visit",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.mark.parametrize(
    ("tzid", "observances", "zone", "utc"),
    [
        # A vendor's own name with US rules: New York, not Grand Turk (first by name).
        ("Custom Eastern (US)", US_EASTERN, "America/New_York", datetime(2026, 7, 1, 13)),
        ("(UTC-05:00) Company time", US_EASTERN, "America/New_York", datetime(2026, 7, 1, 13)),
        # `GMT` with UK summer time: Europe/London, not UTC (field case 02 on a rule).
        ("GMT", UK, "Europe/London", datetime(2026, 7, 1, 8)),
        ("Büro London", UK, "Europe/London", datetime(2026, 7, 1, 8)),
    ],
)
def test_a_custom_zone_is_the_most_used_iana_zone_with_its_rules(
    tzid: str, observances: list[str], zone: str, utc: datetime
) -> None:
    parsed = parse_calendar(
        _file(tzid, observances, "20260701T090000"), source="in.ics", default_zone="UTC"
    )
    (event,) = parsed.events
    assert event.zone == zone
    assert event.start == utc.replace(tzinfo=UTC)
    # Winter too: the rules, not one offset, decided it.
    winter = parse_calendar(
        _file(tzid, observances, "20270115T090000"), source="in.ics", default_zone="UTC"
    )
    (january,) = winter.events
    local = january.start.astimezone(ZoneInfo(zone))
    assert (local.hour, local.minute) == (9, 0)
