"""The command line contract: words, JSON fields and exit codes stay exactly as documented."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from diary.cli import main

from tests.cli.runner import Diary


@pytest.fixture
def diary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Diary:
    d = Diary(tmp_path / "diary.sqlite3", capsys)
    d.ok("location", "add", "Home", "--address", "1 Home St")
    d.ok("location", "add", "Kitchen", "--address", "Hauptstr. 5")
    d.ok("location", "add", "Bath", "--address", "Bahnhofstr. 9")
    d.ok("travel", "set", "Home", "Kitchen", "20")
    d.ok("travel", "set", "Kitchen", "Bath", "25")
    d.ok("policy", "set", "base", "Home")
    d.ok("customer", "add", "Zoë Müller-Łukasik", "--email", "zoe@example.com", "--prefers", "text")
    return d


def test_add_prints_the_uid_and_list_json_has_the_contract_fields(diary: Diary) -> None:
    uid = diary.ok(
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
    ).strip()
    assert uid
    [item] = json.loads(diary.ok("list", "--from", "2026-11-24", "--to", "2026-11-24", "--json"))
    assert set(item) >= {
        "uid",
        "title",
        "start",
        "end",
        "all_day",
        "kind",
        "customer",
        "location",
        "flags",
        "override_reason",
    }
    assert item["uid"] == uid
    assert item["start"] == "2026-11-24T09:00:00+00:00"
    assert item["end"] == "2026-11-24T10:00:00+00:00"
    assert item["customer"] == "Zoë Müller-Łukasik"
    assert item["location"] == "Kitchen"
    assert item["flags"] == [] and item["all_day"] is False and item["kind"] == "meeting"


def test_a_refused_add_exits_3_with_reasons_and_the_nearest_slot(diary: Diary) -> None:
    diary.ok(
        "add",
        "--title",
        "Kitchen survey",
        "--start",
        "2026-11-24T09:00",
        "--end",
        "2026-11-24T10:00",
        "--location",
        "Kitchen",
    )
    code, out, _ = diary(
        "add",
        "--title",
        "Bath fit",
        "--start",
        "2026-11-24T10:20",
        "--duration",
        "40",
        "--location",
        "Bath",
    )
    assert code == 3
    lines = out.strip().splitlines()
    assert lines[-1] == "nearest feasible slot: 2026-11-24T10:40:00+00:00"
    assert "20 min short" in lines[0] and "Kitchen survey" in lines[0]
    assert (
        len(json.loads(diary.ok("list", "--from", "2026-11-24", "--to", "2026-11-24", "--json")))
        == 1
    )


def test_force_with_reason_books_and_check_exits_1(diary: Diary) -> None:
    diary.ok(
        "add",
        "--title",
        "A",
        "--start",
        "2026-11-24T09:00",
        "--duration",
        "60",
        "--location",
        "Kitchen",
    )
    assert diary("check")[0] == 0
    code, _, err = diary(
        "add",
        "--title",
        "B",
        "--start",
        "2026-11-24T09:30",
        "--duration",
        "60",
        "--location",
        "Kitchen",
        "--force",
    )
    assert code == 2 and "reason" in err
    diary.ok(
        "add",
        "--title",
        "B",
        "--start",
        "2026-11-24T09:30",
        "--duration",
        "60",
        "--location",
        "Kitchen",
        "--force",
        "--reason",
        "two-person job",
    )
    code, out, _ = diary("check", "--json")
    assert code == 1
    flagged = json.loads(out)
    assert {f["title"] for f in flagged} == {"A", "B"}
    assert all("double-booking" in f["flags"] for f in flagged)
    assert {f["override_reason"] for f in flagged} == {None, "two-person job"}


def test_move_and_cancel(diary: Diary) -> None:
    uid = diary.ok(
        "add",
        "--title",
        "A",
        "--start",
        "2026-11-24T09:00",
        "--duration",
        "60",
        "--location",
        "Kitchen",
    ).strip()
    other = diary.ok(
        "add",
        "--title",
        "B",
        "--start",
        "2026-11-24T13:00",
        "--duration",
        "60",
        "--location",
        "Kitchen",
    ).strip()
    code, out, _ = diary("move", other, "--start", "2026-11-24T10:00")
    assert code == 3 and out.strip().splitlines()[-1].startswith("nearest feasible slot: ")
    diary.ok("move", uid, "--start", "2026-11-25T09:00")
    diary.ok("cancel", other)
    items = json.loads(diary.ok("list", "--from", "2026-11-23", "--to", "2026-11-29", "--json"))
    assert [(i["uid"], i["start"]) for i in items] == [(uid, "2026-11-25T09:00:00+00:00")]


def test_suggest_prints_the_start_in_the_display_zone(diary: Diary) -> None:
    diary.ok(
        "add",
        "--title",
        "A",
        "--start",
        "2026-11-24T09:00",
        "--duration",
        "60",
        "--location",
        "Kitchen",
    )
    out = diary.ok(
        "suggest", "--duration", "40", "--location", "Bath", "--after", "2026-11-24T09:00"
    )
    assert out.strip() == "2026-11-24T10:40:00+00:00"
    code, out, _ = diary.__class__(diary.db, diary.capsys)("suggest", "--duration", "40")
    assert code == 0


def test_times_print_in_the_tz_given(diary: Diary, capsys: pytest.CaptureFixture[str]) -> None:
    diary.ok(
        "add",
        "--title",
        "A",
        "--start",
        "2026-11-24T14:00:00+00:00",
        "--duration",
        "30",
        "--location",
        "Kitchen",
    )
    main(
        [
            "--db",
            str(diary.db),
            "--tz",
            "America/New_York",
            "list",
            "--from",
            "2026-11-24",
            "--to",
            "2026-11-24",
            "--json",
        ]
    )
    [item] = json.loads(capsys.readouterr().out)
    assert item["start"] == "2026-11-24T09:00:00-05:00"


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["add", "--title", "X", "--start", "tomorrow", "--duration", "30"], "--start"),
        (["add", "--title", "X", "--start", "2026-11-24T09:00", "--duration", "ten"], "--duration"),
        (
            [
                "add",
                "--title",
                "X",
                "--start",
                "2026-11-24T09:00",
                "--duration",
                "30",
                "--customer",
                "Nobody",
            ],
            "customer",
        ),
        (["add", "--title", "X", "--start", "2026-03-29T01:30", "--duration", "30"], "--start"),
        (["list", "--from", "2026-11-30", "--to", "2026-11-01"], "--to"),
        (["move", "no-such-uid", "--start", "2026-11-24T09:00"], "uid"),
        (["travel", "set", "Home", "Nowhere", "10"], "TO"),
        (["policy", "set", "hours.mon", "nine to five"], "hours.mon"),
        (["--tz", "Mars/Olympus", "list"], "--tz"),
        (["customer", "add", "Zoë Müller-Łukasik"], "name"),
    ],
)
def test_bad_input_exits_2_naming_the_argument(diary: Diary, args: list[str], names: str) -> None:
    before = diary.ok("list", "--from", "2026-01-01", "--to", "2026-12-31", "--json")
    code, _, err = diary(*args)
    assert code == 2
    assert names in err
    assert diary.ok("list", "--from", "2026-01-01", "--to", "2026-12-31", "--json") == before


def test_policy_show_lists_every_setting(diary: Diary) -> None:
    out = diary.ok("policy", "show")
    for key in ("hours.mon", "reserve", "wrapup", "travel", "base", "speed", "road-factor"):
        assert key in out
    assert "Home" in out


def test_demo_fills_a_week_with_one_override(diary: Diary) -> None:
    diary.ok("demo")
    code, out, _ = diary("check", "--json")
    assert code == 1
    flagged = json.loads(out)
    assert any(f["override_reason"] for f in flagged)
    assert any("double-booking" in f["flags"] for f in flagged)


def test_the_installed_command_runs(tmp_path: Path) -> None:
    env = dict(os.environ, DIARY_DB=str(tmp_path / "env.sqlite3"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "diary",
            "--tz",
            "UTC",
            "add",
            "--title",
            "A",
            "--start",
            "2026-11-24T09:00",
            "--duration",
            "30",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env.sqlite3").exists()
    assert oct((tmp_path / "env.sqlite3").stat().st_mode & 0o777) == "0o600"


def test_wrap_up_and_travel_are_enforced_across_midnight(diary: Diary) -> None:
    # 22:45-23:45 in the Kitchen, then a job in Bath at 00:00: 15 min wrap-up and 25 min of
    # driving do not fit in 15 min, whichever side of midnight the second job starts.
    diary.ok(
        "add", "--title", "Late repair", "--start", "2026-11-24T22:45", "--duration", "60",
        "--location", "Kitchen",
    )  # fmt: skip
    code, out, _ = diary(
        "add", "--title", "Night call-out", "--start", "2026-11-25T00:00", "--duration", "30",
        "--location", "Bath",
    )  # fmt: skip
    assert code == 3
    assert "25 min short" in out and "Late repair" in out
    assert out.strip().splitlines()[-1].startswith("nearest feasible slot: ")
    # Kept knowingly, it stays flagged in check.
    diary.ok(
        "add", "--title", "Night call-out", "--start", "2026-11-25T00:00", "--duration", "30",
        "--location", "Bath", "--force", "--reason", "burst pipe",
    )  # fmt: skip
    code, out, _ = diary("check", "--from", "2026-11-24", "--to", "2026-11-25", "--json")
    assert code == 1
    assert any("buffer" in item["flags"] for item in json.loads(out))
