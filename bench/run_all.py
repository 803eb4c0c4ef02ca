"""Runs every benchmark in turn (`make bench`); each prints its own table with targets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITES = (
    "bench.core_bench",
    "bench.ui_bench",
    "bench.ical_bench",
    "bench.series_bench",
    "bench.import_memory",
    "bench.search_bench",
    "bench.sync_bench",
    "bench.live_bench",
)


def main() -> int:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    failed = 0
    for suite in SUITES:
        print(f"\n== {suite} ==", flush=True)
        failed |= subprocess.call([sys.executable, "-m", suite, *sys.argv[1:]], cwd=ROOT, env=env)
    return failed


if __name__ == "__main__":
    sys.exit(main())
