"""Every kind of bad command-line input the fuzz run found: exit 2, a message naming the
argument, a short excerpt at most, and nothing changed (issue 10).

Dates are in November 2026 against the runner's FixedClock (tests/cli/runner.py), and
2026-10-25 is the Europe/London night the clocks go back: both on purpose.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from diary.cli import main
from diary.services.clock import FixedClock

from tests.cli.runner import NOW, Diary


@pytest.fixture
def diary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Diary:
    d = Diary(tmp_path / "diary.sqlite3", capsys)
    d.ok("location", "add", "Home")
    d.ok("customer", "add", "Zoë", "--email", "zoe@example.com")
    d.ok("add", "--title", "Survey", "--start", "2026-11-24T09:00", "--duration", "60")
    d.ok("promise", "add", "--customer", "Zoë", "--what", "Quote", "--due", "2026-11-27T17:00")
    return d


def _rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as connection:
        tables = [
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        rows = {
            # Sorted here: the search index's FTS5 tables have no rowid to order by.
            t: sorted(connection.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in tables
        }
    connection.close()
    return rows


def refused(diary: Diary, *args: str) -> str:
    """Run `args`; it must exit 2 and change nothing. Returns the message."""
    before = _rows(diary.db)
    code, out, err = diary(*args)
    assert code == 2, (out, err)
    assert "Traceback" not in err
    assert _rows(diary.db) == before
    return err


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["add", "--title", "X", "--start", "0001-01-01T00:00", "--duration", "30"], "--start"),
        (["list", "--to", "9999-12-31"], "--to"),
        (["list", "--from", "1899-12-31"], "--from"),
        (["export", "x.ics", "--from", "0001-01-01"], "--from"),
        (["print", "--out", "x.pdf", "--date", "9999-01-01"], "--date"),
        (
            ["promise", "add", "--customer", "Zoë", "--what", "Q", "--due", "2201-01-01T00:00"],
            "--due",
        ),
        (
            [
                "add-series",
                "--title",
                "X",
                "--start",
                "2026-11-24T09:00",
                "--duration",
                "30",
                "--repeat",
                "daily",
                "--until",
                "9999-12-31",
            ],
            "--until",
        ),
    ],
)
def test_dates_outside_1900_to_2200_are_refused(diary: Diary, args: list[str], names: str) -> None:
    err = refused(diary, *args)
    assert names in err and "1900 to 2200" in err


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (
            [
                "add",
                "--title",
                "X",
                "--start",
                "2026-11-24T09:00",
                "--duration",
                "99999999999999999999",
            ],
            "--duration",
        ),
        (
            ["add", "--title", "X", "--start", "2026-11-24T09:00", "--duration", "158000000"],
            "--duration",
        ),
        (["promise", "check", "99999999999999999999"], "ID"),
        (["promise", "done", "9223372036854775808"], "ID"),
        (["suggest", "--duration", "9" * 5000], "--duration"),
        (
            [
                "add-series",
                "--title",
                "X",
                "--start",
                "2026-11-24T09:00",
                "--duration",
                "30",
                "--repeat",
                "daily",
                "--every",
                "99999999999999999999",
            ],
            "--every",
        ),
        (
            [
                "add-series",
                "--title",
                "X",
                "--start",
                "2026-11-24T09:00",
                "--duration",
                "30",
                "--repeat",
                "daily",
                "--count",
                "99999999999999999999",
            ],
            "--count",
        ),
        (["travel", "set", "Home", "Home", "99999999999999999999"], "MINUTES"),
    ],
)
def test_numbers_too_big_for_the_database_are_refused(
    diary: Diary, args: list[str], names: str
) -> None:
    err = refused(diary, *args)
    assert names in err
    assert len(err) < 1000


def test_arguments_that_are_not_utf8_are_refused_naming_the_option(diary: Diary) -> None:
    # Python hands bytes that are not UTF-8 over as lone surrogates (PEP 383).
    title = os.fsdecode(b"caf\xe9")
    err = refused(diary, "add", "--title", title, "--start", "2026-11-24T12:00", "--duration", "30")
    assert "--title" in err and "UTF-8" in err and "0xe9" in err
    err = refused(diary, "customer", "add", os.fsdecode(b"\xff\xfe"))
    assert "argument 7" in err and "UTF-8" in err  # the 7th after `diary`: --db F --tz Z ...


@pytest.mark.parametrize("zone", ["Mars/Olympus", "A" * 5000, "../../etc/passwd", "/etc/localtime"])
def test_an_unknown_or_absurd_zone_is_refused(diary: Diary, zone: str) -> None:
    err = refused(diary, "--tz", zone, "list")
    assert "--tz" in err and len(err) < 1000


def test_a_time_that_happens_twice_says_so_and_how_to_pick_one(diary: Diary) -> None:
    err = refused(diary, "add", "--title", "X", "--start", "2026-10-25T01:30", "--duration", "60")
    assert "--start" in err and "twice" in err
    assert "2026-10-25T01:30:00+01:00" in err and "2026-10-25T01:30:00+00:00" in err
    assert "--end" not in err
    # Given with the offset, each of the two is accepted.
    diary.ok("add", "--title", "X", "--start", "2026-10-25T01:30+00:00", "--duration", "60")


def test_a_time_the_clocks_skip_is_refused(diary: Diary) -> None:
    err = refused(diary, "add", "--title", "X", "--start", "2026-03-29T01:30", "--duration", "30")
    assert "--start" in err and "does not exist" in err


@pytest.mark.parametrize(
    ("db", "says"),
    [
        ("foo://bar", "no database driver named 'foo'"),
        ("sqlite+nosuch:///x.sqlite3", "no database driver"),
        ("://", "not a database URL"),
    ],
)
def test_a_database_url_with_an_unknown_driver_is_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: str,
    says: str,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    try:
        main(["--db", db, "list"], clock=FixedClock(NOW))
    except SystemExit as exit_:
        assert exit_.code == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert list(work.iterdir()) == [], "nothing is created for a URL that cannot open"


def test_a_file_that_is_not_a_database_is_refused_and_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n" * 200, encoding="utf-8")
    code, _out, err = Diary(notes, capsys)("list")
    assert code == 2 and "not a database" in err
    assert notes.read_text(encoding="utf-8") == "my notes\n" * 200


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("speed", "nan"),
        ("speed", "inf"),
        ("road-factor", "-inf"),
        ("road-factor", "1e300"),
        ("speed", "0"),
    ],
)
def test_policy_values_that_are_not_finite_numbers_are_refused(
    diary: Diary, key: str, value: str
) -> None:
    err = refused(diary, "policy", "set", key, "--", value)  # "--": -inf is not an option
    assert key in err


def test_import_of_a_device_fifo_or_folder_is_refused_at_once(diary: Diary, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.ics"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo), str(tmp_path)):
        err = refused(diary, "import", path)
        assert path in err and "not a regular file" in err


def test_a_long_bad_value_is_quoted_as_a_short_excerpt(diary: Diary) -> None:
    err = refused(diary, "add", "--title", "X", "--start", "x" * 100_000, "--duration", "30")
    assert "--start" in err and len(err) < 500
    err = refused(
        diary, "add", "--title", "X", "--start", "2026-11-24T12:00", "--kind", "y" * 100_000
    )
    assert "--kind" in err and len(err) < 1500


def test_an_unknown_policy_key_lists_the_known_ones_readably(diary: Diary) -> None:
    # An apostrophe in the list ("calendar's") was once read as the end of a quoted value
    # opened after 'nonsense', and most of the list was cut to an excerpt.
    err = refused(diary, "policy", "set", "nonsense", "5")
    assert "'nonsense' is not a policy setting" in err
    assert "characters)" not in err
    assert "hours.mon .. hours.sun" in err and "owner (your name" in err
