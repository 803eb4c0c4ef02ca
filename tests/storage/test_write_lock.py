"""Writers of one diary are serialised: parallel processes cannot both take a free slot."""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from diary.domain.model import Appointment
from diary.storage import open_database
from diary.storage import repository as repo
from diary.storage.schema import DiaryRow

PROCESSES = 8
LONDON = ZoneInfo("Europe/London")
TEN = datetime(2024, 6, 3, 10, 0, tzinfo=LONDON)
ELEVEN = datetime(2024, 6, 3, 11, 0, tzinfo=LONDON)


def _book_ten_if_free(url: str, worker: int, barrier: object, results: object) -> None:
    """One process: inside a write transaction, book 10:00-11:00 only if nothing is there."""
    outcome = "error"
    try:
        database = open_database(url)
        try:
            barrier.wait(timeout=60)  # type: ignore[attr-defined]
            with database.write("default") as (session, diary):
                taken = repo.appointments_overlapping(session, diary.id, TEN, ELEVEN)
                if taken:
                    outcome = "refused"
                else:
                    time.sleep(0.2)  # widen the window between "it is free" and "book it"
                    booking = Appointment(
                        uid=f"worker-{worker}",
                        title="slot",
                        start=TEN,
                        end=ELEVEN,
                        zone="Europe/London",
                    )
                    repo.save_appointment(session, diary.id, booking)
                    outcome = "booked"
        finally:
            database.close()
    except Exception as error:  # reported to the test, which fails with it
        outcome = f"error: {error!r}"
    results.put((worker, outcome))  # type: ignore[attr-defined]


@pytest.mark.slow
def test_parallel_processes_book_a_free_slot_exactly_once(any_db_url: str) -> None:
    # Migrate and create the diary up front: the race under test is the booking itself.
    with open_database(any_db_url) as database:
        database.ensure_diary("default", "Europe/London")
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    workers = [
        context.Process(target=_book_ten_if_free, args=(any_db_url, worker, barrier, results))
        for worker in range(PROCESSES)
    ]
    for process in workers:
        process.start()
    outcomes = {}
    try:
        for _ in workers:
            worker, outcome = results.get(timeout=120)
            outcomes[worker] = outcome
    except queue.Empty:
        pytest.fail(f"workers did not report in time; got {outcomes}")
    finally:
        for process in workers:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()

    assert sorted(outcomes.values()) == ["booked"] + ["refused"] * (PROCESSES - 1), outcomes
    database = open_database(any_db_url)
    try:
        with database.session() as session:
            diary_id = database.ensure_diary("default", "UTC")
            booked = repo.appointments_overlapping(session, diary_id, TEN, ELEVEN)
        assert len(booked) == 1
    finally:
        database.close()


def test_racing_writers_create_a_missing_diary_once(any_db_url: str) -> None:
    open_database(any_db_url).close()
    barrier = threading.Barrier(PROCESSES)

    def create() -> int:
        with open_database(any_db_url) as database:
            barrier.wait(timeout=60)
            return database.ensure_diary("shared", "Europe/London")

    with ThreadPoolExecutor(PROCESSES) as pool:
        ids = set(pool.map(lambda _: create(), range(PROCESSES)))
    assert len(ids) == 1
    with open_database(any_db_url) as database, database.session() as session:
        count = session.scalar(select(func.count()).select_from(DiaryRow))
    assert count == 1
