"""`diary export` and `diary import`: the contract of the iCalendar issue, end to end."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.cli import runner

RANGE = ("--from", "2026-11-01", "--to", "2026-12-31")


class Diary(runner.Diary):
    """With the listing and row counts the import tests compare."""

    def listing(self) -> list[dict[str, object]]:
        items: list[dict[str, object]] = json.loads(self.ok("list", *RANGE, "--json"))
        return items

    def rows(self) -> dict[str, int]:
        with sqlite3.connect(self.db) as connection:
            return {
                table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("appointments", "series", "locations", "customers")
            }


def _set_up(d: Diary) -> Diary:
    d.ok("location", "add", "Home", "--address", "1 Home St")
    d.ok("location", "add", "Kitchen", "--address", "Hauptstr. 5")
    d.ok("location", "add", "Bath", "--address", "Bahnhofstr. 9")
    d.ok("travel", "set", "Home", "Kitchen", "20")
    d.ok("travel", "set", "Kitchen", "Bath", "25")
    d.ok("policy", "set", "base", "Home")
    d.ok("customer", "add", "Zoë Müller-Łukasik", "--email", "zoe@example.com")
    return d


@pytest.fixture
def diary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Diary:
    return _set_up(Diary(tmp_path / "diary.sqlite3", capsys))


@pytest.fixture
def other(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Diary:
    """A second diary with the same places, rules and customers but no appointments."""
    return _set_up(Diary(tmp_path / "other.sqlite3", capsys))


def event(uid: str, start: str, end: str, summary: str, *extra: str, sequence: int = 0) -> str:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261101T000000Z",
        f"DTSTART;TZID=Europe/London:{start}",
        f"DTEND;TZID=Europe/London:{end}",
        f"SUMMARY:{summary}",
        f"SEQUENCE:{sequence}",
        *extra,
        "END:VEVENT",
    ]
    return "\r\n".join(lines)


def calendar(*components: str) -> str:
    return (
        "\r\n".join(
            [
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//test//test//EN",
                *components,
                "END:VCALENDAR",
            ]
        )
        + "\r\n"
    )


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def two_events(sequence: int = 0, start: str = "20261124T090000") -> str:
    end = f"{start[:9]}{int(start[9:11]) + 1:02d}0000"
    return calendar(
        event("a@test", start, end, "Survey", "LOCATION:Kitchen", sequence=sequence),
        event("b@test", "20261125T140000", "20261125T150000", "Fitting", "LOCATION:Hauptstr. 5"),
        "BEGIN:VTODO\r\nUID:t@test\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:Call back\r\nEND:VTODO",
    )


def test_import_prints_the_json_summary_and_a_second_import_changes_nothing(
    diary: Diary, tmp_path: Path
) -> None:
    path = write(tmp_path / "in.ics", two_events())
    first = json.loads(diary.ok("import", str(path), "--json"))
    assert first == {
        "added": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": {"VTODO": 1},
        "flagged": first["flagged"],
        "series": 0,
        "repairs": [],
    }
    listing, rows = diary.listing(), diary.rows()
    assert [(i["uid"], i["location"]) for i in listing] == [
        ("a@test", "Kitchen"),
        ("b@test", "Kitchen"),  # matched by the address diary's export writes
    ]
    second = json.loads(diary.ok("import", str(path), "--json"))
    assert (second["added"], second["updated"], second["unchanged"]) == (0, 0, 2)
    assert diary.listing() == listing and diary.rows() == rows


def test_a_newer_sequence_updates_in_place(diary: Diary, tmp_path: Path) -> None:
    diary.ok("import", str(write(tmp_path / "v1.ics", two_events())))
    rows = diary.rows()
    newer = write(tmp_path / "v2.ics", two_events(sequence=1, start="20261124T110000"))
    summary = json.loads(diary.ok("import", str(newer), "--json"))
    assert (summary["added"], summary["updated"], summary["unchanged"]) == (0, 1, 1)
    [moved] = [i for i in diary.listing() if i["uid"] == "a@test"]
    assert moved["start"] == "2026-11-24T11:00:00+00:00"
    assert diary.rows() == rows  # no duplicate
    # An older file never downgrades what is stored.
    json.loads(diary.ok("import", str(tmp_path / "v1.ics"), "--json"))
    [kept] = [i for i in diary.listing() if i["uid"] == "a@test"]
    assert kept["start"] == "2026-11-24T11:00:00+00:00"


def test_a_broken_event_is_repaired_and_said_with_file_line_and_uid(
    diary: Diary, tmp_path: Path
) -> None:
    text = calendar(
        event("c@test", "20261126T090000", "20261126T100000", "Fine"),
        event("d@test", "20261126T110000", "20261126T120000", "Broken", "SEQUENCE:x"),
        event("e@test", "20261127T090000", "20261127T100000", "Also fine"),
    )
    text = text.replace("SEQUENCE:0\r\nSEQUENCE:x", "SEQUENCE:x")
    path = write(tmp_path / "broken.ics", text)
    line = text.split("\r\n").index("SEQUENCE:x") + 1
    summary = json.loads(diary.ok("import", str(path), "--json"))
    assert summary["added"] == 3
    assert summary["repairs"] == [
        {
            "file": str(path),
            "line": line,
            "uid": "d@test",
            "what": "SEQUENCE cannot be read and was left out (Expected int, got: x)",
            "skipped": False,
        }
    ]


def test_strict_refuses_the_whole_file_naming_file_and_line(
    diary: Diary, tmp_path: Path
) -> None:
    diary.ok("import", str(write(tmp_path / "good.ics", two_events())))
    listing, rows = diary.listing(), diary.rows()
    text = calendar(
        event("c@test", "20261126T090000", "20261126T100000", "Fine"),
        event("d@test", "20261126T110000", "20261126T120000", "Broken", "SEQUENCE:x"),
    )
    text = text.replace("SEQUENCE:0\r\nSEQUENCE:x", "SEQUENCE:x")
    path = write(tmp_path / "broken.ics", text)
    code, out, err = diary("import", str(path), "--strict")
    assert code == 2
    line = text.split("\r\n").index("SEQUENCE:x") + 1
    assert f"{path}:{line}" in err and "d@test" in err and "SEQUENCE" in err
    assert diary.listing() == listing and diary.rows() == rows
    # Without --strict the same file imports, and the summary says what was repaired.
    out = diary.ok("import", str(path))
    assert f"{path}:{line}: event d@test: SEQUENCE cannot be read" in out


def test_broken_structure_is_refused_whole_with_the_line(diary: Diary, tmp_path: Path) -> None:
    diary.ok("import", str(write(tmp_path / "good.ics", two_events())))
    listing, rows = diary.listing(), diary.rows()
    text = calendar(event("c@test", "20261126T090000", "20261126T100000", "Fine"))
    text = text.replace("END:VEVENT", "END:VTODO", 1)
    path = write(tmp_path / "unbalanced.ics", text)
    code, _out, err = diary("import", str(path))
    line = text.split("\r\n").index("END:VTODO") + 1
    assert code == 2 and f"{path}:{line}" in err and "Traceback" not in err
    assert diary.listing() == listing and diary.rows() == rows


def test_an_unreadable_file_exits_2_naming_it(diary: Diary, tmp_path: Path) -> None:
    path = write(tmp_path / "junk.ics", "this is not a calendar\r\n")
    code, _out, err = diary("import", str(path))
    assert code == 2 and str(path) in err


def test_a_file_over_100_mb_is_refused_before_reading(diary: Diary, tmp_path: Path) -> None:
    path = tmp_path / "huge.ics"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024 + 1)  # sparse: no memory or disk is used
    rows = diary.rows()
    code, _out, err = diary("import", str(path))
    assert code == 2 and str(path) in err and "100 MB" in err
    assert diary.rows() == rows


def _book_week(d: Diary) -> None:
    d.ok(
        "add",
        "--title",
        "Kitchen survey",
        "--start",
        "2026-11-24T09:00",
        "--duration",
        "60",
        "--customer",
        "Zoë Müller-Łukasik",
        "--location",
        "Kitchen",
        "--notes",
        "bring, tiles; 2",
    )
    d.ok(
        "add",
        "--title",
        "Bath fit",
        "--start",
        "2026-11-24T13:00",
        "--duration",
        "60",
        "--location",
        "Bath",
        "--wrapup",
        "5",
    )
    d.ok(
        "add",
        "--title",
        "Burst pipe",
        "--start",
        "2026-11-24T09:30",
        "--duration",
        "30",
        "--location",
        "Kitchen",
        "--force",
        "--reason",
        "customer could not wait",
    )
    d.ok(
        "add",
        "--title",
        "Paperwork",
        "--start",
        "2026-11-26T16:00",
        "--duration",
        "45",
        "--kind",
        "block",
    )


def test_export_then_import_into_an_empty_diary_reproduces_the_listing(
    diary: Diary, other: Diary, tmp_path: Path
) -> None:
    _book_week(diary)
    expected = diary.listing()
    assert any(i["override_reason"] and "double-booking" in i["flags"] for i in expected)
    out = tmp_path / "out.ics"
    printed = diary.ok("export", str(out), "--from", "2026-11-01")
    assert printed.startswith("exported 4 events")
    exported = Calendar.from_ical(out.read_bytes())
    titles = [str(e["SUMMARY"]) for e in exported.walk("VEVENT")]
    assert any(t.startswith("[double-booked] ") for t in titles)
    assert any(t.startswith("Travel to ") for t in titles)
    summary = json.loads(other.ok("import", str(out), "--json"))
    assert summary["added"] == 4 and summary["skipped"].get("diary buffer event", 0) > 0
    assert other.listing() == expected
    again = json.loads(other.ok("import", str(out), "--json"))
    assert again["unchanged"] == 4


def test_export_without_buffers_and_for_one_customer(diary: Diary, tmp_path: Path) -> None:
    _book_week(diary)
    out = tmp_path / "zoe.ics"
    diary.ok(
        "export",
        str(out),
        "--from",
        "2026-11-01",
        "--customer",
        "Zoë Müller-Łukasik",
        "--no-buffers",
    )
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["[double-booked] Kitchen survey"]
    code, _out, err = diary("export", str(out), "--customer", "Nobody")
    assert code == 2 and "Nobody" in err


def test_a_moved_appointment_exports_with_a_higher_sequence(diary: Diary, tmp_path: Path) -> None:
    uid = diary.ok(
        "add",
        "--title",
        "Survey",
        "--start",
        "2026-11-24T10:00",
        "--duration",
        "60",
        "--location",
        "Kitchen",
    ).strip()
    first, second = tmp_path / "1.ics", tmp_path / "2.ics"
    diary.ok("export", str(first), "--from", "2026-11-01", "--no-buffers")
    diary.ok("move", uid, "--start", "2026-11-24T14:00")
    diary.ok("export", str(second), "--from", "2026-11-01", "--no-buffers")

    def sequence(path: Path) -> tuple[int, object]:
        [found] = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        return int(found["SEQUENCE"]), found["LAST-MODIFIED"].dt

    (seq1, modified1), (seq2, modified2) = sequence(first), sequence(second)
    assert seq2 > seq1 and modified2 >= modified1


SERIES = calendar(
    event(
        "weekly@test",
        "20261102T090000",
        "20261102T100000",
        "Stand-up",
        "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6",
        "EXDATE;TZID=Europe/London:20261109T090000",
    ),
    event(
        "weekly@test",
        "20261116T113000",
        "20261116T123000",
        "Stand-up (late)",
        "RECURRENCE-ID;TZID=Europe/London:20261116T090000",
    ),
)


def test_a_series_is_kept_queryable_by_range_and_exports_as_a_series(
    diary: Diary, tmp_path: Path
) -> None:
    summary = json.loads(diary.ok("import", str(write(tmp_path / "s.ics", SERIES)), "--json"))
    assert (summary["added"], summary["series"]) == (1, 1)
    week = diary.ok("list", "--from", "2026-11-09", "--to", "2026-11-22", "--json")
    starts = [(i["title"], i["start"]) for i in json.loads(week)]
    assert starts == [("Stand-up (late)", "2026-11-16T11:30:00+00:00")]  # 9th removed
    everything = diary.listing()
    assert len(everything) == 5
    out = tmp_path / "s-out.ics"
    diary.ok("export", str(out), "--from", "2026-11-01", "--no-buffers")
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    [master] = [e for e in events if e.get("RRULE") is not None]
    assert "FREQ=WEEKLY" in master["RRULE"].to_ical().decode()
    assert master.get("EXDATE") is not None
    assert [e for e in events if e.get("RECURRENCE-ID") is not None]
    again = json.loads(diary.ok("import", str(out), "--json"))
    assert (again["added"], again["updated"]) == (0, 0)
    assert diary.listing() == everything


def test_add_series_prints_the_uid_and_a_clash_exits_3_with_the_nearest_slot(
    diary: Diary,
) -> None:
    diary.ok("add", "--title", "Boiler", "--start", "2026-12-08T10:00", "--duration", "60")
    code, out, _err = diary(
        "add-series",
        "--title",
        "Visit",
        "--start",
        "2026-11-24T10:00",
        "--duration",
        "60",
        "--repeat",
        "weekly",
        "--count",
        "4",
    )
    assert code == 3
    assert "Boiler" in out and "nearest feasible slot: 2026-12-08T" in out
    assert [i["title"] for i in diary.listing()] == ["Boiler"]
    uid = diary.ok(
        "add-series",
        "--title",
        "Visit",
        "--start",
        "2026-11-24T10:00",
        "--duration",
        "60",
        "--repeat",
        "weekly",
        "--every",
        "2",
        "--until",
        "2026-12-31",
        "--customer",
        "Zoë Müller-Łukasik",
        "--location",
        "Kitchen",
        "--force",
        "--reason",
        "agreed",
    ).strip()
    visits = [i for i in diary.listing() if i["title"] == "Visit"]
    assert [i["start"] for i in visits] == [
        "2026-11-24T10:00:00+00:00",
        "2026-12-08T10:00:00+00:00",
        "2026-12-22T10:00:00+00:00",
    ]
    assert {str(i["uid"]).split("#")[0] for i in visits} == {uid}
    assert visits[1]["override_reason"] == "agreed"
    code, _out, err = diary(
        "add-series",
        "--title",
        "Visit",
        "--start",
        "2026-11-24T10:00",
        "--duration",
        "60",
        "--repeat",
        "hourly",
    )
    assert code == 2


def _set_up_places(d: Diary) -> Diary:
    d.ok(
        "location",
        "add",
        "Workshop",
        "--address",
        "2 Mill Lane, Leeds",
        "--lat",
        "53.79",
        "--lon",
        "-1.55",
    )
    d.ok("location", "add", "Site", "--lat", "53.8", "--lon", "-1.6")
    d.ok("location", "add", "Video call", "--remote")
    d.ok("customer", "add", "Ann Ó Briain")
    return d


def test_a_round_trip_into_a_truly_empty_diary_recreates_places_and_the_listing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _set_up_places(Diary(tmp_path / "source.sqlite3", capsys))
    source.ok(
        "add",
        "--title",
        "Quote",
        "--start",
        "2026-11-24T09:00",
        "--duration",
        "60",
        "--location",
        "Workshop",
        "--customer",
        "Ann Ó Briain",
    )
    source.ok(
        "add",
        "--title",
        "Measure",
        "--start",
        "2026-11-24T11:00",
        "--duration",
        "90",
        "--location",
        "Site",
    )
    source.ok(
        "add",
        "--title",
        "Catch-up",
        "--start",
        "2026-11-24T11:30",
        "--duration",
        "30",
        "--location",
        "Video call",
        "--force",
        "--reason",
        "short call",
    )
    source.ok(
        "add-series",
        "--title",
        "Weekly review",
        "--start",
        "2026-11-25T15:00",
        "--duration",
        "45",
        "--repeat",
        "weekly",
        "--location",
        "Workshop",
    )
    expected = source.listing()
    assert any(i["flags"] for i in expected)
    out = tmp_path / "out.ics"
    source.ok("export", str(out), "--from", "2026-11-01")

    empty = Diary(tmp_path / "empty.sqlite3", capsys)
    assert empty.ok("list", *RANGE, "--json").strip() == "[]"  # creates the database
    assert empty.rows() == {"appointments": 0, "series": 0, "locations": 0, "customers": 0}
    empty.ok("import", str(out))
    assert empty.listing() == expected

    def places(d: Diary) -> list[tuple[object, ...]]:
        with sqlite3.connect(d.db) as connection:
            return connection.execute(
                "SELECT name, address, lat, lon, remote FROM locations ORDER BY name"
            ).fetchall()

    assert places(empty) == places(source)
    assert empty.rows()["customers"] == 1


def test_a_second_import_still_says_how_many_carry_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ics = tmp_path / "overlap.ics"
    ics.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:a@test\r\nDTSTAMP:20261101T000000Z\r\n"
        b"DTSTART:20261124T090000Z\r\nDTEND:20261124T100000Z\r\nSUMMARY:A\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:b@test\r\nDTSTAMP:20261101T000000Z\r\n"
        b"DTSTART:20261124T093000Z\r\nDTEND:20261124T103000Z\r\nSUMMARY:B\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    d = Diary(tmp_path / "flags.sqlite3", capsys)
    first = json.loads(d.ok("import", str(ics), "--json"))
    second = json.loads(d.ok("import", str(ics), "--json"))
    assert (first["added"], first["flagged"]) == (2, 2)
    assert (second["unchanged"], second["flagged"]) == (2, 2)
