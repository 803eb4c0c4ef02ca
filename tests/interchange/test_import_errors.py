"""Broken files are refused whole with file:line; broken events are repaired or skipped,
each said with its line and UID, and the rest of the file imports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from diary.interchange.errors import ImportFailure
from diary.interchange.ics_import import parse_calendar, read_calendar_file
from diary.interchange.records import ParsedCalendar

GOOD_EVENT = [
    "BEGIN:VEVENT",
    "UID:good-1",
    "DTSTAMP:20250301T100000Z",
    "DTSTART:20250310T100000Z",
    "DTEND:20250310T110000Z",
    "SUMMARY:Fine",
    "END:VEVENT",
]


def _calendar(*lines: str) -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", *GOOD_EVENT, *lines]
    return ("\r\n".join([*body, "END:VCALENDAR"]) + "\r\n").encode()


def _parse(data: bytes) -> ParsedCalendar:
    return parse_calendar(data, source="in.ics", default_zone="UTC")


def _failure(data: bytes) -> ImportFailure:
    with pytest.raises(ImportFailure) as caught:
        _parse(data)
    return caught.value


def _said(parsed: ParsedCalendar) -> list[str]:
    return [repair.describe(parsed.source) for repair in parsed.repairs]


# -- events that cannot be read: skipped, said, the rest imports --------------------------


def test_a_broken_dtstart_skips_that_event_and_says_where() -> None:
    parsed = _parse(_calendar("BEGIN:VEVENT", "UID:bad-1", "DTSTART:2025-03-10", "END:VEVENT"))
    assert [event.uid for event in parsed.events] == ["good-1"]
    (said,) = _said(parsed)
    assert said.startswith("in.ics:13: event bad-1: skipped: DTSTART cannot be read")
    assert parsed.skipped["unreadable event"] == 1


def test_an_event_without_dtstart_is_skipped() -> None:
    parsed = _parse(_calendar("BEGIN:VEVENT", "UID:bad-2", "SUMMARY:x", "END:VEVENT"))
    assert _said(parsed) == ["in.ics:11: event bad-2: skipped: no DTSTART"]


def test_an_unreadable_rule_skips_the_series() -> None:
    parsed = _parse(
        _calendar(
            "BEGIN:VEVENT",
            "UID:bad-4",
            "DTSTART:20250310T100000Z",
            "RRULE:FREQ=SOMETIMES",
            "END:VEVENT",
        )
    )
    assert parsed.series == [] and [e.uid for e in parsed.events] == ["good-1"]
    (said,) = _said(parsed)
    assert said.startswith("in.ics:14: event bad-4: skipped: RRULE cannot be read")


def test_a_rule_too_dense_for_an_appointment_book_is_refused_with_numbers() -> None:
    parsed = _parse(
        _calendar(
            "BEGIN:VEVENT",
            "UID:every-second",
            "DTSTART:00010101T000000Z",
            "RRULE:FREQ=SECONDLY",
            "END:VEVENT",
        )
    )
    (said,) = _said(parsed)
    assert "skipped" in said and "more than 2,016 times a week" in said


# -- repairs: kept, and said ---------------------------------------------------------------


def _one(*lines: str) -> tuple[ParsedCalendar, list[str]]:
    parsed = _parse(_calendar("BEGIN:VEVENT", "UID:x-1", *lines, "END:VEVENT"))
    return parsed, _said(parsed)


def test_end_before_start_keeps_the_start_with_no_length() -> None:
    parsed, said = _one("DTSTART:20250310T100000Z", "DTEND:20250310T090000Z")
    event = next(e for e in parsed.events if e.uid == "x-1")
    assert event.start == event.end == datetime(2025, 3, 10, 10, tzinfo=UTC)
    assert said == ["in.ics:14: event x-1: DTEND is before DTSTART: kept as a zero-length event"]


def test_a_zero_length_event_stays_zero_length() -> None:
    parsed, said = _one("DTSTART:20250310T100000Z", "DTEND:20250310T100000Z")
    event = next(e for e in parsed.events if e.uid == "x-1")
    assert event.end == event.start
    assert said == ["in.ics:14: event x-1: DTEND equals DTSTART: kept as a zero-length event"]


def test_dtend_and_duration_keeps_dtend() -> None:
    parsed, said = _one(
        "DTSTART:20250310T100000Z", "DTEND:20250310T110000Z", "DURATION:PT15M"
    )
    event = next(e for e in parsed.events if e.uid == "x-1")
    assert event.end - event.start == timedelta(hours=1)
    assert said == ["in.ics:15: event x-1: DTEND and DURATION both given: DTEND is kept"]


def test_a_date_dtend_of_a_timed_event_is_read_as_a_date_time() -> None:
    parsed, said = _one("DTSTART:20250310T100000Z", "DTEND;VALUE=DATE:20250311")
    event = next(e for e in parsed.events if e.uid == "x-1")
    assert event.end == datetime(2025, 3, 11, tzinfo=UTC)
    assert said == ["in.ics:14: event x-1: DTEND is not a DATE-TIME like DTSTART: read as one"]


def test_a_date_time_dtend_of_an_all_day_event_is_read_as_a_date() -> None:
    parsed, said = _one("DTSTART;VALUE=DATE:20250310", "DTEND:20250312T100000Z")
    event = next(e for e in parsed.events if e.uid == "x-1")
    assert event.all_day and event.end.date() == date(2025, 3, 12)
    assert len(said) == 1 and "read as one" in said[0]


def test_an_unknown_tzid_without_vtimezone_is_read_in_the_calendars_zone() -> None:
    parsed, said = _one("DTSTART;TZID=Mars/Base:20250310T100000")
    event = next(e for e in parsed.events if e.uid == "x-1")
    assert event.zone == "UTC" and event.start == datetime(2025, 3, 10, 10, tzinfo=UTC)
    assert said == [
        "in.ics:13: event x-1: unknown time zone 'Mars/Base' (no VTIMEZONE): read in UTC"
    ]


def test_a_line_that_cannot_be_read_is_left_out() -> None:
    parsed, said = _one("DTSTART:20250310T100000Z", "NO COLON HERE")
    assert any(e.uid == "x-1" for e in parsed.events)
    assert len(said) == 1 and said[0].startswith("in.ics:14: event x-1: a line that cannot be")


def test_a_property_given_twice_keeps_the_first() -> None:
    parsed, said = _one("DTSTART:20250310T100000Z", "DTSTART:20250311T100000Z")
    event = next(e for e in parsed.events if e.uid == "x-1")
    assert event.start.day == 10
    assert said == ["in.ics:13: event x-1: DTSTART is given 2 times: the first one is kept"]


def test_stale_duplicates_keep_the_highest_sequence_then_the_latest_stamp() -> None:
    def copy(sequence: int, stamp: str, title: str) -> list[str]:
        return [
            "BEGIN:VEVENT",
            "UID:dup",
            f"SEQUENCE:{sequence}",
            f"DTSTAMP:{stamp}",
            "DTSTART:20250310T100000Z",
            f"SUMMARY:{title}",
            "END:VEVENT",
        ]

    parsed = _parse(
        _calendar(
            *copy(2, "20250101T000000Z", "kept"),
            *copy(1, "20250301T000000Z", "stale"),
            *copy(2, "20241201T000000Z", "older stamp"),
        )
    )
    (kept,) = [e for e in parsed.events if e.uid == "dup"]
    assert kept.title == "kept"
    said = _said(parsed)
    assert len(said) == 2 and all("a stale copy of this event was dropped" in s for s in said)
    assert said[0].startswith("in.ics:18: event dup:")


# -- whole files refused: not iCalendar, or broken structure -------------------------------


def test_unbalanced_begin_end_is_refused_with_the_line() -> None:
    failure = _failure(_calendar("BEGIN:VEVENT", "UID:open", "DTSTART:20250310T100000Z"))
    assert failure.line == 14
    assert "END:VCALENDAR closes BEGIN:VEVENT of line 11" in failure.problem
    failure = _failure(_calendar().removesuffix(b"END:VCALENDAR\r\n"))
    assert failure.line == 1 and "BEGIN:VCALENDAR is never closed" in failure.problem


def test_an_end_that_closes_the_wrong_component_is_refused() -> None:
    failure = _failure(_calendar("BEGIN:VEVENT", "UID:x", "END:VTODO"))
    assert failure.line == 13 and "END:VTODO closes BEGIN:VEVENT of line 11" in failure.problem


def test_a_file_that_is_not_icalendar_is_refused() -> None:
    failure = _failure(b"Subject: hello\r\n\r\nThis is a letter.\r\n")
    assert str(failure).startswith("in.ics:1: not an iCalendar file")


def test_not_utf8_names_the_line() -> None:
    data = _calendar().replace(b"SUMMARY:Fine", b"SUMMARY:Fin\xe9")
    parsed = _parse(data)
    assert parsed.events == []
    (said,) = _said(parsed)
    assert said.startswith("in.ics:9: ") and "not UTF-8" in said


def test_utf8_bom_is_accepted() -> None:
    parsed = _parse(b"\xef\xbb\xbf" + _calendar())
    assert [event.uid for event in parsed.events] == ["good-1"]


def test_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.ics"
    path.write_bytes(_calendar())
    with pytest.raises(ImportFailure) as caught:
        read_calendar_file(path, default_zone="UTC", max_bytes=10)
    assert str(caught.value).startswith(str(path))


def test_the_default_limit_says_its_numbers(tmp_path: Path) -> None:
    path = tmp_path / "huge.ics"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024 + 1)  # sparse: nothing written to disk
    with pytest.raises(ImportFailure, match=r"104,857,601 bytes, more than the 100 MB"):
        read_calendar_file(path, default_zone="UTC")


def test_missing_file_is_an_import_failure(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure):
        read_calendar_file(tmp_path / "nope.ics", default_zone="UTC")


def test_unterminated_calendar() -> None:
    failure = _failure(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\n")
    assert failure.line == 1 and "never closed" in failure.problem
