"""Search over appointments, customers and promises on both back ends: prefixes, every word,
nearest first, and an index that follows every write (even one made by raw SQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from diary.services import DiaryService, Draft
from diary.storage import search_index, search_schema

from tests.services.conftest import NOW

TZ = ZoneInfo("Europe/London")


def at(day: int, hour: int) -> datetime:
    """A time on a day of December 2026 (after the fixture's clock, 23 Nov 2026)."""
    return datetime(2026, 12, day, hour, tzinfo=TZ)


def book(service: DiaryService, title: str, start: datetime, **fields: str) -> str:
    outcome = service.book(Draft(title, start, start + timedelta(hours=1), **fields))  # type: ignore[arg-type]
    assert outcome.ok and outcome.appointment
    return outcome.appointment.ref


def titles(service: DiaryService, query: str) -> list[str]:
    return [a.title for a in service.search(query).appointments]


@pytest.fixture
def jobs(service: DiaryService) -> DiaryService:
    service.add_customer("Familie Müller", phone="+44 20 7946 0011")
    service.add_customer("Bram de Vries", email="bram@example.com")
    book(service, "Boiler service", at(7, 9), customer="Familie Müller", location="Bath")
    book(service, "Kitchen survey", at(3, 9), customer="Bram de Vries", location="Kitchen")
    book(service, "Radiator bleed", at(9, 9), location="Kitchen")
    service.book(Draft("Tap washer", at(1, 9), at(1, 10)))
    refused = service.book(
        Draft("Descale kettle", at(8, 9), at(8, 10), notes="Bring the long ladder")
    )
    assert refused.ok
    return service


def test_words_are_prefixes_and_every_word_must_match_across_fields(jobs: DiaryService) -> None:
    assert titles(jobs, "boil") == ["Boiler service"]
    assert titles(jobs, "MÜLL") == ["Boiler service"]  # the customer's name
    assert titles(jobs, "bahnhof") == ["Boiler service"]  # the place's address
    assert titles(jobs, "müller bahn") == ["Boiler service"]  # customer and place together
    assert titles(jobs, "müller kitchen") == []
    assert titles(jobs, "ladder") == ["Descale kettle"]  # the notes
    assert titles(jobs, "  ") == [] and jobs.search("!?").empty


def test_appointments_come_nearest_first_then_the_past(jobs: DiaryService) -> None:
    book(jobs, "Kitchen tiles", NOW.astimezone(TZ) - timedelta(days=3))
    book(jobs, "Kitchen sink", NOW.astimezone(TZ) - timedelta(days=10))
    assert titles(jobs, "kitchen") == [
        "Kitchen survey",  # 3 December
        "Radiator bleed",  # 9 December, in the Kitchen
        "Kitchen tiles",  # three days ago
        "Kitchen sink",  # ten days ago
    ]


def test_customers_and_promises_are_found_too(jobs: DiaryService) -> None:
    jobs.add_promise("Familie Müller", "Send the boiler quote", at(10, 17))
    found = jobs.search("7946")  # a phone number
    assert [c.name for c in found.customers] == ["Familie Müller"]
    found = jobs.search("müller")
    assert [p.what for p in found.promises] == ["Send the boiler quote"]
    assert [c.name for c in found.customers] == ["Familie Müller", "Zoë Müller-Łukasik"]
    assert [p.what for p in jobs.search("quote").promises] == ["Send the boiler quote"]


def test_the_index_follows_every_change(jobs: DiaryService) -> None:
    boiler = jobs.search("boiler").appointments[0]
    jobs.edit(
        boiler.ref,
        Draft(
            "Gas safety check", boiler.start, boiler.end, customer="Familie Müller", location="Bath"
        ),
    )
    assert titles(jobs, "boiler") == [] and titles(jobs, "gas") == ["Gas safety check"]
    müller = jobs.customer("Familie Müller")
    jobs.update_customer(replace(müller, name="Familie Schmidt"))
    assert titles(jobs, "schmidt") == ["Gas safety check"] and titles(jobs, "müller") == []
    jobs.cancel(jobs.search("gas").appointments[0].ref)
    assert titles(jobs, "gas") == []  # cancelled: not offered


@pytest.mark.parametrize("broad", [1000, 3])  # PostgreSQL: matches sorted, or the walk
def test_many_matches_still_come_nearest_first(
    jobs: DiaryService, monkeypatch: pytest.MonkeyPatch, broad: int
) -> None:
    monkeypatch.setattr(search_index, "BROAD", broad)
    for day in (20, 14, 12, 11):
        book(jobs, f"Visit {day}", at(day, 14))
    book(jobs, "Visit past", NOW.astimezone(TZ) - timedelta(days=2))
    assert titles(jobs, "visit") == ["Visit 11", "Visit 12", "Visit 14", "Visit 20", "Visit past"]
    assert [a.title for a in jobs.search("visit", limit=2).appointments] == [
        "Visit 11",
        "Visit 12",
    ]


def test_a_moved_appointment_is_found_at_its_new_time(jobs: DiaryService) -> None:
    early = book(jobs, "Visit early", at(14, 9))
    late = book(jobs, "Visit late", at(15, 9))
    assert titles(jobs, "visit") == ["Visit early", "Visit late"]
    assert jobs.move(late, at(13, 9)).ok  # now the sooner of the two
    assert titles(jobs, "visit") == ["Visit late", "Visit early"]
    assert jobs.move(early, NOW.astimezone(TZ) - timedelta(days=1), force=True, reason="test").ok
    assert titles(jobs, "visit") == ["Visit late", "Visit early"]  # the past comes after


def test_without_the_index_search_still_answers(jobs: DiaryService) -> None:
    with jobs.database.engine.begin() as connection:
        search_schema.drop(connection)
    assert titles(jobs, "müller bahn") == ["Boiler service"]
    assert [c.name for c in jobs.search("bram").customers] == ["Bram de Vries"]
    with jobs.database.engine.begin() as connection:
        search_schema.create(connection)
    assert titles(jobs, "boil") == ["Boiler service"]
