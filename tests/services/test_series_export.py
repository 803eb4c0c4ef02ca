"""What issue 12 measured wrong in series, as the owner sees it: lengths on clock-change
nights, time zones an export needs years ahead, flags that multiplied a series.

Clocks are fixed (FixedClock at 30 Nov 2026); the dates are chosen around Europe/London's
clock changes of 2027.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from diary.domain.model import duration_between
from diary.services import DiaryService
from diary.services.clock import FixedClock

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
MINUTE = timedelta(minutes=1)


@pytest.fixture
def diary(any_db_url: str) -> Iterator[DiaryService]:
    service = DiaryService.open(any_db_url, zone="Europe/London", clock=FixedClock(NOW))
    yield service
    service.close()


def _ics(*events: list[str]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN"]
    for event in events:
        lines += ["BEGIN:VEVENT", "DTSTAMP:20260101T000000Z", *event, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _import(diary: DiaryService, tmp_path: Path, text: str) -> None:
    path = tmp_path / "in.ics"
    path.write_text(text, encoding="utf-8")
    summary = diary.calendar().import_calendar(path)
    assert summary.repairs == ()


def _spans(diary: DiaryService, uid: str, day: datetime) -> dict[str, int]:
    """ "start-end" (local HH:MM and zone name) -> real minutes, for `uid` on `day`."""
    listed = diary.listing(day, day + timedelta(days=1))
    return {
        f"{a.start.astimezone(LONDON):%H:%M %Z}-{a.end.astimezone(LONDON):%H:%M %Z}": int(
            duration_between(a.start, a.end) / MINUTE
        )
        for a in (i.appointment for i in listed)
        if a.uid == uid
    }


def _daily(uid: str, first: str, start: str, end: str) -> list[str]:
    return [
        f"UID:{uid}",
        f"DTSTART;TZID=Europe/London:{first}T{start}00",
        f"DTEND;TZID=Europe/London:{first}T{end}00",
        "RRULE:FREQ=DAILY",
        "SUMMARY:Night shift",
    ]


@pytest.mark.parametrize("ahead", [False, True], ids=["next-year", "five-years-on"])
def test_occurrences_keep_their_exact_length_on_clock_change_nights(
    any_db_url: str, tmp_path: Path, ahead: bool
) -> None:
    # RFC 5545 §3.8.5.3: a series with DTEND repeats its exact duration. Issue 12 saw 30
    # minutes instead of 60 in the spring gap and 90 instead of 30 in the autumn fold.
    # `ahead`: the same nights five years on, far past what is stored (read from the rule).
    year = 2032 if ahead else 2027  # both change on 28 March and 31 October
    diary = DiaryService.open(any_db_url, zone="Europe/London", clock=FixedClock(NOW))
    try:
        _import(
            diary,
            tmp_path,
            _ics(
                _daily("gap-hour@t", "20270320", "0030", "0130"),
                _daily("gap-two@t", "20270320", "0030", "0230"),
                _daily("fold-half@t", "20271025", "0115", "0145"),
                _daily("fold-long@t", "20271025", "0030", "0200"),
            ),
        )
        # 28 March: 01:00 GMT -> 02:00 BST. Two hours from 00:30 GMT end at 03:30 BST
        # (adding to the wall clock would give 02:30 BST, one real hour).
        spring = datetime(year, 3, 28, tzinfo=LONDON)
        assert _spans(diary, "gap-hour@t", spring) == {"00:30 GMT-02:30 BST": 60}
        assert _spans(diary, "gap-two@t", spring) == {"00:30 GMT-03:30 BST": 120}
        # 31 October: 02:00 BST -> 01:00 GMT. 01:15 is the first 01:15 (RFC 5545 §3.3.5);
        # 90 minutes from 00:30 BST end at the second 01:00, in GMT (not 02:00 GMT).
        autumn = datetime(year, 10, 31, tzinfo=LONDON)
        assert _spans(diary, "fold-half@t", autumn) == {"01:15 BST-01:45 BST": 30}
        assert _spans(diary, "fold-long@t", autumn) == {"00:30 BST-01:00 GMT": 90}
        # An ordinary night either side keeps its wall-clock times.
        later_spring, later_autumn = spring + timedelta(days=1), autumn + timedelta(days=1)
        assert _spans(diary, "gap-two@t", later_spring) == {"00:30 BST-02:30 BST": 120}
        assert _spans(diary, "fold-long@t", later_autumn) == {"00:30 GMT-02:00 GMT": 90}
    finally:
        diary.close()


def _vtimezone_lines(path: Path, tzid: str) -> list[str]:
    text = path.read_bytes().decode("utf-8").replace("\r\n ", "")
    lines = text.split("\r\n")
    begin = lines.index("BEGIN:VTIMEZONE", lines.index(f"TZID:{tzid}") - 1)
    return lines[begin : lines.index("END:VTIMEZONE", begin) + 1]


def test_an_unbounded_series_exports_a_vtimezone_for_every_year_up_to_ten_ahead(
    diary: DiaryService, tmp_path: Path
) -> None:
    # Issue 12: the 2012 stand-up's VTIMEZONE covered 2011-2014 only, with several
    # transitions on one RDATE line (ical.js reads those as one: an hour late later on).
    _import(
        diary,
        tmp_path,
        _ics(
            [
                "UID:standup@t",
                "DTSTART;TZID=Europe/London:20120102T093000",
                "DTEND;TZID=Europe/London:20120102T094500",
                "RRULE:FREQ=DAILY",
                "SUMMARY:Stand-up",
            ]
        ),
    )
    out = tmp_path / "out.ics"
    diary.calendar().export_calendar(out, datetime(2026, 11, 1, tzinfo=UTC), buffers=False)
    lines = _vtimezone_lines(out, "Europe/London")
    rdates = [line for line in lines if line.startswith("RDATE")]
    assert rdates and all("," not in line for line in rdates)  # one value a line
    # Its observances, read by icalendar from the file alone (not from the IANA name),
    # give London's offsets in every year from the first occurrence to ten years ahead.
    calendar = Calendar.from_ical(out.read_bytes())
    (timezone,) = [tz for tz in calendar.walk("VTIMEZONE") if str(tz["TZID"]) == "Europe/London"]
    written = timezone.to_tz(lookup_tzid=False)
    for year in range(2012, NOW.year + 11):
        for month in (1, 4, 7, 10, 11):
            moment = datetime(year, month, 15, 12, tzinfo=UTC)
            assert (
                moment.astimezone(written).utcoffset() == moment.astimezone(LONDON).utcoffset()
            ), (year, month)


def test_a_flagged_series_exports_as_one_master_not_one_event_per_occurrence(
    diary: DiaryService, tmp_path: Path
) -> None:
    # Two daily series that overlap every day: every occurrence of both is flagged
    # (imports are never refused). Issue 12 saw 605 VEVENTs for one daily rule.
    _import(
        diary,
        tmp_path,
        _ics(
            [
                "UID:early@t",
                "DTSTART;TZID=Europe/London:20261201T100000",
                "DTEND;TZID=Europe/London:20261201T110000",
                "RRULE:FREQ=DAILY",
                "SUMMARY:Early round",
            ],
            [
                "UID:late@t",
                "DTSTART;TZID=Europe/London:20261201T103000",
                "DTEND;TZID=Europe/London:20261201T113000",
                "RRULE:FREQ=DAILY",
                "SUMMARY:Late round",
            ],
        ),
    )
    week = diary.listing(datetime(2026, 12, 7, tzinfo=UTC), datetime(2026, 12, 14, tzinfo=UTC))
    assert len(week) == 14 and all(i.flags for i in week)
    out = tmp_path / "out.ics"
    diary.calendar().export_calendar(
        out, datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 12, 1, tzinfo=UTC), buffers=False
    )
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    by_uid: dict[str, int] = {}
    for event in events:
        assert "RECURRENCE-ID" not in event
        by_uid[str(event["UID"])] = by_uid.get(str(event["UID"]), 0) + 1
    assert by_uid == {"early@t": 1, "late@t": 1}
    # The title is the owner's own, not carrying a flag prefix on every occurrence.
    assert {str(e["SUMMARY"]) for e in events} == {"Early round", "Late round"}
