"""diary.services.output_files for diary's own folders and for files a library writes in place."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from diary.services.output_files import keep_private, private_folder

pytestmark = pytest.mark.usefixtures("desktop_umask")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_every_folder_diary_makes_is_private(tmp_path: Path) -> None:
    made = private_folder(tmp_path / "share" / "diary" / "backups")
    assert [_mode(p) for p in (made, made.parent, made.parent.parent)] == [0o700] * 3
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    private_folder(loose)
    assert _mode(loose) == 0o700


def test_a_settings_file_is_made_private_before_qt_writes_it(tmp_path: Path) -> None:
    created = keep_private(tmp_path / "config" / "diary" / "diary.conf")
    assert created.read_bytes() == b"" and _mode(created) == 0o600
    created.write_text("[start]\n")
    created.chmod(0o644)
    keep_private(created)
    assert _mode(created) == 0o600 and created.read_text() == "[start]\n"


def test_a_link_is_neither_followed_nor_changed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.conf"
    target.write_text("theirs")
    target.chmod(0o644)
    link = tmp_path / "diary.conf"
    link.symlink_to(target)
    keep_private(link)
    assert link.is_symlink() and _mode(target) == 0o644
