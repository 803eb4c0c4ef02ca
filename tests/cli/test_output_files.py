"""`export`, `report --csv` and `print --out` never destroy anything (issues 10 and 16):
only regular files, created 0600, through a temporary file and a rename; never through a
symbolic link, onto the open database, a device or a FIFO; a missing folder is named.

Appointments in November 2026 against the runner's FixedClock (tests/cli/runner.py).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from diary import app
from diary.cli import main
from diary.services.clock import FixedClock

from tests.cli.runner import NOW, Diary

EXPORT = ("--from", "2026-11-01")
REPORT = ("report", "customers", "--from", "2026-11-23", "--to", "2026-11-29", "--csv")


@pytest.fixture
def diary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Diary:
    d = Diary(tmp_path / "diary.sqlite3", capsys)
    d.ok("customer", "add", "Zoë")
    d.ok(
        "add",
        "--title",
        "Survey",
        "--start",
        "2026-11-24T09:00",
        "--duration",
        "60",
        "--customer",
        "Zoë",
    )
    return d


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _targets(tmp_path: Path) -> dict[str, Path]:
    """A FIFO, a symbolic link to a file worth keeping, a folder and a missing folder."""
    keep = tmp_path / "keep.txt"
    keep.write_text("keep me\n", encoding="utf-8")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "link").symlink_to(keep)
    (tmp_path / "folder").mkdir()
    return {
        "a FIFO": tmp_path / "fifo",
        "a symbolic link": tmp_path / "link",
        "a folder": tmp_path / "folder",
        "does not exist": tmp_path / "missing" / "x",
        "a device": Path("/dev/null"),
    }


def _unharmed(tmp_path: Path) -> None:
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "keep me\n"
    assert (tmp_path / "fifo").is_fifo() and (tmp_path / "link").is_symlink()
    assert Path("/dev/null").is_char_device()
    assert not (tmp_path / "missing").exists()
    assert not [p for p in tmp_path.iterdir() if ".tmp" in p.name], "no temporary file is left"


def test_export_and_report_write_new_private_files(diary: Diary, tmp_path: Path) -> None:
    os.umask(0o022)
    ics, csv = tmp_path / "out.ics", tmp_path / "out.csv"
    diary.ok("export", str(ics), *EXPORT)
    diary.ok(*REPORT, str(csv))
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert csv.read_text(encoding="utf-8").startswith("customer")
    assert _mode(ics) == 0o600 and _mode(csv) == 0o600


def test_an_existing_readable_file_is_replaced_by_a_private_one(
    diary: Diary, tmp_path: Path
) -> None:
    ics = tmp_path / "phone.ics"
    ics.write_text("old", encoding="utf-8")
    ics.chmod(0o644)
    diary.ok("export", str(ics), *EXPORT)
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR") and _mode(ics) == 0o600


@pytest.mark.parametrize("command", ["export", "report"])
def test_no_output_goes_to_a_fifo_link_folder_device_or_missing_folder(
    diary: Diary, tmp_path: Path, command: str
) -> None:
    for says, target in _targets(tmp_path).items():
        args = ("export", str(target), *EXPORT) if command == "export" else (*REPORT, str(target))
        code, _out, err = diary(*args)
        assert code == 2, (says, err)
        assert says in err, err
        assert (command == "export") or "--csv" in err
    _unharmed(tmp_path)


@pytest.mark.parametrize("name", ["diary.sqlite3", "diary.sqlite3-wal", "again.sqlite3"])
def test_no_output_goes_onto_the_open_database_or_its_journal(
    diary: Diary, tmp_path: Path, name: str
) -> None:
    if name == "again.sqlite3":
        os.link(diary.db, tmp_path / name)  # another name for the same file
    target = tmp_path / name
    before = diary.db.read_bytes()
    for args in (("export", str(target), *EXPORT), (*REPORT, str(target))):
        code, _out, err = diary(*args)
        assert code == 2 and "database" in err, err
    assert diary.db.read_bytes() == before
    assert "Survey" in diary.ok("list", "--from", "2026-11-24", "--to", "2026-11-24")


def _print(db: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(
            [
                "--db",
                str(db),
                "--tz",
                "Europe/London",
                "print",
                "--date",
                "2026-11-24",
                "--out",
                str(out),
            ],
            clock=FixedClock(NOW),
            printer=app.print_view,
        )
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, capsys.readouterr().err


def test_print_writes_a_private_png_and_refuses_a_missing_folder(
    diary: Diary, tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object
) -> None:
    out = tmp_path / "day.png"
    code, err = _print(diary.db, out, capsys)
    assert code == 0, err
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and _mode(out) == 0o600
    code, err = _print(diary.db, tmp_path / "missing" / "day.pdf", capsys)
    assert code == 2 and "--out" in err and "does not exist" in err
