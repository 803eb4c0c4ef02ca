"""diary.services.output_files: a file the user names is written without harm."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from diary.services.output_files import (
    OutputRefused,
    check_output,
    private_output,
    write_private,
)


def test_a_new_file_is_private_from_its_first_byte(tmp_path: Path) -> None:
    os.umask(0o022)
    target = tmp_path / "report.csv"
    with private_output(target) as temporary:
        assert temporary.parent == tmp_path and temporary.suffix == ".csv"
        assert stat.S_IMODE(temporary.stat().st_mode) == 0o600
        assert not target.exists(), "the target appears only when complete"
        temporary.write_bytes(b"a,b\n")
    assert target.read_bytes() == b"a,b\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv", "xdg"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "phone.ics"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), private_output(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("renderer crashed")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["phone.ics", "xdg"]


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: os.mkfifo(p), "a FIFO"),
        (lambda p: p.symlink_to(p.parent / "elsewhere"), "a symbolic link"),
        (lambda p: p.mkdir(), "a folder"),
    ],
)
def test_anything_but_a_regular_file_is_refused(tmp_path: Path, make: object, says: str) -> None:
    target = tmp_path / "out.ics"
    make(target)  # type: ignore[operator]
    with pytest.raises(OutputRefused, match=says):
        write_private(target, b"x")
    assert not (tmp_path / "elsewhere").exists()


def test_a_device_and_a_missing_folder_are_refused() -> None:
    with pytest.raises(OutputRefused, match="a device"):
        check_output("/dev/null")
    with pytest.raises(OutputRefused, match="does not exist"):
        check_output("/nonexistent-folder/out.ics")


def test_a_protected_file_is_refused_under_any_name(tmp_path: Path) -> None:
    database = tmp_path / "diary.sqlite3"
    database.write_bytes(b"SQLite format 3\x00")
    os.link(database, tmp_path / "other-name")
    for name in ("diary.sqlite3", "other-name", "../" + tmp_path.name + "/diary.sqlite3"):
        with pytest.raises(OutputRefused, match="database"):
            write_private(tmp_path / name, b"BEGIN:VCALENDAR", protected=[database])
    assert database.read_bytes() == b"SQLite format 3\x00"
