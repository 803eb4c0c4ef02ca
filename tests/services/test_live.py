"""Every window always current: commits of other processes are seen, as the days they touch.

The other writer is a real second process (`diary add/move/policy set`), on SQLite and on
PostgreSQL. Dates are in 2031 on purpose; the clock is fixed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from diary.services import DiaryService, Draft
from diary.services.clock import FixedClock
from diary.services.live import ExternalChange, LiveChanges

ZONE = "Europe/Berlin"
TZ = ZoneInfo(ZONE)
NOW = datetime(2031, 5, 1, 8, 0, tzinfo=UTC)


def other_process(url: str, *args: str) -> str:
    """Run `diary --db URL ...` as a separate process; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "diary", "--db", url, "--tz", ZONE, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def next_change(live: LiveChanges, within: float = 30.0) -> ExternalChange:
    """The next change other writers made (waits for the watcher, never sleeps blindly)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        change = live.next(0.5)
        if change is not None:
            return change
    raise AssertionError(f"no change seen within {within} s")


@pytest.fixture
def service(any_db_url: str) -> Iterator[DiaryService]:
    svc = DiaryService.open(any_db_url, zone=ZONE, clock=FixedClock(NOW))
    yield svc
    svc.close()


def test_a_booking_by_another_process_is_seen_on_its_day(
    service: DiaryService, any_db_url: str
) -> None:
    live = service.live_changes()
    try:
        other_process(
            any_db_url,
            "add",
            "--title",
            "Gutter",
            "--start",
            "2031-05-06T09:00",
            "--duration",
            "60",
        )
        change = next_change(live)
        assert change.days == {date(2031, 5, 6)} and not change.everything
    finally:
        live.close()


def test_a_move_by_another_process_touches_both_days(
    service: DiaryService, any_db_url: str
) -> None:
    uid = other_process(
        any_db_url, "add", "--title", "Gutter", "--start", "2031-05-06T09:00", "--duration", "60"
    )
    live = service.live_changes()
    try:
        other_process(any_db_url, "move", uid, "--start", "2031-05-08T09:00")
        assert next_change(live).days == {date(2031, 5, 6), date(2031, 5, 8)}
    finally:
        live.close()


def test_a_policy_change_elsewhere_makes_everything_stale(
    service: DiaryService, any_db_url: str
) -> None:
    live = service.live_changes()
    try:
        other_process(any_db_url, "policy", "set", "reserve", "30")
        change = next_change(live)
        assert change.everything and date(2031, 5, 1) in change.days
    finally:
        live.close()


def test_this_windows_own_changes_are_not_reported_again(
    service: DiaryService, any_db_url: str
) -> None:
    live = service.live_changes()
    try:
        start = datetime(2031, 5, 7, 10, tzinfo=TZ)
        service.book(Draft(title="Own", start=start, end=start + timedelta(hours=1)))
        assert live.poll() is None  # its Outcome told the window already
        other_process(
            any_db_url,
            "add",
            "--title",
            "Theirs",
            "--start",
            "2031-05-09T09:00",
            "--duration",
            "30",
        )
        assert next_change(live).days == {date(2031, 5, 9)}
    finally:
        live.close()
