"""Processes booking the same slot at once: exactly one gets it, round after round.

Each worker process opens the diary once and then, in every round, waits at a barrier with
the others and books the same hour of that round's day. `make test` runs RACE_ROUNDS rounds
with RACERS processes on each back end; `make soak` runs DIARY_SOAK_RACE_ROUNDS rounds for
each count in DIARY_SOAK_RACERS (e.g. "2,4,8,16").
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from diary.services import DiaryService, Draft

from tests.robustness.counts import report, rounds

TZ = ZoneInfo("Europe/London")
START = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)  # a Monday
RACE_ROUNDS = rounds("race_rounds", 3)
RACERS = [int(n) for n in os.environ.get("DIARY_SOAK_RACERS", "6").split(",")]


def _slot(number: int) -> datetime:
    """The hour raced for in round `number`: 10:00 on the number-th working day from START."""
    weeks, day = divmod(number, 5)
    return START + timedelta(weeks=weeks, days=day)


def _book(url: str, worker: int, count: int, barrier: object, results: object) -> None:
    service = None
    try:
        service = DiaryService.open(url, zone="Europe/London")
        for number in range(count):
            start = _slot(number)
            barrier.wait(timeout=120)  # type: ignore[attr-defined]
            try:
                booked = service.book(
                    Draft(f"Visit {worker}", start, start + timedelta(hours=1), location="Kitchen")
                )
                outcome = "refused" if booked.refused else "booked"
            except Exception as error:
                outcome = f"error: {error!r}"
            results.put((number, outcome))  # type: ignore[attr-defined]
    except Exception as error:
        results.put((-1, f"error: {error!r}"))  # type: ignore[attr-defined]
    finally:
        if service is not None:
            service.close()


def race(url: str, processes: int, count: int) -> dict[int, Counter[str]]:
    """`processes` workers book the same slot in each of `count` rounds; outcomes by round."""
    setup = DiaryService.open(url, zone="Europe/London")
    setup.add_location("Kitchen")
    setup.close()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results = context.Queue()
    workers = [
        context.Process(target=_book, args=(url, i, count, barrier, results))
        for i in range(processes)
    ]
    for worker in workers:
        worker.start()
    outcomes: dict[int, Counter[str]] = {}
    try:
        for _ in range(processes * count):
            number, outcome = results.get(timeout=300)
            outcomes.setdefault(number, Counter())[outcome] += 1
    except queue.Empty:
        pytest.fail(f"workers did not report in time; got {outcomes}")
    finally:
        for worker in workers:
            worker.join(timeout=60)
            if worker.is_alive():
                worker.kill()
    return outcomes


@pytest.mark.slow
@pytest.mark.parametrize("processes", RACERS)
def test_parallel_bookings_of_one_slot_give_it_to_one_process(
    any_db_url: str, processes: int
) -> None:
    outcomes = race(any_db_url, processes, RACE_ROUNDS)
    one_winner = sum(1 for o in outcomes.values() if o == Counter(booked=1, refused=processes - 1))
    errors = sum(n for o in outcomes.values() for kind, n in o.items() if kind.startswith("error"))
    backend = "postgresql" if any_db_url.startswith("postgresql") else "sqlite"
    report(
        f"race-{backend}-{processes}",
        rounds=len(outcomes),
        one_winner=one_winner,
        errors=errors,
    )
    assert outcomes == {
        number: Counter(booked=1, refused=processes - 1) for number in range(RACE_ROUNDS)
    }
    check = DiaryService.open(any_db_url, zone="Europe/London")
    try:
        assert check.check() == []
        last = _slot(RACE_ROUNDS - 1)
        listed = check.listing(START - timedelta(days=1), last + timedelta(days=1))
        assert len(listed) == RACE_ROUNDS
    finally:
        check.close()
