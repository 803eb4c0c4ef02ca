"""Search on the 100,000-appointment benchmark diary: the full-text index against a LIKE scan.

Run: .venv/bin/python -m bench.search_bench [bench/out/bench100k.sqlite3]
Builds the diary (bench/build_db.py) unless the file exists, then times `DiaryService.search`
for what an owner types, letter by letter and whole: a rare title, a place (thousands of
appointments), a very broad prefix (all of them), a miss. The baseline is the same search
with the index dropped, in the same run on a copy of the same file: every row read with
LIKE. Target: 50 ms per query (issue 14).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.build_db import ZONE, build
from diary.services import DiaryService
from diary.services.clock import FixedClock
from diary.storage import search_index

TARGET_MS = 50.0
# Halfway through the five years of the diary: appointments both ahead and behind.
NOW = datetime(2026, 7, 1, 9, tzinfo=UTC)
QUERIES = (
    ("rare title, typed whole", "Visit 48211"),
    ("rare title, a prefix", "Visit 4821"),
    ("a place (2,500 visits)", "Site 17"),
    ("a street (every visit)", "High Street"),
    ("first letter (every row)", "v"),
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


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out/bench100k.sqlite3")
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
        search_index.drop(connection)
    print(
        f"{'query':<28} {'typed':<14} {'found':>5} {'index':>10} {'scan':>10} {'ratio':>7} "
        f"{'target':>8} {'ok':>4}"
    )
    worst = 0.0
    for name, typed in QUERIES:
        found = indexed.search(typed)
        assert [a.ref for a in found.appointments] == [
            a.ref for a in scanned.search(typed).appointments
        ], f"the index and the scan disagree on {typed!r}"
        fast = median_ms(lambda typed=typed: indexed.search(typed))  # type: ignore[misc]
        slow = median_ms(lambda typed=typed: scanned.search(typed))  # type: ignore[misc]
        worst = max(worst, fast)
        ok = "yes" if fast <= TARGET_MS else "NO"
        print(
            f"{name:<28} {typed!r:<14} {len(found.appointments):>5} {fast:>7.2f} ms "
            f"{slow:>7.1f} ms {slow / fast:>6.0f}x {TARGET_MS:>5.0f} ms {ok:>4}"
        )
    print(f"{'slowest indexed query':<28} {'':<14} {'':>5} {worst:>7.2f} ms")
    indexed.close()
    scanned.close()
    for stale in scan_path.parent.glob(scan_path.name + "*"):
        stale.unlink()


if __name__ == "__main__":
    main()
