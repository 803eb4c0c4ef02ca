"""The composition root (`diary.__main__`): the window and the printer come from it, with
the program's one clock; the command line itself never imports the UI.

The printed day is 2026-11-24, given on purpose (no "today" involved).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from diary import __main__ as entry
from diary import app
from diary.services.clock import Clock, SystemClock


def test_no_command_opens_the_window_with_the_programs_clock(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[tuple[str | None, str, Clock | None]] = []

    def run_gui(db: str | None, tz: str | None, *, clock: Clock | None = None) -> int:
        opened.append((db, str(tz), clock))
        return 0

    monkeypatch.setattr(app, "run_gui", run_gui)
    assert entry.run(["--db", str(tmp_path / "d.sqlite3"), "--tz", "Europe/Berlin"]) == 0
    [(db, zone, clock)] = opened
    assert db == str(tmp_path / "d.sqlite3") and zone == "Europe/Berlin"
    assert isinstance(clock, SystemClock)


def test_print_goes_to_the_printer_with_the_programs_clock(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed: list[tuple[str, date, Clock | None]] = []

    def print_view(
        db: str | None, view: str, day: date, out: Path, tz: str, clock: Clock | None = None
    ) -> None:
        out.write_bytes(b"%PDF-1.4\n")
        printed.append((view, day, clock))

    monkeypatch.setattr(app, "print_view", print_view)
    out = tmp_path / "sheet.pdf"
    args = ["--db", str(tmp_path / "d.sqlite3"), "--tz", "UTC", "print", "--view", "week"]
    assert entry.run([*args, "--date", "2026-11-24", "--out", str(out)]) == 0
    [(view, day, clock)] = printed
    assert (view, day) == ("week", date(2026, 11, 24)) and isinstance(clock, SystemClock)
    assert out.read_bytes() == b"%PDF-1.4\n" and capsys.readouterr().out.strip() == str(out)
