"""Bad input is refused as a whole with an ImportFailure that says where and why."""

from __future__ import annotations

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


def test_broken_dtstart_names_file_line_uid_and_property() -> None:
    failure = _failure(_calendar("BEGIN:VEVENT", "UID:bad-1", "DTSTART:2025-03-10", "END:VEVENT"))
    assert (failure.source, failure.line, failure.uid, failure.prop) == (
        "in.ics",
        13,
        "bad-1",
        "DTSTART",
    )
    assert str(failure).startswith("in.ics:13: event bad-1 property DTSTART: ")


def test_missing_dtstart() -> None:
    failure = _failure(_calendar("BEGIN:VEVENT", "UID:bad-2", "SUMMARY:x", "END:VEVENT"))
    assert failure.prop == "DTSTART" and failure.uid == "bad-2"
    assert "missing DTSTART" in str(failure)


def test_end_before_start() -> None:
    failure = _failure(
        _calendar(
            "BEGIN:VEVENT",
            "UID:bad-3",
            "DTSTART:20250310T100000Z",
            "DTEND:20250310T090000Z",
            "END:VEVENT",
        )
    )
    assert (failure.prop, failure.line) == ("DTEND", 14)


def test_invalid_rrule() -> None:
    failure = _failure(
        _calendar(
            "BEGIN:VEVENT",
            "UID:bad-4",
            "DTSTART:20250310T100000Z",
            "RRULE:FREQ=SOMETIMES",
            "END:VEVENT",
        )
    )
    assert (failure.prop, failure.uid, failure.line) == ("RRULE", "bad-4", 14)


def test_unparseable_file_gives_a_line() -> None:
    failure = _failure(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nNO COLON HERE\r\nEND:VCALENDAR\r\n")
    assert failure.line == 3
    assert str(failure).startswith("in.ics:3: ")


def test_not_utf8_names_the_byte_offset_and_line() -> None:
    data = _calendar().replace(b"SUMMARY:Fine", b"SUMMARY:Fin\xe9")
    failure = _failure(data)
    assert failure.line == 9
    offset = data.index(b"\xe9")
    assert f"offset {offset}" in failure.problem


def test_utf8_bom_is_accepted() -> None:
    parsed = _parse(b"\xef\xbb\xbf" + _calendar())
    assert [event.uid for event in parsed.events] == ["good-1"]


def test_unknown_tzid_without_vtimezone_is_refused() -> None:
    failure = _failure(
        _calendar("BEGIN:VEVENT", "UID:tz", "DTSTART;TZID=Mars/Base:20250310T100000", "END:VEVENT")
    )
    assert "Mars/Base" in failure.problem


def test_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.ics"
    path.write_bytes(_calendar())
    with pytest.raises(ImportFailure) as caught:
        read_calendar_file(path, default_zone="UTC", max_bytes=10)
    assert str(caught.value).startswith(str(path))


def test_50_mb_default_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.ics"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)  # sparse: no 50 MB written to disk
    with pytest.raises(ImportFailure, match="MB limit"):
        read_calendar_file(path, default_zone="UTC")


def test_missing_file_is_an_import_failure(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure):
        read_calendar_file(tmp_path / "nope.ics", default_zone="UTC")


def test_unterminated_calendar() -> None:
    failure = _failure(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\n")
    assert "no complete calendar" in failure.problem
