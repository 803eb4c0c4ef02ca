"""SIGKILL during writes: no confirmed write is lost, no import is left half done, the
database stays intact (issue 16). On both back ends.

Each round starts a worker (`tests.robustness.kill_worker`) that books or imports, reads its
output and kills it with SIGKILL after a random number of lines: between bookings, while an
import's transaction is being written, or as it commits. Then the database is checked
against everything the worker had confirmed. `make test` runs KILLS rounds per back end;
`make soak` runs DIARY_SOAK_KILLS.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select, text

from diary.storage import open_database
from diary.storage.schema import AppointmentRow

from tests.robustness.counts import report, rounds
from tests.robustness.kill_worker import IMPORT_EVENTS

ROOT = Path(__file__).resolve().parents[2]
KILLS = rounds("kills", 4)


@dataclass
class Tally:
    rounds: int = 0
    confirmed: int = 0
    lost: int = 0
    imports_confirmed: int = 0
    partial_imports: int = 0
    damaged: int = 0


def _kill_after(url: str, mode: str, run: str, lines: int) -> list[str]:
    """Run the worker, SIGKILL it after `lines` lines of progress; everything it printed."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.robustness.kill_worker", url, mode, run],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    assert worker.stdout is not None
    seen: list[str] = []
    progress = 0
    for line in worker.stdout:
        seen.append(line.strip())
        if line.startswith(("CONFIRMED", "PROGRESS", "IMPORTED")):
            progress += 1
            if progress >= lines:
                break
    worker.send_signal(signal.SIGKILL)
    rest, errors = worker.communicate(timeout=60)
    seen.extend(line.strip() for line in rest.splitlines())
    assert worker.returncode == -signal.SIGKILL, f"the worker ended by itself:\n{errors[-2000:]}"
    return seen


def _check(url: str, seen: list[str], tally: Tally) -> None:
    database = open_database(url)
    try:
        with database.session() as session:
            if database.dialect_name == "sqlite":
                integrity = session.execute(text("PRAGMA integrity_check")).scalar()
                if integrity != "ok":
                    tally.damaged += 1
            uids = set(session.scalars(select(AppointmentRow.uid)))
    finally:
        database.close()
    confirmed = [line.split()[1] for line in seen if line.startswith("CONFIRMED")]
    tally.confirmed += len(confirmed)
    tally.lost += sum(1 for ref in confirmed if ref.split("#")[0] not in uids)
    imported = Counter(uid.rsplit("-", 1)[0] for uid in uids if uid.startswith("imp-"))
    tally.partial_imports += sum(1 for n in imported.values() if n != IMPORT_EVENTS)
    for line in seen:
        if line.startswith("IMPORTED"):
            tally.imports_confirmed += 1
            if imported.get(line.split()[1]) != IMPORT_EVENTS:
                tally.lost += 1


def kill_loop(url: str, count: int, seed: int) -> Tally:
    chance = random.Random(seed)
    tally = Tally()
    for number in range(count):
        mode = "import" if number % 2 else "book"
        lines = chance.randint(1, 25 if mode == "book" else 2 + 3 * IMPORT_EVENTS // 100)
        seen = _kill_after(url, mode, f"r{seed}x{number}", lines)
        _check(url, seen, tally)
        tally.rounds += 1
    return tally


@pytest.mark.slow
def test_sigkill_during_writes_loses_no_confirmed_write(any_db_url: str) -> None:
    backend = "postgresql" if any_db_url.startswith("postgresql") else "sqlite"
    tally = kill_loop(any_db_url, KILLS, seed=16)
    report(
        f"kill-{backend}",
        rounds=tally.rounds,
        confirmed_writes=tally.confirmed,
        confirmed_imports=tally.imports_confirmed,
        lost=tally.lost,
        partial_imports=tally.partial_imports,
        damaged=tally.damaged,
    )
    assert tally.rounds == KILLS
    assert (tally.lost, tally.partial_imports, tally.damaged) == (0, 0, 0)
    assert tally.confirmed > 0
