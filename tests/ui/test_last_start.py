"""What the window keeps from one start for the next: only ever the diary's own, or nothing."""

from __future__ import annotations

from datetime import time

import pytest

from diary.domain.model import Policy, WorkingHours
from diary.ui import last_start


def test_the_policy_a_diary_showed_comes_back_for_that_diary_only() -> None:
    week = (WorkingHours(time(6), time(15)), None, None, None, None, None, None)
    shown = Policy(zone="Europe/Vienna", locale="de_AT", week=week, reserve_minutes=90)
    last_start.keep_policy("sqlite:///a.sqlite3", shown)
    back = last_start.policy_for("sqlite:///a.sqlite3")
    assert back is not None
    assert (back.zone, back.locale, back.week) == (shown.zone, shown.locale, shown.week)
    assert last_start.policy_for("sqlite:///b.sqlite3") is None
    assert last_start.policy_for("") is None


@pytest.mark.parametrize(
    "stored",
    [
        "not a policy",
        "\n".join(["sqlite:///a.sqlite3", "Mars/Olympus", "en_US", *["off"] * 7]),
        "\n".join(["sqlite:///a.sqlite3", "UTC", "en_US", "8-late", *["off"] * 6]),
        "\n".join(["sqlite:///a.sqlite3", "UTC", "en_US", *["off"] * 6]),
        42,
    ],
)
def test_an_unreadable_memory_is_no_memory(stored: object) -> None:
    last_start.settings().setValue(last_start.POLICY_KEY, stored)
    assert last_start.policy_for("sqlite:///a.sqlite3") is None


def test_a_database_password_never_reaches_the_settings_file() -> None:
    url = "postgresql+psycopg://owner:Secret-42@db.example.com/team"
    last_start.keep_policy(url, Policy(zone="Europe/Vienna"))
    store = last_start.settings()
    store.sync()
    with open(store.fileName(), encoding="utf-8") as kept:
        assert "Secret-42" not in kept.read()
    back = last_start.policy_for(url)
    assert back is not None and back.zone == "Europe/Vienna"


def test_a_password_kept_by_an_older_diary_is_removed_when_read() -> None:
    url = "postgresql+psycopg://owner:Secret-42@db.example.com/team"
    store = last_start.settings()
    store.setValue(last_start.POLICY_KEY, "\n".join([url, "UTC", "en_US", *["off"] * 7]))
    back = last_start.policy_for(url)
    assert back is not None and back.zone == "UTC"
    store.sync()
    with open(store.fileName(), encoding="utf-8") as kept:
        assert "Secret-42" not in kept.read()
