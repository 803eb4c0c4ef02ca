"""Search on the 100,000-appointment benchmark diary: the full-text index against a LIKE scan.

Run: .venv/bin/python -m bench.search_bench [bench/out/bench100k.sqlite3 | POSTGRES_URL]
Builds the diary (bench/build_db.py) unless the file exists, then times `DiaryService.search`
for what an owner types, letter by letter and whole: a rare title, a place (thousands of
appointments), a very broad prefix (all of them), a miss. The baseline is the same search
with the index dropped, in the same run: every row read with LIKE. On SQLite the baseline
runs on a copy of the file; on PostgreSQL (an empty database at the URL, filled here: FTS
with tsvector and GIN) the index is dropped after the indexed runs and built again at the
end. Target: 50 ms per query (issue 14).
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.build_db import ZONE, build
from diary.services import DiaryService
from diary.services.clock import FixedClock
from diary.storage import search_schema

TARGET_MS = 50.0
# Halfway through the five years of the diary: appointments both ahead and behind.
NOW = datetime(2026, 7, 1, 9, tzinfo=UTC)
QUERIES = (
    ("rare title, typed whole", "Visit 48211"),
    ("rare title, a prefix", "Visit 4821"),
    ("a place (2,500 visits)", "Site 17"),
    ("a street (every visit)", "High Street"),
    ("first letter (every row)", "v"),
    ("11,111 rows, years ago", "Visit 1"),
    ("nothing matches", "zebra"),
)
RUNS = 15


def median_ms(action: Callable[[], object]) -> float:
    action()  # the first call warms the page cache and SQLite's statement cache
    samples = []
    for _ in range(RUNS):
        began = time.perf_counter()
        action()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def _header() -> None:
    print(
        f"{'query':<28} {'typed':<14} {'found':>5} {'index':>10} {'scan':>10} {'ratio':>7} "
        f"{'target':>8} {'ok':>4}"
    )


def _table(indexed: DiaryService, scanned: DiaryService | None = None) -> None:
    """Time every query on `indexed` and on `scanned` (the same diary without the index);
    `scanned` None: the same service after the index is dropped (PostgreSQL)."""
    fast: dict[str, float] = {}
    found: dict[str, list[str]] = {}
    for _name, typed in QUERIES:
        found[typed] = [a.ref for a in indexed.search(typed).appointments]
        fast[typed] = median_ms(lambda typed=typed: indexed.search(typed))  # type: ignore[misc]
    if scanned is None:
        with indexed.database.engine.begin() as connection:
            search_schema.drop(connection)
        scanned = indexed
    _header()
    worst = 0.0
    for name, typed in QUERIES:
        assert found[typed] == [a.ref for a in scanned.search(typed).appointments], (
            f"the index and the scan disagree on {typed!r}"
        )
        slow = median_ms(lambda typed=typed: scanned.search(typed))  # type: ignore[misc]
        worst = max(worst, fast[typed])
        ok = "yes" if fast[typed] <= TARGET_MS else "NO"
        print(
            f"{name:<28} {typed!r:<14} {len(found[typed]):>5} {fast[typed]:>7.2f} ms "
            f"{slow:>7.1f} ms {slow / fast[typed]:>6.0f}x {TARGET_MS:>5.0f} ms {ok:>4}"
        )
    print(f"{'slowest indexed query':<28} {'':<14} {'':>5} {worst:>7.2f} ms")


def postgres(url: str) -> None:
    """The same table on PostgreSQL: the diary is built into the (empty) database at `url`."""
    probe = DiaryService.open(url, zone=ZONE)
    try:
        empty = not probe.locations()
    finally:
        probe.close()
    if empty:
        print(f"building the diary in PostgreSQL ({build(url):.1f} s)")
    service = DiaryService.open(url, zone=ZONE, clock=FixedClock(NOW))
    try:
        print(f"PostgreSQL {service.database.engine.dialect.server_version_info}")
        _table(service)
        with service.database.engine.begin() as connection:
            search_schema.create(connection)  # as it was found
    finally:
        service.close()


def main() -> None:
    where = sys.argv[1] if len(sys.argv) > 1 else "bench/out/bench100k.sqlite3"
    if where.startswith("postgresql"):
        postgres(where)
        return
    path = Path(where)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        print(f"building {path} ({build(path):.1f} s)")
    else:
        DiaryService.open(str(path), zone=ZONE).close()  # migrated (and indexed) if older
    scan_path = path.with_name(path.stem + "-noindex.sqlite3")
    for stale in scan_path.parent.glob(scan_path.name + "*"):
        stale.unlink()
    shutil.copy(path, scan_path)
    clock = FixedClock(NOW)
    indexed = DiaryService.open(str(path), zone=ZONE, clock=clock)
    scanned = DiaryService.open(str(scan_path), zone=ZONE, clock=clock)
    with scanned.database.engine.begin() as connection:
        search_schema.drop(connection)
    print(f"SQLite {sqlite3.sqlite_version}")
    _table(indexed, scanned)
    indexed.close()
    scanned.close()
    for stale in scan_path.parent.glob(scan_path.name + "*"):
        stale.unlink()


if __name__ == "__main__":
    main()
