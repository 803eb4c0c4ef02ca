"""Two processes booking the same diary at once: only one gets the slot."""

from __future__ import annotations

import multiprocessing
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from diary.services import DiaryService, Draft

TZ = ZoneInfo("Europe/London")
START = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
PROCESSES = 6


def _book(url: str, worker: int, barrier: object, results: object) -> None:
    outcome = "error"
    try:
        service = DiaryService.open(url, zone="Europe/London")
        try:
            barrier.wait(timeout=60)  # type: ignore[attr-defined]
            booked = service.book(
                Draft(f"Visit {worker}", START, START + timedelta(hours=1), location="Kitchen")
            )
            outcome = "refused" if booked.refused else "booked"
        finally:
            service.close()
    except Exception as error:
        outcome = f"error: {error!r}"
    results.put(outcome)  # type: ignore[attr-defined]


@pytest.mark.slow
def test_parallel_bookings_of_one_slot_give_it_to_one_process(any_db_url: str) -> None:
    setup = DiaryService.open(any_db_url, zone="Europe/London")
    setup.add_location("Kitchen")
    setup.close()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    workers = [
        context.Process(target=_book, args=(any_db_url, i, barrier, results))
        for i in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    outcomes = sorted(results.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    assert outcomes == ["booked"] + ["refused"] * (PROCESSES - 1)
    check = DiaryService.open(any_db_url, zone="Europe/London")
    try:
        assert check.check() == []
        assert len(check.listing(START - timedelta(days=1), START + timedelta(days=1))) == 1
    finally:
        check.close()
