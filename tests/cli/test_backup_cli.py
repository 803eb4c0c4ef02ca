"""`diary backup`, `diary backup list --json`, `diary restore FILE` (issue 16)."""

from __future__ import annotations

import json
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from diary.services.clock import FixedClock

from tests.cli.runner import NOW, Diary


@pytest.fixture
def diary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Diary:
    d = Diary(tmp_path / "diary.sqlite3", capsys, FixedClock(NOW))
    d.ok("customer", "add", "Ada", "--email", "ada@example.com")
    d.ok("add", "--title", "Survey", "--start", "2026-11-24T10:00", "--duration", "60")
    return d


def _listing(diary: Diary) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = json.loads(diary.ok("backup", "list", "--json"))
    return listed


def test_backup_list_restore_round_trip(diary: Diary, tmp_path: Path) -> None:
    [automatic] = _listing(diary)
    assert set(automatic) == {"file", "taken", "kind", "bytes"}
    assert automatic["kind"] == "automatic"
    manual = Path(diary.ok("backup").strip())
    assert stat.S_IMODE(manual.stat().st_mode) == 0o600
    kinds = [b["kind"] for b in _listing(diary)]
    assert sorted(kinds) == ["automatic", "manual"]
    copy = tmp_path / "copy.sqlite3"
    assert diary.ok("backup", "--to", str(copy)).strip() == str(copy)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600

    assert isinstance(diary.clock, FixedClock)
    diary.clock.advance(timedelta(days=1))
    diary.ok("add", "--title", "Later", "--start", "2026-11-25T10:00", "--duration", "60")
    code, out, err = diary("restore", str(copy))
    assert code == 0, err
    assert "1 appointments, 1 customers" in out and "kept in" in out
    titles = [
        a["title"]
        for a in json.loads(
            diary.ok("list", "--from", "2026-11-23", "--to", "2026-11-29", "--json")
        )
    ]
    assert titles == ["Survey"]
    assert "before-restore" in [b["kind"] for b in _listing(diary)]


@pytest.mark.parametrize(
    ("content", "says"),
    [(b"not a database", "not a diary backup"), (None, "no such file")],
)
def test_restore_of_a_bad_file_is_bad_input_and_changes_nothing(
    diary: Diary, tmp_path: Path, content: bytes | None, says: str
) -> None:
    bad = tmp_path / "bad.sqlite3"
    if content is not None:
        bad.write_bytes(content)
    before = diary.db.read_bytes()
    listed = _listing(diary)
    code, out, err = diary("restore", str(bad))
    assert code == 2
    assert err.startswith(f"diary: error: {bad}: ") and says in err
    assert "Traceback" not in err and out == ""
    assert diary.db.read_bytes() == before
    assert _listing(diary) == listed


def test_backup_to_a_symbolic_link_is_refused(diary: Diary, tmp_path: Path) -> None:
    (tmp_path / "link.sqlite3").symlink_to(tmp_path / "target.sqlite3")
    code, _out, err = diary("backup", "--to", str(tmp_path / "link.sqlite3"))
    assert code == 2 and "symbolic link" in err
    assert not (tmp_path / "target.sqlite3").exists()
