"""The window shows what another process changed within a second, only where it changed."""

from __future__ import annotations

import os
import subprocess
import sys

from pytestqt.qtbot import QtBot

from diary.ui.main_window import MainWindow

from .conftest import MONDAY, ZONE, Seed, at


def _other_process(url: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "diary", "--db", url, "--tz", ZONE, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _titles(window: MainWindow) -> set[str]:
    agenda = window.week_view.agenda
    return {item.appointment.title for item in agenda.items} if agenda is not None else set()


def test_a_booking_made_by_the_command_line_appears_in_the_open_week(
    qtbot: QtBot, window: MainWindow, seed: Seed
) -> None:
    thursday = MONDAY.replace(day=MONDAY.day + 3)
    uid = _other_process(
        seed.url,
        "add",
        "--title",
        "Burst pipe",
        "--start",
        at(thursday, 14).isoformat(),
        "--duration",
        "60",
    )
    qtbot.waitUntil(lambda: "Burst pipe" in _titles(window), timeout=10_000)
    assert window.week_view.rect_for(uid).isValid()
    _other_process(seed.url, "cancel", uid)
    qtbot.waitUntil(lambda: "Burst pipe" not in _titles(window), timeout=10_000)


def test_a_move_elsewhere_moves_the_box_and_the_rules_see_it(
    qtbot: QtBot, window: MainWindow, seed: Seed
) -> None:
    before = window.week_view.rect_for(seed.quote)
    _other_process(
        seed.url,
        "move",
        seed.quote,
        "--start",
        at(MONDAY, 9, 30).isoformat(),
        "--force",
        "--reason",
        "the customer asked",
    )
    qtbot.waitUntil(lambda: window.week_view.rect_for(seed.quote) != before, timeout=10_000)
    agenda = window.week_view.agenda
    assert agenda is not None
    flags = {item.appointment.ref: item.flag_names for item in agenda.items}
    assert "double-booking" in flags[seed.quote]  # the checks judge the new state
