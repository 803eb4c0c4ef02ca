"""Peak memory and time of importing a ~50 MB calendar (issue: <= 500 MB, ~10x the file).

Run: .venv/bin/python -m bench.import_memory [--events 112000]
Generates bench/out/events-N.ics with bench/workload/gen_ics.py (about 450 bytes an event:
112,000 events are ~50 MB), imports it into a fresh SQLite diary in a child process and
prints the child's peak resident memory (ru_maxrss) next to that of the same child doing
nothing but loading diary (the baseline).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
GENERATOR = Path(__file__).resolve().parent / "workload" / "gen_ics.py"

CHILD = """
import json, resource, sys, time
from datetime import UTC, datetime
from diary.services import DiaryService
from diary.services.clock import FixedClock
path, url, do_import = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
clock = FixedClock(datetime(2025, 6, 1, tzinfo=UTC))
service = DiaryService.open(url, zone="Europe/London", clock=clock)
began = time.perf_counter()
summary = service.calendar().import_calendar(path) if do_import else None
spent = time.perf_counter() - began
service.close()
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": spent, "peak_mb": peak_kb / 1024,
                  "added": summary.added if summary else 0,
                  "repairs": len(summary.repairs) if summary else 0}))
"""


def run_child(path: Path, do_import: bool) -> dict[str, float]:
    db = OUT / "memory.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), f"sqlite:///{db}", "1" if do_import else "0"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=112_000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    ics = OUT / f"events-{args.events}.ics"
    if not ics.exists():
        subprocess.run(
            [sys.executable, str(GENERATOR), str(args.events), str(ics), "--seed", "42"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    size_mb = ics.stat().st_size / (1024 * 1024)
    idle = run_child(ics, do_import=False)
    busy = run_child(ics, do_import=True)
    rows = [
        ("file", f"{size_mb:.1f} MB, {args.events:,} events"),
        ("diary loaded, no import: peak RSS", f"{idle['peak_mb']:.0f} MB"),
        (
            "import: peak RSS",
            f"{busy['peak_mb']:.0f} MB = {busy['peak_mb'] / size_mb:.1f}x the file "
            f"(target <= 500 MB, ~10x)",
        ),
        ("import: time", f"{busy['seconds']:.1f} s ({busy['added']:,.0f} entries added)"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
