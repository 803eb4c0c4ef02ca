"""`diary list` of one month from a cold process, against calcurse on the same calendar.

Measured side by side in one run (medians of fresh processes; the machine is shared, so
the ratios are what to compare):
- `diary list` of March 2026 on the 100k benchmark diary (bench/build_db.py), target
  <= 0.3 s;
- the 10k synthetic calendar (bench/workload/gen_ics.py 10000) imported into a diary
  with `diary import` and into calcurse with `calcurse -i`; then the same month listed by
  `diary list` and by `calcurse -Q`, target diary <= 2x calcurse;
- the floor: a bare `python -c pass` and `python -c "import sqlalchemy.orm"`.

Usage: python -m bench.cli_bench [--runs N] [--keep FOLDER]
(calcurse from Debian: `apt-get install -y calcurse`; without it that row says so.)
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.build_db import build

ROOT = Path(__file__).resolve().parent.parent
MONTH_100K = ("2026-03-01", "2026-03-31")
MONTH_10K = ("2025-03-01", "2025-03-31")
TARGET_LIST_S = 0.3
TARGET_RATIO = 2.0


# As installed: byte-code caches written and used (a shell with PYTHONDONTWRITEBYTECODE
# would otherwise compile every changed module on every run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cold(argv: list[str], runs: int) -> tuple[float, float, str]:
    """Median wall time and median CPU time (user + system) of `argv` in a fresh process,
    after one untimed run that fills the byte-code cache, and what the last run printed.

    CPU time is what the process itself spent; on a busy machine the wall time also holds
    the waits for a core, so the CPU column is the one to compare between runs.
    """
    subprocess.run(argv, capture_output=True, env=ENV, check=False)
    walls: list[float] = []
    cpus: list[float] = []
    output = ""
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, env=ENV, check=False)
        walls.append(time.perf_counter() - began)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr}")
        output = done.stdout
    return statistics.median(walls), statistics.median(cpus), output


def diary(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "diary", "--db", str(db), "--tz", "Europe/London", *args]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--keep", type=Path, help="folder to build the databases in and keep")
    options = parser.parse_args()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="diary-cli-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    runs = options.runs
    # Start as an installed copy would: with the package's bytecode compiled (with
    # PYTHONDONTWRITEBYTECODE set, each run would otherwise time the compiler).
    compileall.compile_dir(str(ROOT / "diary"), quiet=1)

    big = folder / "bench100k.sqlite3"
    if not big.exists():
        print(f"building {big} ...", file=sys.stderr)
        build(big)
    ics = folder / "synthetic10k.ics"
    if not ics.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "bench/workload/gen_ics.py"), "10000", str(ics)],
            check=True,
            capture_output=True,
        )
    small = folder / "synthetic10k.sqlite3"
    if not small.exists():
        subprocess.run(diary(small, "import", str(ics)), check=True, capture_output=True)

    rows: list[tuple[str, float, float, str, str]] = []
    floor = cold([sys.executable, "-c", "pass"], runs)
    orm = cold([sys.executable, "-c", "import sqlalchemy.orm"], runs)
    rows.append(("python -c pass (floor)", floor[0], floor[1], "", ""))
    rows.append(("python -c 'import sqlalchemy.orm'", orm[0], orm[1], "", ""))

    lo, hi = MONTH_100K
    wall, cpu, out = cold(diary(big, "list", "--from", lo, "--to", hi), runs)
    rows.append(
        (
            f"diary list {lo}..{hi}, 100k diary ({len(out.splitlines())} lines)",
            wall,
            cpu,
            f"<= {TARGET_LIST_S} s",
            "ok" if cpu <= TARGET_LIST_S else "MISSED",
        )
    )

    lo, hi = MONTH_10K
    mine = cold(diary(small, "list", "--from", lo, "--to", hi), runs)
    rows.append(
        (
            f"diary list {lo}..{hi}, 10k calendar ({len(mine[2].splitlines())} lines)",
            mine[0],
            mine[1],
            "",
            "",
        )
    )
    calcurse = shutil.which("calcurse")
    if calcurse is None:
        rows.append(("calcurse -Q: not installed (apt-get install -y calcurse)", 0, 0, "", "-"))
    else:
        home = folder / "calcurse"
        if not (home / "apts").exists():
            home.mkdir(exist_ok=True)
            subprocess.run(
                [calcurse, "-D", str(home), "-i", str(ics)],
                check=True,
                capture_output=True,
                text=True,
                input="",
            )
        theirs = cold(
            [calcurse, "-D", str(home), "--input-datefmt", "4", "-Q", "--from", lo, "--to", hi],
            runs,
        )
        rows.append(
            (
                f"calcurse -Q {lo}..{hi}, 10k calendar ({len(theirs[2].splitlines())} lines)",
                theirs[0],
                theirs[1],
                "",
                "",
            )
        )
        wall_ratio, cpu_ratio = mine[0] / theirs[0], mine[1] / theirs[1]
        rows.append(
            (
                "ratio diary list / calcurse -Q",
                wall_ratio,
                cpu_ratio,
                f"<= {TARGET_RATIO}x",
                "ok" if cpu_ratio <= TARGET_RATIO else "MISSED",
            )
        )

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'wall':>8}  {'cpu':>8}  {'target':>9}  verdict (cpu)")
    for name, wall, cpu, target, verdict in rows:
        if name.startswith("ratio"):
            shown = f"{wall:>7.2f}x  {cpu:>7.2f}x"
        else:
            shown = f"{wall:>7.3f}s  {cpu:>7.3f}s"
        print(f"{name:<{width}}  {shown}  {target:>9}  {verdict}")
    load = os.getloadavg()[0]
    print(f"({runs} cold runs each, medians; load average {load:.1f} on {os.cpu_count()} cores;")
    print(f" databases in {folder})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
