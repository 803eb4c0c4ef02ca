"""The window's loads are reads: opening it, paging through weeks and months and looking at
promises and customers changes no byte of the database (issue 16)."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from diary.ui import create_main_window

from tests.ui.conftest import MONDAY, ZONE, FakeClock, Seed, at, close_dialogs, settle


def _digest(url: str) -> tuple[str, list[tuple[int, int]]]:
    """The main file's bytes, and each diary's revision as any reader sees it (WAL too)."""
    path = Path(url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as connection:
        revisions = connection.execute("SELECT id, revision FROM diaries").fetchall()
    connection.close()
    return hashlib.sha256(path.read_bytes()).hexdigest(), revisions


def test_looking_at_the_diary_changes_nothing(qtbot: QtBot, seed: Seed) -> None:
    before = _digest(seed.url)
    window = create_main_window(seed.url, ZONE, clock=FakeClock(at(MONDAY, 7)))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.is_ready, timeout=60_000)
    settle(qtbot, window)
    for step in (1, 1, -3):
        window.step(step)
        settle(qtbot, window)
    for view in window.view_actions.values():
        view.trigger()
        settle(qtbot, window)
    window.show_panel(window.promises_dock)
    window.show_panel(window.customers_dock)
    window.show_date(MONDAY + timedelta(days=60))
    settle(qtbot, window)
    close_dialogs()
    window.close()
    assert _digest(seed.url) == before
