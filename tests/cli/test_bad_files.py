"""Bad files and file names the CLI fuzz and the soak found tracebacks on (issue 16): a
clear error naming what and where, exit 2, nothing changed; or, for a NUL byte in an
event's text, the same repair on SQLite and PostgreSQL.

Dates are in 2027 on purpose (after the runner's FixedClock, tests/cli/runner.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from diary.cli import main
from diary.services import DiaryService
from diary.services.clock import FixedClock

from tests.cli.runner import NOW, Diary
from tests.cli.test_bad_input import _rows, refused

# A name longer than any file system takes (255 bytes per name).
LONG = "x" * 300


@pytest.fixture
def diary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Diary:
    d = Diary(tmp_path / "diary.sqlite3", capsys)
    d.ok("add", "--title", "Survey", "--start", "2027-03-01T09:00", "--duration", "60")
    return d


def _event(uid: str, summary: str, extra: str = "") -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20270101T000000Z\r\n"
        f"DTSTART:20270302T090000Z\r\nDTEND:20270302T100000Z\r\n"
        f"SUMMARY:{summary}\r\n{extra}END:VEVENT\r\n"
    )


def test_a_calendar_whose_properties_are_not_utf8_is_refused_naming_file_and_line(
    diary: Diary, tmp_path: Path
) -> None:
    # A Latin-1 calendar name before the first event (Outlook exports in the system code page).
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Caf\xe9\r\n"
        + _event("a1", "Boiler").encode()
        + b"END:VCALENDAR\r\n"
    )
    path = tmp_path / "latin1.ics"
    path.write_bytes(data)
    err = refused(diary, "import", str(path))
    assert f"{path}:3: not UTF-8 text: byte 0xe9" in err


@pytest.mark.parametrize("prop", ["SUMMARY", "DESCRIPTION", "LOCATION"])
def test_a_nul_byte_in_event_text_is_removed_and_said_on_either_database(
    any_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], prop: str
) -> None:
    # PostgreSQL cannot store a NUL in text (SQLite can): both get the same repair.
    extra = "" if prop == "SUMMARY" else f"{prop}:Gar\x00den\r\n"
    summary = "Boi\x00ler" if prop == "SUMMARY" else "Boiler"
    path = tmp_path / "nul.ics"
    path.write_bytes(
        (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
            + _event("n1", summary, extra)
            + "END:VCALENDAR\r\n"
        ).encode()
    )
    code = main(["--db", any_db_url, "--tz", "UTC", "import", str(path)], clock=FixedClock(NOW))
    out, err = capsys.readouterr()
    assert code == 0, err
    line = 8 if prop == "SUMMARY" else 9
    assert f"{path}:{line}: event n1: NUL bytes (0x00) in the text were removed" in out
    service = DiaryService.open(any_db_url, zone="UTC")
    try:
        stored = service.get("n1")
    finally:
        service.close()
    assert stored.title == "Boiler"
    if prop != "SUMMARY":
        text = stored.notes if prop == "DESCRIPTION" else stored.location.name  # type: ignore[union-attr]
        assert text == "Garden"


def test_with_strict_a_nul_byte_refuses_the_file(diary: Diary, tmp_path: Path) -> None:
    path = tmp_path / "nul.ics"
    path.write_bytes(
        (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + _event("n1", "Boi\x00ler") + "END:VCALENDAR\r\n"
        ).encode()
    )
    err = refused(diary, "import", "--strict", str(path))
    assert f"{path}:8" in err and "NUL" in err


@pytest.mark.parametrize(
    "args",
    [
        ["restore", f"{LONG}.sqlite3"],
        ["restore", f"folder/{LONG}/backup.sqlite3"],
        ["import", f"{LONG}.ics"],
        ["export", f"{LONG}.ics"],
        ["print", "--out", f"{LONG}.pdf", "--date", "2027-03-01"],
        ["backup", "--to", f"{LONG}.sqlite3"],
        ["report", "customers", "--from", "2027-03-01", "--to", "2027-03-31", "--csv", LONG],
        ["import", "/".join(["folder"] * 700) + "/a.ics"],  # a path over PATH_MAX
    ],
    ids=["restore", "restore-folder", "import", "export", "print", "backup", "csv", "path"],
)
def test_a_file_name_too_long_for_the_file_system_is_refused_by_argument(
    diary: Diary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    err = refused(diary, *args)
    assert "too long for a file" in err
    assert "Traceback" not in err and "x" * 60 not in err and "folder/" * 50 not in err
    assert not list(tmp_path.glob("xxx*"))


def test_a_series_against_an_appointment_to_2200_is_judged_on_its_window(diary: Diary) -> None:
    """The rule checks read the neighbours of each occurrence's days, never every day of a
    neighbour that runs to 2200. Counted in operations, not seconds: the profiler counts the
    built-in calls the booking makes (~45,000 now; ~11 million when the reserve rule and the
    neighbour cache walked the long appointment day by day, 20+ minutes in the fuzz)."""
    diary.ok(
        "add",
        "--title",
        "Long",
        "--start",
        "2027-03-01T12:00",
        "--end",
        "2199-12-31T10:00",
        "--force",
        "--reason",
        "a lease",
    )
    before = _rows(diary.db)
    calls = 0

    def count(_frame: object, event: str, _arg: object) -> None:
        nonlocal calls
        if event == "c_call":
            calls += 1

    sys.setprofile(count)
    try:
        code, out, _err = diary(
            "add-series",
            "--title",
            "Weekly",
            "--start",
            "2027-03-02T09:00",
            "--duration",
            "30",
            "--repeat",
            "weekly",
            "--count",
            "3",
        )
    finally:
        sys.setprofile(None)
    assert code == 3  # refused: every occurrence is double-booked with Long
    assert "double-booked with Long" in out and "nearest feasible slot" in out
    assert _rows(diary.db) == before
    assert calls < 1_000_000, f"{calls:,} built-in calls for three occurrences"
