from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from diary.services import DiaryService

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@pytest.fixture
def service(any_db_url: str) -> Iterator[DiaryService]:
    """A diary in Europe/London with a home base, two sites and a phone line."""
    svc = DiaryService.open(any_db_url, zone="Europe/London", clock=lambda: NOW)
    svc.add_location("Home", address="1 Home St")
    svc.add_location("Kitchen", address="Hauptstr. 5")
    svc.add_location("Bath", address="Bahnhofstr. 9")
    svc.add_location("Phone", remote=True)
    svc.set_travel("Home", "Kitchen", 20)
    svc.set_travel("Kitchen", "Bath", 25)
    svc.set_travel("Home", "Bath", 30)
    svc.set_policy("base", "Home")
    svc.add_customer("Zoë Müller-Łukasik", email="zoe@example.com", prefers="text")
    yield svc
    svc.close()
