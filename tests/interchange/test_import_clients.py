"""What Google, Outlook, Apple and Thunderbird write, and series across DST changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from diary.domain.model import Kind
from diary.interchange.ics_import import parse_calendar, read_calendar_file
from diary.interchange.records import ParsedCalendar

from .expansion import AUTUMN, SPRING, expand


def _read(data_dir: Path, name: str, zone: str = "Europe/London") -> ParsedCalendar:
    return read_calendar_file(data_dir / name, default_zone=zone)


def test_google_utc_times_move_into_x_wr_timezone(data_dir: Path) -> None:
    parsed = _read(data_dir, "google.ics")
    events = {event.uid: event for event in parsed.events}
    meeting = events["g1@google.com"]
    assert meeting.zone == "Europe/Berlin"
    assert meeting.start == datetime(2025, 3, 12, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert meeting.start.utcoffset() == timedelta(hours=1)
    assert meeting.location == "Hauptstraße 1, Berlin"
    assert meeting.sequence == 2
    assert meeting.last_modified == datetime(2025, 3, 1, 11, 50, tzinfo=ZoneInfo("UTC"))
    floating = events["g3@google.com"]
    assert floating.zone == "Europe/Berlin"
    assert floating.start.hour == 8
    all_day = events["g2@google.com"]
    assert all_day.all_day and all_day.kind is Kind.ALL_DAY
    assert all_day.end - all_day.start == timedelta(days=1)
    assert parsed.calendar_name == "Work"


def test_outlook_windows_zone_names_and_custom_vtimezone(data_dir: Path) -> None:
    events = {event.uid: event for event in _read(data_dir, "outlook.ics").events}
    review = events["040000008200E00074C5B7101A82E00800000000"]
    assert review.zone == "Europe/Berlin"
    assert review.start == datetime(2025, 4, 2, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert review.end - review.start == timedelta(minutes=90)
    assert events["outlook-ny"].zone == "America/New_York"
    assert events["outlook-ny"].start.utcoffset() == timedelta(hours=-4)
    custom = events["outlook-custom"]
    # Not an IANA name: matched by its offsets; the instant is what the VTIMEZONE says.
    assert ZoneInfo(custom.zone).utcoffset(datetime(2025, 1, 15)) == timedelta(hours=1)
    assert custom.start == datetime(2025, 7, 2, 7, 0, tzinfo=ZoneInfo("UTC"))


def test_apple_travel_duration_and_vtimezone(data_dir: Path) -> None:
    (visit,) = _read(data_dir, "apple.ics").events
    assert visit.zone == "Europe/London"
    assert visit.start == datetime(2025, 4, 4, 14, 0, tzinfo=ZoneInfo("Europe/London"))
    assert visit.travel_minutes == 25
    assert visit.sequence == 1
    assert visit.location == "Leeds Station"


def test_thunderbird_floating_and_all_day(data_dir: Path) -> None:
    parsed = _read(data_dir, "thunderbird.ics", zone="Europe/Paris")
    events = {event.uid: event for event in parsed.events}
    lunch = events["tb-floating"]
    assert lunch.zone == "Europe/Paris"
    assert lunch.start == datetime(2025, 4, 5, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
    fair = events["tb-allday"]
    assert fair.all_day and fair.kind is Kind.ALL_DAY
    assert (fair.start.date().isoformat(), fair.end.date().isoformat()) == (
        "2025-04-07",
        "2025-04-09",
    )
    birthday = events["tb-allday-noend"]
    assert birthday.end - birthday.start == timedelta(days=1)
    assert events["tb-duration"].end.date().isoformat() == "2025-04-14"
    assert parsed.skipped["VTODO"] == 1


def test_series_across_dst_with_exdate_and_override(data_dir: Path) -> None:
    parsed = _read(data_dir, "dst_series.ics")
    series = {item.uid: item for item in parsed.series}
    london = series["london-weekly"]
    assert london.rrule == "FREQ=WEEKLY;COUNT=5"
    assert london.exdates == [datetime(2025, 3, 24, 9, 0, tzinfo=ZoneInfo("Europe/London"))]
    occurrences = expand(london, *SPRING)
    starts = [(o.start.isoformat(), o.title) for o in occurrences]
    assert starts == [
        ("2025-03-17T09:00:00+00:00", "Weekly stand-up"),
        ("2025-03-31T10:00:00+01:00", "Weekly stand-up (moved)"),  # override, after BST began
        ("2025-04-07T09:00:00+01:00", "Weekly stand-up"),  # 09:00 wall clock kept over DST
        ("2025-04-14T09:00:00+01:00", "Weekly stand-up"),
    ]
    moved = occurrences[1]
    assert moved.recurrence_id == datetime(2025, 3, 31, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    assert [o.sequence for o in london.overrides] == [1]
    new_york = series["ny-daily"]
    days = [o.start.isoformat() for o in expand(new_york, *AUTUMN)]
    assert days == [
        "2025-10-31T08:00:00-04:00",
        "2025-11-02T08:00:00-05:00",  # 1 Nov removed by EXDATE; DST ended on 2 Nov
        "2025-11-03T08:00:00-05:00",
        "2025-11-05T08:00:00-05:00",  # 4 Nov cancelled by its override
    ]
    assert all(o.zone == "America/New_York" for o in expand(new_york, *AUTUMN))


def test_an_open_ended_series_is_kept_as_its_rule_and_expands_in_any_window(
    data_dir: Path,
) -> None:
    data = (data_dir / "dst_series.ics").read_bytes().replace(b"COUNT=5", b"INTERVAL=1")
    parsed = parse_calendar(data, source="open.ics", default_zone="UTC")
    london = next(item for item in parsed.series if item.uid == "london-weekly")
    assert london.rrule == "FREQ=WEEKLY;INTERVAL=1"
    far = datetime(2045, 3, 1, tzinfo=ZoneInfo("UTC")), datetime(2045, 4, 1, tzinfo=ZoneInfo("UTC"))
    starts = [o.start for o in expand(london, *far)]
    assert [s.day for s in starts] == [6, 13, 20, 27]
    assert {(s.hour, s.minute) for s in starts} == {(9, 0)}
