"""The export is valid for icalendar, vobject and ical.js, and says what the phone needs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Component

from diary.interchange.ics_export import export_calendar
from diary.interchange.ics_import import parse_calendar
from diary.interchange.records import ExportItem

from .conftest import NOW
from .expansion import SPRING, expand
from .samples import UPDATED, meeting, minutes, sample_items, sample_promise

JSHELPER = Path(__file__).parent / "jshelper"


@pytest.fixture(scope="module")
def exported() -> bytes:
    return export_calendar(
        sample_items(), calendar_name="Diary", now=NOW, promises=[sample_promise()]
    )


def _events(data: bytes) -> dict[str, Component]:
    calendar = Calendar.from_ical(data)
    result = {}
    for event in calendar.walk("VEVENT"):
        key = str(event["UID"])
        if "RECURRENCE-ID" in event:
            key += "@" + event["RECURRENCE-ID"].to_ical().decode()
        result[key] = event
    return result


def test_calendar_headers(exported: bytes) -> None:
    calendar = Calendar.from_ical(exported)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["PRODID"] == "-//diary//diary 1.0//EN"
    assert calendar["VERSION"] == "2.0"
    assert calendar["X-WR-CALNAME"] == "Diary"
    assert not any(component.errors for component in calendar.walk())


def test_bytes_are_utf8_crlf_folded_at_75_octets(exported: bytes) -> None:
    text = exported.decode("utf-8")  # also proves no multi-byte character was split
    assert "Zoë Müller-Łukasik 🎉" in text.replace("\r\n ", "")
    lines = exported.split(b"\r\n")
    assert lines[-1] == b""
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # every physical line is whole UTF-8


def test_vtimezone_for_every_zone_used(exported: bytes) -> None:
    calendar = Calendar.from_ical(exported)
    assert {tz.tz_name for tz in calendar.timezones} == {"Europe/London", "America/New_York"}
    assert calendar.get_missing_tzids() == set()


def test_meeting_properties(exported: bytes) -> None:
    event = _events(exported)["m1@diary"]
    assert event["SEQUENCE"] == 3
    assert event["LAST-MODIFIED"].dt == UPDATED
    assert event["CREATED"].dt == datetime(2025, 2, 20, 8, 0, tzinfo=ZoneInfo("UTC"))
    assert event["DTSTAMP"].dt == NOW
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt == datetime(2025, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    assert str(event["SUMMARY"]).startswith("[double-booked] [buffer] Zoë")
    assert str(event["LOCATION"]) == "1 High St, Leeds"
    description = str(event["DESCRIPTION"])
    assert "Customer: Zoë Müller-Łukasik" in description
    assert "Flag: Overlaps 'Dentist'" in description
    assert "Bring the \\ tools;\nand, the ladder" in description
    assert event["CATEGORIES"].cats == ["meeting"]
    assert event["X-APPLE-TRAVEL-DURATION"].to_ical() == b"PT25M"
    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["TRIGGER"].dt == -timedelta(minutes=25 + 10)
    assert str(alarm["DESCRIPTION"]).startswith("Time to leave for ")


def test_buffers_are_busy_events_tied_to_the_meeting(exported: bytes) -> None:
    events = _events(exported)
    travel, wrapup = events["m1@diary-travel"], events["m1@diary-wrapup"]
    assert str(travel["SUMMARY"]) == "Travel to 1 High St, Leeds"
    assert travel["DTEND"].dt == events["m1@diary"]["DTSTART"].dt
    assert minutes(travel["DTEND"].dt - travel["DTSTART"].dt) == 25
    assert wrapup["DTSTART"].dt == events["m1@diary"]["DTEND"].dt
    assert minutes(wrapup["DTEND"].dt - wrapup["DTSTART"].dt) == 20
    for buffer in (travel, wrapup):
        assert buffer["TRANSP"] == "OPAQUE"
        assert str(buffer["RELATED-TO"]) == "m1@diary"
        assert buffer["RELATED-TO"].params["RELTYPE"] == "PARENT"
        assert buffer["SEQUENCE"] == 3
    assert (travel["X-DIARY-BUFFER"], wrapup["X-DIARY-BUFFER"]) == ("travel", "wrapup")


def test_no_buffers_when_switched_off() -> None:
    data = export_calendar(sample_items(), calendar_name="D", now=NOW, buffers=False)
    assert b"X-DIARY-BUFFER" not in data


def test_all_day_dtend_is_exclusive(exported: bytes) -> None:
    event = _events(exported)["d1@diary"]
    assert event["DTSTART"].dt == date(2025, 3, 12)
    assert event["DTEND"].dt == date(2025, 3, 13)
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert not event.walk("VALARM")


def test_cancelled_keeps_uid_and_says_cancelled(exported: bytes) -> None:
    event = _events(exported)["n1@diary"]
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 4
    assert event["DTSTART"].params["TZID"] == "America/New_York"


def test_series_with_exdate_and_override(exported: bytes) -> None:
    events = _events(exported)
    master = events["s1@diary"]
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=6"
    assert master["EXDATE"].to_ical() == b"20250327T090000"
    assert master["EXDATE"].params["TZID"] == "Europe/London"
    override = events["s1@diary@20250403T090000"]
    assert str(override["SUMMARY"]) == "Weekly stand-up (moved)"
    assert override["SEQUENCE"] == 2
    travel_exdates = events["s1@diary-travel"]["EXDATE"]  # one value a line: a list
    assert b"20250403T085000" in b",".join(line.to_ical() for line in travel_exdates)


def test_promise_todo_and_due_event(exported: bytes) -> None:
    calendar = Calendar.from_ical(exported)
    (todo,) = calendar.walk("VTODO")
    assert str(todo["SUMMARY"]) == "Promise to Zoë Müller-Łukasik: send the quote"
    assert todo["STATUS"] == "NEEDS-ACTION"
    assert todo["SEQUENCE"] == 2
    assert todo["DUE"].dt == datetime(2025, 3, 14, 17, 0, tzinfo=ZoneInfo("Europe/London"))
    due = _events(exported)["p1@diary-due"]
    assert minutes(due["DTEND"].dt - due["DTSTART"].dt) == 15
    assert "24-hour check: 2025-03-13 17:00" in str(due["DESCRIPTION"])
    (alarm,) = due.walk("VALARM")
    assert alarm["TRIGGER"].dt == -timedelta(hours=24)


def test_reimport_reproduces_diary_fields(exported: bytes) -> None:
    parsed = parse_calendar(exported, source="x.ics", default_zone="UTC")
    events = {event.uid: event for event in parsed.events}
    original = meeting()
    again = events["m1@diary"]
    assert again.title == original.title
    assert again.notes == original.notes
    assert again.customer == "Zoë Müller-Łukasik"
    assert again.kind == original.kind
    assert again.wrapup_minutes == 20
    assert again.override_reason == original.override_reason
    assert (again.start, again.end, again.zone) == (original.start, original.end, original.zone)
    assert (again.sequence, again.last_modified) == (3, UPDATED)
    assert again.travel_minutes == 25
    assert events["n1@diary"].cancelled
    assert events["d1@diary"].all_day
    assert parsed.skipped["diary buffer event"] == 6
    assert parsed.skipped["diary promise event"] == 1
    assert parsed.skipped["VTODO"] == 1
    (series,) = parsed.series
    assert [o.start.hour for o in expand(series, *SPRING)] == [9, 11, 9, 9, 9]


def test_vobject_reads_the_export(exported: bytes) -> None:
    (calendar,) = list(vobject.readComponents(exported.decode("utf-8")))
    assert len(calendar.vevent_list) == len(_events(exported))
    assert len(calendar.vtodo_list) == 1


def _node_ready() -> bool:
    """npm-install ical.js into jshelper once; False (or a failure under CI) without node."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        if os.environ.get("CI") and node is not None:
            pytest.fail("CI is set and node exists, but npm is missing")
        return False
    if not (JSHELPER / "node_modules" / "ical.js").is_dir():
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(JSHELPER)],
            check=True,
            timeout=300,
            capture_output=True,
        )
    return True


@pytest.mark.slow
def test_ical_js_counts_the_same(exported: bytes, tmp_path: Path) -> None:
    if not _node_ready():
        pytest.skip("node/npm not installed: ical.js check not run")
    path = tmp_path / "export.ics"
    path.write_bytes(exported)
    node = shutil.which("node")
    assert node is not None
    output = subprocess.run(
        [node, str(JSHELPER / "count_events.js"), str(path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    counts = json.loads(output)
    assert counts == {"VEVENT": len(_events(exported)), "VTODO": 1, "VTIMEZONE": 2}


_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        st.sampled_from([",", ";", "\\", "\n", ":", '"', "🎉", "ë", "Ł", " "]),
    ),
    max_size=120,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_TEXT.filter(lambda value: value.strip() == value and value != ""), notes=_TEXT)
def test_titles_and_notes_survive_a_round_trip(title: str, notes: str) -> None:
    item = ExportItem(meeting(title=title, notes=notes), travel_minutes=5, wrapup_minutes=5)
    data = export_calendar([item], calendar_name="R", now=NOW)
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    parsed = parse_calendar(data, source="r.ics", default_zone="UTC")
    (event,) = parsed.events
    assert (event.title, event.notes) == (title, notes)
