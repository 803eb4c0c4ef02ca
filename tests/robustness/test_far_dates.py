"""Calendars with series that start long ago or never end are read back without a traceback,
and a window shows the occurrences it holds (issue 16: bounded work for any input).

Real files carry such series: Apple writes birthdays without a year as a yearly rule from
1604, Outlook zone rules start in 1601, and a mutated file may start in year 1 or end in
9999. They import; every reader (`list`, `check`, `export`, the agenda) must then cope with
instants far outside the window asked for. The clock is the CLI tests' fixed one (NOW, a
Friday in November 2026), so this holds on any date.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli.runner import Diary

EVENTS = {
    # uid: (DTSTART/DTEND lines, RRULE)
    "birthday-1604": ("DTSTART;VALUE=DATE:16041125\nDTEND;VALUE=DATE:16041126", "FREQ=YEARLY"),
    "daily-year-1": ("DTSTART:00010101T000000Z\nDTEND:00010101T001500Z", "FREQ=DAILY"),
    "weekly-to-9999": (
        "DTSTART:20261123T140000Z\nDTEND:20261123T150000Z",
        "FREQ=WEEKLY;UNTIL=99991231T235959Z",
    ),
    "yearly-count-huge": (
        "DTSTART;VALUE=DATE:19001124\nDTEND;VALUE=DATE:19001125",
        "FREQ=YEARLY;COUNT=1000000",
    ),
}


def _calendar() -> str:
    parts = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//diary tests//far dates//EN"]
    for uid, (when, rule) in EVENTS.items():
        parts += [
            "BEGIN:VEVENT",
            f"UID:{uid}@test",
            "DTSTAMP:20260101T000000Z",
            *when.split("\n"),
            f"RRULE:{rule}",
            f"SUMMARY:{uid}",
            "END:VEVENT",
        ]
    parts.append("END:VCALENDAR")
    return "\r\n".join(parts) + "\r\n"


@pytest.fixture
def far(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Diary:
    diary = Diary(tmp_path / "far.sqlite3", capsys)
    calendar = tmp_path / "far.ics"
    calendar.write_text(_calendar(), encoding="utf-8")
    diary.ok("import", str(calendar))
    return diary


def test_a_week_of_series_from_long_ago_and_to_9999_lists_its_occurrences(far: Diary) -> None:
    code, out, err = far("list", "--from", "2026-11-23", "--to", "2026-11-29")
    assert code == 0, err
    assert "Traceback" not in err
    for uid in EVENTS:
        assert uid in out, (uid, out)


@pytest.mark.parametrize("week", ["1950-11-20", "2031-11-24", "2200-11-24"])
def test_a_week_far_from_now_lists_the_series_that_reach_it(far: Diary, week: str) -> None:
    """Weeks outside what the import expanded ahead: the readers expand the rules there."""
    monday = date.fromisoformat(week)
    sunday = (monday + timedelta(days=6)).isoformat()
    code, out, err = far("list", "--from", week, "--to", sunday)
    assert code == 0, err
    assert "daily-year-1" in out and "birthday-1604" in out and "yearly-count-huge" in out
    assert ("weekly-to-9999" in out) == (monday.year > 2026)


def test_check_and_export_read_the_far_series(far: Diary, tmp_path: Path) -> None:
    for first, last in (("2026-11-23", "2026-11-29"), ("2031-11-24", "2031-11-30")):
        code, _out, err = far("check", "--from", first, "--to", last)
        assert code in (0, 1) and "Traceback" not in err, err  # 1: conflicts were found
    out = tmp_path / "out.ics"
    code, _out, err = far("export", "--from", "2026-11-01", "--to", "2027-01-31", str(out))
    assert code == 0, err
    written = out.read_text(encoding="utf-8")
    for uid in EVENTS:
        assert f"UID:{uid}@test" in written
